/**
 * Multi-core runs: `simulate(scenario, { workers })` on worker threads.
 *
 * Replication r draws from the streams (seed, r, name) whichever thread runs
 * it; workers send one record per replication, and the main thread adds the
 * records in replication order (histograms, being whole-number counts, add
 * exactly in any order). So the result is bit-identical for any number of
 * workers, and equal to a one-thread run.
 */
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import {
  simulate as simulateOneThread,
  simulateWith,
  type RangeRunner,
  type Result,
  type SimulateOptions,
} from "../experiment/simulate.js";
import type { Prepared } from "../experiment/run.js";
import { addHistograms, addRecord, createAccumulator, recordSize } from "../stats/accumulator.js";
import type { FromWorker, ToWorker } from "./worker.js";

export interface ParallelOptions extends SimulateOptions {
  /** Worker threads (default 1: the calling thread). "auto" = all cores. */
  workers?: number | "auto";
  /** Replications per message to a worker (default: about 1/16 of a worker's share, 1 to 64). */
  chunk?: number;
}

/** Where the worker script is: next to this module in dist/ (ESM or CJS build). */
function workerUrl(): URL {
  const built = new URL("./worker.js", import.meta.url);
  // Running from the TypeScript sources (tests): use the built worker.
  return existsSync(built) ? built : new URL("../../dist/worker.js", import.meta.url);
}

/**
 * Simulate on several worker threads (Node). Same options as the library's `simulate`, plus `workers`.
 *
 * @example
 * import { simulate, defaultScenario } from "ceasefire-sim/node";
 * const r = await simulate(defaultScenario(), { replications: 2000, workers: "auto" });
 */
export async function simulate(scenario: unknown, options: ParallelOptions = {}): Promise<Result> {
  const workers = options.workers === "auto" ? availableParallelism() : (options.workers ?? 1);
  if (!Number.isInteger(workers) || workers < 1 || workers > 256)
    throw new RangeError(`workers: expected a whole number from 1 to 256 or "auto"; got ${options.workers}`);
  if (workers === 1) return simulateOneThread(scenario, options);
  return simulateWith(scenario, options, (p) => pool(p, workers, options.chunk));
}

function pool(p: Prepared, n: number, chunkOption: number | undefined): RangeRunner {
  const m = p.model,
    size = recordSize(m);
  const acc = createAccumulator(m);
  let threads: Worker[] = [];
  let threadSeed = "";
  const start = (seed: string) => {
    if (threads.length > 0 && seed === threadSeed) return;
    threadSeed = seed;
    threads = Array.from({ length: n }, () => new Worker(workerUrl(), { workerData: { model: m, seed } }));
  };
  /** Ask every worker for its histogram counts since the last flush, and add them. */
  const flush = () =>
    Promise.all(
      threads.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once("message", (msg: FromWorker) => {
              if (msg.type !== "histograms") return reject(new Error("worker: unexpected message"));
              addHistograms(acc, msg.respHist, msg.detHist);
              resolve();
            });
            w.postMessage({ type: "flush" } satisfies ToWorker);
          }),
      ),
    );
  return {
    acc,
    async run(from, to, seed, onDone, signal) {
      start(seed);
      const chunk = chunkOption ?? Math.max(1, Math.min(64, Math.ceil((to - from) / (n * 16))));
      await new Promise<void>((resolve, reject) => {
        let next = from,
          added = from,
          finished = false;
        const pending = new Map<number, { to: number; records: Float64Array }>();
        const offs: (() => void)[] = [];
        const finish = (err?: Error) => {
          if (finished) return;
          finished = true;
          for (const off of offs) off();
          if (err) reject(err);
          else resolve();
        };
        const give = (w: Worker) => {
          if (signal?.aborted || next >= to) return;
          const msg: ToWorker = { type: "chunk", from: next, to: Math.min(to, next + chunk) };
          next = msg.to;
          w.postMessage(msg);
        };
        // Stop when every record handed out is in (all of them, or after an abort the ones in flight).
        const check = () => {
          if (added >= to || (signal?.aborted && added === next)) finish();
        };
        for (const w of threads) {
          const onMessage = (msg: FromWorker) => {
            if (msg.type === "error") return finish(new Error(`worker failed: ${msg.message}`));
            if (msg.type !== "records") return;
            pending.set(msg.from, { to: msg.to, records: msg.records });
            // Add every record that is next in replication order.
            for (let got = pending.get(added); got; got = pending.get(added)) {
              pending.delete(added);
              for (let r = added; r < got.to; r++) addRecord(acc, m, got.records, (r - added) * size);
              added = got.to;
            }
            onDone(added);
            give(w);
            check();
          };
          const onError = (e: Error) => finish(e);
          w.on("message", onMessage);
          w.on("error", onError);
          offs.push(() => {
            w.off("message", onMessage);
            w.off("error", onError);
          });
        }
        if (signal) {
          const onAbort = () => check();
          signal.addEventListener("abort", onAbort, { once: true });
          offs.push(() => signal.removeEventListener("abort", onAbort));
        }
        for (const w of threads) give(w);
        check();
      });
      await flush();
    },
    async close() {
      await Promise.all(threads.map((w) => w.terminate()));
    },
  };
}
