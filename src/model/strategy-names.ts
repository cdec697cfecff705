/**
 * Names of the built-in allocation strategies and the options each takes (the registry lives in `allocate.ts`),
 * with the one check of those options: `parseScenario` reports its findings with JSON paths under
 * `allocation.options`, `allocate` throws them as a RangeError.
 */

/** Names of the built-in allocation strategies. */
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

/** The options each built-in strategy takes, by strategy name (an object without a prototype). */
export const STRATEGY_OPTIONS: Readonly<Record<string, readonly string[]>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, readonly string[]>, {
    "risk-weighted": [],
    uniform: [],
    proportional: [],
    "lead-nation": [],
    "greedy-coverage": [],
    "p-median": ["p", "timeLimit"],
    "max-cover": ["p", "timeLimit"],
    custom: ["teams", "sensors"],
  }),
);

/** Is `name` a built-in strategy (an own name of the registry, never an inherited one such as "constructor")? */
export function isStrategyName(name: unknown): name is string {
  return typeof name === "string" && Object.hasOwn(STRATEGY_OPTIONS, name);
}

/** One problem with a strategy's options: the option's name and what is wrong. */
export interface OptionIssue {
  key: string;
  message: string;
}

const show = (v: unknown): string => {
  if (typeof v === "string") return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean" || v === null) return String(v);
  if (Array.isArray(v)) return "an array";
  return typeof v;
};

/**
 * The problems with the options given to built-in strategy `strategy` in a scenario with `bases` bases: unknown
 * options (with the known ones), `p` outside 1 … bases, a `timeLimit` that is not a positive number of seconds,
 * `teams`/`sensors` that are not arrays. Only own properties of `options` count.
 */
export function strategyOptionIssues(strategy: string, options: unknown, bases: number): OptionIssue[] {
  if (!isStrategyName(strategy)) return [];
  if (typeof options !== "object" || options === null || Array.isArray(options))
    return [{ key: "", message: `expected an object of options; got ${show(options)}` }];
  const known = STRATEGY_OPTIONS[strategy]!;
  const out: OptionIssue[] = [];
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    const v = o[key];
    if (!known.includes(key)) {
      const list = known.length > 0 ? `known: ${known.join(", ")}` : "it takes no options";
      out.push({ key, message: `unknown option of strategy ${strategy}; ${list}` });
    } else if (key === "p") {
      if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > bases)
        out.push({
          key,
          message:
            bases > 0
              ? `expected a whole number from 1 to ${bases} (the number of bases); got ${show(v)}`
              : `the scenario has no bases to choose from; got ${show(v)}`,
        });
    } else if (key === "timeLimit") {
      if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v))
        out.push({ key, message: `expected a positive number of seconds; got ${show(v)}` });
    } else if ((key === "teams" || key === "sensors") && !Array.isArray(v)) {
      out.push({ key, message: `expected an array of placements; got ${show(v)}` });
    }
  }
  return out;
}
