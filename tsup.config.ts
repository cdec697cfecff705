import { defineConfig } from "tsup";

export default defineConfig([
  {
    // The library: ESM + CJS with declarations; dependencies stay external. `internal` is the engine's
    // machinery (ceasefire-sim/internal, no semver promise), for benches, tests and advanced users. `notebook` is
    // ceasefire-sim/node with rich display for Jupyter (Deno kernel).
    entry: {
      index: "src/index.ts",
      internal: "src/internal.ts",
      node: "src/node/index.ts",
      notebook: "src/node/notebook.ts",
    },
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "es2022",
    platform: "neutral",
    treeshake: true,
    // import.meta.url in the CJS build (the worker pool finds dist/worker.js with it).
    shims: true,
  },
  {
    // The CLI: ESM for Node.
    entry: { cli: "src/cli.ts" },
    format: ["esm"],
    platform: "node",
    target: "node20",
    sourcemap: true,
  },
  {
    // The worker thread, built on its own so it loads only the engine (not mathjs or zod): fast to start.
    entry: { worker: "src/node/worker.ts" },
    format: ["esm"],
    platform: "node",
    target: "node20",
    sourcemap: true,
  },
]);
