/**
 * The explorer's Web Worker (dist/explorer/worker.js): runs the runner's tasks (src/experiment/kernel.ts,
 * `workerHandler`, the same as the Node pool's worker threads). Replication r draws from the streams
 * (seed, r, name) whichever worker runs it.
 */
import { workerHandler, type FromWorker, type ToWorker } from "../experiment/kernel.js";

const handle = workerHandler();
const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage: (msg: FromWorker) => void;
};

scope.onmessage = (e) => {
  const reply = handle(e.data);
  if (reply) scope.postMessage(reply);
};
