/**
 * A workspace: the engine one thread reuses for every replication of a model — a core (./core.ts) with room
 * for a replication's incidents, timelines and tallies — and what the last replication left: its counts, and
 * its tally and histograms as views of the core's memory. When a replication needs more room, the workspace
 * gets a larger core; otherwise nothing is allocated.
 */
import type { CompiledModel } from "../compile/compile.js";
import type { CoreArrays } from "../layout/types.js";
import { createCore, type Core } from "./core.js";

export interface Workspace {
  /** The model this workspace was made for. */
  readonly model: CompiledModel;
  /** The core the replications run on. @internal */
  core: Core;
  /** The core's arrays (views of its memory, renewed when it grows), by their declared names. */
  arrays: CoreArrays;
  /** Incidents the last replication generated, and how many of them went to dispatch. */
  n: number;
  nPend: number;
  /** Regime spells of the last replication. */
  nReg: number;
  /** Events the last replication's dispatch handled (for throughput figures). */
  events: number;
  /** The last replication's tally (src/layout/tally.ts). */
  tally: Float64Array;
  /** Its histograms of response times and detection latencies, per sector and the whole line. */
  respHist: Float64Array;
  detHist: Float64Array;
  /** The histogram bins it made non-empty, and how many. */
  respTouched: Int32Array;
  nRespTouched: number;
  detTouched: Int32Array;
  nDetTouched: number;
  /** Each response block's lowest and highest non-empty bin ([lo, hi] per block; lo = HIST_BINS, hi = −1). */
  respBounds: Int32Array;
}

/** A workspace for model m, with room for `capacity` incidents to start with (it grows when needed). */
export function createWorkspace(m: CompiledModel, capacity = 4096): Workspace {
  const core = createCore(m, { incidents: capacity, up: 1024, reg: 64, dn: 64, steps: 1024 });
  const ws = {
    model: m,
    n: 0,
    nPend: 0,
    nReg: 0,
    events: 0,
    nRespTouched: 0,
    nDetTouched: 0,
  } as Workspace;
  useCore(ws, core);
  return ws;
}

/** Run the workspace on `core` from now on: its views become the core's. @internal */
export function useCore(ws: Workspace, core: Core): void {
  const a = core.arrays;
  ws.core = core;
  ws.arrays = a;
  ws.tally = a.tally;
  ws.respHist = a.respHist;
  ws.detHist = a.detHist;
  ws.respTouched = a.respTouched;
  ws.detTouched = a.detTouched;
  ws.respBounds = a.respBounds;
}
