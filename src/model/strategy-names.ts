/** Names of the built-in allocation strategies (the registry lives in `allocate.ts`). */
export const STRATEGY_NAMES: readonly string[] = [
  "risk-weighted",
  "uniform",
  "proportional",
  "lead-nation",
  "greedy-coverage",
  "p-median",
  "max-cover",
  "custom",
];
