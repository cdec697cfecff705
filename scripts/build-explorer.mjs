// Builds the explorer (src/explorer/) into dist/explorer/: index.html, style.css, app.js (the page),
// worker.js (the Web Workers' engine), the chunks they share (minified, no source maps: the folder ships in
// the package for `ceasefire-sim explore`), and highs.wasm (the solver the p-median and
// max-cover strategies load, found beside the chunk that imports it). Relative URLs only: the folder deploys
// as static pages anywhere. Run by `npm run build` and `npm test` after tsup (which empties dist/).
// Needs src/layout/slots.generated.ts and the core's binary: `node scripts/build-core.mjs` first.
import { copyFileSync, mkdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const src = path.join(root, "src", "explorer");
const out = path.join(root, "dist", "explorer");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: path.join(src, "main.ts"), worker: path.join(src, "worker.ts") },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  outdir: out,
  chunkNames: "chunk-[hash]",
  // highs's Node-only branch (`await import("node:module")`), never run in a browser.
  external: ["node:*"],
  logLevel: "warning",
});
for (const f of ["index.html", "style.css"]) copyFileSync(path.join(src, f), path.join(out, f));
copyFileSync(path.join(root, "node_modules", "highs", "build", "highs.wasm"), path.join(out, "highs.wasm"));
const kb = (f) => Math.round(statSync(path.join(out, f)).size / 1024);
console.log(`build-explorer: dist/explorer (app.js ${kb("app.js")} KB, worker.js ${kb("worker.js")} KB)`);
