/**
 * Worker thread of the pool (dist/worker.js): runs the runner's tasks (src/experiment/kernel.ts,
 * `workerHandler`, the same as the explorer's Web Workers). Each task's records and histogram counts go back to
 * the main thread, which adds them in replication order. Plain data only crosses the thread boundary. Built on
 * its own and light: it imports the engine, not mathjs or zod.
 */
import { parentPort } from "node:worker_threads";
import { workerHandler, type ToWorker } from "../experiment/kernel.js";

const handle = workerHandler();

parentPort!.on("message", (msg: ToWorker) => {
  const reply = handle(msg);
  // Copied, not transferred: detaching an ArrayBuffer (what a transfer does) makes V8 guard every typed-array
  // access in optimized code from then on, which measured 20% slower replications in this thread.
  if (reply) parentPort!.postMessage(reply);
});
