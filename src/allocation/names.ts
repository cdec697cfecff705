/** Names of the built-in allocation strategies (the registry lives in `allocate.ts`). */
export const STRATEGY_NAMES: readonly string[] = ["risk-weighted"];
