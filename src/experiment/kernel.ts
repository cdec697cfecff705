/**
 * What one task of the runner does, wherever it runs (the calling thread, or a worker thread of
 * `ceasefire-sim/node`): replications [from, to) of a group of compiled models on one seed, each replication
 * r of each model drawing from the streams (seed, r, name), written as records (see `fillRecord`) in
 * replication order, with the histogram counts they added. Light on purpose: the worker thread imports this
 * module and nothing that parses scenarios (no mathjs, no zod).
 */
import type { CompiledModel } from "../compile/compile.js";
import { runReplication } from "../engine/replication.js";
import { createWorkspace, type Workspace } from "../engine/workspace.js";
import { replicationStreams } from "../rng/streams.js";
import { addCurve, curveSize, fillRecord, recordSize } from "../stats/accumulator.js";

/**
 * Models simulated together on common replication indices (one for `simulate`, one per arm for `compare`).
 * Plain data: it crosses to worker threads by structured clone; `id` names it there.
 */
export interface Group {
  readonly id: number;
  readonly models: readonly CompiledModel[];
}

/** Replications [from, to) of a group on a seed. */
export interface Task {
  readonly group: Group;
  readonly seed: string;
  readonly from: number;
  readonly to: number;
}

/**
 * What a task returns: the replications it ran ([from, to), `to` below the task's when it was stopped), their
 * records laid out replication by replication and, within one, model by model (see `layoutOf`), and per
 * model the histogram counts they added as sparse pairs [bin, count, bin, count, …] and the sums they added
 * at the survival curve's edges (`addCurve`; dense, whole numbers).
 */
export interface TaskResult {
  from: number;
  to: number;
  records: Float64Array;
  resp: Float64Array[];
  det: Float64Array[];
  curve: Float64Array[];
}

/**
 * Runs tasks: on the calling thread (`slots` 1), or on a pool of worker threads. Results depend only on the
 * task, never on where or in which order it ran.
 */
export interface Executor {
  /** Tasks it runs at once. */
  readonly slots: number;
  /** Run a task; once `signal` aborts, tasks not yet started resolve at once with no replications. */
  run(task: Task, signal: AbortSignal): Promise<TaskResult>;
  /** The group will get no more tasks: drop what was kept for it (workspaces). */
  release(group: Group): void;
  /** Stop (worker threads end); tasks still waiting reject. */
  close(): Promise<void>;
}

/** Where each model's record sits within a replication's block, and the block's length. */
export function layoutOf(models: readonly CompiledModel[]): { offsets: number[]; stride: number } {
  const offsets: number[] = [];
  let stride = 0;
  for (const m of models) {
    offsets.push(stride);
    stride += recordSize(m);
  }
  return { offsets, stride };
}

/** Histogram counts added since the last `take`, with the list of bins that hold any (no scan of all bins). */
class Counts {
  private readonly counts: Float64Array;
  private readonly seen: Uint8Array;
  private readonly bins: Int32Array;
  private n = 0;

  constructor(size: number) {
    this.counts = new Float64Array(size);
    this.seen = new Uint8Array(size);
    this.bins = new Int32Array(size);
  }

  /** Add the `n` bins listed in `touched` of `hist`. */
  add(hist: Float64Array, touched: Int32Array, n: number): void {
    for (let q = 0; q < n; q++) {
      const i = touched[q]!;
      if (this.seen[i] === 0) {
        this.seen[i] = 1;
        this.bins[this.n++] = i;
      }
      this.counts[i]! += hist[i]!;
    }
  }

  /** The counts as pairs [bin, count, …], in the order the bins were first touched; then start again at 0. */
  take(): Float64Array {
    const out = new Float64Array(2 * this.n);
    for (let k = 0; k < this.n; k++) {
      const i = this.bins[k]!;
      out[2 * k] = i;
      out[2 * k + 1] = this.counts[i]!;
      this.counts[i] = 0;
      this.seen[i] = 0;
    }
    this.n = 0;
    return out;
  }
}

/** A group's workspaces and histogram counts on one thread. */
export interface GroupState {
  readonly models: readonly CompiledModel[];
  readonly ws: Workspace[];
  readonly offsets: number[];
  readonly stride: number;
  readonly resp: Counts[];
  readonly det: Counts[];
  /** Per model, the curve sums (`addCurve`) added since the last `takeHistograms`. */
  readonly curve: Float64Array[];
}

/** Workspaces for a group (one per model), made once per thread that runs the group. */
export function openGroup(models: readonly CompiledModel[]): GroupState {
  const ws = models.map((m) => createWorkspace(m));
  return {
    models,
    ws,
    ...layoutOf(models),
    resp: ws.map((w) => new Counts(w.respHist.length)),
    det: ws.map((w) => new Counts(w.detHist.length)),
    curve: models.map((m) => new Float64Array(curveSize(m))),
  };
}

/** Run replication r of every model of the group; its records go to `out` at `at` (one block of `stride`). */
export function runOne(g: GroupState, seed: string, r: number, out: Float64Array, at: number): void {
  for (let i = 0; i < g.models.length; i++) {
    const m = g.models[i]!,
      ws = g.ws[i]!;
    runReplication(m, replicationStreams(seed, r), ws);
    fillRecord(m, ws.tally, ws.respHist, out, at + g.offsets[i]!, ws.respBounds);
    g.resp[i]!.add(ws.respHist, ws.respTouched, ws.nRespTouched);
    g.det[i]!.add(ws.detHist, ws.detTouched, ws.nDetTouched);
    addCurve(m, ws.tally, ws.respHist, g.curve[i]!, ws.respBounds);
  }
}

/**
 * The histogram counts added since the last call, per model, as sparse pairs, and the curve sums (a copy); the
 * counters and sums restart at 0.
 */
export function takeHistograms(g: GroupState): { resp: Float64Array[]; det: Float64Array[]; curve: Float64Array[] } {
  const curve = g.curve.map((c) => {
    const out = c.slice();
    c.fill(0);
    return out;
  });
  return { resp: g.resp.map((c) => c.take()), det: g.det.map((c) => c.take()), curve };
}

/** Run a whole task at once (a worker thread's way; the calling thread runs it in slices, see runner.ts). */
export function runTask(g: GroupState, seed: string, from: number, to: number): TaskResult {
  const records = new Float64Array((to - from) * g.stride);
  for (let r = from; r < to; r++) runOne(g, seed, r, records, (r - from) * g.stride);
  return { from, to, records, ...takeHistograms(g) };
}

/**
 * The result of a task that ran no replication (a task dropped before it ran, e.g. when its run was aborted):
 * every part empty. Every executor answers such a task with it, so a field added to `TaskResult` is added here.
 */
export function emptyResult(t: Task): TaskResult {
  return {
    from: t.from,
    to: t.from,
    records: new Float64Array(0),
    resp: t.group.models.map(() => new Float64Array(0)),
    det: t.group.models.map(() => new Float64Array(0)),
    curve: t.group.models.map(() => new Float64Array(0)),
  };
}

/** Add sparse histogram pairs (see `TaskResult`) into a dense histogram: whole numbers, exact in any order. */
export function addSparse(dense: Float64Array, pairs: Float64Array): void {
  for (let k = 0; k < pairs.length; k += 2) dense[pairs[k]!]! += pairs[k + 1]!;
}

/** Messages to a worker (a Node worker thread or a browser's Web Worker): plain, structured-clonable data. */
export type ToWorker =
  | {
      type: "task";
      id: number;
      group: number;
      /** The group's models, the first time this worker gets one of its tasks. */
      models?: readonly CompiledModel[];
      seed: string;
      from: number;
      to: number;
    }
  | { type: "release"; group: number };

/** Messages from a worker: a task's result, or the error that stopped it. */
export type FromWorker =
  | ({ type: "done"; id: number } & TaskResult)
  | { type: "error"; id: number; message: string; stack?: string };

/**
 * A worker's side of the protocol, the same for worker threads and Web Workers: it keeps the groups' workspaces
 * (a task brings its group's models the first time this worker sees the group; "release" drops them) and answers
 * each task with its result or its error (null for "release", which needs no answer).
 */
export function workerHandler(): (msg: ToWorker) => FromWorker | null {
  const groups = new Map<number, GroupState>();
  return (msg) => {
    if (msg.type === "release") {
      groups.delete(msg.group);
      return null;
    }
    try {
      let g = groups.get(msg.group);
      if (!g) {
        if (!msg.models) throw new Error(`group ${msg.group} is unknown to this worker`);
        g = openGroup(msg.models);
        groups.set(msg.group, g);
      }
      return { type: "done", id: msg.id, ...runTask(g, msg.seed, msg.from, msg.to) };
    } catch (e) {
      const err = e instanceof Error ? e : null;
      return {
        type: "error",
        id: msg.id,
        message: err ? `${err.name}: ${err.message}` : String(e),
        ...(err?.stack ? { stack: err.stack } : {}),
      };
    }
  };
}
