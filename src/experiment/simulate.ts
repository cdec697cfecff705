/**
 * `simulate(scenario, options)`: parse → allocate → compile → run
 * replications → summarize, with progress and cancellation.
 */
import type { Allocation } from "../allocation/allocation.js";
import type { Strategy } from "../allocation/strategy.js";
import { lintWarnings } from "../allocation/lint.js";
import { ENGINE } from "../engine/replication.js";
import { RNG_ALGORITHM } from "../rng/streams.js";
import type { Accumulator } from "../stats/accumulator.js";
import {
  longestUnwatchedKm,
  unwatchedStretches,
  summarizeSectors,
  summarizeStates,
  summarizeTeams,
  type SectorMetrics,
  type StateMetrics,
  type TeamMetrics,
  type UnwatchedStretch,
} from "../stats/summarize.js";
import { VERSION } from "../version.js";
import { CI_METHOD, QUANTILE_METHOD, intervalWarnings } from "../stats/estimate.js";
import {
  resolveRunOptions,
  type Checkpoint,
  type CheckpointOptions,
  type Progress,
  type ResolvedRunOptions,
  type Until,
} from "./options.js";
import {
  emptyLine,
  metricAt,
  prepare,
  resolveAllocation,
  scenarioOf,
  type AllocationOption,
  type Prepared,
} from "./run.js";
import { runToTarget, withSession, type Session } from "./runner.js";
import { checkBudget } from "./budget.js";
import { incidentLog, replicationRows, type IncidentLog, type ReplicationRows } from "./incidents.js";
import {
  CHECKPOINT_FORMAT,
  IntegrityError,
  checkCheckpointFits,
  sealCheckpoint,
  verifyCheckpoint,
} from "./integrity.js";

export { resolveAllocation };
export { resolveSeed } from "./options.js";
export type { Checkpoint } from "./options.js";

/** Options of `simulate`. */
export interface SimulateOptions {
  /** Independent replications (default 200). */
  replications?: number;
  /** Seed of every random stream (default 1). Same version + scenario + seed ⇒ same result. */
  seed?: number | string;
  /** Override the scenario's horizon: hours, or a unit string such as "60 d". */
  horizon?: number | string;
  /**
   * A strategy name or object, a ready allocation, or an allocation mode relative to a base placement —
   * `{ mode: "augment" | "remove" | "replan", base, strategy? }` (`ModeAllocation`). Default: the scenario's
   * own allocation, else risk-weighted.
   */
  allocation?: AllocationOption;
  /** Called as replications finish (at most every ~50 ms, and at the end); if it throws, the run rejects. */
  onProgress?: (p: Progress) => void;
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
  checkpoint?: CheckpointOptions;
  /**
   * Also return the run's incident log (`incidents: true`: one row per incident, `Result.incidents`) and/or its
   * per-replication rows (`replications: true`, `Result.replicationRows`), as `incidentLog` and `replicationRows`
   * make them: the run's replications made again on the calling thread after it (the run itself records
   * nothing, so a run without `log` is no slower). Their size limits are those functions' defaults.
   */
  log?: { incidents?: boolean; replications?: boolean };
}

/** A simulation's result: plain JSON (but for the logs asked for with `SimulateOptions.log`). */
export interface Result {
  format: "ceasefire-sim/result@1";
  provenance: {
    library: "ceasefire-sim";
    version: string;
    scenario: { name: string; hash: string };
    seed: string;
    rng: string;
    /** The engine that ran the replications (`ENGINE`). */
    engine: string;
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
    /** How the allocation was made from a base placement ("augment" or "remove"); absent when placed afresh. */
    mode?: "augment" | "remove";
    teams: number;
    sensors: { fixed: number; uav: number; satellite: number };
    idle: Allocation["idle"];
    longestUnwatchedKm: number;
    /**
     * The stretches of line (km from the start) no allocated fixed sensor or UAV orbit watches, in order:
     * the coverage gaps the report's map marks.
     */
    unwatched: UnwatchedStretch[];
  };
  /**
   * What a reader of the result should know: the scenario's lint warnings ("path: message", see `lintScenario`
   * and `lintAllocation`: a lead state barred from its sector, defaults left implicit, …), then that too few
   * replications make its intervals rough.
   */
  warnings: string[];
  /** With `until`: whether the requested precision was reached. */
  stopping?: {
    metric: string;
    targetHalfWidth: number;
    halfWidth: number;
    met: boolean;
    replications: number;
    maxReplications: number;
  };
  /** With `log.incidents`: one row per incident of the run's replications (typed columns, not plain JSON). */
  incidents?: IncidentLog;
  /** With `log.replications`: one tidy row per replication, scope and metric of the run. */
  replicationRows?: ReplicationRows;
}

/** Thrown when a run's signal aborts it; `partial` holds the replications that finished. */
export class SimulationAborted extends Error {
  override readonly name = "AbortError";
  constructor(readonly partial: Result) {
    super(`simulation stopped after ${partial.provenance.replications} replications`);
  }
}

/** How the CIs and quantiles are computed (provenance): see src/stats/estimate.ts. */
export { CI_METHOD, QUANTILE_METHOD };

/**
 * Run a Monte Carlo simulation of the scenario.
 *
 * @example
 * const r = await simulate(defaultScenario(), { replications: 50, seed: 7 });
 * r.line.response.mean.value; // mean hours from incident to a team on site
 */
export async function simulate(scenario: unknown, options: SimulateOptions = {}): Promise<Result> {
  const started = Date.now();
  const o = resolveRunOptions(options, "simulate");
  const parsed = scenarioOf(scenario, o.horizon);
  checkBudget(parsed, o.until ? o.until.maxReplications : o.replications!, o.budget);
  const prepared = await prepare(parsed, await resolveAllocation(parsed, options.allocation));
  if (o.until) metricAt(emptyLine(prepared), o.until.metric); // unknown metric names fail before running
  const log = resolveLog(options.log);
  const result = await withSession(o, (session) => runPrepared(session, o, prepared, started, true));
  if (log.incidents || log.replications) {
    // The same replications again (0 … n − 1 of the same seed), with the run's allocation, horizon and limits.
    const again = {
      seed: o.seed,
      replications: result.provenance.replications,
      allocation: prepared.allocation,
      ...(options.horizon !== undefined ? { horizon: options.horizon } : {}),
      ...(options.budget ? { budget: options.budget } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    };
    if (log.incidents) result.incidents = await incidentLog(scenario, again);
    if (log.replications) result.replicationRows = await replicationRows(scenario, again);
  }
  return result;
}

/** `SimulateOptions.log`, checked: an object with boolean `incidents` and `replications`. */
function resolveLog(log: unknown): { incidents: boolean; replications: boolean } {
  if (log === undefined) return { incidents: false, replications: false };
  const bad = (what: string) =>
    new RangeError(`log: expected { incidents?: boolean, replications?: boolean }; ${what}`);
  if (typeof log !== "object" || log === null || Array.isArray(log)) throw bad(`got ${JSON.stringify(log)}`);
  for (const [k, v] of Object.entries(log)) {
    if (k !== "incidents" && k !== "replications") throw bad(`got the unknown key ${JSON.stringify(k)}`);
    if (v !== undefined && typeof v !== "boolean") throw bad(`got ${k}: ${JSON.stringify(v)}`);
  }
  const l = log as { incidents?: boolean; replications?: boolean };
  return { incidents: l.incidents === true, replications: l.replications === true };
}

/**
 * Run a prepared model on a session to the options' target (replications or `until`), with checkpoints when
 * the options have them: the one simulation of `simulate`, and of every design point of sweeps and
 * sensitivity analyses. Rejects with a `SimulationAborted` holding the partial result when the caller's
 * signal stops it. `progress`: report replications to the caller's onProgress.
 * @internal
 */
export async function runPrepared(
  session: Session,
  o: ResolvedRunOptions,
  prepared: Prepared,
  started: number,
  progress: boolean,
): Promise<Result> {
  const cp = o.checkpoint;
  const resume = cp?.resume ?? null;
  if (resume) await verifyCheckpoint(resume); // before its numbers are used to start the batch
  const batch = session.batch([prepared], resume ? resume.done : 0);
  try {
    const acc = batch.accs[0]!;
    let total = o.until ? o.until.minReplications : o.replications!;
    if (resume) {
      restoreCheckpoint(resume, prepared, o.seed, acc);
      total = Math.max(total, resume.total);
      if (!o.until && resume.total !== o.replications)
        throw new IntegrityError(
          "checkpoint",
          `it belongs to a run of ${resume.total} replications, not ${o.replications}`,
        );
    }
    const save = async (done: number, t: number) => {
      if (cp?.save) await cp.save(await makeCheckpoint(prepared, o.seed, acc, done, t));
    };
    const out = await runToTarget(batch, o, {
      total,
      ...(cp?.save ? { segment: cp.every, onSegment: save } : {}),
      ...(progress ? { onProgress: (p: Progress) => session.progress(p) } : {}),
    });
    if (!out.complete) {
      session.throwIfFailed();
      await save(acc.replications, out.total);
      throw new SimulationAborted(buildResult(prepared, acc, o.seed, started, false));
    }
    const result = buildResult(prepared, acc, o.seed, started, true);
    const st = out.stopping;
    if (st)
      result.stopping = {
        metric: st.metric,
        targetHalfWidth: st.targets[0]!,
        halfWidth: st.halfWidths[0]!,
        met: st.met,
        replications: st.replications,
        maxReplications: st.maxReplications,
      };
    return result;
  } finally {
    batch.release();
  }
}

const toJsonNumbers = (a: Float64Array) => Array.from(a, (v) => (Number.isNaN(v) ? null : v));
const sparse = (h: Float64Array): [number, number][] => {
  const out: [number, number][] = [];
  for (let i = 0; i < h.length; i++) if (h[i] !== 0) out.push([i, h[i]!]);
  return out;
};

/** The run's state as a checkpoint, with its digest (the numbers are copied before the digest is awaited). */
function makeCheckpoint(p: Prepared, seed: string, acc: Accumulator, done: number, total: number): Promise<Checkpoint> {
  return sealCheckpoint({
    format: CHECKPOINT_FORMAT,
    version: VERSION,
    engine: ENGINE,
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
      curve: sparse(acc.curve),
    },
  });
}

/**
 * Load a checkpoint, checked on its own by `verifyCheckpoint` (./integrity.ts: format, fields, version, RNG,
 * engine, digest, values), into `acc` after checking it against this run (scenario, horizon, seed, allocation,
 * model): an `IntegrityError` naming "checkpoint" says what is wrong.
 */
function restoreCheckpoint(c: Checkpoint, p: Prepared, seed: string, acc: Accumulator): void {
  const differs = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b))
      throw new IntegrityError(
        "checkpoint",
        `it was saved with a different ${what} (${JSON.stringify(a).slice(0, 60)}, now ` +
          `${JSON.stringify(b).slice(0, 60)})`,
      );
  };
  differs("scenario", c.scenario.hash, p.hash);
  differs("horizon", c.scenario.horizonHours, p.scenario.horizon);
  differs("seed", c.seed, seed);
  differs("allocation", c.allocation, p.allocation);
  const a = c.accumulator;
  checkCheckpointFits(c, p.model, {
    sums: acc.sums.length,
    ratios: acc.ratios.length,
    quantiles: acc.quantiles.length,
    curve: acc.curve.length,
  });
  const fill = (dst: Float64Array, src: (number | null)[]) => {
    for (let i = 0; i < src.length; i++) dst[i] = src[i] ?? NaN;
  };
  fill(acc.sums, a.sums);
  fill(acc.ratios, a.ratios);
  fill(acc.quantiles, a.quantiles);
  acc.respHist.fill(0);
  acc.detHist.fill(0);
  for (const [i, v] of a.respHist) acc.respHist[i] = v;
  for (const [i, v] of a.detHist) acc.detHist[i] = v;
  acc.curve.fill(0);
  for (const [i, v] of a.curve) acc.curve[i] = v;
  acc.replications = a.replications;
}

/** The result of a prepared model from its accumulator. @internal */
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
      engine: ENGINE,
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
      ...(a.mode ? { mode: a.mode } : {}),
      teams: a.teams.length,
      sensors: { fixed: count("fixed"), uav: count("uav"), satellite: count("satellite") },
      idle: a.idle,
      longestUnwatchedKm: longestUnwatchedKm(m),
      unwatched: unwatchedStretches(m),
    },
    warnings: [...lintWarnings(s, a), ...intervalWarnings(acc.replications)],
  };
}
