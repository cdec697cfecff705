/**
 * The explorer's Web Worker (dist/explorer/worker.js): runs the runner's tasks (src/experiment/kernel.ts) on
 * the WebAssembly core, as the Node pool's worker thread does (src/node/worker.ts). A task brings its group's
 * compiled models the first time this worker sees the group; the worker keeps the group's workspaces until
 * told to release it. Replication r draws from the streams (seed, r, name) whichever worker runs it.
 */
import { openGroup, runTask, type GroupState } from "../experiment/kernel.js";
import type { FromWorker, ToWorker } from "./protocol.js";

const groups = new Map<number, GroupState>();
const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage: (msg: FromWorker) => void;
};

scope.onmessage = (e) => {
  const msg = e.data;
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
    scope.postMessage({ type: "done", id: msg.id, ...runTask(g, msg.seed, msg.from, msg.to) });
  } catch (err) {
    scope.postMessage({ type: "error", id: msg.id, message: err instanceof Error ? err.message : String(err) });
  }
};
