/**
 * All cores for every experiment: the runner's executor on worker threads, and the experiments of the
 * library with `workers` (and `chunk`).
 *
 * The pool runs the runner's tasks (replications [from, to) of a group of models, src/experiment/kernel.ts)
 * on `workers` threads. Replication r draws from the streams (seed, r, name) whichever thread runs it, and
 * the main thread adds the records in replication order (histogram counts, whole numbers, add exactly in any
 * order), so every result is bit-identical for any number of workers, and equal to a one-thread run.
 */
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import type { Executor, Group, Task, TaskResult } from "../experiment/kernel.js";
import { withRuntime, type Runtime, type WorkerOptions } from "../experiment/options.js";
import * as lib from "../experiment/simulate.js";
import * as libCompare from "../experiment/compare.js";
import * as libArms from "../experiment/arms.js";
import * as libWithdrawal from "../experiment/withdrawal.js";
import * as libOptimize from "../experiment/optimize.js";
import * as libShard from "../experiment/shard.js";
import * as libSweep from "../experiment/sweep.js";
import * as libSensitivity from "../experiment/sensitivity.js";
import { emptyResult, type FromWorker, type ToWorker } from "../experiment/kernel.js";

/** Where the worker script is: next to this module in dist/ (ESM or CJS build). */
function workerUrl(): URL {
  const built = new URL("./worker.js", import.meta.url);
  // Running from the TypeScript sources (tests): use the built worker.
  return existsSync(built) ? built : new URL("../../dist/worker.js", import.meta.url);
}

/**
 * The flags a worker thread starts with: this process's, but `--input-type`, which Node refuses in a worker (it
 * applies to `node -e` and stdin only), so that a script run as `node --input-type=module -e …` can use workers.
 */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--input-type") i++;
    else if (!a.startsWith("--input-type=")) out.push(a);
  }
  return out;
}

interface Pending {
  id: number;
  task: Task;
  signal: AbortSignal;
  resolve: (r: TaskResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  /** Tasks sent to the worker and not yet answered, oldest first (it answers in order). */
  pending: Pending[];
  /** Groups whose models this worker has. */
  groups: Set<number>;
}

/**
 * Tasks a worker holds at once: one running and one waiting in its message queue, so that it never idles while
 * the main thread is busy (preparing the next design point, adding records).
 */
const DEPTH = 2;

/**
 * An executor on `n` worker threads, started on the first task. Tasks wait in one queue and go to the workers
 * `DEPTH` at a time, in order but for keeping groups with the worker that has them (see `pick`);
 * once its signal aborts, a waiting task resolves with no replications. A worker that fails or exits fails
 * the tasks it had and every later one.
 */
export function workerPool(n: number): Executor {
  const queue: Pending[] = [];
  let slots: Slot[] | null = null;
  let broken: Error | null = null;
  let closed = false;
  let ids = 0;

  const breakAll = (e: Error) => {
    broken ??= e;
    for (const s of slots ?? []) for (const p of s.pending.splice(0)) p.reject(e);
    for (const p of queue.splice(0)) p.reject(e);
    hold();
  };
  const spawn = (): Slot => {
    const slot: Slot = {
      worker: new Worker(workerUrl(), { execArgv: workerExecArgv() }),
      pending: [],
      groups: new Set(),
    };
    slot.worker.on("message", (msg: FromWorker) => {
      const p = slot.pending[0];
      if (!p || p.id !== msg.id) return;
      slot.pending.shift();
      if (msg.type === "done")
        p.resolve({ from: msg.from, to: msg.to, records: msg.records, resp: msg.resp, det: msg.det, curve: msg.curve });
      else {
        const e = new Error(`worker failed: ${msg.message}`);
        // The worker's stack, for CEASEFIRE_SIM_DEBUG=1 and debuggers; the message stays one line.
        if (msg.stack) e.stack = `${e.stack}\nin the worker thread: ${msg.stack}`;
        p.reject(e);
      }
      pump();
    });
    slot.worker.on("error", (e) => breakAll(e instanceof Error ? e : new Error(String(e))));
    slot.worker.on("exit", (code) => {
      if (!closed) breakAll(new Error(`worker thread exited (code ${code})`));
    });
    return slot;
  };
  /**
   * The next task for a worker: the first of a group it has, else of a group no worker has yet, else the
   * first. Groups stay with one worker when there are several in flight (sweeps, sensitivity), so each is
   * sent and set up once; a single group (simulate, compare) is shared by all.
   */
  const pick = (slot: Slot): Pending | undefined => {
    for (let k = 0; k < queue.length; k++) if (slot.groups.has(queue[k]!.task.group.id)) return queue.splice(k, 1)[0];
    for (let k = 0; k < queue.length; k++) {
      const id = queue[k]!.task.group.id;
      if (!slots!.some((s) => s.groups.has(id))) return queue.splice(k, 1)[0];
    }
    return queue.shift();
  };
  /**
   * Keep the process alive only while the pool has work: an idle pool's threads are unreferenced, so a pool that
   * its caller forgets to close (an abandoned sweep generator) never holds the process open.
   */
  const hold = () => {
    const busy = queue.length > 0 || (slots ?? []).some((s) => s.pending.length > 0);
    for (const s of slots ?? []) {
      if (busy) s.worker.ref();
      else s.worker.unref();
    }
  };
  const pump = () => {
    if (!slots || broken) return;
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
        slot.worker.postMessage({
          type: "task",
          id: p.id,
          group: group.id,
          ...(known ? {} : { models: group.models }),
          seed,
          from,
          to,
        } satisfies ToWorker);
      }
    }
    hold();
  };
  return {
    slots: n,
    run(task, signal) {
      return new Promise<TaskResult>((resolve, reject) => {
        if (broken) return reject(broken);
        if (closed) return reject(new Error("worker pool: closed"));
        queue.push({ id: ++ids, task, signal, resolve, reject });
        slots ??= Array.from({ length: n }, spawn);
        pump();
      });
    },
    release(group: Group) {
      for (const slot of slots ?? [])
        if (slot.groups.delete(group.id))
          slot.worker.postMessage({ type: "release", group: group.id } satisfies ToWorker);
    },
    async close() {
      closed = true;
      breakAll(new Error("worker pool: closed"));
      const all = slots ?? [];
      slots = null;
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}

/** Node's runtime: "auto" is every core (`os.availableParallelism()`), and more than one worker is a pool. */
export const NODE_RUNTIME: Runtime = Object.freeze({ cores: () => availableParallelism(), pool: workerPool });

const node = <T extends object>(options: T | undefined) => withRuntime(options, NODE_RUNTIME);

/** `simulate`'s options with `workers` and `chunk`. */
export interface ParallelOptions extends lib.SimulateOptions, WorkerOptions {}

/**
 * `simulate` on worker threads (Node): the library's options, plus `workers` (default 1: the calling
 * thread; "auto": all cores) and `chunk`. The result is the same for any number of workers.
 *
 * @example
 * import { simulate, defaultScenario } from "ceasefire-sim/node";
 * const r = await simulate(defaultScenario(), { replications: 2000, workers: "auto" });
 */
export function simulate(scenario: unknown, options: ParallelOptions = {}): Promise<lib.Result> {
  return lib.simulate(scenario, node(options));
}

/**
 * `compare` on worker threads: every task runs the same replications of all strategies (common random
 * numbers); the paired differences are the same for any number of workers.
 *
 * @example
 * const c = await compare(defaultScenario(), ["risk-weighted", "uniform"], { replications: 400, workers: "auto" });
 */
export function compare(
  scenario: unknown,
  strategies: libCompare.StrategyInput[],
  options: libCompare.CompareOptions & WorkerOptions = {},
): Promise<libCompare.Comparison> {
  return libCompare.compare(scenario, strategies, node(options));
}

/**
 * `compareScenarios` on worker threads: what-if arms on common random numbers (see `compare`).
 *
 * @example
 * const ukOut = { edits: { "contributions[state=gb,asset=team].count": 0 } };
 * const c = await compareScenarios({ base: defaultScenario(), ukOut }, { replications: 200, workers: "auto" });
 */
export function compareScenarios(
  arms: libArms.ScenarioArms,
  options: libArms.CompareScenariosOptions & WorkerOptions = {},
): Promise<libArms.ScenarioComparison> {
  return libArms.compareScenarios(arms, node(options));
}

/**
 * `withdrawal` on worker threads (see `compare`).
 *
 * @example
 * const t = await withdrawal(defaultScenario(), { replications: 200, workers: 2 });
 */
export function withdrawal(
  scenario: unknown,
  options: libWithdrawal.WithdrawalOptions & WorkerOptions = {},
): Promise<libWithdrawal.WithdrawalTable> {
  return libWithdrawal.withdrawal(scenario, node(options));
}

/**
 * `optimize` on worker threads (see `compare`).
 *
 * @example
 * const o = await optimize(defaultScenario(), { target: "withinStandard>=0.5", vary: "teams", workers: 2 });
 */
export function optimize(
  scenario: unknown,
  options: libOptimize.OptimizeOptions & WorkerOptions,
): Promise<libOptimize.OptimizeResult> {
  return libOptimize.optimize(scenario, node(options));
}

/**
 * `runShard` on worker threads: a shard's replications spread over the cores of one machine.
 *
 * @example
 * const shard = { index: 0, count: 4 };
 * const part = await runShard(defaultScenario(), { replications: 4000, shard, workers: "auto" });
 */
export function runShard(
  scenario: unknown,
  options: Parameters<typeof libShard.runShard>[1] & WorkerOptions,
): Promise<libShard.Partial> {
  return libShard.runShard(scenario, node(options));
}

/**
 * `sweepRows` on worker threads: several design points in flight, rows still in point order.
 *
 * @example
 * for await (const row of sweepRows(defaultScenario(), { parameters, workers: "auto" })) console.log(row);
 */
export function sweepRows(
  scenario: unknown,
  options: libSweep.SweepOptions & WorkerOptions,
): AsyncGenerator<libSweep.SweepRow, void, undefined> {
  return libSweep.sweepRows(scenario, node(options));
}

/**
 * `sweep` on worker threads (see `sweepRows`).
 *
 * @example
 * const rows = await sweep(defaultScenario(), { parameters, replications: 100, workers: 2 });
 */
export async function sweep(
  scenario: unknown,
  options: libSweep.SweepOptions & WorkerOptions,
): Promise<libSweep.SweepRow[]> {
  const out: libSweep.SweepRow[] = [];
  for await (const row of sweepRows(scenario, options)) out.push(row);
  return out;
}

/**
 * `tornado` on worker threads: its 1 + 2 per parameter runs in flight together.
 *
 * @example
 * const t = await tornado(defaultScenario(), { metric: "response.mean", parameters, workers: "auto" });
 */
export function tornado(
  scenario: unknown,
  options: libSensitivity.TornadoOptions & WorkerOptions,
): Promise<libSensitivity.TornadoResult> {
  return libSensitivity.tornado(scenario, node(options));
}

/**
 * `sensitivity` (Sobol' indices over scenario parameters) on worker threads: its N·(d+2) simulations in
 * flight together; the indices are the same for any number of workers.
 *
 * @example
 * const s = await sensitivity(defaultScenario(), { metric: "response.mean", parameters, workers: "auto" });
 */
export function sensitivity(
  scenario: unknown,
  options: libSensitivity.SensitivityOptions & WorkerOptions,
): Promise<libSensitivity.SensitivityResult> {
  return libSensitivity.sensitivity(scenario, node(options));
}
