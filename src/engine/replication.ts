/**
 * The hot loop: one replication of the mission over a `CompiledModel`.
 *
 * 1. Timelines (stream "availability"): regime path is drawn from
 *    "incidents"; sensor outages, UAV sorties and jamming, satellite phases
 *    and team unavailability from "availability".
 * 2. Incidents (stream "incidents"): a piecewise-constant Poisson process
 *    (day/night × regime) by exact inversion of the cumulative intensity;
 *    each incident gets its place (hence sector and the sensors watching it,
 *    through the compiled cell table), severity, the uniforms that decide
 *    detection by each channel, and — if it needs verification — its
 *    reporting/tasking delays, access delay and denial. Everything that does
 *    not depend on the allocation comes from this stream, so every
 *    allocation sees the same incidents (common random numbers). Detection
 *    latencies come from "detection".
 * 3. Dispatch: a discrete-event simulation over a typed-array heap (stream
 *    "dispatch" for cross-national delays and on-site times). Incidents
 *    enter the heap as the clock reaches them, so it holds tens of events.
 * 4. Tally: outcomes, times, coverage, team busy time into `ws.tally`.
 *
 * Where the workspace has a WebAssembly core (./core.ts, the default where
 * WebAssembly runs), each phase runs there instead: the same computation,
 * compiled from AssemblyScript (./wasm/), with the same results bit for bit;
 * this file is its reference and the engine everywhere else.
 *
 * Buffers live in the workspace. Two rules keep V8 fast here: where a call
 * may not be inlined (the samplers, the dispatch handlers), a double crosses
 * it through a Float64Array or a workspace field rather than as an argument
 * or return value, which would be boxed (and the boxing spreads to inlined
 * paths); and no ArrayBuffer in the thread is ever detached, which would add
 * a guard to every typed-array access (see src/node/worker.ts).
 */
import { CH_FIXED, CH_PARTIES, CH_PATROL, CH_SAT, CH_UAV, GUIDE, type CompiledModel } from "../compile/compile.js";
import { dist2d } from "../model/geometry.js";
import { coreCoverage, coreDispatch, coreIncidents, coreReset, coreTally, coreTimelines } from "./core.js";
import { exponentialInto } from "../rng/exponential.js";
import { leastOf, sampleInto } from "../rng/samplers.js";
import type { Rng, Streams } from "../rng/streams.js";
import { HIST_BINS } from "../layout/histogram.js";
import { binOf } from "../stats/histogram.js";
import { heapPop, heapPush } from "./heap.js";
import {
  F_CH,
  F_COV,
  F_COV2,
  F_COVDAY,
  F_COVNIGHT,
  F_CRITICAL,
  F_DENIED,
  F_DET,
  F_DETLAT,
  F_DISPATCH,
  F_EXPDAY,
  F_EXPNIGHT,
  F_HEND,
  F_INC,
  F_MINOR_REC,
  F_NOTEAM,
  F_QUEUED,
  F_RESP,
  F_T_ACCESS,
  F_T_DETECT,
  F_T_MOBILISE,
  F_T_TASK,
  F_T_TRAVEL,
  F_T_WAIT,
  F_UNDET,
  F_VERIFIABLE,
  F_VERIFIED,
  F_WAIT,
  F_WITHIN,
  F_XNAT,
  F_XSECTOR,
  SECTOR_FIELDS,
  T_BUSY,
  T_DOWN,
  T_TASKS,
  TEAM_FIELDS,
} from "./tally.js";
import { growF64, growI32, growIncidents, type Workspace } from "./workspace.js";

/** Incident outcomes: every incident ends in exactly one. */
export const OUTCOMES = [
  "pending",
  "verified",
  "denied",
  "no-eligible-team",
  "horizon-end",
  "undetected",
  "recorded",
] as const;
export const OUT_PENDING = 0,
  OUT_VERIFIED = 1,
  OUT_DENIED = 2,
  OUT_NO_TEAM = 3,
  OUT_HORIZON = 4,
  OUT_UNDETECTED = 5,
  OUT_RECORDED = 6;

const EV_READY = 0,
  EV_DONE = 1,
  EV_FREE = 2,
  EV_UP = 3;
/** Heap items are (id << EV_SHIFT) | kind. */
const EV_SHIFT = 2;
/** Draws every incident takes first from the incident stream: the gap to the next one, then seven uniforms. */
const DRAWS = 8;

function isNight(m: CompiledModel, t: number): boolean {
  const h = t - 24 * Math.floor(t / 24);
  return h < m.dawn || h >= m.dusk;
}

/** Night hours in [0, t). */
function nightBefore(m: CompiledModel, t: number): number {
  const d = Math.floor(t / 24),
    h = t - 24 * d;
  return d * (24 - (m.dusk - m.dawn)) + Math.min(h, m.dawn) + Math.max(0, h - m.dusk);
}

/** The next daylight instant at or after t. */
function nextDawn(m: CompiledModel, t: number): number {
  const d = Math.floor(t / 24),
    h = t - 24 * d;
  if (h < m.dawn) return 24 * d + m.dawn;
  if (h >= m.dusk) return 24 * (d + 1) + m.dawn;
  return t;
}

/** Next day/night boundary strictly after t (computed from absolute times, so rounding cannot stall it). */
function nextSwitch(m: CompiledModel, t: number): number {
  const base = 24 * Math.floor(t / 24);
  let c = base + m.dawn;
  if (c > t) return c;
  c = base + m.dusk;
  if (c > t) return c;
  c = base + 24 + m.dawn;
  if (c > t) return c;
  return base + 24 + m.dusk;
}

/** The engine that runs replications, as provenance names it. */
export const ENGINE = "wasm-core";

/** Run one replication; the tally and histograms in `ws` hold its results afterwards. */
export function runReplication(m: CompiledModel, rng: Streams, ws: Workspace): void {
  resetPhase(ws);
  timelinesPhase(m, rng, ws);
  incidentsPhase(m, rng, ws);
  dispatchPhase(m, rng, ws);
  tallyPhase(m, ws);
  coveragePhase(m, ws);
}

/**
 * The phases of `runReplication`, in order, for profiling: `npm run bench:phases` times each. Running them
 * in this order is exactly `runReplication` (a test checks). Internal: the package does not export it.
 */
export const PHASES: readonly (readonly [
  name: string,
  run: (m: CompiledModel, rng: Streams, ws: Workspace) => void,
])[] = [
  ["reset", (_m, _rng, ws) => resetPhase(ws)],
  ["timelines", timelinesPhase],
  ["incidents and detection", incidentsPhase],
  ["dispatch", dispatchPhase],
  ["tally", (m, _rng, ws) => tallyPhase(m, ws)],
  ["coverage", (m, _rng, ws) => coveragePhase(m, ws)],
];

/** Empty the tally and histograms, on the workspace's WebAssembly core when it has one. */
function resetPhase(ws: Workspace): void {
  if (ws.core) coreReset(ws);
  else {
    ws.tally.fill(0);
    clearHistograms(ws);
  }
}

// ---------------------------------------------------------------------------
// 1. Timelines

/** Phase 1 on the workspace's WebAssembly core when it has one (./core.ts), else in JavaScript: the same timelines. */
function timelinesPhase(m: CompiledModel, rng: Streams, ws: Workspace): void {
  if (ws.core) coreTimelines(m, rng, ws);
  else buildTimelines(m, rng, ws);
}

function buildTimelines(m: CompiledModel, rng: Streams, ws: Workspace): void {
  const end = m.drainEnd;
  // Regime path from the incident stream (it shapes the incidents).
  const R = m.nRegimes,
    ri = rng.incidents;
  let r = 0;
  const u0 = ri.next();
  while (r < R - 1 && u0 >= m.regInitCum[r]!) r++;
  let t = 0,
    n = 0;
  for (;;) {
    if (n === ws.regT.length) {
      ws.regT = growF64(ws.regT, n * 2);
      ws.regR = growI32(ws.regR, n * 2);
    }
    ws.regT[n] = t;
    ws.regR[n] = r;
    n++;
    const mean = m.regMean[r]!;
    if (!(mean < Infinity) || R === 1) break;
    exponentialInto(ri, ws.out, 0);
    t += mean * ws.out[0]!;
    if (t >= m.end) break;
    const u = ri.next();
    let j = 0;
    while (j < R - 1 && u >= m.regNextCum[r * R + j]!) j++;
    r = j;
  }
  ws.nReg = n;

  const ra = rng.availability;
  // Fixed sensors: alternating up (exponential, mean MTBF) and repair spells, started in the long-run state.
  let k = 0;
  const W = m.nFixed + m.nUav;
  ws.upOff[0] = 0;
  for (let j = 0; j < m.nFixed; j++) {
    const mtbf = m.fxMtbf[j]!;
    if (mtbf === 0) {
      k = pushUp(ws, k, 0, end, 1);
    } else {
      const row = m.fxRepairRow[j]!;
      let tt = 0;
      // Start down with probability repair/(mtbf+repair) using the mean repair time.
      const meanRepair = m.fxRepairMean[j]!;
      let up = ra.next() >= meanRepair / (mtbf + meanRepair);
      while (tt < end) {
        if (up) {
          exponentialInto(ra, ws.out, 0);
          const d = mtbf * ws.out[0]!;
          k = pushUp(ws, k, tt, Math.min(end, tt + d), 1);
          tt += d;
        } else {
          sampleInto(m.dist, m.distValues, row, ra, ws.out, 0);
          tt += ws.out[0]!;
        }
        up = !up;
      }
    }
    ws.upOff[j + 1] = k;
  }
  // UAVs: sorties every cycle from a random phase (shared by aircraft flying the same orbit, staggered).
  for (let g = 0; g < ws.uavGroupPhase.length; g++) ws.uavGroupPhase[g] = -1;
  for (let j = 0; j < m.nUav; j++) {
    const g = m.uvGroup[j]!;
    if (ws.uavGroupPhase[g]! < 0) ws.uavGroupPhase[g] = ra.next();
    const cycle = m.uvCycle[j]!;
    const phase = ((ws.uavGroupPhase[g]! + m.uvStagger[j]!) % 1) * cycle - cycle;
    const jp = m.uvJamP[j]!,
      jf = m.uvJamF[j]!;
    for (let start = phase; start < end; start += cycle) {
      const jam = ra.next() < jp;
      const a = start + m.uvOnStart[j]!,
        b = Math.min(end, start + m.uvOnEnd[j]!);
      if (b > 0 && b > a) k = pushUp(ws, k, Math.max(0, a), b, jam ? jf : 1);
    }
    ws.upOff[m.nFixed + j + 1] = k;
  }
  for (let j = 0; j < W; j++) ws.upPtr[j] = ws.upOff[j]!;
  for (let j = 0; j < m.nSat; j++) ws.satPhase[j] = ra.next() * m.satRevisit[j]!;

  // Teams: unavailable spells (rotation, maintenance) as an alternating renewal process.
  let q = 0;
  ws.dnOff[0] = 0;
  for (let i = 0; i < m.nTeams; i++) {
    const a = m.tmAvail[i]!;
    if (a < 1) {
      const down = m.tmDown[i]!,
        upMean = (down * a) / (1 - a);
      let tt = 0,
        up = ra.next() < a;
      while (tt < end) {
        exponentialInto(ra, ws.out, 0);
        const d = (up ? upMean : down) * ws.out[0]!;
        if (!up) {
          if (q === ws.dnStart.length) {
            ws.dnStart = growF64(ws.dnStart, q * 2);
            ws.dnEnd = growF64(ws.dnEnd, q * 2);
          }
          ws.dnStart[q] = tt;
          ws.dnEnd[q] = tt + d;
          q++;
        }
        tt += d;
        up = !up;
      }
    }
    ws.dnOff[i + 1] = q;
    ws.dnPtr[i] = ws.dnOff[i]!;
  }
}

function pushUp(ws: Workspace, k: number, a: number, b: number, factor: number): number {
  if (k === ws.upStart.length) {
    ws.upStart = growF64(ws.upStart, k * 2);
    ws.upEnd = growF64(ws.upEnd, k * 2);
    ws.upFactor = growF64(ws.upFactor, k * 2);
  }
  ws.upStart[k] = a;
  ws.upEnd[k] = b;
  ws.upFactor[k] = factor;
  return k + 1;
}

// ---------------------------------------------------------------------------
// 2. Incidents and detection

/** Phase 2 on the workspace's WebAssembly core when it has one (./core.ts), else in JavaScript: the same incidents. */
function incidentsPhase(m: CompiledModel, rng: Streams, ws: Workspace): void {
  if (ws.core) coreIncidents(m, rng, ws);
  else generateIncidents(m, rng, ws);
}

function generateIncidents(m: CompiledModel, rng: Streams, ws: Workspace): void {
  const ri = rng.incidents,
    rd = rng.detection;
  // Everything the loop reads, as locals (the loop runs once per incident).
  const dist = m.dist,
    vals = m.distValues,
    nSat = m.nSat;
  const cellFrom = m.cellFrom,
    cellTo = m.cellTo,
    cellSector = m.cellSector,
    cellSeg = m.cellSeg;
  const cellCumDay = m.cellCumDay,
    cellCumNight = m.cellCumNight,
    guideDay = m.guideDay,
    guideNight = m.guideNight;
  const sevCum = m.sevCum,
    segFixOff = m.segFixOff,
    segFixIdx = m.segFixIdx,
    segUvOff = m.segUvOff,
    segUvIdx = m.segUvIdx;
  const watchPd = m.watchPd,
    watchPn = m.watchPn,
    watchLatRow = m.watchLatRow;
  const satSees = m.satSees,
    satFrom = m.satFrom,
    satTo = m.satTo,
    satRevisit = m.satRevisit,
    satWindow = m.satWindow,
    satPd = m.satPd,
    satPn = m.satPn,
    satLatRow = m.satLatRow;
  const patrolDay = m.patrolDay,
    patrolNight = m.patrolNight,
    patrolRow = m.patrolRow,
    partiesP = m.partiesP,
    partiesRow = m.partiesRow;
  const accessRow = m.accessRow,
    denial = m.denial,
    reportRow = m.reportRow,
    taskingRow = m.taskingRow;
  const upOff = ws.upOff,
    upStart = ws.upStart,
    upEnd = ws.upEnd,
    upFactor = ws.upFactor,
    upPtr = ws.upPtr,
    satPhase = ws.satPhase;
  const reqRow = ws.reqRow,
    reqCh = ws.reqCh,
    U = ws.draws,
    out = ws.out,
    dawn = m.dawn,
    dusk = m.dusk;
  let n = 0,
    nPend = 0;
  let t = 0,
    reg = 0;
  let night = isNight(m, 0);
  let regEnd = ws.nReg > 1 ? ws.regT[1]! : Infinity;
  let boundary = Math.min(nextSwitch(m, 0), regEnd, m.end);
  let L = m.regMult[ws.regR[0]!]! * (night ? m.rateNight : m.rateDay);
  exponentialInto(ri, U, 0);
  let e = U[0]!;
  const nightCut = m.dusk - m.dawn < 24;
  for (;;) {
    const room = L * (boundary - t);
    if (e >= room) {
      e -= room;
      t = boundary;
      if (t >= m.end) break;
      if (t >= regEnd) {
        reg++;
        regEnd = reg + 1 < ws.nReg ? ws.regT[reg + 1]! : Infinity;
      }
      night = nightCut && isNight(m, t);
      boundary = Math.min(nextSwitch(m, t), regEnd, m.end);
      L = m.regMult[ws.regR[reg]!]! * (night ? m.rateNight : m.rateDay);
      continue;
    }
    t += e / L;
    // The gap to the next incident (a unit exponential), then the incident's fixed draws in stream order at
    // one call site (so the generator inlines once): place, severity, then one per detection channel (fixed,
    // UAV, patrol, parties, satellite).
    exponentialInto(ri, U, 0);
    e = U[0]!;
    for (let q = 1; q < DRAWS; q++) U[q] = ri.next();
    if (n === ws.incT.length) growIncidents(ws, n + 1);

    // Place, hence sector and elementary segment (whose fixed sensors and UAV orbits are exactly those
    // watching it), from one uniform through the cell table; then severity.
    const cum = night ? cellCumNight : cellCumDay;
    const ux = U[1]!;
    let c = (night ? guideNight : guideDay)[(ux * GUIDE) | 0]!;
    while (ux >= cum[c]!) c++;
    const lo = c > 0 ? cum[c - 1]! : 0;
    const x = cellFrom[c]! + ((ux - lo) / (cum[c]! - lo)) * (cellTo[c]! - cellFrom[c]!);
    const s = cellSector[c]!,
      seg = cellSeg[c]!;
    ws.incCell[n] = c;
    const usev = U[2]!;
    const sev = +(usev >= sevCum[2 * s]!) + +(usev >= sevCum[2 * s + 1]!); // 0 minor, 1 major, 2 critical

    // Detection: one uniform per channel from the incident stream, split among that channel's sensors;
    // the first detecting channel in time wins.
    // Which channels detect is decided first (fixed sensors, UAVs, patrols, parties, as (row, channel)
    // requests); their latencies are then drawn in that order and the least wins (leastOf); satellites,
    // which watch from their passes, then compete on absolute time.
    let nReq = 0;
    // Fixed sensors (channel 0, uniform U[3]), then UAV orbits (channel 1, U[4]): the segment lists exactly
    // those watching it, as watching-sensor indices.
    for (let c = 0; c < 2 && seg >= 0; c++) {
      const off = c === 0 ? segFixOff : segUvOff,
        idx = c === 0 ? segFixIdx : segUvIdx,
        ch = c === 0 ? CH_FIXED : CH_UAV;
      let u = U[3 + c]!;
      for (let a = off[seg]!, a1 = off[seg + 1]!; a < a1; a++) {
        const w = idx[a]!;
        // Is sensor w up at t (its pointer only moves forward, as t does)?
        let q = upPtr[w]!;
        const qe = upOff[w + 1]!;
        while (q < qe && upEnd[q]! <= t) q++;
        upPtr[w] = q;
        if (q === qe || upStart[q]! > t) continue;
        const pr = upFactor[q]! * (night ? watchPn[w]! : watchPd[w]!);
        if (pr <= 0) continue;
        // Detects when u < pr; u is then rescaled to a fresh uniform for the next sensor: u/pr on a hit,
        // (u − pr)/(1 − pr) on a miss. Written without a branch (h is 0 or 1; the products are exact), since
        // hits and misses alternate unpredictably.
        const h = +(u < pr);
        reqRow[nReq] = watchLatRow[w]!;
        reqCh[nReq] = ch;
        nReq += h;
        u = (u - (1 - h) * pr) / (h * pr + (1 - h) * (1 - pr));
      }
    }
    let u = U[5]!;
    reqRow[nReq] = patrolRow[s]!;
    reqCh[nReq] = CH_PATROL;
    nReq += +(u < (night ? patrolNight[s]! : patrolDay[s]!));
    u = U[6]!;
    reqRow[nReq] = partiesRow;
    reqCh[nReq] = CH_PARTIES;
    nReq += +(u < partiesP);
    let chan = -1,
      det = Infinity;
    if (nReq > 0) {
      const r = leastOf(dist, vals, reqRow, nReq, rd, out);
      chan = reqCh[r]!;
      det = t + out[0]!;
    }
    u = U[7]!;
    const sevBit = 1 << sev;
    for (let j = 0; j < nSat; j++) {
      if ((satSees[j]! & sevBit) === 0 || x < satFrom[j]! || x > satTo[j]!) continue;
      const rev = satRevisit[j]!,
        ph = satPhase[j]!;
      let pass = ph + Math.ceil((t - ph) / rev) * rev;
      const last = t + satWindow[j]!;
      // The hour of day of each pass, stepped along with it.
      let hour = pass - 24 * Math.floor(pass / 24);
      for (; pass <= last && pass < det; pass += rev) {
        const pr = hour < dawn || hour >= dusk ? satPn[j]! : satPd[j]!;
        hour += rev;
        while (hour >= 24) hour -= 24;
        if (u < pr) {
          u /= pr;
          sampleInto(dist, vals, satLatRow[j]!, rd, out, 0);
          const td = pass + out[0]!;
          if (td < det) {
            det = td;
            chan = CH_SAT;
          }
          break;
        }
        if (pr > 0) u = (u - pr) / (1 - pr);
      }
    }

    ws.incT[n] = t;
    ws.incX[n] = x;
    ws.incSec[n] = s;
    ws.incSev[n] = sev;
    ws.incDet[n] = det;
    ws.incChan[n] = chan;
    if (sev > 0) {
      // Verification-worthy: reporting and tasking delays, then access delay, decided now from the incident
      // stream (one call site, so the sampler stays inlined), and whether access is denied.
      sampleInto(dist, vals, reportRow, ri, out, 0);
      sampleInto(dist, vals, taskingRow, ri, out, 1);
      sampleInto(dist, vals, accessRow[s]!, ri, out, 2);
      const report = out[0]!,
        tasking = out[1]!;
      ws.incAccess[n] = out[2]!;
      ws.incDenied[n] = ri.next() < denial[s]! ? 1 : 0;
      if (det < Infinity) {
        // Listed for dispatch; its ready event enters the queue when dispatch reaches time t (dispatchAll).
        ws.incReady[n] = det + report + tasking;
        ws.incOutcome[n] = OUT_PENDING;
        ws.pend[nPend++] = n;
      } else ws.incOutcome[n] = OUT_UNDETECTED;
    } else ws.incOutcome[n] = det < Infinity ? OUT_RECORDED : OUT_UNDETECTED;
    n++;
  }
  ws.n = n;
  ws.nPend = nPend;
}

// ---------------------------------------------------------------------------
// 3. Dispatch

/** Phase 3 on the workspace's WebAssembly core when it has one (./core.ts), else in JavaScript: the same dispatch. */
function dispatchPhase(m: CompiledModel, rng: Streams, ws: Workspace): void {
  if (ws.core) coreDispatch(m, rng, ws);
  else dispatchAll(m, rng, ws);
}

function isDown(ws: Workspace, k: number, t: number): boolean {
  let p = ws.dnPtr[k]!;
  const e = ws.dnOff[k + 1]!;
  while (p < e && ws.dnEnd[p]! <= t) p++;
  ws.dnPtr[k] = p;
  return p < e && ws.dnStart[p]! <= t;
}

function travelTime(m: CompiledModel, ws: Workspace, k: number, s: number, x: number): number {
  if (m.matrix) return m.travelHours[s * m.nBases + m.tmBase[k]!]!;
  return (m.circuity * dist2d(x - ws.tmLocX[k]!, ws.tmLocOff[k]!)) / m.tmSpeed[k]!;
}

function dispatchAll(m: CompiledModel, rng: Streams, ws: Workspace): void {
  const T = m.nTeams,
    heap = ws.heap;
  heap.size = 0;
  for (let k = 0; k < T; k++) {
    ws.tmBusy[k] = 0;
    ws.tmLocX[k] = m.tmX[k]!;
    ws.tmLocOff[k] = m.tmOff[k]!;
    ws.tmInc[k] = -1;
    // Each team's next return from unavailability is queued; popping it queues the one after.
    ws.dnNext[k] = ws.dnOff[k]!;
    pushNextUp(m, ws, k);
  }
  ws.qCritHead = ws.qCritLen = ws.qMajHead = ws.qMajLen = 0;
  ws.queued.fill(0);
  const tb = (m.nSectors + 1) * SECTOR_FIELDS;

  // Incidents enter the queue lazily: a ready time is never before the incident's own time, so admitting
  // every incident that has happened by the earliest queued event keeps the order exact and the heap small.
  const pend = ws.pend,
    nPend = ws.nPend,
    incT = ws.incT,
    incReady = ws.incReady,
    drainEnd = m.drainEnd;
  let g = 0,
    events = 0;
  for (;;) {
    let top = heap.size > 0 ? heap.time[0]! : Infinity;
    while (g < nPend && incT[pend[g]!]! <= top) {
      const i = pend[g]!,
        r = incReady[i]!;
      g++;
      // An incident ready strictly before every queued event and every incident still to come (whose ready
      // times are no earlier than their own) is the next event: handled at once, without the queue.
      if (r < top && r <= drainEnd && (g === nPend || r < incT[pend[g]!]!)) {
        events++;
        ws.now = r;
        ready(m, rng, ws, i);
        top = heap.size > 0 ? heap.time[0]! : Infinity;
        continue;
      }
      heapPush(heap, r, (i << EV_SHIFT) | EV_READY);
      top = heap.time[0]!;
    }
    if (heap.size === 0) break;
    const t = heap.time[0]!,
      v = heap.item[0]!;
    if (t > drainEnd) break;
    heapPop(heap);
    events++;
    // The clock, read by the handlers below (a field, not an argument: a double passed to a call the
    // compiler does not inline is boxed).
    ws.now = t;
    const kind = v & ((1 << EV_SHIFT) - 1),
      id = v >> EV_SHIFT;
    if (kind === EV_READY) {
      ready(m, rng, ws, id);
    } else if (kind === EV_DONE) {
      // The team is at the incident (verified, or turned away there).
      ws.tmLocX[id] = ws.incX[ws.tmInc[id]!]!;
      ws.tmLocOff[id] = 0;
      afterTask(m, rng, ws, id);
    } else if (kind === EV_FREE) {
      ws.tmLocX[id] = m.tmX[id]!;
      ws.tmLocOff[id] = m.tmOff[id]!;
      ws.tmBusy[id] = 0;
      addBusy(m, ws, tb + id * TEAM_FIELDS, ws.tmBusyFrom[id]!, t);
      if (!isDown(ws, id, t)) serveQueue(m, rng, ws, id);
    } else {
      pushNextUp(m, ws, id);
      if (ws.tmBusy[id] === 0 && !isDown(ws, id, t)) serveQueue(m, rng, ws, id);
    }
  }
  ws.events = events;
  // Teams still out at the end count as busy to the end of the window.
  for (let k = 0; k < T; k++) if (ws.tmBusy[k]) addBusy(m, ws, tb + k * TEAM_FIELDS, ws.tmBusyFrom[k]!, m.end);
  // Team unavailability inside the window.
  for (let k = 0; k < T; k++) {
    let d = 0;
    for (let q = ws.dnOff[k]!; q < ws.dnOff[k + 1]!; q++)
      d += Math.max(0, Math.min(m.end, ws.dnEnd[q]!) - Math.max(m.warmup, ws.dnStart[q]!));
    ws.tally[tb + k * TEAM_FIELDS + T_DOWN] = d;
  }
}

/** Incident i is ready for tasking (at ws.now): a team goes, or it waits. */
function ready(m: CompiledModel, rng: Streams, ws: Workspace, i: number): void {
  const s = ws.incSec[i]!;
  if (m.elOff[s] === m.elOff[s + 1]) {
    ws.incOutcome[i] = OUT_NO_TEAM;
    return;
  }
  // While an incident of the sector waits, no team that may serve the sector is free and available (a team
  // that becomes so takes the oldest waiting incident it may serve): this one waits too.
  if (ws.queued[s]! > 0) {
    enqueue(m, ws, i);
    return;
  }
  const k = chooseTeam(m, ws, i);
  if (k >= 0) dispatch(m, rng, ws, k, i);
  else enqueue(m, ws, i);
}

/** Queue team k's next end of unavailability (within the drain window), if any. */
function pushNextUp(m: CompiledModel, ws: Workspace, k: number): void {
  const q = ws.dnNext[k]!;
  if (q < ws.dnOff[k + 1]! && ws.dnEnd[q]! < m.drainEnd) {
    heapPush(ws.heap, ws.dnEnd[q]!, (k << EV_SHIFT) | EV_UP);
    ws.dnNext[k] = q + 1;
  }
}

function addBusy(m: CompiledModel, ws: Workspace, o: number, a: number, b: number): void {
  const d = Math.min(b, m.end) - Math.max(a, m.warmup);
  if (d > 0) ws.tally[o + T_BUSY]! += d;
}

/** Pick an available eligible team for incident i at time t, or −1. */
function chooseTeam(m: CompiledModel, ws: Workspace, i: number): number {
  const t = ws.now;
  const s = ws.incSec[i]!,
    x = ws.incX[i]!;
  let best = -1,
    bt = Infinity;
  if (m.fixedPreference) {
    // Fixed preference: the first available team in the sector's order.
    for (let e = m.elOff[s]!; e < m.elOff[s + 1]!; e++) {
      const k = m.elIdx[e]!;
      if (!ws.tmBusy[k] && !isDown(ws, k, t)) return k;
    }
    return -1;
  }
  // Available teams are at their base, so travel ≥ the team's lower bound for the incident's cell; the list is
  // sorted by that bound, and the scan stops once no later team can be nearer.
  const c0 = ws.incCell[i]!;
  for (let e = m.nearStart[c0]!, e1 = m.nearEnd[c0]!; e < e1; e++) {
    if (m.nearLow[e]! >= bt) break;
    const k = m.nearIdx[e]!;
    if (ws.tmBusy[k] || isDown(ws, k, t)) continue;
    // The rest of k's run would cost exactly as much, and only a strictly lower cost wins.
    e = m.nearRunEnd[e]! - 1;
    let c = travelTime(m, ws, k, s, x);
    if (m.earliestArrival) {
      let dep = t;
      if (m.tmState[k] !== m.secLead[s]) dep += m.crossMean;
      if (!m.tmNight[k] && isNight(m, dep)) dep = nextDawn(m, dep);
      c += dep - t;
    }
    if (c < bt) {
      bt = c;
      best = k;
    }
  }
  return best;
}

function dispatch(m: CompiledModel, rng: Streams, ws: Workspace, k: number, i: number): void {
  const t = ws.now;
  const s = ws.incSec[i]!;
  if (!ws.tmBusy[k]) {
    ws.tmBusy[k] = 1;
    ws.tmBusyFrom[k] = t;
  }
  ws.tmInc[k] = i;
  const cross = m.tmState[k] !== m.secLead[s];
  let dep = t;
  if (cross) {
    sampleInto(m.dist, m.distValues, m.crossRow, rng.dispatch, ws.out, 0);
    dep += ws.out[0]!;
  }
  if (!m.tmNight[k] && isNight(m, dep)) dep = nextDawn(m, dep);
  const travel = travelTime(m, ws, k, s, ws.incX[i]!);
  ws.incWait[i] = t - ws.incReady[i]!;
  ws.incMob[i] = dep - t;
  ws.incTravel[i] = travel;
  if (ws.incT[i]! >= m.warmup) {
    const o = s * SECTOR_FIELDS;
    ws.tally[o + F_DISPATCH]! += 1;
    if (ws.incWait[i]! > 0) ws.tally[o + F_QUEUED]! += 1;
    ws.tally[o + F_WAIT]! += ws.incWait[i]!;
    if (m.tmHome[k] !== s) ws.tally[o + F_XSECTOR]! += 1;
    if (cross) ws.tally[o + F_XNAT]! += 1;
    ws.tally[(m.nSectors + 1) * SECTOR_FIELDS + k * TEAM_FIELDS + T_TASKS]! += 1;
  }
  // Nothing watches a team on its way, so its arrival needs no event of its own: the task ends at arrival
  // when access is denied, else after the time on site. The outcome stands if arrival falls within the run.
  const arrive = dep + travel + ws.incAccess[i]!;
  let done = arrive;
  if (ws.incDenied[i]) {
    if (arrive <= m.drainEnd) ws.incOutcome[i] = OUT_DENIED;
  } else {
    sampleInto(m.dist, m.distValues, m.tmOnSiteRow[k]!, rng.dispatch, ws.out, 0);
    done += ws.out[0]!;
    if (arrive <= m.drainEnd) {
      ws.incOutcome[i] = OUT_VERIFIED;
      ws.incArrive[i] = arrive;
    }
  }
  heapPush(ws.heap, done, (k << EV_SHIFT) | EV_DONE);
}

/** After verifying (or being denied), a team takes the next queued task from the field, or returns to base. */
function afterTask(m: CompiledModel, rng: Streams, ws: Workspace, k: number): void {
  const t = ws.now;
  ws.tmInc[k] = -1;
  if (m.retask && serveQueue(m, rng, ws, k)) return;
  const back = m.matrix
    ? returnMatrix(m, ws, k)
    : (m.circuity * dist2d(ws.tmLocX[k]! - m.tmX[k]!, m.tmOff[k]! - ws.tmLocOff[k]!)) / m.tmSpeed[k]!;
  heapPush(ws.heap, t + back, (k << EV_SHIFT) | EV_FREE);
}

/** Return time in matrix mode: the matrix time from the team's base to the sector it was in. */
function returnMatrix(m: CompiledModel, ws: Workspace, k: number): number {
  const x = ws.tmLocX[k]!;
  let s = 0;
  while (s < m.nSectors - 1 && x >= m.secTo[s]!) s++;
  return m.travelHours[s * m.nBases + m.tmBase[k]!]!;
}

function enqueue(m: CompiledModel, ws: Workspace, i: number): void {
  ws.queued[ws.incSec[i]!]! += 1;
  if (m.criticalFirst && ws.incSev[i] === 2) {
    if (ws.qCritHead + ws.qCritLen === ws.qCrit.length) compact(ws, true);
    ws.qCrit[ws.qCritHead + ws.qCritLen++] = i;
  } else {
    if (ws.qMajHead + ws.qMajLen === ws.qMaj.length) compact(ws, false);
    ws.qMaj[ws.qMajHead + ws.qMajLen++] = i;
  }
}

/** Drop served slots and shift the queue to the front, growing it when full. */
function compact(ws: Workspace, crit: boolean): void {
  const q = crit ? ws.qCrit : ws.qMaj;
  const head = crit ? ws.qCritHead : ws.qMajHead,
    len = crit ? ws.qCritLen : ws.qMajLen;
  let n = 0;
  for (let a = head; a < head + len; a++) if (q[a]! >= 0) q[n++] = q[a]!;
  const out = n >= q.length / 2 ? growI32(q, q.length * 2) : q;
  if (crit) {
    ws.qCrit = out;
    ws.qCritHead = 0;
    ws.qCritLen = n;
  } else {
    ws.qMaj = out;
    ws.qMajHead = 0;
    ws.qMajLen = n;
  }
}

/** Give team k the oldest queued incident it may serve (critical first); false when none. */
function serveQueue(m: CompiledModel, rng: Streams, ws: Workspace, k: number): boolean {
  const T = m.nTeams;
  for (let pass = 0; pass < 2; pass++) {
    const crit = pass === 0;
    const q = crit ? ws.qCrit : ws.qMaj;
    let head = crit ? ws.qCritHead : ws.qMajHead,
      len = crit ? ws.qCritLen : ws.qMajLen;
    // Skip served slots at the head.
    while (len > 0 && q[head]! < 0) {
      head++;
      len--;
    }
    for (let a = head; a < head + len; a++) {
      const i = q[a]!;
      if (i < 0 || !ws.elig[ws.incSec[i]! * T + k]) continue;
      q[a] = -1;
      ws.queued[ws.incSec[i]!]! -= 1;
      if (a === head) {
        head++;
        len--;
      }
      if (crit) {
        ws.qCritHead = head;
        ws.qCritLen = len;
      } else {
        ws.qMajHead = head;
        ws.qMajLen = len;
      }
      dispatch(m, rng, ws, k, i);
      return true;
    }
    if (crit) {
      ws.qCritHead = head;
      ws.qCritLen = len;
    } else {
      ws.qMajHead = head;
      ws.qMajLen = len;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------
// 4. Tally

/** Phase 4 on the workspace's WebAssembly core when it has one (./core.ts), else in JavaScript: the same tally. */
function tallyPhase(m: CompiledModel, ws: Workspace): void {
  if (ws.core) coreTally(ws);
  else tallyIncidents(m, ws);
}

function tallyIncidents(m: CompiledModel, ws: Workspace): void {
  const S = m.nSectors,
    tally = ws.tally;
  for (let i = 0; i < ws.n; i++) {
    if (ws.incT[i]! < m.warmup) continue;
    const s = ws.incSec[i]!,
      o = s * SECTOR_FIELDS,
      sev = ws.incSev[i]!;
    tally[o + F_INC]! += 1;
    if (sev === 2) tally[o + F_CRITICAL]! += 1;
    const det = ws.incDet[i]!;
    if (det < Infinity) {
      const lat = det - ws.incT[i]!;
      tally[o + F_DET]! += 1;
      tally[o + F_DETLAT]! += lat;
      tally[o + F_CH + ws.incChan[i]!]! += 1;
      const b = binOf(lat);
      countDet(ws, s, b);
      countDet(ws, S, b);
    }
    if (sev === 0) {
      if (ws.incOutcome[i] === OUT_RECORDED) tally[o + F_MINOR_REC]! += 1;
      continue;
    }
    tally[o + F_VERIFIABLE]! += 1;
    switch (ws.incOutcome[i]) {
      case OUT_VERIFIED: {
        const resp = ws.incArrive[i]! - ws.incT[i]!;
        tally[o + F_VERIFIED]! += 1;
        tally[o + F_RESP]! += resp;
        if (resp <= m.standard) tally[o + F_WITHIN]! += 1;
        tally[o + F_T_DETECT]! += det - ws.incT[i]!;
        tally[o + F_T_TASK]! += ws.incReady[i]! - det;
        tally[o + F_T_WAIT]! += ws.incWait[i]!;
        tally[o + F_T_MOBILISE]! += ws.incMob[i]!;
        tally[o + F_T_TRAVEL]! += ws.incTravel[i]!;
        tally[o + F_T_ACCESS]! += ws.incAccess[i]!;
        const b = binOf(resp);
        countResp(ws, s, b);
        countResp(ws, S, b);
        break;
      }
      case OUT_DENIED:
        tally[o + F_DENIED]! += 1;
        break;
      case OUT_NO_TEAM:
        tally[o + F_NOTEAM]! += 1;
        break;
      case OUT_UNDETECTED:
        tally[o + F_UNDET]! += 1;
        break;
      default:
        ws.incOutcome[i] = OUT_HORIZON;
        tally[o + F_HEND]! += 1;
    }
  }
}

/**
 * Count one value in bin b of block `block` (a sector, or the line) of the detection or response histogram,
 * noting bins that were empty (and each response block's lowest and highest bin), so that clearing, adding
 * up and quantiles read only the few bins a replication touched.
 */
function countDet(ws: Workspace, block: number, b: number): void {
  const idx = block * HIST_BINS + b,
    h = ws.detHist;
  if (h[idx] === 0) {
    if (ws.nDetTouched === ws.detTouched.length) ws.detTouched = growI32(ws.detTouched, 2 * ws.nDetTouched);
    ws.detTouched[ws.nDetTouched++] = idx;
  }
  h[idx]! += 1;
}

function countResp(ws: Workspace, block: number, b: number): void {
  const idx = block * HIST_BINS + b,
    h = ws.respHist;
  if (h[idx] === 0) {
    if (ws.nRespTouched === ws.respTouched.length) ws.respTouched = growI32(ws.respTouched, 2 * ws.nRespTouched);
    ws.respTouched[ws.nRespTouched++] = idx;
    const bd = ws.respBounds;
    if (b < bd[2 * block]!) bd[2 * block] = b;
    if (b > bd[2 * block + 1]!) bd[2 * block + 1] = b;
  }
  h[idx]! += 1;
}

/** Empty the histograms the last replication filled (only its touched bins). */
function clearHistograms(ws: Workspace): void {
  for (let q = 0; q < ws.nRespTouched; q++) ws.respHist[ws.respTouched[q]!] = 0;
  for (let q = 0; q < ws.nDetTouched; q++) ws.detHist[ws.detTouched[q]!] = 0;
  ws.nRespTouched = ws.nDetTouched = 0;
  const bd = ws.respBounds;
  for (let q = 0; q < bd.length; q += 2) {
    bd[q] = HIST_BINS;
    bd[q + 1] = -1;
  }
}

/** Phase 5 on the workspace's WebAssembly core when it has one (./core.ts), else in JavaScript: the same coverage. */
function coveragePhase(m: CompiledModel, ws: Workspace): void {
  if (ws.core) coreCoverage(ws);
  else tallyCoverage(m, ws);
}

/**
 * Coverage: for each elementary segment of the line, the time in [warmup,
 * end) during which at least one (and at least two) of its watching sensors
 * is up, split by day and night — an exact sweep over the sensors' sorted
 * up-intervals, in line-km-hours. The UAV orbits over a segment form a set
 * shared with its neighbours; each set's on-station count is merged, once
 * per replication and only if a segment needs it, into a step function, then
 * each segment merges that with its few fixed sensors.
 */
function tallyCoverage(m: CompiledModel, ws: Workspace): void {
  const a0 = m.warmup,
    a1 = m.end;
  const nightTotal = nightBefore(m, a1) - nightBefore(m, a0);
  const dayTotal = a1 - a0 - nightTotal;
  const tally = ws.tally;
  ws.stepN = 0;
  ws.stepEnd.fill(-1);
  const segFixOff = m.segFixOff,
    segFixIdx = m.segFixIdx,
    covCur = ws.covCur,
    upOff = ws.upOff,
    upStart = ws.upStart,
    upEnd = ws.upEnd,
    pre = ws.pre;
  const nb0 = nightBefore(m, a0);
  // Fixed sensors up for the whole window (no outage inside it) add a constant 1 and no events to the sweep.
  const full = ws.fullUp,
    live = ws.liveIdx;
  for (let j = 0; j < m.nFixed; j++) {
    let q = upOff[j]!;
    while (q < upOff[j + 1]! && upEnd[q]! <= a0) q++;
    full[j] = q < upOff[j + 1]! && upStart[q]! <= a0 && upEnd[q]! >= a1 ? 1 : 0;
  }
  for (let g = 0; g < m.segFrom.length; g++) {
    const len = m.segTo[g]! - m.segFrom[g]!,
      o = m.segSector[g]! * SECTOR_FIELDS;
    tally[o + F_EXPDAY]! += len * dayTotal;
    tally[o + F_EXPNIGHT]! += len * nightTotal;
    const set = m.segUavSet[g]!;
    if (segFixOff[g] === segFixOff[g + 1] && set < 0) continue;
    let base = 0,
      nLive = 0;
    for (let q = segFixOff[g]!; q < segFixOff[g + 1]!; q++) {
      const j = segFixIdx[q]!;
      if (full[j]) base++;
      else {
        live[nLive++] = j;
        covCur[j] = 0;
      }
    }
    if (base >= 2) {
      // Two fixed sensors watch throughout.
      const all = a1 - a0;
      tally[o + F_COV]! += len * all;
      tally[o + F_COVNIGHT]! += len * nightTotal;
      tally[o + F_COVDAY]! += len * (all - nightTotal);
      tally[o + F_COV2]! += len * all;
      continue;
    }
    // Sweep the other fixed sensors' events. Between them: with two fixed sensors up, or one and no UAVs, the
    // answer needs no UAV timeline; otherwise the UAV set's prefix sums (p1, n1, p2, valid at time preAt) give it
    // exactly.
    let fix = base,
      tPrev = a0,
      nbPrev = nb0,
      cov = 0,
      covNight = 0,
      cov2 = 0;
    let preAt = -1,
      p1 = 0,
      n1 = 0,
      p2 = 0;
    for (;;) {
      let tNext = Infinity,
        who = -1,
        isEnd = false;
      for (let q = 0; q < nLive; q++) {
        const j = live[q]!,
          e = covCur[j]!;
        const idx = upOff[j]! + (e >> 1);
        if (idx >= upOff[j + 1]!) continue;
        const et = e & 1 ? upEnd[idx]! : upStart[idx]!;
        if (et < tNext) {
          tNext = et;
          who = j;
          isEnd = (e & 1) === 1;
        }
      }
      const tc = Math.min(Math.max(tNext, a0), a1);
      if (tc > tPrev) {
        const nbC = nightBefore(m, tc),
          dt = tc - tPrev;
        if (fix >= 2 || (fix === 1 && set < 0)) {
          cov += dt;
          covNight += nbC - nbPrev;
          if (fix >= 2) cov2 += dt;
        } else if (set >= 0) {
          if (ws.stepEnd[set]! < 0) buildUavSet(m, ws, set, a0, a1);
          if (preAt !== tPrev) {
            stepPrefix(ws, set, tPrev);
            p1 = pre[0]!;
            n1 = pre[1]!;
            p2 = pre[2]!;
          }
          stepPrefix(ws, set, tc);
          const q1 = pre[0]!,
            m1 = pre[1]!,
            q2 = pre[2]!;
          if (fix === 1) {
            cov += dt;
            covNight += nbC - nbPrev;
            cov2 += q1 - p1;
          } else {
            cov += q1 - p1;
            covNight += m1 - n1;
            cov2 += q2 - p2;
          }
          p1 = q1;
          n1 = m1;
          p2 = q2;
          preAt = tc;
        }
        tPrev = tc;
        nbPrev = nbC;
      }
      if (who < 0 || tNext >= a1) break;
      fix += isEnd ? -1 : 1;
      covCur[who]! += 1;
    }
    tally[o + F_COV]! += len * cov;
    tally[o + F_COVNIGHT]! += len * covNight;
    tally[o + F_COVDAY]! += len * (cov - covNight);
    tally[o + F_COV2]! += len * cov2;
  }
}

/**
 * Prefix sums of UAV set `set` at time t into ws.pre: hours from the window start with ≥ 1 orbit on station,
 * the night part of those, and hours with ≥ 2. Binary search over the set's change points.
 */
function stepPrefix(ws: Workspace, set: number, t: number): void {
  const pre = ws.pre;
  pre[0] = pre[1] = pre[2] = 0;
  if (set < 0) return;
  let lo = ws.stepOff[set]!,
    hi = ws.stepEnd[set]! - 1;
  if (hi < lo || ws.stepT[lo]! > t) return;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ws.stepT[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  const dt = t - ws.stepT[lo]!,
    c = ws.stepC[lo]!;
  pre[0] = ws.stepP1[lo]! + (c >= 1 ? dt : 0);
  pre[1] = ws.stepN1[lo]! + (c >= 1 ? nightBefore(ws.model, t) - nightBefore(ws.model, ws.stepT[lo]!) : 0);
  pre[2] = ws.stepP2[lo]! + (c >= 2 ? dt : 0);
}

/**
 * UAV set u's number of orbits on station over [a0, a1) as (time, count) change points, appended to the
 * step arrays at ws.stepN (stepOff[u], stepEnd[u] delimit them), with prefix sums at each. Built when a
 * segment first needs it in a replication: sets whose segments always have two fixed sensors up never are.
 */
function buildUavSet(m: CompiledModel, ws: Workspace, u: number, a0: number, a1: number): void {
  const uavSetIdx = m.uavSetIdx;
  const upOff = ws.upOff,
    upStart = ws.upStart,
    upEnd = ws.upEnd,
    covCur = ws.covCur;
  let k = ws.stepN;
  const k0 = k;
  const s0 = m.uavSetOff[u]!,
    s1 = m.uavSetOff[u + 1]!;
  for (let q = s0; q < s1; q++) covCur[uavSetIdx[q]!] = 0;
  let count = 0;
  let stepT = ws.stepT,
    stepC = ws.stepC;
  for (;;) {
    let tNext = Infinity,
      who = -1,
      isEnd = false;
    for (let q = s0; q < s1; q++) {
      const j = uavSetIdx[q]!,
        e = covCur[j]!;
      const idx = upOff[j]! + (e >> 1);
      if (idx >= upOff[j + 1]!) continue;
      const et = e & 1 ? upEnd[idx]! : upStart[idx]!;
      if (et < tNext) {
        tNext = et;
        who = j;
        isEnd = (e & 1) === 1;
      }
    }
    if (who < 0 || tNext >= a1) break;
    count += isEnd ? -1 : 1;
    covCur[who]! += 1;
    if (k + 1 >= stepT.length) {
      const n = stepT.length * 2;
      ws.stepT = growF64(stepT, n);
      ws.stepP1 = growF64(ws.stepP1, n);
      ws.stepN1 = growF64(ws.stepN1, n);
      ws.stepP2 = growF64(ws.stepP2, n);
      ws.stepC = growI32(stepC, n);
      stepT = ws.stepT;
      stepC = ws.stepC;
    }
    // Several changes at one instant collapse into the last.
    const tc = Math.max(tNext, a0);
    if (k > k0 && stepT[k - 1] === tc) stepC[k - 1] = count;
    else {
      stepT[k] = tc;
      stepC[k] = count;
      k++;
    }
  }
  ws.stepOff[u] = k0;
  ws.stepEnd[u] = k;
  ws.stepN = k;
  // Prefix sums at each change point: hours with ≥ 1 on station (and their night part), hours with ≥ 2.
  if (k === k0) return;
  const stepP1 = ws.stepP1,
    stepN1 = ws.stepN1,
    stepP2 = ws.stepP2;
  stepP1[k0] = 0;
  stepN1[k0] = 0;
  stepP2[k0] = 0;
  let nb0 = nightBefore(m, stepT[k0]!);
  for (let i = k0 + 1; i < k; i++) {
    const t0 = stepT[i - 1]!,
      t1 = stepT[i]!,
      c = stepC[i - 1]!,
      nb1 = nightBefore(m, t1);
    stepP1[i] = stepP1[i - 1]! + (c >= 1 ? t1 - t0 : 0);
    stepN1[i] = stepN1[i - 1]! + (c >= 1 ? nb1 - nb0 : 0);
    stepP2[i] = stepP2[i - 1]! + (c >= 2 ? t1 - t0 : 0);
    nb0 = nb1;
  }
}
