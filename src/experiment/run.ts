/**
 * What every experiment prepares before the runner (./runner.ts) runs its replications: the scenario (parsed,
 * horizon applied), its allocation, the compiled model and the scenario's hash; and the whole-line metrics
 * addressed by name, with the sequential-stopping rule's arithmetic.
 */
import { scenarioAllocation, allocate } from "../allocation/allocate.js";
import { validateAllocation, type Allocation } from "../allocation/allocation.js";
import type { Strategy } from "../allocation/strategy.js";
import { compile, type CompiledModel } from "../compile/compile.js";
import { scenarioHash } from "../model/hash.js";
import { parseScenario } from "../model/parse.js";
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

function isScenario(v: unknown): v is Scenario {
  return (
    typeof v === "object" &&
    v !== null &&
    Object.isFrozen(v) &&
    (v as Scenario).format === "ceasefire-sim/scenario@1" &&
    Array.isArray((v as Scenario).sectors) &&
    typeof (v as Scenario).lineKm === "number"
  );
}

/** Parse (unless already parsed) and apply a horizon override (hours, or a duration string; see `resolveHorizon`). */
export function scenarioOf(input: unknown, horizon?: number | string | null): Scenario {
  const s = isScenario(input) ? input : parseScenario(input);
  if (horizon === undefined || horizon === null) return s;
  return Object.freeze({ ...s, horizon: resolveHorizon(horizon) });
}

/** Resolve an allocation option (strategy name or object, ready allocation, or the scenario's own). */
export async function resolveAllocation(
  s: Scenario,
  a: string | Strategy | Allocation | undefined,
  options?: Record<string, unknown>,
): Promise<Allocation> {
  if (a === undefined) return scenarioAllocation(s);
  if (typeof a === "string" || "allocate" in a) return allocate(s, a, options);
  validateAllocation(s, a);
  return a;
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
