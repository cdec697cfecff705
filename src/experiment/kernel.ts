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
import { addTouchedBins, fillRecord, recordSize } from "../stats/accumulator.js";

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
 * model the histogram counts they added as sparse pairs [bin, count, bin, count, …].
 */
export interface TaskResult {
  from: number;
  to: number;
  records: Float64Array;
  resp: Float64Array[];
  det: Float64Array[];
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

/** A group's workspaces and histogram counts on one thread. */
export interface GroupState {
  readonly models: readonly CompiledModel[];
  readonly ws: Workspace[];
  readonly offsets: number[];
  readonly stride: number;
  readonly resp: Float64Array[];
  readonly det: Float64Array[];
}

/** Workspaces for a group (one per model), made once per thread that runs the group. */
export function openGroup(models: readonly CompiledModel[]): GroupState {
  const ws = models.map((m) => createWorkspace(m));
  return {
    models,
    ws,
    ...layoutOf(models),
    resp: ws.map((w) => new Float64Array(w.respHist.length)),
    det: ws.map((w) => new Float64Array(w.detHist.length)),
  };
}

/** Run replication r of every model of the group; its records go to `out` at `at` (one block of `stride`). */
export function runOne(g: GroupState, seed: string, r: number, out: Float64Array, at: number): void {
  for (let i = 0; i < g.models.length; i++) {
    const m = g.models[i]!,
      ws = g.ws[i]!;
    runReplication(m, replicationStreams(seed, r), ws);
    fillRecord(m, ws.tally, ws.respHist, out, at + g.offsets[i]!, ws.respBounds);
    addTouchedBins(ws, g.resp[i]!, g.det[i]!);
  }
}

function sparse(h: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < h.length; i++) if (h[i] !== 0) n++;
  const out = new Float64Array(2 * n);
  for (let i = 0, k = 0; i < h.length; i++)
    if (h[i] !== 0) {
      out[k++] = i;
      out[k++] = h[i]!;
      h[i] = 0;
    }
  return out;
}

/** The histogram counts added since the last call, per model, as sparse pairs; the counters restart at 0. */
export function takeHistograms(g: GroupState): { resp: Float64Array[]; det: Float64Array[] } {
  return { resp: g.resp.map(sparse), det: g.det.map(sparse) };
}

/** Run a whole task at once (a worker thread's way; the calling thread runs it in slices, see runner.ts). */
export function runTask(g: GroupState, seed: string, from: number, to: number): TaskResult {
  const records = new Float64Array((to - from) * g.stride);
  for (let r = from; r < to; r++) runOne(g, seed, r, records, (r - from) * g.stride);
  return { from, to, records, ...takeHistograms(g) };
}

/** Add sparse histogram pairs (see `TaskResult`) into a dense histogram: whole numbers, exact in any order. */
export function addSparse(dense: Float64Array, pairs: Float64Array): void {
  for (let k = 0; k < pairs.length; k += 2) dense[pairs[k]!]! += pairs[k + 1]!;
}
