import type { Scenario } from "../model/types.js";
import { toScenario } from "../model/parse.js";
import { explicitAllocation, validateAllocation, type Allocation } from "./allocation.js";
import { riskWeighted } from "./strategies/risk-weighted.js";
import { uniform } from "./strategies/uniform.js";
import { proportional } from "./strategies/proportional.js";
import { leadNation } from "./strategies/lead-nation.js";
import { greedyCoverage } from "./strategies/greedy-coverage.js";
import { pMedianStrategy, maxCoverStrategy } from "./strategies/location-based.js";
import { custom } from "./strategies/custom.js";
import type { Strategy } from "./strategy.js";
import { isStrategyName, STRATEGY_NAMES, strategyOptionIssues } from "../model/strategy-names.js";

/**
 * Built-in strategies by name. The object has no prototype, so `name in strategies` and `strategies[name]` see
 * the built-in names only, never inherited ones such as "constructor" or "toString".
 */
export const strategies: Readonly<Record<string, Strategy>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, Strategy>, {
    "risk-weighted": riskWeighted,
    uniform,
    proportional,
    "lead-nation": leadNation,
    "greedy-coverage": greedyCoverage,
    "p-median": pMedianStrategy,
    "max-cover": maxCoverStrategy,
    custom,
  }),
);
if (Object.keys(strategies).join() !== STRATEGY_NAMES.join())
  throw new Error("strategy registry and strategy-names.ts disagree");

/** The built-in strategy of that name, or a RangeError naming the known ones. */
function builtIn(name: string): Strategy {
  if (!isStrategyName(name) || !Object.hasOwn(strategies, name))
    throw new RangeError(`unknown strategy ${JSON.stringify(name)}; known: ${Object.keys(strategies).join(", ")}`);
  return strategies[name]!;
}

/**
 * Allocate the scenario's units with a strategy (a name or a `Strategy`
 * object). The result is validated against the scenario.
 *
 * @param scenario a parsed `Scenario`, or raw input (`defaultScenario()`, parsed JSON) parsed as `simulate` does;
 *   an invalid one is refused with a `ScenarioError` naming each problem's path.
 * @example
 * const a = await allocate(defaultScenario(), "risk-weighted");
 * a.teams[0]; // { id: "gb/team-mobile/1", base: "...", why: "D'Hondt quotient ..." }
 */
export async function allocate(
  scenario: unknown,
  strategy: string | Strategy,
  options: Record<string, unknown> = {},
): Promise<Allocation> {
  return allocateInto(toScenario(scenario), strategy, options, null);
}

/**
 * `allocate` into a target that may hold a base placement to keep (`from`, with its `mode` "augment": see
 * `placeUnits`), else into an empty one.
 * @internal
 */
export async function allocateInto(
  scenario: Scenario,
  strategy: string | Strategy,
  options: Record<string, unknown>,
  from: Pick<Allocation, "teams" | "sensors" | "idle" | "mode"> | null,
): Promise<Allocation> {
  const s = typeof strategy === "string" ? builtIn(strategy) : strategy;
  if (typeof s !== "object" || s === null || typeof s.allocate !== "function" || typeof s.name !== "string")
    throw new RangeError(
      "strategy: expected a built-in name or an object { name, description, allocate(scenario, target, options) }",
    );
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new RangeError(`${s.name}: expected an object of options`);
  // The built-in strategies' options are checked here once (parseScenario checks a scenario's with their paths).
  if (Object.hasOwn(strategies, s.name) && strategies[s.name] === s) {
    const problems = strategyOptionIssues(s.name, options, scenario.bases.length);
    if (problems.length > 0)
      throw new RangeError(`${s.name}: ${problems.map((p) => `option ${p.key}: ${p.message}`).join("; ")}`);
  }
  const target: Allocation = {
    format: "ceasefire-sim/allocation@1",
    strategy: s.name,
    teams: from ? from.teams.map((u) => ({ ...u })) : [],
    sensors: from ? from.sensors.map((u) => ({ ...u })) : [],
    idle: from ? from.idle.map((u) => ({ ...u })) : [],
    ...(from?.mode ? { mode: from.mode } : {}),
  };
  await s.allocate(scenario, target, options);
  validateAllocation(scenario, target);
  return target;
}

/** The strategy a scenario names in its allocation, with its options; the default `risk-weighted` otherwise. */
export function scenarioStrategy(scenario: Scenario): { strategy: string; options: Record<string, unknown> } {
  const spec = scenario.allocation;
  return spec?.kind === "strategy"
    ? { strategy: spec.strategy, options: spec.options }
    : { strategy: DEFAULT_STRATEGY, options: {} };
}

/** The strategy a scenario without an allocation is placed by. */
export const DEFAULT_STRATEGY = "risk-weighted";

/** The allocation a scenario asks for: its explicit allocation, its named strategy, or the default `risk-weighted`. */
export async function scenarioAllocation(scenario: Scenario): Promise<Allocation> {
  if (scenario.allocation?.kind === "explicit") {
    const a = explicitAllocation(scenario);
    validateAllocation(scenario, a);
    return a;
  }
  const { strategy, options } = scenarioStrategy(scenario);
  return allocate(scenario, strategy, options);
}
