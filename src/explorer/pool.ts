/**
 * The explorer's runtime: the runner's executor (src/experiment/kernel.ts) on Web Workers, as
 * `ceasefire-sim/node` runs it on worker threads (src/node/parallel.ts). The workers start once and serve
 * every run of the page (a run is a session of the runner, which asks for an executor and closes it when it
 * ends); each keeps a group's workspaces until the run that sent it ends. Tasks wait in one queue and go to
 * the workers two at a time each (one running, one waiting), so no worker idles while the page adds records.
 * The runner adds the records in replication order, so results are the same for any number of workers.
 */
import type { Executor, Group, Task, TaskResult } from "../experiment/kernel.js";
import type { Runtime } from "../experiment/options.js";
import { emptyResult, type FromWorker, type ToWorker } from "../experiment/kernel.js";

/** Tasks a worker holds at once. */
const DEPTH = 2;
/** Most workers the explorer starts (the brief of the page: one per hardware thread, up to 4). */
export const MAX_WORKERS = 4;

interface Pending {
  id: number;
  task: Task;
  signal: AbortSignal;
  owner: object;
  resolve: (r: TaskResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Pending[];
  groups: Set<number>;
}

/** Workers for the explorer: how many, and the runtime the runner uses them through. */
export interface WebWorkers {
  readonly count: number;
  readonly runtime: Runtime;
  /** End the workers. */
  terminate(): void;
}

/**
 * Start `count` Web Workers on the script at `url` (dist/explorer/worker.js), lazily, on the first task.
 *
 * @example
 * const workers = webWorkers(new URL("./worker.js", import.meta.url), defaultWorkerCount());
 */
export function webWorkers(url: URL | string, count: number): WebWorkers {
  const queue: Pending[] = [];
  let slots: Slot[] | null = null;
  let ids = 0;

  const fail = (e: Error) => {
    for (const s of slots ?? []) {
      for (const p of s.pending.splice(0)) p.reject(e);
      s.worker.terminate();
    }
    for (const p of queue.splice(0)) p.reject(e);
    slots = null; // the next task starts new workers
  };
  const spawn = (): Slot => {
    const slot: Slot = {
      worker: new Worker(url, { type: "module", name: "ceasefire-sim" }),
      pending: [],
      groups: new Set(),
    };
    slot.worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const msg = e.data;
      const p = slot.pending[0];
      if (!p || p.id !== msg.id) return;
      slot.pending.shift();
      if (msg.type === "done") {
        const { type: _, id: __, ...result } = msg;
        p.resolve(result);
      } else p.reject(new Error(`worker failed: ${msg.message}`));
      pump();
    };
    slot.worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      fail(new Error(`worker failed to run: ${e.message || "the worker script did not load"}`));
    };
    return slot;
  };
  /** The next task for a worker: the first of a group it has, else the first. */
  const pick = (slot: Slot): Pending | undefined => {
    for (let k = 0; k < queue.length; k++) if (slot.groups.has(queue[k]!.task.group.id)) return queue.splice(k, 1)[0];
    return queue.shift();
  };
  const pump = () => {
    if (!slots) return;
    for (const p of queue.filter((q) => q.signal.aborted)) {
      queue.splice(queue.indexOf(p), 1);
      p.resolve(emptyResult(p.task));
    }
    for (const slot of slots) {
      while (slot.pending.length < DEPTH && queue.length > 0) {
        const p = pick(slot)!;
        const { group, seed, from, to } = p.task;
        const known = slot.groups.has(group.id);
        slot.groups.add(group.id);
        slot.pending.push(p);
        const msg: ToWorker = { type: "task", id: p.id, group: group.id, seed, from, to };
        if (!known) msg.models = group.models;
        slot.worker.postMessage(msg);
      }
    }
  };
  const release = (group: Group) => {
    for (const slot of slots ?? [])
      if (slot.groups.delete(group.id))
        slot.worker.postMessage({ type: "release", group: group.id } satisfies ToWorker);
  };
  /** One run's view of the workers: closing it drops its waiting tasks and the groups it sent. */
  const executor = (): Executor => {
    const owner = {};
    const used = new Map<number, Group>();
    let closed = false;
    return {
      slots: count,
      run(task, signal) {
        return new Promise<TaskResult>((resolve, reject) => {
          if (closed) return reject(new Error("explorer workers: the run has ended"));
          used.set(task.group.id, task.group);
          queue.push({ id: ++ids, task, signal, owner, resolve, reject });
          slots ??= Array.from({ length: count }, spawn);
          pump();
        });
      },
      release(group) {
        used.delete(group.id);
        release(group);
      },
      async close() {
        closed = true;
        for (const p of queue.filter((q) => q.owner === owner)) {
          queue.splice(queue.indexOf(p), 1);
          p.reject(new Error("explorer workers: the run has ended"));
        }
        for (const g of used.values()) release(g);
        used.clear();
      },
    };
  };
  return {
    count,
    runtime: Object.freeze({ cores: () => count, pool: () => executor() }),
    terminate: () => fail(new Error("explorer workers: terminated")),
  };
}

/** One worker per hardware thread, at most `MAX_WORKERS` (at least 1). */
export function defaultWorkerCount(hardwareConcurrency: number | undefined): number {
  return Math.max(1, Math.min(MAX_WORKERS, Math.floor(hardwareConcurrency ?? 1) || 1));
}
