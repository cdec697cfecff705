/**
 * A live run of the explorer: the library's own runner (src/experiment/runner.ts) on the page's Web Workers,
 * reporting the result as replications arrive. The current settings' model and, when a baseline is pinned,
 * the baseline's model run as one batch on common replication indices (replication r of both draws from the
 * streams (seed, r, name)), so the what-if difference is paired, with the intervals of `compare`
 * (src/experiment/paired.ts). Every estimate is the library's: `buildResult` over the batch's accumulators,
 * exactly what `simulate` returns for the same replications.
 */
import {
  metricAt,
  prepare,
  resolveAllocation,
  scenarioOf,
  type AllocationOption,
  type Prepared,
} from "../experiment/run.js";
import { buildResult, type Result } from "../experiment/simulate.js";
import { resolveRunOptions, withRuntime, type Runtime } from "../experiment/options.js";
import { runToTarget, withSession } from "../experiment/runner.js";
import { PairedMoments, type PairedDifference } from "../experiment/paired.js";

/** One model of a live run: its scenario input and allocation option. */
export interface LiveModel {
  input: unknown;
  allocation: AllocationOption | undefined;
}

/** What a live run is asked for. */
export interface LiveRequest {
  current: LiveModel;
  /** The pinned baseline, run on the same replications (its horizon is the current one's). */
  baseline: LiveModel | null;
  /** Hours, or undefined for the current scenario's own. */
  horizon: number | undefined;
  replications: number;
  seed: number;
  /** Whole-line metrics whose paired difference (current − baseline) is reported. */
  differences: readonly string[];
}

/** A paired difference of a whole-line metric: current − baseline. */
export interface LiveDifference extends PairedDifference {
  metric: string;
}

/** What a live run reports, after every arrival of replications and at the end. */
export interface LiveUpdate {
  result: Result;
  baseline: Result | null;
  differences: LiveDifference[];
  done: number;
  total: number;
  complete: boolean;
}

/** Options of `runLive`. */
export interface LiveOptions {
  runtime: Runtime;
  /** Workers the runtime's pool has. */
  workers: number;
  signal?: AbortSignal;
  onUpdate: (u: LiveUpdate) => void;
}

async function prepareModel(m: LiveModel, horizon: number | undefined): Promise<Prepared> {
  const s = scenarioOf(m.input, horizon ?? null);
  return prepare(s, await resolveAllocation(s, m.allocation));
}

/**
 * Run the request: bad scenarios reject with the library's `ScenarioError` (paths), bad options with a
 * RangeError, before any replication. Resolves with the last update (complete unless the signal stopped it).
 *
 * @example
 * const last = await runLive(request, { runtime, workers: 4, onUpdate: (u) => draw(u) });
 */
export async function runLive(req: LiveRequest, options: LiveOptions): Promise<LiveUpdate> {
  const started = Date.now();
  const o = resolveRunOptions(
    withRuntime(
      {
        replications: req.replications,
        seed: req.seed,
        ...(req.horizon !== undefined ? { horizon: req.horizon } : {}),
        // The runner takes the runtime's pool for more than one worker; the pool's size is its own, so one
        // worker still runs in a Web Worker, off the page's thread.
        workers: Math.max(2, options.workers),
        ...(options.signal ? { signal: options.signal } : {}),
      },
      options.runtime,
    ),
    "simulate",
  );
  const current = await prepareModel(req.current, req.horizon);
  const baseline = req.baseline ? await prepareModel(req.baseline, current.scenario.horizon) : null;
  if (baseline && baseline.scenario.warmup !== current.scenario.warmup)
    throw new RangeError(
      `the pinned baseline's warm-up (${baseline.scenario.warmup} h) differs from this scenario's ` +
        `(${current.scenario.warmup} h); paired runs share horizon and warm-up: pin a new baseline`,
    );
  const models = baseline ? [current, baseline] : [current];
  const metrics = req.differences.filter((m) => PairedMoments.supports(m));
  return withSession(o, async (session) => {
    const batch = session.batch(models);
    const paired = baseline ? new PairedMoments([current.model, baseline.model], metrics) : null;
    const update = (done: number, complete: boolean): LiveUpdate => {
      const result = buildResult(current, batch.accs[0]!, o.seed, started, complete);
      const base = baseline ? buildResult(baseline, batch.accs[1]!, o.seed, started, complete) : null;
      const differences: LiveDifference[] = [];
      if (paired && base)
        metrics.forEach((metric, k) => {
          const d = paired.difference(k, 0, 1, metricAt(result.line, metric).value, metricAt(base.line, metric).value);
          differences.push({ metric, ...d });
        });
      return { result, baseline: base, differences, done, total: o.replications!, complete };
    };
    try {
      const out = await runToTarget(batch, o, {
        onReplication: paired ? (_r, records, at) => paired.add(records, at, batch.offsets) : undefined,
        onProgress: ({ done }) => {
          if (done < o.replications!) options.onUpdate(update(done, false));
        },
      });
      session.throwIfFailed();
      const last = update(batch.done, out.complete);
      options.onUpdate(last);
      return last;
    } finally {
      batch.release();
    }
  });
}
