// Checks that no line of the git-tracked code is longer than 120 characters: *.ts, *.mjs and *.js files
// under src/ (the AssemblyScript core in src/engine/wasm/ included), tests/, bench/, scripts/ and examples/.
// Biome formats to 120 columns but does not wrap comments or long strings; this catches those.
// Run by `npm run lint` (and so `npm test`): `node scripts/check-lines.mjs` prints every long line and exits 1.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const MAX = 120;
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIRS = ["src", "tests", "bench", "scripts", "examples"];

const tracked = execFileSync("git", ["ls-files", "-z", "--", ...DIRS], { cwd: root, encoding: "utf8" })
  .split("\0")
  .filter((f) => /\.(ts|mjs|js)$/.test(f));

const long = [];
for (const file of tracked) {
  let text;
  try {
    text = readFileSync(path.join(root, file), "utf8");
  } catch {
    continue; // tracked but deleted in the working tree
  }
  text.split(/\r?\n/).forEach((line, i) => {
    // Characters as an editor counts them (code points), not UTF-16 units.
    const length = [...line].length;
    if (length > MAX) long.push(`${file}:${i + 1}: ${length} characters`);
  });
}

if (long.length) {
  console.error(`check-lines: ${long.length} line(s) over ${MAX} characters\n${long.map((l) => `  ${l}`).join("\n")}`);
  process.exit(1);
}
console.log(`check-lines: ${tracked.length} files, no line over ${MAX} characters`);
