// Checks that imports in src/ point one way, down the layers of the design
// (model → allocation → compile → engine → stats → experiment → report → node → cli, with rng and the
// declared layout as the ground floor; the browser explorer, src/explorer/, is a consumer beside the entries,
// below node so that nothing Node-only reaches the page), and that no file imports itself back through a cycle.
// Run by `npm test` and CI: `node scripts/check-layers.mjs` prints every offending import and exits 1.
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const src = path.join(root, "src");

/** Each top-level folder (or file) of src/ and its floor; an import may only go to the same floor or below. */
const FLOORS = [
  ["version", "layout", "rng"],
  ["model", "scenarios"],
  ["allocation"],
  ["compile"],
  ["engine"],
  ["stats", "analytic"],
  ["experiment"],
  ["report"],
  ["index", "internal"],
  ["explorer"],
  ["node"],
  ["cli"],
];
const floorOf = new Map(FLOORS.flatMap((names, i) => names.map((n) => [n, i])));

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return /\.ts$/.test(name) && !/\.d\.ts$/.test(name) ? [p] : [];
  });
}

function layer(file) {
  const rel = path.relative(src, file).split(path.sep);
  const top = rel.length === 1 ? rel[0].replace(/\.ts$/, "") : rel[0];
  const floor = floorOf.get(top);
  if (floor === undefined) throw new Error(`check-layers: src/${rel.join("/")} is in no layer; add "${top}" to FLOORS`);
  return { top, floor };
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g;
const all = files(src);
const edges = new Map();
const problems = [];
for (const file of all) {
  const text = readFileSync(file, "utf8");
  const out = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    let target = path.resolve(path.dirname(file), spec).replace(/\.js$/, ".ts");
    if (!target.endsWith(".ts") && !target.endsWith(".json")) target += ".ts";
    if (target.endsWith(".json")) continue;
    out.push(target);
    const from = layer(file),
      to = layer(target);
    if (to.floor > from.floor) {
      problems.push(
        `${path.relative(root, file)} imports ${spec}: ${from.top} may not import ${to.top} (a layer above)`,
      );
    }
  }
  edges.set(file, out);
}

// File cycles: depth-first search, reporting each cycle once.
const state = new Map();
const stack = [];
function visit(f) {
  state.set(f, 1);
  stack.push(f);
  for (const g of edges.get(f) ?? []) {
    if (!edges.has(g)) continue;
    if (state.get(g) === 1) {
      const cycle = stack
        .slice(stack.indexOf(g))
        .concat(g)
        .map((p) => path.relative(root, p));
      problems.push(`file cycle: ${cycle.join(" → ")}`);
    } else if (!state.has(g)) visit(g);
  }
  stack.pop();
  state.set(f, 2);
}
for (const f of all) if (!state.has(f)) visit(f);

if (problems.length) {
  console.error(`check-layers: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join("\n")}`);
  process.exit(1);
}
console.log(`check-layers: ${all.length} files, imports point down the layers, no file cycle`);
