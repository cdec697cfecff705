/**
 * Worker thread of the pool (dist/worker.js): runs the runner's tasks (src/experiment/kernel.ts). A task
 * brings its group's compiled models the first time this thread sees the group; the thread keeps the group's
 * workspaces until told to release it. Each task's records and histogram counts go back to the main thread,
 * which adds them in replication order. Plain data only crosses the thread boundary. Built on its own and
 * light: it imports the engine, not mathjs or zod.
 */
import { parentPort } from "node:worker_threads";
import type { CompiledModel } from "../compile/compile.js";
import { openGroup, runTask, type GroupState } from "../experiment/kernel.js";

/** Messages to a worker. */
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

/** Messages from a worker. */
export type FromWorker =
  | {
      type: "done";
      id: number;
      from: number;
      to: number;
      records: Float64Array;
      resp: Float64Array[];
      det: Float64Array[];
      curve: Float64Array[];
    }
  | { type: "error"; id: number; message: string; stack?: string };

const groups = new Map<number, GroupState>();

parentPort!.on("message", (msg: ToWorker) => {
  if (msg.type === "release") {
    groups.delete(msg.group);
    return;
  }
  try {
    let g = groups.get(msg.group);
    if (!g) {
      if (!msg.models) throw new Error(`group ${msg.group} is unknown to this worker`);
      g = openGroup(msg.models);
      groups.set(msg.group, g);
    }
    const res = runTask(g, msg.seed, msg.from, msg.to);
    // Copied, not transferred: detaching an ArrayBuffer (what a transfer does) makes V8 guard every typed-array
    // access in optimized code from then on, which measured 20% slower replications in this thread.
    parentPort!.postMessage({ type: "done", id: msg.id, ...res } satisfies FromWorker);
  } catch (e) {
    const err = e instanceof Error ? e : null;
    parentPort!.postMessage({
      type: "error",
      id: msg.id,
      message: err ? `${err.name}: ${err.message}` : String(e),
      ...(err?.stack ? { stack: err.stack } : {}),
    } satisfies FromWorker);
  }
});
