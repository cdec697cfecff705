/**
 * Worker thread of the pool (dist/worker.js): receives a compiled model once,
 * then runs chunks of replications and sends back their records, and on
 * request its histogram counts since the last request. Plain data only crosses the thread boundary.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { CompiledModel } from "../compile/compile.js";
import { createWorkspace } from "../engine/workspace.js";
import { runReplication } from "../engine/replication.js";
import { replicationStreams } from "../rng/streams.js";
import { addTouchedBins, fillRecord, recordSize } from "../stats/accumulator.js";

export type ToWorker = { type: "chunk"; from: number; to: number } | { type: "flush" };
export type FromWorker =
  | { type: "records"; from: number; to: number; records: Float64Array }
  | { type: "histograms"; respHist: Float64Array; detHist: Float64Array }
  | { type: "error"; message: string };

const { model, seed } = workerData as { model: CompiledModel; seed: string };
const ws = createWorkspace(model);
const size = recordSize(model);
const respHist = new Float64Array(ws.respHist.length),
  detHist = new Float64Array(ws.detHist.length);
let records = new Float64Array(0);

parentPort!.on("message", (msg: ToWorker) => {
  try {
    if (msg.type === "chunk") {
      if (records.length < (msg.to - msg.from) * size) records = new Float64Array((msg.to - msg.from) * size);
      for (let r = msg.from; r < msg.to; r++) {
        runReplication(model, replicationStreams(seed, r), ws);
        fillRecord(model, ws.tally, ws.respHist, records, (r - msg.from) * size, ws.respBounds);
        addTouchedBins(ws, respHist, detHist);
      }
      // Copied, not transferred: detaching an ArrayBuffer (what a transfer does) makes V8 guard every typed-array
      // access in optimized code from then on, which measured 20% slower replications in this thread.
      parentPort!.postMessage({
        type: "records",
        from: msg.from,
        to: msg.to,
        records: records.subarray(0, (msg.to - msg.from) * size),
      } satisfies FromWorker);
    } else {
      // Histogram counts since the last flush (copies, so the counters can be reset).
      parentPort!.postMessage({
        type: "histograms",
        respHist: respHist.slice(),
        detHist: detHist.slice(),
      } satisfies FromWorker);
      respHist.fill(0);
      detHist.fill(0);
    }
  } catch (e) {
    parentPort!.postMessage({ type: "error", message: (e as Error).stack ?? String(e) } satisfies FromWorker);
  }
});
