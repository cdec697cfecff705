/**
 * `simulate(scenario, options)`: parse → allocate → compile → run
 * replications → summarize, with progress and cancellation.
 */
import type { Allocation } from "../allocation/allocation.js";
import type { Scenario } from "../model/types.js";
import { distMean } from "../model/distributions.js";
import type { Strategy } from "../allocation/strategy.js";
import { RNG_ALGORITHM } from "../rng/streams.js";
import type { Accumulator } from "../stats/accumulator.js";
import {
  longestUnwatchedKm,
  summarizeSectors,
  summarizeStates,
  summarizeTeams,
  type SectorMetrics,
  type StateMetrics,
  type TeamMetrics,
} from "../stats/summarize.js";
import { VERSION } from "../version.js";
import {
  createRunner,
  meets,
  metricAt,
  nextTotal,
  pause,
  prepare,
  replicate,
  resolveAllocation,
  resolveUntil,
  scenarioOf,
  type Prepared,
  type ResolvedUntil,
  type Until,
} from "./run.js";
import { createAccumulator } from "../stats/accumulator.js";

const createAccumulatorFor = (p: Prepared) => createAccumulator(p.model);

export { resolveAllocation };

export interface SimulateOptions {
  /** Independent replications (default 200). */
  replications?: number;
  /** Seed of every random stream (default 1). Same version + scenario + seed ⇒ same result. */
  seed?: number | string;
  /** Override the scenario's horizon: hours, or a unit string such as "60 d". */
  horizon?: number | string;
  /** A strategy name or object, or a ready allocation (default: the scenario's own, else risk-weighted). */
  allocation?: string | Strategy | Allocation;
  /** Called after each batch of replications. */
  onProgress?: (p: { done: number; total: number }) => void;
  /** Cancels the run; the promise then rejects with a `SimulationAborted` holding the partial result. */
  signal?: AbortSignal;
  /** Sequential stopping: run in batches until a metric's 95% CI is as narrow as asked (instead of `replications`). */
  until?: Until;
  /**
   * Refuse runs larger than this, before they start: `incidents` over all replications (default 5e9, about
   * hours on one core) and `incidentsPerReplication` (default 2e7, about 1.5 GB of buffers).
   */
  budget?: { incidents?: number; incidentsPerReplication?: number };
  /** Save the run's state every `every` replications (`save`), and/or continue from a saved state (`resume`). */
  checkpoint?: { every?: number; save?: (c: Checkpoint) => void | Promise<void>; resume?: Checkpoint };
}

/** A run's state after its first `done` replications: enough to continue to exactly the uninterrupted result. */
export interface Checkpoint {
  format: "ceasefire-sim/checkpoint@1";
  version: string;
  scenario: { name: string; hash: string; horizonHours: number };
  seed: string;
  rng: string;
  allocation: Allocation;
  /** Replications done, and the batch target at that point. */
  done: number;
  total: number;
  accumulator: {
    replications: number;
    sums: (number | null)[];
    ratios: (number | null)[];
    quantiles: (number | null)[];
    respHist: [number, number][];
    detHist: [number, number][];
  };
}

/** Expected incidents per replication: (warm-up + horizon) × Σ sector rates × long-run mean regime multiplier. */
export function expectedIncidents(s: Scenario): number {
  const rate = s.sectors.reduce((a, x) => a + x.rate, 0);
  const mult = s.regimes.length > 0 ? s.regimes.reduce((a, r) => a + r.stationary * r.multiplier, 0) : 1;
  return (s.warmup + s.horizon) * rate * mult;
}

/**
 * Expected timeline events per replication besides incidents: regime switches, sensor outages, UAV sorties
 * and team unavailability spells (each grows with the horizon over its mean duration).
 */
export function expectedTimelineEvents(s: Scenario): number {
  const end = s.warmup + s.horizon + s.drain;
  let n = 0;
  if (s.regimes.length > 1) for (const r of s.regimes) n += (end * r.stationary) / r.meanDuration;
  for (const c of s.contributions) {
    const a = s.assets[c.asset]!;
    if (a.kind === "fixed" && a.outages) n += (c.count * end) / (a.outages.mtbf + distMean(a.outages.repair));
    else if (a.kind === "uav") n += (c.count * end) / (a.endurance + a.turnaround);
    else if (a.kind === "team" && a.availability.share < 1)
      n += (c.count * end * (1 - a.availability.share)) / a.availability.downtime;
  }
  return n;
}

function checkBudget(s: Scenario, replications: number, budget: SimulateOptions["budget"]): void {
  const perRep = expectedIncidents(s) + expectedTimelineEvents(s),
    total = perRep * replications;
  const maxPer = budget?.incidentsPerReplication ?? 2e7,
    maxTotal = budget?.incidents ?? 5e9;
  const fmt = (v: number) => v.toExponential(2);
  if (perRep > maxPer)
    throw new RangeError(
      `budget: one replication would simulate about ${fmt(perRep)} incidents and timeline events (${(s.warmup + s.horizon).toFixed(0)} h × the scenario's rates, regime switches, outages, sorties), over the limit of ${fmt(maxPer)}; shorten the horizon, or raise budget.incidentsPerReplication (CLI --max-incidents-per-replication)`,
    );
  if (total > maxTotal)
    throw new RangeError(
      `budget: ${replications} replications × about ${fmt(perRep)} incidents and events = ${fmt(total)}, over the budget of ${fmt(maxTotal)}; use fewer replications, or raise budget.incidents (CLI --max-incidents)`,
    );
}

export interface Result {
  format: "ceasefire-sim/result@1";
  provenance: {
    library: "ceasefire-sim";
    version: string;
    scenario: { name: string; hash: string };
    seed: string;
    rng: string;
    replications: number;
    /** Hours simulated per replication after the warm-up, the warm-up, and the drain allowance. */
    horizonHours: number;
    warmupHours: number;
    drainHours: number;
    responseStandardHours: number;
    strategy: string;
    ciMethod: string;
    quantileMethod: string;
    wallTimeMs: number;
    startedAt: string;
    complete: boolean;
  };
  /** The whole line. */
  line: SectorMetrics;
  sectors: (SectorMetrics & { id: string; lengthKm: number })[];
  states: StateMetrics[];
  teams: TeamMetrics[];
  allocation: {
    strategy: string;
    teams: number;
    sensors: { fixed: number; uav: number; satellite: number };
    idle: Allocation["idle"];
    longestUnwatchedKm: number;
  };
  /** With `until`: whether the requested precision was reached. */
  stopping?: {
    metric: string;
    targetHalfWidth: number;
    halfWidth: number;
    met: boolean;
    replications: number;
    maxReplications: number;
  };
}

export class SimulationAborted extends Error {
  override readonly name = "AbortError";
  constructor(readonly partial: Result) {
    super(`simulation stopped after ${partial.provenance.replications} replications`);
  }
}

export const CI_METHOD =
  "95% CI over independent replications: ratio estimator Σy/Σx with delta-method standard error and Student-t quantile";
export const QUANTILE_METHOD =
  "pooled log-linear histogram (64 bins per octave), linear within bins; CI half-width from per-replication quantiles (sectioning)";

interface Resolved {
  replications: number;
  seed: string;
  until: ResolvedUntil | null;
}

export function resolveSeed(seed: number | string | undefined): string {
  const v = seed ?? 1;
  if (typeof v === "number" && !Number.isFinite(v))
    throw new RangeError(`seed: expected a finite number or a string; got ${v}`);
  if (typeof v !== "number" && typeof v !== "string") throw new RangeError("seed: expected a number or a string");
  return String(v);
}

function resolveOptions(o: SimulateOptions): Resolved {
  if (o.until && o.replications !== undefined)
    throw new RangeError(
      "replications and until: give one (until runs between its minReplications and maxReplications)",
    );
  const replications = o.replications ?? 200;
  if (!Number.isInteger(replications) || replications < 1 || replications > 1e9)
    throw new RangeError(`replications: expected a whole number from 1 to 1e9; got ${o.replications}`);
  return { replications, seed: resolveSeed(o.seed), until: o.until ? resolveUntil(o.until) : null };
}

/**
 * Run a Monte Carlo simulation of the scenario.
 *
 * @example
 * const r = await simulate(defaultScenario(), { replications: 50, seed: 7 });
 * r.line.response.mean.value; // mean hours from incident to a team on site
 */
export async function simulate(scenario: unknown, options: SimulateOptions = {}): Promise<Result> {
  return simulateWith(scenario, options, (prepared) => {
    const run = createRunner(prepared);
    return {
      acc: run.acc,
      async run(from, to, seed, onDone, signal) {
        let lastYield = Date.now();
        for (let r = from; r < to; r++) {
          if (signal?.aborted) return;
          replicate(run, seed, r);
          if (Date.now() - lastYield > 50 || r === to - 1) {
            onDone(r + 1);
            await pause();
            lastYield = Date.now();
          }
        }
      },
      close() {},
    };
  });
}

/**
 * Runs replications [from, to) into its accumulator, in replication order, calling `onDone(n)` as the first
 * n replications are in; returns early (leaving a prefix done) when the signal aborts.
 */
export interface RangeRunner {
  acc: Accumulator;
  run(from: number, to: number, seed: string, onDone: (done: number) => void, signal?: AbortSignal): Promise<void>;
  close(): void | Promise<void>;
}

/** `simulate` over any range runner (one thread, or a worker pool from `ceasefire-sim/node`). */
export async function simulateWith(
  scenario: unknown,
  options: SimulateOptions,
  makeRunner: (p: Prepared) => RangeRunner | Promise<RangeRunner>,
): Promise<Result> {
  const started = Date.now();
  const opt = resolveOptions(options);
  const parsed = scenarioOf(scenario, options.horizon);
  checkBudget(parsed, opt.until ? opt.until.maxReplications : opt.replications, options.budget);
  const prepared = await prepare(parsed, await resolveAllocation(parsed, options.allocation));
  if (opt.until) metricAt(summarizeSectors(createAccumulatorFor(prepared), prepared.model).line, opt.until.metric); // unknown metric names fail before running
  const cp = options.checkpoint;
  const every = cp?.every ?? 50;
  if (!Number.isInteger(every) || every < 1)
    throw new RangeError(`checkpoint.every: expected a whole number of at least 1; got ${cp?.every}`);
  const runner = await makeRunner(prepared);
  try {
    const acc = runner.acc;
    const partial = () => buildResult(prepared, acc, opt.seed, started, false);
    let total = opt.until ? opt.until.minReplications : opt.replications;
    let stopping: Result["stopping"];
    let start = 0;
    if (cp?.resume) {
      restoreCheckpoint(cp.resume, prepared, opt.seed, acc);
      start = cp.resume.done;
      total = Math.max(total, cp.resume.total);
      if (!opt.until && cp.resume.total !== opt.replications)
        throw new RangeError(
          `checkpoint: it belongs to a run of ${cp.resume.total} replications, not ${opt.replications}`,
        );
    }
    const save = async (done: number) => {
      if (cp?.save) await cp.save(makeCheckpoint(prepared, opt.seed, acc, done, total));
    };
    for (let done = start; ; ) {
      // With checkpoints, run in segments and save after each; results do not depend on the segmentation.
      while (done < total) {
        const to = cp?.save ? Math.min(total, done + every) : total;
        await runner.run(done, to, opt.seed, (n) => options.onProgress?.({ done: n, total }), options.signal);
        if (options.signal?.aborted) {
          await save(acc.replications);
          throw new SimulationAborted(partial());
        }
        done = to;
        if (done < total) await save(done);
      }
      if (!opt.until) break;
      const e = metricAt(summarizeSectors(acc, prepared.model).line, opt.until.metric);
      const { met, target } = meets(e, opt.until);
      stopping = {
        metric: opt.until.metric,
        targetHalfWidth: target,
        halfWidth: e.halfWidth,
        met,
        replications: total,
        maxReplications: opt.until.maxReplications,
      };
      if (met || total >= opt.until.maxReplications) break;
      total = nextTotal(total, e, target, opt.until);
    }
    const result = buildResult(prepared, acc, opt.seed, started, true);
    if (stopping) result.stopping = stopping;
    return result;
  } finally {
    await runner.close();
  }
}

const toJsonNumbers = (a: Float64Array) => Array.from(a, (v) => (Number.isNaN(v) ? null : v));
const sparse = (h: Float64Array): [number, number][] => {
  const out: [number, number][] = [];
  for (let i = 0; i < h.length; i++) if (h[i] !== 0) out.push([i, h[i]!]);
  return out;
};

function makeCheckpoint(p: Prepared, seed: string, acc: Accumulator, done: number, total: number): Checkpoint {
  return {
    format: "ceasefire-sim/checkpoint@1",
    version: VERSION,
    scenario: { name: p.scenario.name, hash: p.hash, horizonHours: p.scenario.horizon },
    seed,
    rng: RNG_ALGORITHM,
    allocation: p.allocation,
    done,
    total,
    accumulator: {
      replications: acc.replications,
      sums: toJsonNumbers(acc.sums),
      ratios: toJsonNumbers(acc.ratios),
      quantiles: toJsonNumbers(acc.quantiles),
      respHist: sparse(acc.respHist),
      detHist: sparse(acc.detHist),
    },
  };
}

function restoreCheckpoint(c: Checkpoint, p: Prepared, seed: string, acc: Accumulator): void {
  if (!c || c.format !== "ceasefire-sim/checkpoint@1")
    throw new RangeError("checkpoint: not a ceasefire-sim checkpoint");
  const differs = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b))
      throw new RangeError(
        `checkpoint: it was saved with a different ${what} (${JSON.stringify(a).slice(0, 60)}, now ${JSON.stringify(b).slice(0, 60)})`,
      );
  };
  differs("library version", c.version, VERSION);
  differs("scenario", c.scenario.hash, p.hash);
  differs("horizon", c.scenario.horizonHours, p.scenario.horizon);
  differs("seed", c.seed, seed);
  differs("allocation", c.allocation, p.allocation);
  const a = c.accumulator;
  if (
    a.sums.length !== acc.sums.length ||
    a.ratios.length !== acc.ratios.length ||
    a.quantiles.length !== acc.quantiles.length ||
    a.replications !== c.done
  )
    throw new RangeError("checkpoint: its accumulator does not fit this model");
  const fill = (dst: Float64Array, src: (number | null)[]) => src.forEach((v, i) => (dst[i] = v ?? NaN));
  fill(acc.sums, a.sums);
  fill(acc.ratios, a.ratios);
  fill(acc.quantiles, a.quantiles);
  acc.respHist.fill(0);
  acc.detHist.fill(0);
  for (const [i, v] of a.respHist) acc.respHist[i] = v;
  for (const [i, v] of a.detHist) acc.detHist[i] = v;
  acc.replications = a.replications;
}

export function buildResult(p: Prepared, acc: Accumulator, seed: string, started: number, complete: boolean): Result {
  const { scenario: s, allocation: a, model: m, hash } = p;
  const { line, sectors } = summarizeSectors(acc, m);
  const count = (k: string) => a.sensors.filter((u) => u.kind === k).length;
  return {
    format: "ceasefire-sim/result@1",
    provenance: {
      library: "ceasefire-sim",
      version: VERSION,
      scenario: { name: s.name, hash },
      seed,
      rng: RNG_ALGORITHM,
      replications: acc.replications,
      horizonHours: s.horizon,
      warmupHours: s.warmup,
      drainHours: s.drain,
      responseStandardHours: s.standards.response,
      strategy: a.strategy,
      ciMethod: CI_METHOD,
      quantileMethod: QUANTILE_METHOD,
      wallTimeMs: Date.now() - started,
      startedAt: new Date(started).toISOString(),
      complete,
    },
    line,
    sectors: sectors.map((x, i) => ({ id: s.sectors[i]!.id, lengthKm: s.sectors[i]!.lengthKm, ...x })),
    states: summarizeStates(acc, m),
    teams: summarizeTeams(acc, m),
    allocation: {
      strategy: a.strategy,
      teams: a.teams.length,
      sensors: { fixed: count("fixed"), uav: count("uav"), satellite: count("satellite") },
      idle: a.idle,
      longestUnwatchedKm: longestUnwatchedKm(m),
    },
  };
}
