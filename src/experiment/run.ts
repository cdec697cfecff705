/**
 * The pieces every experiment is a loop over: `prepare` (parse, allocate,
 * compile, hash) and `Runner` (one model's workspace and accumulator, run a
 * range of replications). Replication r always draws from the streams
 * (seed, r, name), so any split of the index range gives the same numbers.
 */
import { scenarioAllocation, allocate } from "../allocation/allocate.js";
import { validateAllocation, type Allocation } from "../allocation/allocation.js";
import type { Strategy } from "../allocation/strategy.js";
import { compile, type CompiledModel } from "../compile/compile.js";
import { scenarioHash } from "../model/hash.js";
import { parseScenario } from "../model/parse.js";
import type { Scenario } from "../model/types.js";
import { parseQuantity } from "../model/units.js";
import { runReplication } from "../engine/replication.js";
import { createWorkspace, type Workspace } from "../engine/workspace.js";
import { replicationStreams } from "../rng/streams.js";
import { addWorkspace, createAccumulator, type Accumulator } from "../stats/accumulator.js";
import type { Estimate } from "../stats/estimate.js";
import { summarizeSectors, type SectorMetrics } from "../stats/summarize.js";

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

/** Parse (unless already parsed) and apply a horizon override. */
export function scenarioOf(input: unknown, horizon?: number | string): Scenario {
  const s = isScenario(input) ? input : parseScenario(input);
  if (horizon === undefined) return s;
  let hours: number;
  if (typeof horizon === "number") hours = horizon;
  else {
    const r = parseQuantity(horizon, "duration");
    if (!r.ok) throw new RangeError(`horizon: ${r.message}`);
    hours = r.value;
  }
  if (!(hours > 0 && Number.isFinite(hours)))
    throw new RangeError(`horizon: expected a positive duration; got ${horizon}`);
  return Object.freeze({ ...s, horizon: hours });
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

export async function prepare(s: Scenario, allocation: Allocation): Promise<Prepared> {
  return { scenario: s, allocation, model: compile(s, allocation), hash: await scenarioHash(s.source) };
}

export interface Runner {
  prepared: Prepared;
  acc: Accumulator;
  ws: Workspace;
}

export function createRunner(p: Prepared): Runner {
  return { prepared: p, acc: createAccumulator(p.model), ws: createWorkspace(p.model) };
}

/** Run replication r into the runner's workspace and accumulator. */
export function replicate(run: Runner, seed: string, r: number): void {
  const m = run.prepared.model;
  runReplication(m, replicationStreams(seed, r), run.ws);
  addWorkspace(run.acc, m, run.ws);
}

/**
 * Yield to the event loop (timers, I/O, abort events). Node's setImmediate returns after one turn of the
 * loop; setTimeout(0), the fallback in browsers, waits at least a millisecond there.
 */
export function pause(): Promise<void> {
  return new Promise((res) => (typeof setImmediate === "function" ? setImmediate(res) : setTimeout(res, 0)));
}

// ---------------------------------------------------------------------------
// Metrics addressed by name ("response.mean", "withinStandard", "coverage.night", …).

/** Names of the whole-line metrics that are estimates with CIs. */
export function metricNames(example: SectorMetrics): string[] {
  const out: string[] = [];
  const walk = (o: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      const name = prefix ? `${prefix}.${k}` : k;
      if (v && typeof v === "object" && "halfWidth" in v) out.push(name);
      else if (v && typeof v === "object") walk(v as Record<string, unknown>, name);
    }
  };
  walk(example as unknown as Record<string, unknown>, "");
  return out;
}

/** The estimate at a dotted path of the whole-line metrics; RangeError naming the valid paths otherwise. */
export function metricAt(line: SectorMetrics, path: string): Estimate {
  let v: unknown = line;
  for (const k of path.split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
  if (!v || typeof v !== "object" || !("halfWidth" in v))
    throw new RangeError(`unknown metric ${JSON.stringify(path)}; metrics: ${metricNames(line).join(", ")}`);
  return v as Estimate;
}

/** Current whole-line metrics of a runner. */
export function lineMetrics(run: Runner): SectorMetrics {
  return summarizeSectors(run.acc, run.prepared.model).line;
}

/** Sequential stopping: run until a metric's 95% CI is as narrow as asked. */
export interface Until {
  /** Whole-line metric path, e.g. "response.mean", "withinStandard", "coverage.overall". */
  metric: string;
  /** Target half-width relative to the estimate (e.g. 0.02 for ±2%)… */
  relHalfWidth?: number;
  /** …or absolute, in the metric's units. */
  halfWidth?: number;
  minReplications?: number;
  maxReplications?: number;
}

export interface ResolvedUntil {
  metric: string;
  relHalfWidth: number | null;
  halfWidth: number | null;
  minReplications: number;
  maxReplications: number;
}

export function resolveUntil(u: Until): ResolvedUntil {
  if (typeof u.metric !== "string")
    throw new RangeError('until.metric: expected a metric name such as "response.mean"');
  const rel = u.relHalfWidth ?? null,
    abs = u.halfWidth ?? null;
  if ((rel === null) === (abs === null)) throw new RangeError("until: give exactly one of relHalfWidth and halfWidth");
  if (rel !== null && !(rel > 0 && rel < 1))
    throw new RangeError(`until.relHalfWidth: expected a number between 0 and 1; got ${rel}`);
  if (abs !== null && !(abs > 0 && Number.isFinite(abs)))
    throw new RangeError(`until.halfWidth: expected a positive number; got ${abs}`);
  const min = u.minReplications ?? 10,
    max = u.maxReplications ?? 10_000;
  if (!Number.isInteger(min) || min < 2)
    throw new RangeError(`until.minReplications: expected a whole number of at least 2; got ${min}`);
  if (!Number.isInteger(max) || max < min)
    throw new RangeError(
      `until.maxReplications: expected a whole number of at least minReplications (${min}); got ${max}`,
    );
  return { metric: u.metric, relHalfWidth: rel, halfWidth: abs, minReplications: min, maxReplications: max };
}

/** Whether an estimate meets the target, and the target half-width. */
export function meets(e: Estimate, u: ResolvedUntil): { met: boolean; target: number } {
  const target = u.halfWidth ?? u.relHalfWidth! * Math.abs(e.value);
  return { met: Number.isFinite(e.halfWidth) && e.halfWidth <= target, target };
}

/** How many replications to run in total next: aim at the target from the current half-width (n ∝ 1/hw²), +10%, grow at least 10%. */
export function nextTotal(n: number, e: Estimate, target: number, u: ResolvedUntil): number {
  const ratio = Number.isFinite(e.halfWidth) && target > 0 ? (e.halfWidth / target) ** 2 : 2;
  const want = Math.ceil(n * Math.max(1.1, Math.min(ratio * 1.1, 10)));
  return Math.min(u.maxReplications, Math.max(n + 1, want));
}
