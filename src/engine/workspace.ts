/**
 * The buffers one worker reuses for every replication: incidents as
 * struct-of-arrays, sensor and team timelines, the event heap, the dispatch
 * queue, the tally and per-replication histograms. Arrays grow by doubling
 * when a replication needs more room (rare); otherwise nothing is allocated.
 */
import type { CompiledModel } from "../compile/compile.js";
import { HIST_BINS } from "../layout/histogram.js";
import { attachCore, type Core } from "./core.js";
import { createHeap, type EventHeap } from "./heap.js";
import { tallySize } from "./tally.js";

export interface Workspace {
  // Incidents (index i), in order of occurrence.
  n: number;
  incT: Float64Array;
  incX: Float64Array;
  incDet: Float64Array;
  incReady: Float64Array;
  incAccess: Float64Array;
  incArrive: Float64Array;
  incWait: Float64Array;
  incMob: Float64Array;
  incTravel: Float64Array;
  incSec: Int32Array;
  incCell: Int32Array;
  incSev: Uint8Array;
  incChan: Int8Array;
  incDenied: Uint8Array;
  incOutcome: Uint8Array;
  /** The incidents that go to dispatch (verification-worthy and detected), in order: `pend[0..nPend)`. */
  pend: Int32Array;
  nPend: number;
  // Regime path.
  nReg: number;
  regT: Float64Array;
  regR: Int32Array;
  // Up-intervals of watching sensors (fixed 0..nFixed-1, then UAVs), CSR, with a detection factor (UAV jamming).
  upOff: Int32Array;
  upStart: Float64Array;
  upEnd: Float64Array;
  upFactor: Float64Array;
  upPtr: Int32Array;
  covCur: Int32Array;
  /** Per UAV set u, once a segment needed it: its count of orbits on station as a step function over the window, at [stepOff[u], stepEnd[u]) of the step arrays (stepEnd[u] < 0: not built yet; stepN: next free index). */
  stepOff: Int32Array;
  stepEnd: Int32Array;
  stepN: number;
  stepT: Float64Array;
  stepC: Int32Array;
  stepP1: Float64Array;
  stepN1: Float64Array;
  stepP2: Float64Array;
  /** Scratch: one incident's detecting channels (latency row, channel), at most one per watching sensor + 2. */
  reqRow: Int32Array;
  reqCh: Int8Array;
  /** Scratch: one incident's fixed draws from the incident stream. */
  draws: Float64Array;
  /** Scratch: doubles handed back by the engine's out-of-line samplers. */
  out: Float64Array;
  /** Coverage scratch: fixed sensors up for the whole window, and one segment's other fixed sensors. */
  fullUp: Uint8Array;
  liveIdx: Int32Array;
  /** Scratch for prefix sums (≥1, its night part, ≥2). */
  pre: Float64Array;
  /** The model this workspace was made for (day/night constants for coverage). */
  model: CompiledModel;
  uavGroupPhase: Float64Array;
  satPhase: Float64Array;
  // Teams: unavailable windows (CSR) and live state.
  dnOff: Int32Array;
  dnStart: Float64Array;
  dnEnd: Float64Array;
  dnPtr: Int32Array;
  dnNext: Int32Array;
  tmBusy: Uint8Array;
  tmBusyFrom: Float64Array;
  tmLocX: Float64Array;
  tmLocOff: Float64Array;
  tmInc: Int32Array;
  // Dispatch queue: incident ids; -1 marks a served slot. queued[s]: incidents of sector s waiting.
  queued: Int32Array;
  qCrit: Int32Array;
  qCritHead: number;
  qCritLen: number;
  qMaj: Int32Array;
  qMajHead: number;
  qMajLen: number;
  heap: EventHeap;
  /** Events the last replication's dispatch simulation processed (for throughput figures). */
  events: number;
  /** The dispatch simulation's clock (hours); starts at a non-integer so the field holds doubles unboxed from the outset. */
  now: number;
  /** Team k may serve sector s: elig[s * nTeams + k]. */
  elig: Uint8Array;
  tally: Float64Array;
  /** Per-replication histograms (response, detection latency) per sector + whole line. */
  respHist: Float64Array;
  detHist: Float64Array;
  /** Indices of the histogram bins the last replication made non-empty, and each response block's lowest and
   * highest non-empty bin ([lo, hi] per block; lo = HIST_BINS, hi = −1 when empty). */
  respTouched: Int32Array;
  nRespTouched: number;
  detTouched: Int32Array;
  nDetTouched: number;
  respBounds: Int32Array;
  /** The WebAssembly core that generates this workspace's incidents (its `inc*` arrays are views of the core's memory), or null: JavaScript. @internal */
  core: Core | null;
}

/** Options of `createWorkspace`. */
export interface WorkspaceOptions {
  /**
   * Generate incidents on the WebAssembly core where it runs (default true). False runs every phase in
   * JavaScript, the reference the core is tested against: the results are the same, bit for bit.
   */
  core?: boolean;
}

export function createWorkspace(m: CompiledModel, capacity = 4096, options: WorkspaceOptions = {}): Workspace {
  const S = m.nSectors,
    T = m.nTeams,
    W = m.nFixed + m.nUav;
  const elig = new Uint8Array(S * T);
  for (let s = 0; s < S; s++) for (let e = m.elOff[s]!; e < m.elOff[s + 1]!; e++) elig[s * T + m.elIdx[e]!] = 1;
  const ws: Workspace = {
    n: 0,
    incT: new Float64Array(capacity),
    incX: new Float64Array(capacity),
    incDet: new Float64Array(capacity),
    incReady: new Float64Array(capacity),
    incAccess: new Float64Array(capacity),
    incArrive: new Float64Array(capacity),
    incWait: new Float64Array(capacity),
    incMob: new Float64Array(capacity),
    incTravel: new Float64Array(capacity),
    incSec: new Int32Array(capacity),
    incCell: new Int32Array(capacity),
    incSev: new Uint8Array(capacity),
    incChan: new Int8Array(capacity),
    incDenied: new Uint8Array(capacity),
    incOutcome: new Uint8Array(capacity),
    pend: new Int32Array(capacity),
    nPend: 0,
    nReg: 0,
    regT: new Float64Array(64),
    regR: new Int32Array(64),
    upOff: new Int32Array(W + 1),
    upStart: new Float64Array(256),
    upEnd: new Float64Array(256),
    upFactor: new Float64Array(256),
    upPtr: new Int32Array(W),
    covCur: new Int32Array(W),
    stepOff: new Int32Array(m.uavSetOff.length),
    stepEnd: new Int32Array(m.uavSetOff.length),
    stepN: 0,
    stepT: new Float64Array(1024),
    stepC: new Int32Array(1024),
    stepP1: new Float64Array(1024),
    stepN1: new Float64Array(1024),
    stepP2: new Float64Array(1024),
    pre: new Float64Array(3),
    model: m,
    fullUp: new Uint8Array(m.nFixed),
    liveIdx: new Int32Array(m.nFixed),
    reqRow: new Int32Array(m.nFixed + m.nUav + 2),
    reqCh: new Int8Array(m.nFixed + m.nUav + 2),
    draws: new Float64Array(8),
    out: new Float64Array(4),
    uavGroupPhase: new Float64Array(Math.max(1, m.nUav)),
    satPhase: new Float64Array(m.nSat),
    dnOff: new Int32Array(T + 1),
    dnStart: new Float64Array(64),
    dnEnd: new Float64Array(64),
    dnPtr: new Int32Array(T),
    dnNext: new Int32Array(T),
    tmBusy: new Uint8Array(T),
    tmBusyFrom: new Float64Array(T),
    tmLocX: new Float64Array(T),
    tmLocOff: new Float64Array(T),
    tmInc: new Int32Array(T),
    queued: new Int32Array(S),
    qCrit: new Int32Array(256),
    qCritHead: 0,
    qCritLen: 0,
    qMaj: new Int32Array(256),
    qMajHead: 0,
    qMajLen: 0,
    heap: createHeap(1024),
    events: 0,
    now: 0.5,
    elig,
    tally: new Float64Array(tallySize(S, T)),
    respHist: new Float64Array((S + 1) * HIST_BINS),
    detHist: new Float64Array((S + 1) * HIST_BINS),
    respTouched: new Int32Array(1024),
    nRespTouched: 0,
    detTouched: new Int32Array(1024),
    nDetTouched: 0,
    respBounds: new Int32Array(2 * (S + 1)).map((_, q) => (q % 2 === 0 ? HIST_BINS : -1)),
    core: null,
  };
  if (options.core !== false) attachCore(m, ws, { incidents: capacity, up: 1024, reg: 64, dn: 64, steps: 1024 });
  return ws;
}

/** Make room for at least `need` incidents. */
export function growIncidents(w: Workspace, need: number): void {
  const cap = Math.max(need, w.incT.length * 2);
  const f = (a: Float64Array) => {
    const b = new Float64Array(cap);
    b.set(a);
    return b;
  };
  w.incT = f(w.incT);
  w.incX = f(w.incX);
  w.incDet = f(w.incDet);
  w.incReady = f(w.incReady);
  w.incAccess = f(w.incAccess);
  w.incArrive = f(w.incArrive);
  w.incWait = f(w.incWait);
  w.incMob = f(w.incMob);
  w.incTravel = f(w.incTravel);
  const i32 = new Int32Array(cap);
  i32.set(w.incSec);
  w.incSec = i32;
  const cell = new Int32Array(cap);
  cell.set(w.incCell);
  w.incCell = cell;
  const u8 = new Uint8Array(cap);
  u8.set(w.incSev);
  w.incSev = u8;
  const i8 = new Int8Array(cap);
  i8.set(w.incChan);
  w.incChan = i8;
  const d = new Uint8Array(cap);
  d.set(w.incDenied);
  w.incDenied = d;
  const o = new Uint8Array(cap);
  o.set(w.incOutcome);
  w.incOutcome = o;
  const pd = new Int32Array(cap);
  pd.set(w.pend);
  w.pend = pd;
}

export function growF64(a: Float64Array, need: number): Float64Array {
  if (need <= a.length) return a;
  const b = new Float64Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}
export function growI32(a: Int32Array, need: number): Int32Array {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}
