import { defineConfig } from "vitest/config";

/**
 * The fast tier (`npm run test:fast`): unit tests and small seeded checks that import the sources only (no dist/,
 * no browser, notebook or CLI subprocesses, no long statistical runs). `npm test` runs both projects.
 */
const FAST = [
  "tests/units.test.ts",
  "tests/schema.test.ts",
  "tests/scenario-errors.test.ts",
  "tests/stats.test.ts",
  "tests/rng.test.ts",
  "tests/erlang.test.ts",
  "tests/hypercube.test.ts",
  "tests/core.test.ts",
  "tests/vega.test.ts",
  "tests/notebook-display.test.ts",
  "tests/strategies.test.ts",
];

export default defineConfig({
  test: {
    // Statistical tests run many replications; keep them within a generous bound on shared machines.
    testTimeout: 120_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        // One module graph per worker (not per file): the files share their imports (zod, mathjs, the core).
        test: { name: "fast", include: FAST, isolate: false },
      },
      {
        extends: true,
        test: { name: "slow", include: ["tests/**/*.test.ts"], exclude: FAST },
      },
    ],
  },
});
