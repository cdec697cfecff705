/**
 * The host of the WebAssembly core: every phase of a replication (reset,
 * timelines, incidents and detection, dispatch, tally, coverage) compiled
 * from AssemblyScript (`./wasm/`), the same computation as the JavaScript
 * engine in `./replication.ts` and bit for bit the same: the same draws in the
 * same order, the same arithmetic, and the engine's own `exp`
 * (`src/rng/exp.ts`) on both sides. `tests/core.test.ts` compares every
 * incident, tally number and histogram bin of the two on every shipped
 * scenario under every coordination rule, and `tests/properties.test.ts` on
 * random scenarios. The JavaScript engine stays the reference, and runs where
 * the core cannot (no WebAssembly, or a model with gamma durations).
 *
 * Each workspace owns an instance of the core and its memory. The model's
 * arrays are copied in once; the workspace's incident arrays, tally and
 * histograms are views of the core's memory, and only the generators' states
 * cross per phase (130 words each). The memory never grows: a replication
 * that needs more room than it has gets a new, larger instance (growing a
 * memory would detach its buffer, and one detached buffer slows every typed
 * array in the thread; see src/node/worker.ts).
 */
import { DIST_GAMMA, DIST_WIDTH } from "../layout/codes.js";
import type { Streams } from "../rng/streams.js";
import { EXPONENTIAL_ZIGGURAT } from "../rng/exponential.js";
import { NORMAL_ZIGGURAT } from "../rng/normal.js";
import { EXP2_TABLE } from "../rng/exp.js";
import type { CompiledModel } from "../compile/compile.js";
import { GUIDE } from "../compile/compile.js";
import { HIST_MIN, HIST_OCTAVES, HIST_SUB } from "../layout/histogram.js";
import { CORE_WASM } from "./wasm/binary.generated.js";
import * as L from "./wasm/layout.js";
import type { Workspace } from "./workspace.js";

let compiled: WebAssembly.Module | null | undefined;

function coreBytes(): Uint8Array<ArrayBuffer> {
  const s = atob(CORE_WASM);
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/**
 * The compiled core, compiled synchronously on first use (Node, Deno and Chromium's main thread allow it for a
 * module this small); null where WebAssembly is missing or refuses, and replications then run in JavaScript.
 */
function coreModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = typeof WebAssembly === "object" ? new WebAssembly.Module(coreBytes()) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** One instance of the core over its own memory, for one workspace. @internal */
export interface Core {
  resetTally: () => void;
  buildTimelines: () => void;
  generateIncidents: () => void;
  dispatchAll: () => void;
  tallyIncidents: () => void;
  tallyCoverage: () => void;
  /** exp and log as the core computes them (for tests). */
  exp: (x: number) => number;
  log: (x: number) => number;
  /** Room for incidents, timeline intervals, regime changes. */
  room: Room;
  /** Views of the per-replication inputs and of the results. */
  upOff: Int32Array;
  upStart: Float64Array;
  upEnd: Float64Array;
  upFactor: Float64Array;
  satPhase: Float64Array;
  regT: Float64Array;
  regR: Int32Array;
  dnOff: Int32Array;
  dnStart: Float64Array;
  dnEnd: Float64Array;
  dnPtr: Int32Array;
  /** The whole memory as words, and where the four generators' states sit in it. */
  words: Int32Array;
  incidentsAt: number;
  detectionAt: number;
  dispatchAt: number;
  availabilityAt: number;
  scalars: Float64Array;
  results: Int32Array;
}

/** The distribution rows the core samples: it does not draw gamma (the JavaScript engine does). */
function coreSupports(m: CompiledModel): boolean {
  const rows = [
    ...m.watchLatRow,
    ...m.satLatRow,
    ...m.patrolRow,
    ...m.accessRow,
    ...m.tmOnSiteRow,
    ...m.fxRepairRow,
    m.partiesRow,
    m.reportRow,
    m.taskingRow,
    m.crossRow,
  ];
  return rows.every((r) => m.dist[r * DIST_WIDTH] !== DIST_GAMMA);
}

type Typed = Float64Array | Int32Array | Uint8Array | Int8Array;
type TypedCtor = { new (buffer: ArrayBuffer, byteOffset: number, length: number): Typed; BYTES_PER_ELEMENT: number };

/** How much a core has room for. @internal */
export interface Room {
  /** Incidents. */
  incidents: number;
  /** Sensor up-intervals, regime spells, team unavailable spells. */
  up: number;
  reg: number;
  dn: number;
  /** Change points of the UAV sets' step functions (coverage). */
  steps: number;
}

/**
 * A core for model m with the given room; the workspace's incident arrays, tally and histograms become views of
 * its memory, taking the workspace's tally and histograms along (not its incidents). Null when the core is
 * unavailable or the model samples gamma where the core would.
 * @internal
 */
export function attachCore(m: CompiledModel, ws: Workspace, room: Room): Core | null {
  const mod = coreModule();
  if (!mod || !coreSupports(m)) return null;
  const W = m.nFixed + m.nUav,
    T = m.nTeams,
    capacity = room.incidents,
    nSets = m.uavSetOff.length - 1;
  let upLeaves = 1;
  while (upLeaves < T) upLeaves *= 2;
  // Lay out every array from L.ARRAYS up, 8-byte aligned, in slot order.
  const plan: [slot: number, ctor: TypedCtor, length: number, init?: Typed][] = [
    [L.A_CELL_FROM, Float64Array, m.cellFrom.length, m.cellFrom],
    [L.A_CELL_TO, Float64Array, m.cellTo.length, m.cellTo],
    [L.A_CELL_SECTOR, Int32Array, m.cellSector.length, m.cellSector],
    [L.A_CELL_SEG, Int32Array, m.cellSeg.length, m.cellSeg],
    [L.A_CELL_CUM_DAY, Float64Array, m.cellCumDay.length, m.cellCumDay],
    [L.A_CELL_CUM_NIGHT, Float64Array, m.cellCumNight.length, m.cellCumNight],
    [L.A_GUIDE_DAY, Int32Array, m.guideDay.length, m.guideDay],
    [L.A_GUIDE_NIGHT, Int32Array, m.guideNight.length, m.guideNight],
    [L.A_SEV_CUM, Float64Array, m.sevCum.length, m.sevCum],
    [L.A_SEG_FIX_OFF, Int32Array, m.segFixOff.length, m.segFixOff],
    [L.A_SEG_FIX_IDX, Int32Array, m.segFixIdx.length, m.segFixIdx],
    [L.A_SEG_UV_OFF, Int32Array, m.segUvOff.length, m.segUvOff],
    [L.A_SEG_UV_IDX, Int32Array, m.segUvIdx.length, m.segUvIdx],
    [L.A_WATCH_PD, Float64Array, m.watchPd.length, m.watchPd],
    [L.A_WATCH_PN, Float64Array, m.watchPn.length, m.watchPn],
    [L.A_WATCH_LAT_ROW, Int32Array, m.watchLatRow.length, m.watchLatRow],
    [L.A_SAT_SEES, Uint8Array, m.satSees.length, m.satSees],
    [L.A_SAT_FROM, Float64Array, m.satFrom.length, m.satFrom],
    [L.A_SAT_TO, Float64Array, m.satTo.length, m.satTo],
    [L.A_SAT_REVISIT, Float64Array, m.satRevisit.length, m.satRevisit],
    [L.A_SAT_WINDOW, Float64Array, m.satWindow.length, m.satWindow],
    [L.A_SAT_PD, Float64Array, m.satPd.length, m.satPd],
    [L.A_SAT_PN, Float64Array, m.satPn.length, m.satPn],
    [L.A_SAT_LAT_ROW, Int32Array, m.satLatRow.length, m.satLatRow],
    [L.A_PATROL_DAY, Float64Array, m.patrolDay.length, m.patrolDay],
    [L.A_PATROL_NIGHT, Float64Array, m.patrolNight.length, m.patrolNight],
    [L.A_PATROL_ROW, Int32Array, m.patrolRow.length, m.patrolRow],
    [L.A_ACCESS_ROW, Int32Array, m.accessRow.length, m.accessRow],
    [L.A_DENIAL, Float64Array, m.denial.length, m.denial],
    [L.A_REG_MULT, Float64Array, m.regMult.length, m.regMult],
    [L.A_DIST, Float64Array, m.dist.length, m.dist],
    [L.A_DIST_VALUES, Float64Array, m.distValues.length, m.distValues],
    [L.A_NORM_K, Int32Array, 128, NORMAL_ZIGGURAT.K],
    [L.A_NORM_W, Float64Array, 128, NORMAL_ZIGGURAT.W],
    [L.A_NORM_F, Float64Array, 128, NORMAL_ZIGGURAT.F],
    [L.A_EXP2_TABLE, Float64Array, EXP2_TABLE.length, EXP2_TABLE],
    [L.A_REG_INIT_CUM, Float64Array, m.regInitCum.length, m.regInitCum],
    [L.A_REG_MEAN, Float64Array, m.regMean.length, m.regMean],
    [L.A_REG_NEXT_CUM, Float64Array, m.regNextCum.length, m.regNextCum],
    [L.A_FX_MTBF, Float64Array, m.fxMtbf.length, m.fxMtbf],
    [L.A_FX_REPAIR_ROW, Int32Array, m.fxRepairRow.length, m.fxRepairRow],
    [L.A_FX_REPAIR_MEAN, Float64Array, m.fxRepairMean.length, m.fxRepairMean],
    [L.A_UV_GROUP, Int32Array, m.uvGroup.length, m.uvGroup],
    [L.A_UV_CYCLE, Float64Array, m.uvCycle.length, m.uvCycle],
    [L.A_UV_STAGGER, Float64Array, m.uvStagger.length, m.uvStagger],
    [L.A_UV_JAM_P, Float64Array, m.uvJamP.length, m.uvJamP],
    [L.A_UV_JAM_F, Float64Array, m.uvJamF.length, m.uvJamF],
    [L.A_UV_ON_START, Float64Array, m.uvOnStart.length, m.uvOnStart],
    [L.A_UV_ON_END, Float64Array, m.uvOnEnd.length, m.uvOnEnd],
    [L.A_UAV_GROUP_PHASE, Float64Array, Math.max(1, m.nUav)],
    [L.A_TM_AVAIL, Float64Array, T, m.tmAvail],
    [L.A_TM_DOWN, Float64Array, T, m.tmDown],
    [L.A_RNG_AVAILABILITY, Int32Array, L.RNG_BYTES / 4],
    [L.A_SENSOR_STATE, Float64Array, 8 * W],
    [L.A_DRAWS, Float64Array, 8],
    [L.A_MEMBER_NEXT, Float64Array, Math.max(1, m.nUav)],
    [L.A_UP_TREE_T, Float64Array, 2 * upLeaves],
    [L.A_UP_TREE_V, Int32Array, 2 * upLeaves],
    [L.A_EXP_K, Float64Array, 256, EXPONENTIAL_ZIGGURAT.K],
    [L.A_EXP_W, Float64Array, 256, EXPONENTIAL_ZIGGURAT.W],
    [L.A_EXP_F, Float64Array, 256, EXPONENTIAL_ZIGGURAT.F],
    [L.A_UP_OFF, Int32Array, W + 1],
    [L.A_UP_START, Float64Array, room.up],
    [L.A_UP_END, Float64Array, room.up],
    [L.A_UP_FACTOR, Float64Array, room.up],
    [L.A_UP_PTR, Int32Array, W],
    [L.A_SAT_PHASE, Float64Array, m.nSat],
    [L.A_REG_T, Float64Array, room.reg],
    [L.A_REG_R, Int32Array, room.reg],
    [L.A_RNG_INCIDENTS, Int32Array, L.RNG_BYTES / 4],
    [L.A_RNG_DETECTION, Int32Array, L.RNG_BYTES / 4],
    [L.A_INC_T, Float64Array, capacity],
    [L.A_INC_X, Float64Array, capacity],
    [L.A_INC_SEC, Int32Array, capacity],
    [L.A_INC_CELL, Int32Array, capacity],
    [L.A_INC_SEV, Uint8Array, capacity],
    [L.A_INC_DET, Float64Array, capacity],
    [L.A_INC_CHAN, Int8Array, capacity],
    [L.A_INC_ACCESS, Float64Array, capacity],
    [L.A_INC_DENIED, Uint8Array, capacity],
    [L.A_INC_READY, Float64Array, capacity],
    [L.A_INC_OUTCOME, Uint8Array, capacity],
    [L.A_PEND, Int32Array, capacity],
    [L.A_REQ_ROW, Int32Array, W + 2],
    [L.A_REQ_CH, Int32Array, W + 2],
    [L.A_EL_OFF, Int32Array, m.elOff.length, m.elOff],
    [L.A_EL_IDX, Int32Array, m.elIdx.length, m.elIdx],
    [L.A_NEAR_START, Int32Array, m.nearStart.length, m.nearStart],
    [L.A_NEAR_END, Int32Array, m.nearEnd.length, m.nearEnd],
    [L.A_NEAR_IDX, Int32Array, m.nearIdx.length, m.nearIdx],
    [L.A_NEAR_LOW, Float64Array, m.nearLow.length, m.nearLow],
    [L.A_NEAR_RUN_END, Int32Array, m.nearRunEnd.length, m.nearRunEnd],
    [L.A_TM_X, Float64Array, T, m.tmX],
    [L.A_TM_OFF, Float64Array, T, m.tmOff],
    [L.A_TM_SPEED, Float64Array, T, m.tmSpeed],
    [L.A_TM_STATE, Int32Array, T, m.tmState],
    [L.A_TM_NIGHT, Uint8Array, T, m.tmNight],
    [L.A_TM_HOME, Int32Array, T, m.tmHome],
    [L.A_TM_ON_SITE_ROW, Int32Array, T, m.tmOnSiteRow],
    [L.A_TM_BASE, Int32Array, T, m.tmBase],
    [L.A_SEC_LEAD, Int32Array, m.secLead.length, m.secLead],
    [L.A_SEC_TO, Float64Array, m.secTo.length, m.secTo],
    [L.A_TRAVEL_HOURS, Float64Array, m.travelHours.length, m.travelHours],
    [L.A_ELIG, Uint8Array, ws.elig.length, ws.elig],
    [L.A_DN_OFF, Int32Array, T + 1],
    [L.A_DN_START, Float64Array, room.dn],
    [L.A_DN_END, Float64Array, room.dn],
    [L.A_DN_PTR, Int32Array, T],
    [L.A_DN_NEXT, Int32Array, T],
    [L.A_RNG_DISPATCH, Int32Array, L.RNG_BYTES / 4],
    [L.A_TM_BUSY, Uint8Array, T],
    [L.A_TM_BUSY_FROM, Float64Array, T],
    [L.A_TM_LOC_X, Float64Array, T],
    [L.A_TM_LOC_OFF, Float64Array, T],
    [L.A_TM_INC, Int32Array, T],
    [L.A_QUEUED, Int32Array, m.nSectors],
    // Each incident enters a queue at most once, so a queue of capacity + 1 slots never fills; the heap holds
    // at most the waiting ready events and one per team (a task's end or return; ends of unavailability are in
    // a tree of their own).
    [L.A_Q_CRIT, Int32Array, capacity + 1],
    [L.A_Q_MAJ, Int32Array, capacity + 1],
    [L.A_HEAP_T, Float64Array, capacity + 2 * T + 1],
    [L.A_HEAP_I, Int32Array, capacity + 2 * T + 1],
    [L.A_INC_ARRIVE, Float64Array, capacity],
    [L.A_INC_WAIT, Float64Array, capacity],
    [L.A_INC_MOB, Float64Array, capacity],
    [L.A_INC_TRAVEL, Float64Array, capacity],
    [L.A_TALLY, Float64Array, ws.tally.length, ws.tally],
    [L.A_RESP_HIST, Float64Array, ws.respHist.length, ws.respHist],
    [L.A_DET_HIST, Float64Array, ws.detHist.length, ws.detHist],
    // A replication touches each bin at most once.
    [L.A_RESP_TOUCHED, Int32Array, ws.respHist.length, ws.respTouched.subarray(0, ws.nRespTouched)],
    [L.A_DET_TOUCHED, Int32Array, ws.detHist.length, ws.detTouched.subarray(0, ws.nDetTouched)],
    [L.A_RESP_BOUNDS, Int32Array, ws.respBounds.length, ws.respBounds],
    [L.A_SEG_FROM, Float64Array, m.segFrom.length, m.segFrom],
    [L.A_SEG_TO, Float64Array, m.segTo.length, m.segTo],
    [L.A_SEG_SECTOR, Int32Array, m.segSector.length, m.segSector],
    [L.A_SEG_UAV_SET, Int32Array, m.segUavSet.length, m.segUavSet],
    [L.A_UAV_SET_OFF, Int32Array, m.uavSetOff.length, m.uavSetOff],
    [L.A_UAV_SET_IDX, Int32Array, m.uavSetIdx.length, m.uavSetIdx],
    [L.A_FULL_UP, Uint8Array, m.nFixed],
    [L.A_LIVE_IDX, Int32Array, m.nFixed],
    [L.A_COV_CUR, Int32Array, W],
    [L.A_STEP_OFF, Int32Array, nSets],
    [L.A_STEP_END, Int32Array, nSets],
    [L.A_STEP_T, Float64Array, room.steps],
    [L.A_STEP_C, Int32Array, room.steps],
    [L.A_STEP_P1, Float64Array, room.steps],
    [L.A_STEP_N1, Float64Array, room.steps],
    [L.A_STEP_P2, Float64Array, room.steps],
  ];
  const at = new Int32Array(L.N_ARRAYS);
  let bytes = L.ARRAYS;
  for (const [slot, ctor, length] of plan) {
    at[slot] = bytes;
    bytes += Math.ceil((Math.max(1, length) * ctor.BYTES_PER_ELEMENT) / 8) * 8;
  }
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  const buf = memory.buffer;
  new Int32Array(buf, 0, L.N_ARRAYS).set(at);
  const views: Typed[] = [];
  for (const [slot, ctor, length, init] of plan) {
    const v = new ctor(buf, at[slot]!, length);
    if (init) v.set(init as never);
    views[slot] = v;
  }
  const instance = new WebAssembly.Instance(mod, { env: { memory } });
  const ex = instance.exports as {
    resetTally: () => void;
    buildTimelines: () => void;
    generateIncidents: () => void;
    dispatchAll: () => void;
    tallyIncidents: () => void;
    tallyCoverage: () => void;
    engineExp: (x: number) => number;
    engineLog: (x: number) => number;
  };
  const scalars = new Float64Array(buf, L.SCALARS, L.N_SCALARS);
  scalars[L.S_DAWN] = m.dawn;
  scalars[L.S_DUSK] = m.dusk;
  scalars[L.S_RATE_DAY] = m.rateDay;
  scalars[L.S_RATE_NIGHT] = m.rateNight;
  scalars[L.S_END] = m.end;
  scalars[L.S_PARTIES_P] = m.partiesP;
  scalars[L.S_PARTIES_ROW] = m.partiesRow;
  scalars[L.S_REPORT_ROW] = m.reportRow;
  scalars[L.S_TASKING_ROW] = m.taskingRow;
  scalars[L.S_N_SAT] = m.nSat;
  scalars[L.S_CAPACITY] = capacity;
  scalars[L.S_GUIDE] = GUIDE;
  scalars[L.S_WARMUP] = m.warmup;
  scalars[L.S_DRAIN_END] = m.drainEnd;
  scalars[L.S_N_TEAMS] = T;
  scalars[L.S_N_SECTORS] = m.nSectors;
  scalars[L.S_N_BASES] = m.nBases;
  scalars[L.S_MATRIX] = +m.matrix;
  scalars[L.S_CIRCUITY] = m.circuity;
  scalars[L.S_EARLIEST_ARRIVAL] = +m.earliestArrival;
  scalars[L.S_FIXED_PREFERENCE] = +m.fixedPreference;
  scalars[L.S_CRITICAL_FIRST] = +m.criticalFirst;
  scalars[L.S_RETASK] = +m.retask;
  scalars[L.S_CROSS_ROW] = m.crossRow;
  scalars[L.S_CROSS_MEAN] = m.crossMean;
  scalars[L.S_N_UAV] = m.nUav;
  scalars[L.S_N_REGIMES] = m.nRegimes;
  scalars[L.S_TALLY_SIZE] = ws.tally.length;
  scalars[L.S_UP_LEAVES] = upLeaves;
  scalars[L.S_UP_ROOM] = room.up;
  scalars[L.S_REG_ROOM] = room.reg;
  scalars[L.S_DN_ROOM] = room.dn;
  scalars[L.S_N_FIXED] = m.nFixed;
  scalars[L.S_N_SEGMENTS] = m.segFrom.length;
  scalars[L.S_N_UAV_SETS] = nSets;
  scalars[L.S_STANDARD] = m.standard;
  scalars[L.S_HIST_MIN] = HIST_MIN;
  scalars[L.S_HIST_OCTAVES] = HIST_OCTAVES;
  scalars[L.S_HIST_SUB] = HIST_SUB;
  // The workspace's incident arrays and tally become views of the core's.
  ws.incT = views[L.A_INC_T] as Float64Array;
  ws.incX = views[L.A_INC_X] as Float64Array;
  ws.incSec = views[L.A_INC_SEC] as Int32Array;
  ws.incCell = views[L.A_INC_CELL] as Int32Array;
  ws.incSev = views[L.A_INC_SEV] as Uint8Array;
  ws.incDet = views[L.A_INC_DET] as Float64Array;
  ws.incChan = views[L.A_INC_CHAN] as Int8Array;
  ws.incAccess = views[L.A_INC_ACCESS] as Float64Array;
  ws.incDenied = views[L.A_INC_DENIED] as Uint8Array;
  ws.incReady = views[L.A_INC_READY] as Float64Array;
  ws.incOutcome = views[L.A_INC_OUTCOME] as Uint8Array;
  ws.pend = views[L.A_PEND] as Int32Array;
  ws.incArrive = views[L.A_INC_ARRIVE] as Float64Array;
  ws.incWait = views[L.A_INC_WAIT] as Float64Array;
  ws.incMob = views[L.A_INC_MOB] as Float64Array;
  ws.incTravel = views[L.A_INC_TRAVEL] as Float64Array;
  ws.tally = views[L.A_TALLY] as Float64Array;
  ws.respHist = views[L.A_RESP_HIST] as Float64Array;
  ws.detHist = views[L.A_DET_HIST] as Float64Array;
  ws.respTouched = views[L.A_RESP_TOUCHED] as Int32Array;
  ws.detTouched = views[L.A_DET_TOUCHED] as Int32Array;
  ws.respBounds = views[L.A_RESP_BOUNDS] as Int32Array;
  const core: Core = {
    resetTally: ex.resetTally,
    buildTimelines: ex.buildTimelines,
    generateIncidents: ex.generateIncidents,
    dispatchAll: ex.dispatchAll,
    tallyIncidents: ex.tallyIncidents,
    tallyCoverage: ex.tallyCoverage,
    exp: ex.engineExp,
    log: ex.engineLog,
    room,
    upOff: views[L.A_UP_OFF] as Int32Array,
    upStart: views[L.A_UP_START] as Float64Array,
    upEnd: views[L.A_UP_END] as Float64Array,
    upFactor: views[L.A_UP_FACTOR] as Float64Array,
    satPhase: views[L.A_SAT_PHASE] as Float64Array,
    regT: views[L.A_REG_T] as Float64Array,
    regR: views[L.A_REG_R] as Int32Array,
    dnOff: views[L.A_DN_OFF] as Int32Array,
    dnStart: views[L.A_DN_START] as Float64Array,
    dnEnd: views[L.A_DN_END] as Float64Array,
    dnPtr: views[L.A_DN_PTR] as Int32Array,
    availabilityAt: at[L.A_RNG_AVAILABILITY]! >> 2,
    words: new Int32Array(buf),
    incidentsAt: at[L.A_RNG_INCIDENTS]! >> 2,
    detectionAt: at[L.A_RNG_DETECTION]! >> 2,
    dispatchAt: at[L.A_RNG_DISPATCH]! >> 2,
    scalars,
    results: new Int32Array(buf, L.RESULTS, 8),
  };
  ws.core = core;
  return core;
}

/** A replication's start on the core: the tally and the histogram bins the last one touched emptied. @internal */
export function coreReset(ws: Workspace): void {
  const core = ws.core!;
  core.results[L.R_N_RESP_TOUCHED] = ws.nRespTouched;
  core.results[L.R_N_DET_TOUCHED] = ws.nDetTouched;
  core.resetTally();
  ws.nRespTouched = ws.nDetTouched = 0;
}

/** Change points the UAV sets' step functions may need this replication: two per up-interval of each member. */
function stepsNeeded(m: CompiledModel, core: Core): number {
  let need = 0;
  for (let q = 0; q < m.uavSetIdx.length; q++) {
    const j = m.uavSetIdx[q]!;
    need += 2 * (core.upOff[j + 1]! - core.upOff[j]!);
  }
  return need;
}

/** A larger core (see attachCore) with the timelines of the replication under way carried over. */
function regrow(m: CompiledModel, ws: Workspace, old: Core, room: Room): Core {
  const core = attachCore(m, ws, room)!;
  const W = m.nFixed + m.nUav,
    T = m.nTeams,
    nUp = old.upOff[W]!,
    nDn = old.dnOff[T]!,
    nReg = old.results[L.R_N_REG]!;
  core.upOff.set(old.upOff);
  core.upStart.set(old.upStart.subarray(0, nUp));
  core.upEnd.set(old.upEnd.subarray(0, nUp));
  core.upFactor.set(old.upFactor.subarray(0, nUp));
  core.satPhase.set(old.satPhase);
  core.regT.set(old.regT.subarray(0, nReg));
  core.regR.set(old.regR.subarray(0, nReg));
  core.dnOff.set(old.dnOff);
  core.dnStart.set(old.dnStart.subarray(0, nDn));
  core.dnEnd.set(old.dnEnd.subarray(0, nDn));
  core.dnPtr.set(old.dnPtr);
  core.results[L.R_N_REG] = nReg;
  core.scalars[L.S_N_REG] = nReg;
  return core;
}

/** Phase 1 on the core: the same timelines as `buildTimelines`, in the core's memory. @internal */
export function coreTimelines(m: CompiledModel, rng: Streams, ws: Workspace): void {
  let core = ws.core!;
  for (;;) {
    rng.incidents.saveState(core.words, core.incidentsAt);
    rng.availability.saveState(core.words, core.availabilityAt);
    core.buildTimelines();
    if (core.results[L.R_TIMELINES_FIT] === 1) break;
    // More spells than room: a larger core, and the phase again from the same states.
    const room = core.room,
      nReg = core.results[L.R_N_REG]!;
    core = attachCore(m, ws, { ...room, up: 2 * room.up, reg: Math.max(nReg, room.reg), dn: 2 * room.dn })!;
  }
  rng.incidents.loadState(core.words, core.incidentsAt);
  rng.availability.loadState(core.words, core.availabilityAt);
  const nReg = core.results[L.R_N_REG]!;
  core.scalars[L.S_N_REG] = nReg;
  ws.nReg = nReg;
  const steps = stepsNeeded(m, core);
  if (steps > core.room.steps) regrow(m, ws, core, { ...core.room, steps: Math.max(steps, 2 * core.room.steps) });
}

/** Phase 2 on the core: the same incidents as `generateIncidents`, into the workspace. @internal */
export function coreIncidents(m: CompiledModel, rng: Streams, ws: Workspace): void {
  let core = ws.core!;
  for (;;) {
    rng.incidents.saveState(core.words, core.incidentsAt);
    rng.detection.saveState(core.words, core.detectionAt);
    // The core tallies what it knows of each incident as it makes it (part of phase 4), into the bins so far.
    core.results[L.R_N_RESP_TOUCHED] = ws.nRespTouched;
    core.results[L.R_N_DET_TOUCHED] = ws.nDetTouched;
    core.generateIncidents();
    const n = core.results[L.R_N]!;
    if (n >= 0) {
      rng.incidents.loadState(core.words, core.incidentsAt);
      rng.detection.loadState(core.words, core.detectionAt);
      ws.n = n;
      ws.nPend = core.results[L.R_N_PEND]!;
      ws.nRespTouched = core.results[L.R_N_RESP_TOUCHED]!;
      ws.nDetTouched = core.results[L.R_N_DET_TOUCHED]!;
      return;
    }
    // More incidents than room: a larger core, and the phase again from the same states, with the tally and
    // histograms as they were before it (nothing before phase 2 writes them: empty).
    ws.tally.fill(0);
    ws.detHist.fill(0);
    ws.respHist.fill(0);
    core = regrow(m, ws, core, { ...core.room, incidents: 2 * core.room.incidents });
  }
}

/** Phase 3 on the core: the same dispatch as `dispatchAll`, into the workspace's incidents and tally. @internal */
export function coreDispatch(_m: CompiledModel, rng: Streams, ws: Workspace): void {
  const core = ws.core!;
  rng.dispatch.saveState(core.words, core.dispatchAt);
  core.dispatchAll();
  rng.dispatch.loadState(core.words, core.dispatchAt);
  ws.events = core.results[L.R_EVENTS]!;
}

/**
 * Phase 4 on the core: the rest of the same tally as `tallyIncidents` (the core tallied the part known when it
 * made each incident), into the workspace's tally and histograms. @internal
 */
export function coreTally(ws: Workspace): void {
  const core = ws.core!,
    res = core.results;
  res[L.R_N_RESP_TOUCHED] = ws.nRespTouched;
  res[L.R_N_DET_TOUCHED] = ws.nDetTouched;
  core.tallyIncidents();
  ws.nRespTouched = res[L.R_N_RESP_TOUCHED]!;
  ws.nDetTouched = res[L.R_N_DET_TOUCHED]!;
}

/** Phase 5 on the core: the same coverage as `tallyCoverage`, into the workspace's tally. @internal */
export function coreCoverage(ws: Workspace): void {
  ws.core!.tallyCoverage();
}
