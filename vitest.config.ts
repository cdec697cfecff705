import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Statistical tests run many replications; keep them within a generous bound on shared machines.
    testTimeout: 120_000,
    pool: "forks",
  },
});
