/**
 * The runner: the one replication loop every experiment goes through (simulate, checkpoints, sequential
 * stopping, shards, compare, withdrawal, sweep, tornado, sensitivity).
 *
 * - A `Session` is one experiment call: its resolved options, its executor (the calling thread, or worker
 *   threads from `ceasefire-sim/node`, started on first use and stopped when the call ends), the caller's
 *   AbortSignal, and the progress callback — which may throw: the call then rejects with that error.
 * - A `Batch` is a group of prepared models run on common replication indices (one model for `simulate`, one
 *   per arm for `compare`). `advance(to)` cuts replications [done, to) into tasks, hands them to the
 *   executor, and adds the records that come back in replication order (histogram counts, whole numbers,
 *   add exactly in any order). Replication r always draws from the streams (seed, r, name), so results are
 *   bit-identical for any number of workers and any chunking.
 * - `runToTarget` runs a batch to a fixed count, or to a sequential-stopping target, in segments when asked
 *   (checkpoints).
 * - `Session.ordered` runs many batches at once (design points, evaluations), at most `concurrency` in
 *   flight, and yields their results in order.
 */
import type { Accumulator } from "../stats/accumulator.js";
import { addRecord, addSums, createAccumulator } from "../stats/accumulator.js";
import { summarizeSectors } from "../stats/summarize.js";
import {
  addSparse,
  layoutOf,
  openGroup,
  runOne,
  takeHistograms,
  type Executor,
  type Group,
  type GroupState,
  type Task,
  type TaskResult,
} from "./kernel.js";
import type { Progress, ResolvedRunOptions } from "./options.js";
import { meets, metricAt, nextTotal, type Prepared } from "./run.js";

/**
 * Yield to the event loop (timers, I/O, abort events). Node's setImmediate returns after one turn of the
 * loop; setTimeout(0), the fallback in browsers, waits at least a millisecond there.
 */
export function pause(): Promise<void> {
  return new Promise((res) => (typeof setImmediate === "function" ? setImmediate(res) : setTimeout(res, 0)));
}

/** Longest stretch the calling thread computes without yielding to the event loop, and the aim of a task. */
const SLICE_MS = 40;
/**
 * Tasks per worker a long range is cut into by default (load balance at the end), and the smallest and
 * largest task (replications of every model of the batch).
 */
const TASKS_PER_WORKER = 16;
const MIN_AUTO_CHUNK = 4;
const MAX_AUTO_CHUNK = 64;
/** Tasks of one batch handed to a pool at once, per worker (what it runs, what waits in its queue, one more). */
const TASKS_IN_FLIGHT_PER_WORKER = 3;
const MAX_THREAD_CHUNK = 4096;
const noop = () => {};

/** The executor of the calling thread: tasks one after another, yielding every `SLICE_MS` and stopping on abort. */
export function callingThread(): Executor {
  const groups = new Map<number, GroupState>();
  let queue: Promise<unknown> = Promise.resolve();
  let lastPause = Date.now();
  const run = async (task: Task, signal: AbortSignal): Promise<TaskResult> => {
    let g = groups.get(task.group.id);
    if (!g) {
      g = openGroup(task.group.models);
      groups.set(task.group.id, g);
    }
    const records = new Float64Array((task.to - task.from) * g.stride);
    let r = task.from;
    while (r < task.to) {
      if (Date.now() - lastPause > SLICE_MS) {
        await pause();
        lastPause = Date.now();
      }
      if (signal.aborted) break;
      runOne(g, task.seed, r, records, (r - task.from) * g.stride);
      r++;
    }
    return { from: task.from, to: r, records: records.subarray(0, (r - task.from) * g.stride), ...takeHistograms(g) };
  };
  return {
    slots: 1,
    run(task, signal) {
      const p = queue.then(() => run(task, signal));
      queue = p.then(noop, noop);
      return p;
    },
    release(group) {
      groups.delete(group.id);
    },
    async close() {
      groups.clear();
    },
  };
}

/** Thrown inside a session's work when the caller's signal stopped it (experiments turn it into their abort error). */
export class Stopped extends Error {
  override readonly name = "AbortError";
  constructor() {
    super("stopped");
  }
}

let groupIds = 0;

/** Hooks of `Batch.advance`. */
export interface AdvanceHooks {
  /** Called for each replication r, in order, with the block holding its records (model i at `offsets[i]`). */
  onReplication?: (r: number, records: Float64Array, at: number) => void;
  /** Called with the replications done so far, at most every ~50 ms and at the end. */
  onProgress?: (done: number) => void;
}

/** A group of prepared models run on common replication indices; its accumulators hold what was added. */
export class Batch {
  /** One accumulator per model. */
  readonly accs: Accumulator[];
  /** Where each model's record sits in a replication's block, and the block's length. */
  readonly offsets: number[];
  readonly stride: number;
  /** Replications added so far (from `start`). */
  done: number;
  private readonly group: Group;
  private released = false;

  constructor(
    private readonly session: Session,
    /** The models, as prepared. */
    readonly prepared: readonly Prepared[],
    start = 0,
  ) {
    this.group = { id: ++groupIds, models: prepared.map((p) => p.model) };
    this.accs = prepared.map((p) => createAccumulator(p.model));
    ({ offsets: this.offsets, stride: this.stride } = layoutOf(this.group.models));
    this.done = start;
  }

  /**
   * Run replications [done, to) and add them in order. Returns early (with a prefix done) when the session's
   * signal aborts; rejects when a task, a hook or the progress callback throws (the session then fails).
   */
  async advance(to: number, hooks: AdvanceHooks = {}): Promise<void> {
    const s = this.session,
      ex = s.executor,
      signal = s.signal;
    const pooled = ex.slots > 1;
    const window = pooled ? TASKS_IN_FLIGHT_PER_WORKER * ex.slots : 1;
    const share = Math.ceil((to - this.done) / (ex.slots * TASKS_PER_WORKER));
    const fixed = s.options.chunk ?? (pooled ? Math.max(MIN_AUTO_CHUNK, Math.min(MAX_AUTO_CHUNK, share)) : 0);
    const inflight: { task: Task; result: Promise<TaskResult>; at: number }[] = [];
    let next = this.done,
      lastReport = Date.now(),
      error: { e: unknown } | null = null,
      cut = false;
    const submit = () => {
      while (!signal.aborted && !error && !cut && next < to && inflight.length < window) {
        const task: Task = {
          group: this.group,
          seed: s.options.seed,
          from: next,
          to: Math.min(to, next + (fixed || s.threadChunk)),
        };
        next = task.to;
        const result = ex.run(task, signal);
        result.catch(noop);
        inflight.push({ task, result, at: Date.now() });
      }
    };
    const failed = (e: unknown) => {
      if (!error) error = { e };
      s.fail(e);
    };
    submit();
    while (inflight.length > 0) {
      const { task, result, at } = inflight.shift()!;
      let res: TaskResult;
      try {
        res = await result;
      } catch (e) {
        failed(e);
        continue;
      }
      // After a failure or a task cut short by an abort, later results are not contiguous: dropped.
      if (error || cut || res.from !== this.done) continue;
      try {
        this.add(res, hooks.onReplication);
        if (res.to < task.to) cut = true;
        else if (!fixed && res.to > res.from) {
          const perReplication = Math.max(1e-3, (Date.now() - at) / (res.to - res.from));
          s.threadChunk = Math.max(1, Math.min(MAX_THREAD_CHUNK, Math.round(SLICE_MS / perReplication)));
        }
        if (hooks.onProgress && (this.done === to || Date.now() - lastReport >= 50)) {
          lastReport = Date.now();
          hooks.onProgress(this.done);
        }
      } catch (e) {
        failed(e);
        continue;
      }
      submit();
    }
    if (error) throw (error as { e: unknown }).e;
  }

  private add(res: TaskResult, onReplication: AdvanceHooks["onReplication"]): void {
    const k = this.accs.length;
    for (let r = res.from; r < res.to; r++) {
      const at = (r - res.from) * this.stride;
      for (let i = 0; i < k; i++) addRecord(this.accs[i]!, this.group.models[i]!, res.records, at + this.offsets[i]!);
      onReplication?.(r, res.records, at);
    }
    for (let i = 0; i < k; i++) {
      addSparse(this.accs[i]!.respHist, res.resp[i]!);
      addSparse(this.accs[i]!.detHist, res.det[i]!);
      addSums(this.accs[i]!.curve, res.curve[i]!);
    }
    this.done = res.to;
  }

  /** No more replications: the executor drops the group's workspaces. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.session.releaseGroup(this.group);
  }
}

/** Where a sequential-stopping batch ended: per model the half-width reached and the one aimed at. */
export interface StoppingState {
  metric: string;
  met: boolean;
  replications: number;
  maxReplications: number;
  targets: number[];
  halfWidths: number[];
}

/** Options of `runToTarget`. */
export interface TargetHooks {
  /** The first target (a resumed checkpoint's); default: the replications asked, or until's minimum. */
  total?: number;
  /** Run in segments of this many replications, calling `onSegment` between them (checkpoints). */
  segment?: number;
  onSegment?: (done: number, total: number) => void | Promise<void>;
  onReplication?: AdvanceHooks["onReplication"];
  /** Replications done of the current target. */
  onProgress?: (p: Progress) => void;
}

/**
 * Run a batch to the options' replications, or with `until` in rounds until every model's estimate of the
 * metric is as precise as asked (or `maxReplications`). `complete` is false when the signal stopped it.
 */
export async function runToTarget(
  batch: Batch,
  o: ResolvedRunOptions,
  hooks: TargetHooks = {},
): Promise<{ complete: boolean; total: number; stopping: StoppingState | null }> {
  const u = o.until;
  let total = hooks.total ?? (u ? u.minReplications : o.replications!);
  for (;;) {
    while (batch.done < total) {
      const to = hooks.segment ? Math.min(total, batch.done + hooks.segment) : total;
      const t = total;
      await batch.advance(to, {
        ...(hooks.onReplication ? { onReplication: hooks.onReplication } : {}),
        ...(hooks.onProgress ? { onProgress: (done: number) => hooks.onProgress!({ done, total: t }) } : {}),
      });
      if (batch.done < to) return { complete: false, total, stopping: null };
      if (batch.done < total) await hooks.onSegment?.(batch.done, total);
    }
    if (!u) return { complete: true, total, stopping: null };
    const es = batch.prepared.map((p, i) => metricAt(summarizeSectors(batch.accs[i]!, p.model).line, u.metric));
    const checks = es.map((e) => meets(e, u));
    const met = checks.every((c) => c.met);
    const stopping: StoppingState = {
      metric: u.metric,
      met,
      replications: total,
      maxReplications: u.maxReplications,
      targets: checks.map((c) => c.target),
      halfWidths: es.map((e) => e.halfWidth),
    };
    if (met || total >= u.maxReplications) return { complete: true, total, stopping };
    if (es.length === 1) total = nextTotal(total, es[0]!, checks[0]!.target, u);
    else {
      // Aim at the model furthest from its target, as a share of the narrowest target.
      const target = Math.min(...stopping.targets);
      const worst = es.reduce((w, e, i) => Math.max(w, e.halfWidth / checks[i]!.target), 0);
      total = nextTotal(total, { ...es[0]!, halfWidth: worst * target }, target, u);
    }
  }
}

/** One experiment call's use of the runner (see the module's header). Make it with `withSession`. */
export class Session {
  /** Replications per task on the calling thread, adapted so that a task takes about `SLICE_MS`. */
  threadChunk = 1;
  private ex: Executor | null = null;
  private readonly controller = new AbortController();
  private failure: { error: unknown } | null = null;
  private readonly detach: () => void = noop;

  constructor(readonly options: ResolvedRunOptions) {
    const user = options.signal;
    if (user?.aborted) this.controller.abort();
    else if (user) {
      const onAbort = () => this.controller.abort();
      user.addEventListener("abort", onAbort, { once: true });
      this.detach = () => user.removeEventListener("abort", onAbort);
    }
  }

  /** Aborts when the caller's signal does, or when the session fails. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The executor, started on first use: the calling thread for 1 worker, else the runtime's pool. */
  get executor(): Executor {
    if (!this.ex) {
      const { workers, runtime } = this.options;
      this.ex = workers > 1 && runtime.pool ? runtime.pool(workers) : callingThread();
    }
    return this.ex;
  }

  /** Batches to keep in flight at once in `ordered`: one on the calling thread, two per worker on a pool. */
  get concurrency(): number {
    return this.options.workers > 1 ? 2 * this.options.workers : 1;
  }

  /** Whether the caller's signal stopped the session (not a failure). */
  get interrupted(): boolean {
    return this.signal.aborted && !this.failure;
  }

  /** Record the first failure and stop all work; the experiment's promise rejects with it. */
  fail(error: unknown): void {
    // Work stopped by the caller's signal rejects with abort errors: they are no failure.
    if (error instanceof Stopped || this.interrupted) return;
    this.failure ??= { error };
    this.controller.abort();
  }

  /** Throw the failure, if any. */
  throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  /**
   * Report progress to the caller; a throwing callback fails the session and rethrows. A callback that returns
   * a promise (an async function) is not awaited, but its rejection fails the session too, rather than going
   * unhandled (which ends a Node process).
   */
  progress(p: Progress): void {
    const f = this.options.onProgress;
    if (!f) return;
    let out: unknown;
    try {
      out = f(p);
    } catch (e) {
      this.fail(e);
      throw e;
    }
    if (typeof (out as PromiseLike<unknown> | null)?.then === "function")
      (out as PromiseLike<unknown>).then(undefined, (e: unknown) => this.fail(e));
  }

  /** A batch of prepared models on this session, from replication `start`. */
  batch(prepared: readonly Prepared[], start = 0): Batch {
    return new Batch(this, prepared, start);
  }

  /** @internal */
  releaseGroup(group: Group): void {
    this.ex?.release(group);
  }

  /**
   * Run `fn` over the items, at most `concurrency` at once, yielding results in item order. Ends early when
   * the caller's signal stops the session (check `interrupted`); rejects with the first failure.
   */
  async *ordered<T, R>(
    items: readonly T[],
    fn: (item: T, i: number) => Promise<R>,
  ): AsyncGenerator<R, void, undefined> {
    const running = new Map<number, Promise<R>>();
    let next = 0;
    try {
      for (let i = 0; i < items.length; i++) {
        while (next < items.length && next - i < this.concurrency && !this.signal.aborted) {
          const k = next++;
          const p = fn(items[k]!, k);
          p.catch((e) => this.fail(e));
          running.set(k, p);
        }
        const p = running.get(i);
        if (!p) break;
        running.delete(i);
        let r: R;
        try {
          r = await p;
        } catch (e) {
          this.throwIfFailed();
          if (this.interrupted) break;
          throw e;
        }
        this.throwIfFailed();
        if (this.signal.aborted) break;
        yield r;
      }
      this.throwIfFailed();
    } finally {
      if (running.size > 0) {
        this.controller.abort();
        await Promise.allSettled(running.values());
      }
    }
  }

  /** Stop: release the caller's signal and the executor (worker threads end). */
  async close(): Promise<void> {
    this.detach();
    const ex = this.ex;
    this.ex = null;
    await ex?.close();
  }
}

/**
 * Run `body` in a session of these options; the session closes (workers stop) when it ends. If the session
 * failed (a task, or the progress callback, threw), the promise rejects with that first error.
 */
export async function withSession<T>(options: ResolvedRunOptions, body: (s: Session) => Promise<T>): Promise<T> {
  const s = new Session(options);
  try {
    const out = await body(s);
    s.throwIfFailed();
    return out;
  } catch (e) {
    s.throwIfFailed();
    throw e;
  } finally {
    await s.close();
  }
}
