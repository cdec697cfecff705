// Where a replication's time goes: bundles bench/phases-run.ts with the engine sources (esbuild, as the
// library build does, so module constants fold as they do in dist/) and runs it.
// Usage: npm run bench:phases [-- --replications 2000] [-- --scenario FILE]   Writes bench/results/phases.json.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
// Under the project, so that the bundle's imports of our dependencies resolve (node_modules above it); one
// directory per process, so that two runs at once do not remove each other's bundle.
const dir = path.join(here, ".cache", `phases-${process.pid}`);
mkdirSync(dir, { recursive: true });
const outfile = path.join(dir, "phases.mjs");
try {
  await build({
    entryPoints: [path.join(here, "phases-run.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile,
    logLevel: "error",
  });
  const r = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], {
    stdio: "inherit",
    cwd: path.join(here, ".."),
  });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
