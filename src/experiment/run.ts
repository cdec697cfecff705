/**
 * What every experiment prepares before the runner (./runner.ts) runs its replications: the scenario (parsed,
 * horizon applied), its allocation, the compiled model and the scenario's hash; and the whole-line metrics
 * addressed by name, with the sequential-stopping rule's arithmetic.
 */
import { scenarioAllocation, allocate } from "../allocation/allocate.js";
import { allocateFrom, checkCounts, isAllocationMode, MODES_TEXT, type AllocationMode } from "../allocation/modes.js";
import { validateAllocation, type Allocation } from "../allocation/allocation.js";
import type { Strategy } from "../allocation/strategy.js";
import { compile, type CompiledModel } from "../compile/compile.js";
import { ScenarioError } from "../model/errors.js";
import { scenarioHash } from "../model/hash.js";
import { toScenario } from "../model/parse.js";
import type { Scenario } from "../model/types.js";
import { createAccumulator } from "../stats/accumulator.js";
import type { Estimate } from "../stats/estimate.js";
import { summarizeSectors, type SectorMetrics } from "../stats/summarize.js";
import { resolveHorizon, show, type ResolvedUntil } from "./options.js";

export type { Until, ResolvedUntil } from "./options.js";

/** A scenario ready to run: parsed, allocated, compiled and hashed. */
export interface Prepared {
  scenario: Scenario;
  allocation: Allocation;
  model: CompiledModel;
  hash: string;
}

/** Parse (unless already parsed) and apply a horizon override (hours, or a duration string; see `resolveHorizon`). */
export function scenarioOf(input: unknown, horizon?: number | string | null): Scenario {
  const s = toScenario(input);
  if (horizon === undefined || horizon === null) return s;
  return Object.freeze({ ...s, horizon: resolveHorizon(horizon) });
}

/**
 * An allocation in a mode (see `AllocationMode`): `replan` places every unit by `strategy`; `augment` keeps the
 * base placement and places the new units; `remove` keeps the base placement less the withdrawn units.
 *
 * @example
 * // +20 US long-range UAVs, the coalition's placement kept:
 * const more = setParameters(defaultScenario(), { "contributions[state=us,asset=uav-lr].count": 36 });
 * await simulate(more, { allocation: { mode: "augment", base: defaultScenario() } });
 */
export interface ModeAllocation {
  mode: AllocationMode;
  /**
   * The base placement (needed by augment and remove): a scenario, input or parsed, placed by `strategy` if
   * given, else by its own allocation; or a ready allocation.
   */
  base?: unknown;
  /**
   * Strategy (a built-in's name or an object) of replan, of the base scenario's placement and of augment's new
   * units (default: each scenario's own allocation; augment: the scenario's named strategy, else risk-weighted).
   */
  strategy?: string | Strategy;
}

/** What an experiment's `allocation` option takes: a strategy's name or object, a ready allocation, or a mode. */
export type AllocationOption = string | Strategy | Allocation | ModeAllocation;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Whether an allocation option is a `ModeAllocation` (an object with `mode` that is no allocation). */
export function isModeAllocation(a: unknown): a is ModeAllocation {
  return isRecord(a) && Object.hasOwn(a, "mode") && !Object.hasOwn(a, "format");
}

const isAllocation = (v: unknown): v is Allocation =>
  isRecord(v) && v.format === "ceasefire-sim/allocation@1" && Array.isArray(v.teams) && Array.isArray(v.sensors);

/** Resolve an allocation option (strategy name or object, ready allocation, a mode, or the scenario's own). */
export async function resolveAllocation(
  s: Scenario,
  a: AllocationOption | undefined,
  options?: Record<string, unknown>,
): Promise<Allocation> {
  if (a === undefined) return scenarioAllocation(s);
  if (typeof a === "string" || "allocate" in a) return allocate(s, a, options);
  if (isModeAllocation(a)) {
    const m = checkModeAllocation(a);
    return allocateFrom(s, m.mode, m.mode === "replan" ? null : await basePlacement(m), m.strategy, options);
  }
  validateAllocation(s, a);
  return a;
}

/** A `ModeAllocation` checked: known keys, a known mode, a base where the mode needs one. */
function checkModeAllocation(a: ModeAllocation): ModeAllocation {
  for (const k of Object.keys(a))
    if (!["mode", "base", "strategy"].includes(k))
      throw new RangeError(`allocation: unknown key ${show(k)}; an allocation mode takes mode, base, strategy`);
  if (!isAllocationMode(a.mode)) throw new RangeError(`allocation.mode: expected ${MODES_TEXT}; got ${show(a.mode)}`);
  if (a.mode !== "replan" && (a.base === undefined || a.base === null))
    throw new RangeError(
      `allocation.base: mode ${show(a.mode)} needs a base placement (a scenario or an allocation); got ${show(a.base)}`,
    );
  const st = a.strategy;
  if (!(st === undefined || typeof st === "string" || (isRecord(st) && typeof st.allocate === "function")))
    throw new RangeError(`allocation.strategy: expected a strategy's name or a strategy; got ${show(st)}`);
  return a;
}

/** The base placement of a mode: a ready allocation, or the base scenario's allocation (by the mode's strategy). */
async function basePlacement(m: ModeAllocation): Promise<Allocation> {
  if (isAllocation(m.base)) return m.base;
  let s: Scenario;
  try {
    s = scenarioOf(m.base);
  } catch (e) {
    if (e instanceof ScenarioError) throw new ScenarioError([...e.issues], "allocation.base");
    throw e;
  }
  return resolveAllocation(s, m.strategy);
}

/**
 * Whether an allocation mode can place the scenario from its base (augment: no contribution with fewer units;
 * remove: none with more), before anything runs; a RangeError names `where` and the contribution. Other options
 * pass (their allocation is checked when it is made).
 */
export function checkModeCounts(s: Scenario, a: AllocationOption | undefined, where: string): void {
  if (!isModeAllocation(a) || a.mode === "replan" || !isAllocation(a.base)) return;
  try {
    checkCounts(s, a.base, a.mode);
  } catch (e) {
    if (e instanceof RangeError) throw new RangeError(`${where}: ${e.message}`, { cause: e });
    throw e;
  }
}

/**
 * A mode's base placement made once, for an experiment that allocates many scenarios from one base: with mode
 * augment or remove, the base (default `defaultBase`, e.g. a sweep's own scenario) becomes a ready allocation.
 * Any other option is returned as it is.
 */
export async function fixBasePlacement(
  a: AllocationOption | undefined,
  defaultBase: unknown,
): Promise<AllocationOption | undefined> {
  if (!isModeAllocation(a) || a.mode === "replan") return a;
  const m = checkModeAllocation({ ...a, base: a.base ?? defaultBase });
  return { ...m, base: await basePlacement(m) };
}

/** Compile a scenario with an allocation, and hash the scenario (for provenance). */
export async function prepare(s: Scenario, allocation: Allocation): Promise<Prepared> {
  return { scenario: s, allocation, model: compile(s, allocation), hash: await scenarioHash(s.source) };
}

// ---------------------------------------------------------------------------
// Metrics addressed by name ("response.mean", "withinStandard", "coverage.night", …).

/** Names of the whole-line metrics that are estimates with CIs. */
export function metricNames(example: SectorMetrics): string[] {
  const out: string[] = [];
  const walk = (o: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      const name = prefix ? `${prefix}.${k}` : k;
      if (isEstimate(v)) out.push(name);
      else if (v && typeof v === "object") walk(v as Record<string, unknown>, name);
    }
  };
  walk(example as unknown as Record<string, unknown>, "");
  return out;
}

/** The estimate at a dotted path of the whole-line metrics; RangeError naming the valid paths otherwise. */
export function metricAt(line: SectorMetrics, path: string): Estimate {
  if (typeof path !== "string")
    throw new RangeError(`metric: expected a name such as "response.mean"; got ${show(path)}`);
  // Own properties only: "toString", "__proto__" or "response.constructor" name no metric.
  let v: unknown = line;
  for (const k of path.split("."))
    v = v !== null && typeof v === "object" && Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : undefined;
  if (!isEstimate(v)) throw new RangeError(`unknown metric ${show(path)}; metrics: ${metricNames(line).join(", ")}`);
  return v;
}

const isEstimate = (v: unknown): v is Estimate =>
  v !== null && typeof v === "object" && Object.hasOwn(v, "halfWidth") && Object.hasOwn(v, "value");

/** The whole-line metrics of a prepared model before any replication (to check metric names up front). */
export function emptyLine(p: Prepared): SectorMetrics {
  return summarizeSectors(createAccumulator(p.model), p.model).line;
}

/** Whether an estimate meets the target, and the target half-width. */
export function meets(e: Estimate, u: ResolvedUntil): { met: boolean; target: number } {
  const target = u.halfWidth ?? u.relHalfWidth! * Math.abs(e.value);
  return { met: Number.isFinite(e.halfWidth) && e.halfWidth <= target, target };
}

/**
 * How many replications to run in total next: aim at the target from the current half-width (n ∝ 1/hw²),
 * +10%, grow at least 10%.
 */
export function nextTotal(n: number, e: Estimate, target: number, u: ResolvedUntil): number {
  const ratio = Number.isFinite(e.halfWidth) && target > 0 ? (e.halfWidth / target) ** 2 : 2;
  const want = Math.ceil(n * Math.max(1.1, Math.min(ratio * 1.1, 10)));
  return Math.min(u.maxReplications, Math.max(n + 1, want));
}
