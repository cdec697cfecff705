/**
 * The browser entry bundles as a user's app would bundle it: a tiny app that imports `ceasefire-sim`, built
 * with the plain esbuild command line — `esbuild app.js --bundle --platform=browser --format=esm --minify`,
 * no `external` flag — against the built package (dist/, as `npm run build` makes it). The bundle must build,
 * run, reach no `node:` module, and stay within its size budget (minified, and minified + gzip).
 *
 * Measured on 0.4.0 when the budget was set: 614,848 bytes minified, 187,982 bytes gzip (zlib level 9). Before
 * the package was made lighter the same build failed (`Could not resolve "node:module"`, from highs), and with
 * `node:*` marked external it was 968,807 bytes, of which zod 444 KB (its locales, 258 KB, bundled through
 * `import { z }`; the schema now imports the namespace, `import * as z`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ESBUILD = join(ROOT, "node_modules", ".bin", process.platform === "win32" ? "esbuild.cmd" : "esbuild");

/** The budget: just above the figures measured when it was set (see the header). */
const BUNDLE_BUDGET = { minifiedBytes: 630_000, gzipBytes: 192_000 } as const;

const APP = `import { defaultScenario, simulate } from "ceasefire-sim";
const r = await simulate(defaultScenario(), { replications: 2, seed: 1, horizon: "2 d" });
console.log(JSON.stringify({ format: r.format, replications: r.provenance.replications }));
`;

let dir = "";
let built: { status: number | null; stderr: string } = { status: null, stderr: "" };

beforeAll(() => {
  if (!existsSync(join(ROOT, "dist", "index.js")))
    throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
  dir = mkdtempSync(join(tmpdir(), "ceasefire-sim-bundle-"));
  // The app's own node_modules holds the package (this checkout, as `npm link` would place it).
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(ROOT, join(dir, "node_modules", "ceasefire-sim"), "dir");
  writeFileSync(join(dir, "app.js"), APP);
  const r = spawnSync(
    ESBUILD,
    ["app.js", "--bundle", "--platform=browser", "--format=esm", "--minify", "--outfile=out.js"],
    { cwd: dir, encoding: "utf8" },
  );
  built = { status: r.status, stderr: r.stderr };
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("esbuild --bundle --platform=browser of an app importing ceasefire-sim", () => {
  it("builds with no external flag and no error", () => {
    expect(built.stderr).not.toMatch(/ERROR|Could not resolve/);
    expect(built.status).toBe(0);
  });

  it("reaches no node: module", () => {
    const out = readFileSync(join(dir, "out.js"), "utf8");
    expect(out).not.toMatch(/(?:from|import|require)\s*\(?\s*["']node:/);
  });

  it("runs: the bundled app simulates the default scenario", () => {
    const r = spawnSync(process.execPath, ["out.js"], { cwd: dir, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ format: "ceasefire-sim/result@1", replications: 2 });
  }, 60_000);

  it(`stays within its budget: ${BUNDLE_BUDGET.minifiedBytes} bytes minified, ${BUNDLE_BUDGET.gzipBytes} gzip`, () => {
    const out = readFileSync(join(dir, "out.js"));
    const gzip = gzipSync(out, { level: 9 }).length;
    console.log(`browser bundle: ${out.length} bytes minified, ${gzip} bytes gzip`);
    expect(out.length).toBeLessThanOrEqual(BUNDLE_BUDGET.minifiedBytes);
    expect(gzip).toBeLessThanOrEqual(BUNDLE_BUDGET.gzipBytes);
  });
});
