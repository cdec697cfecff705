import type { Scenario } from "../model/types.js";
import { explicitAllocation, validateAllocation, type Allocation } from "./allocation.js";
import { riskWeighted } from "./strategies/risk-weighted.js";
import { uniform } from "./strategies/uniform.js";
import { proportional } from "./strategies/proportional.js";
import { leadNation } from "./strategies/lead-nation.js";
import { greedyCoverage } from "./strategies/greedy-coverage.js";
import { pMedianStrategy, maxCoverStrategy } from "./strategies/location-based.js";
import { custom } from "./strategies/custom.js";
import type { Strategy } from "./strategy.js";
import { STRATEGY_NAMES } from "../model/strategy-names.js";

/** Built-in strategies by name. */
export const strategies: Readonly<Record<string, Strategy>> = Object.freeze({
  "risk-weighted": riskWeighted,
  uniform,
  proportional,
  "lead-nation": leadNation,
  "greedy-coverage": greedyCoverage,
  "p-median": pMedianStrategy,
  "max-cover": maxCoverStrategy,
  custom,
});
if (Object.keys(strategies).join() !== STRATEGY_NAMES.join())
  throw new Error("strategy registry and names.ts disagree");

/**
 * Allocate the scenario's units with a strategy (a name or a `Strategy`
 * object). The result is validated against the scenario.
 *
 * @example
 * const a = await allocate(parseScenario(defaultScenario()), "risk-weighted");
 * a.teams[0]; // { id: "gb/team-mobile/1", base: "...", why: "D'Hondt quotient ..." }
 */
export async function allocate(
  scenario: Scenario,
  strategy: string | Strategy,
  options: Record<string, unknown> = {},
): Promise<Allocation> {
  const s = typeof strategy === "string" ? strategies[strategy] : strategy;
  if (!s)
    throw new RangeError(`unknown strategy ${JSON.stringify(strategy)}; known: ${Object.keys(strategies).join(", ")}`);
  const target: Allocation = {
    format: "ceasefire-sim/allocation@1",
    strategy: s.name,
    teams: [],
    sensors: [],
    idle: [],
  };
  await s.allocate(scenario, target, options);
  validateAllocation(scenario, target);
  return target;
}

/** The allocation a scenario asks for: its explicit allocation, its named strategy, or the default `risk-weighted`. */
export async function scenarioAllocation(scenario: Scenario): Promise<Allocation> {
  const spec = scenario.allocation;
  if (spec?.kind === "explicit") {
    const a = explicitAllocation(scenario);
    validateAllocation(scenario, a);
    return a;
  }
  return allocate(scenario, spec?.strategy ?? "risk-weighted", spec?.options ?? {});
}
