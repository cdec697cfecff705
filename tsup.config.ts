import { defineConfig } from "tsup";

export default defineConfig([
  {
    // The library: ESM + CJS with declarations; dependencies stay external.
    entry: { index: "src/index.ts", node: "src/node/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "es2022",
    platform: "neutral",
    treeshake: true,
  },
  {
    // The CLI: one ESM file for Node.
    entry: { cli: "src/cli.ts" },
    format: ["esm"],
    platform: "node",
    target: "node20",
    sourcemap: true,
  },
]);
