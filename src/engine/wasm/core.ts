// AssemblyScript: the engine's WebAssembly core. Its entry exports every phase of a replication: timelines
// (./timelines.ts), incidents and detection (here), dispatch (./dispatch.ts), the tally (./tally.ts) and
// coverage (./coverage.ts), each over the arrays the host (../core.ts) placed in linear memory as the
// declaration table (src/layout/declaration.ts) lays them out. The host (../replication.ts) calls the phases in
// order, copies the random generators' states in and out, and gives the core more room when a phase reports
// that it ran out. Every draw comes from a named stream in a fixed order, and the core computes exp and log
// itself (./exp.ts), so a replication's results depend on its seed alone, on every host.
//
// Phase 2, incidents and detection. Incidents arrive as a Poisson process whose rate is piecewise constant (day
// or night, times the current regime's multiplier), drawn by exact inversion of the cumulative intensity. Each
// incident's place (hence its sector and the sensors watching it, through the compiled cell table), severity,
// the uniforms that decide detection by each channel, and — if it needs verification — its reporting and
// tasking delays, access delay and denial come from the incident stream: everything that does not depend on
// the allocation, so every allocation sees the same incidents (common random numbers). Detection latencies come
// from the detection stream.
import * as L from "../../layout/slots.generated";
import { addr, f64At, i32At, setF64, setI32, setU8, u8At, scalar, setResult } from "./memory";
import { bindTables, incidentUniforms, exponential, next, normal, other, sample } from "./rng";
import { bindExp, exp, log } from "./exp";
import { bindTally, saveTouched, tallyMade } from "./tally";
import { bindCalendar, isNightSeq, nextSwitch } from "./calendar";

/** exp as the phases compute it, for the host's tests. */
export function engineExp(x: f64): f64 {
  bindExp();
  return exp(x);
}

/** log as the phases compute it, for the host's tests. */
export function engineLog(x: f64): f64 {
  return log(x);
}
export { buildTimelines } from "./timelines";
export { dispatchAll } from "./dispatch";
export { resetTally, tallyIncidents } from "./tally";
export { tallyCoverage } from "./coverage";

// Phase 2's model and scratch, read once per replication into globals (bindIncidents), which the steps below
// share.
let ri: usize = 0, rd: usize = 0, dist: usize = 0, draws: usize = 0, sens: usize = 0;
let guide: f64 = 0;
let cellFrom: usize = 0, cellTo: usize = 0, cellSector: usize = 0, cellSeg: usize = 0;
let cellCumDay: usize = 0, cellCumNight: usize = 0, guideDay: usize = 0, guideNight: usize = 0, sevCum: usize = 0;
let segFixOff: usize = 0, segFixIdx: usize = 0, segUvOff: usize = 0, segUvIdx: usize = 0;
let upOff: usize = 0, upStart: usize = 0, upEnd: usize = 0, upFactor: usize = 0;
let watchPd: usize = 0, watchPn: usize = 0, watchLatRow: usize = 0, reqRow: usize = 0, reqCh: usize = 0;
let nSat = 0, satSees: usize = 0, satFrom: usize = 0, satTo: usize = 0, satRevisit: usize = 0, satPhase: usize = 0;
let satWindow: usize = 0, satPd: usize = 0, satPn: usize = 0, satLatRow: usize = 0;
// Severity factors (read only when sevOn: some sensor type declares them; with none, every factor is 1).
let sevOn = false, watchSev: usize = 0, satSev: usize = 0;
let patrolDay: usize = 0, patrolNight: usize = 0, patrolRow: usize = 0, partiesP: f64 = 0, partiesRow = 0;
let reportRow = 0, taskingRow = 0, accessRow: usize = 0, denial: usize = 0;
let incT: usize = 0, incX: usize = 0, incSec: usize = 0, incCell: usize = 0, incSev: usize = 0, incDet: usize = 0;
let incChan: usize = 0, incAccess: usize = 0, incDenied: usize = 0, incReady: usize = 0, incOutcome: usize = 0;
let incReport: usize = 0, incTeam: usize = 0;
let nPatrolTeams = 0, psOff: usize = 0, psIdx: usize = 0, ptOff: usize = 0, ptStart: usize = 0, ptEnd: usize = 0;
let ptPtr: usize = 0, tmPatrolP: usize = 0, tmPatrolRow: usize = 0;
/** The request leastLatency picked. */
let leastAt = 0;

/** Read the model's scalars and the arrays' addresses into the globals: call at the start of the phase. */
function bindIncidents(): void {
  bindTables();
  bindTally();
  ri = addr(L.A_RNG_INCIDENTS); rd = addr(L.A_RNG_DETECTION); dist = addr(L.A_DIST);
  draws = addr(L.A_DRAWS); sens = addr(L.A_SENSOR_STATE);
  bindCalendar(); guide = scalar(L.S_GUIDE);
  cellFrom = addr(L.A_CELL_FROM); cellTo = addr(L.A_CELL_TO); cellSector = addr(L.A_CELL_SECTOR);
  cellSeg = addr(L.A_CELL_SEG); cellCumDay = addr(L.A_CELL_CUM_DAY); cellCumNight = addr(L.A_CELL_CUM_NIGHT);
  guideDay = addr(L.A_GUIDE_DAY); guideNight = addr(L.A_GUIDE_NIGHT); sevCum = addr(L.A_SEV_CUM);
  segFixOff = addr(L.A_SEG_FIX_OFF); segFixIdx = addr(L.A_SEG_FIX_IDX);
  segUvOff = addr(L.A_SEG_UV_OFF); segUvIdx = addr(L.A_SEG_UV_IDX);
  upOff = addr(L.A_UP_OFF); upStart = addr(L.A_UP_START); upEnd = addr(L.A_UP_END); upFactor = addr(L.A_UP_FACTOR);
  watchPd = addr(L.A_WATCH_PD); watchPn = addr(L.A_WATCH_PN); watchLatRow = addr(L.A_WATCH_LAT_ROW);
  reqRow = addr(L.A_REQ_ROW); reqCh = addr(L.A_REQ_CH);
  nSat = <i32>scalar(L.S_N_SAT);
  satSees = addr(L.A_SAT_SEES); satFrom = addr(L.A_SAT_FROM); satTo = addr(L.A_SAT_TO);
  satRevisit = addr(L.A_SAT_REVISIT); satPhase = addr(L.A_SAT_PHASE); satWindow = addr(L.A_SAT_WINDOW);
  satPd = addr(L.A_SAT_PD); satPn = addr(L.A_SAT_PN); satLatRow = addr(L.A_SAT_LAT_ROW);
  sevOn = scalar(L.S_SEV_FACTORS) != 0; watchSev = addr(L.A_WATCH_SEV); satSev = addr(L.A_SAT_SEV);
  patrolDay = addr(L.A_PATROL_DAY); patrolNight = addr(L.A_PATROL_NIGHT); patrolRow = addr(L.A_PATROL_ROW);
  partiesP = scalar(L.S_PARTIES_P); partiesRow = <i32>scalar(L.S_PARTIES_ROW);
  reportRow = <i32>scalar(L.S_REPORT_ROW); taskingRow = <i32>scalar(L.S_TASKING_ROW);
  accessRow = addr(L.A_ACCESS_ROW); denial = addr(L.A_DENIAL);
  incT = addr(L.A_INC_T); incX = addr(L.A_INC_X); incSec = addr(L.A_INC_SEC); incCell = addr(L.A_INC_CELL);
  incSev = addr(L.A_INC_SEV); incDet = addr(L.A_INC_DET); incChan = addr(L.A_INC_CHAN);
  incAccess = addr(L.A_INC_ACCESS); incDenied = addr(L.A_INC_DENIED); incReady = addr(L.A_INC_READY);
  incReport = addr(L.A_INC_REPORT); incTeam = addr(L.A_INC_TEAM);
  incOutcome = addr(L.A_INC_OUTCOME);
  nPatrolTeams = <i32>scalar(L.S_N_PATROL_TEAMS);
  psOff = addr(L.A_PS_OFF); psIdx = addr(L.A_PS_IDX); ptOff = addr(L.A_PT_OFF); ptStart = addr(L.A_PT_START);
  ptEnd = addr(L.A_PT_END); ptPtr = addr(L.A_PT_PTR); tmPatrolP = addr(L.A_TM_PATROL_P);
  tmPatrolRow = addr(L.A_TM_PATROL_ROW);
}

/**
 * Every team's pointer at its first patrol window (here, so that a run again after the host made room starts
 * afresh).
 */
function resetPatrols(): void {
  const T = <i32>scalar(L.S_N_TEAMS);
  for (let k = 0; k < T; k++) setI32(ptPtr, k, i32At(ptOff, k));
}

/**
 * The teams patrolling sector s on a schedule that are on patrol at t (inside one of their windows) and detect
 * an incident there, appended as requests from index nReq on; returns the requests' count. A team present
 * detects with its probability (detection × the share of the sector it sweeps), independently of the others;
 * the uniform u is split among them as among sensors (watchRequests). Pointers only move forward, as t does.
 */
@inline function patrolRequests(s: i32, t: f64, u: f64, nReq: i32): i32 {
  for (let a = i32At(psOff, s), a1 = i32At(psOff, s + 1); a < a1; a++) {
    const k = i32At(psIdx, a);
    let q = i32At(ptPtr, k);
    const qe = i32At(ptOff, k + 1);
    while (q < qe && f64At(ptEnd, q) <= t) q++;
    setI32(ptPtr, k, q);
    if (q == qe || f64At(ptStart, q) > t) continue;
    const pr = f64At(tmPatrolP, k);
    if (pr <= 0) continue;
    const hit = <i32>(pr > u), h = <f64>hit;
    nReq = request(nReq, i32At(tmPatrolRow, k), L.CH_PATROL, hit);
    u = (u - (1 - h) * pr) / (h * pr + (1 - h) * (1 - pr));
  }
  return nReq;
}

// What detection reads of a watching sensor, in one 64-byte record per sensor (one cache line, where the
// up-intervals of all sensors are three arrays too large for the first-level cache): its current or next
// up-interval (start at byte 0, end at 8, detection factor at 16), its day and night detection probabilities
// (24, 32), its latency row (40), and its position in its up-intervals and their end (48, 52).

/** Record `rec`'s interval: up-interval q of the sensor's, or none (never up again) when q reaches qe. */
@inline function setInterval(rec: usize, q: i32, qe: i32): void {
  store<f64>(rec, q < qe ? f64At(upStart, q) : Infinity);
  store<f64>(rec, q < qe ? f64At(upEnd, q) : Infinity, 8);
  store<f64>(rec, q < qe ? f64At(upFactor, q) : 0, 16);
}

/**
 * Every watching sensor's record at its first up-interval. Set up here, not in the timelines, so that a run
 * again after the host made room starts afresh.
 */
function resetSensors(): void {
  const W = <i32>scalar(L.S_N_FIXED) + <i32>scalar(L.S_N_UAV);
  for (let w = 0; w < W; w++) {
    const rec = sens + (<usize>w << 6), q = i32At(upOff, w), qe = i32At(upOff, w + 1);
    setInterval(rec, q, qe);
    store<f64>(rec, f64At(watchPd, w), 24);
    store<f64>(rec, f64At(watchPn, w), 32);
    store<i32>(rec, i32At(watchLatRow, w), 40);
    store<i32>(rec, q, 48);
    store<i32>(rec, qe, 52);
  }
}

/**
 * The cell of the line where an incident falls, from its place uniform: the guide table (by day or night) gives
 * a cell at or before it, and the cumulative intensities the rest of the way.
 */
@inline function cellOf(ux: f64, night: bool): i32 {
  const cum = night ? cellCumNight : cellCumDay;
  let c = i32At(night ? guideNight : guideDay, <i32>(ux * guide));
  while (ux >= f64At(cum, c)) c++;
  return c;
}

/** The incident's place in cell c: where ux falls within the cell's share of the cumulative intensity. */
@inline function placeIn(c: i32, ux: f64, night: bool): f64 {
  const cum = night ? cellCumNight : cellCumDay;
  const lo = c > 0 ? f64At(cum, c - 1) : 0;
  return f64At(cellFrom, c) + ((ux - lo) / (f64At(cum, c) - lo)) * (f64At(cellTo, c) - f64At(cellFrom, c));
}

/** Request r: latency row `row`, channel `ch`; it counts (the list grows) when `hit` is 1. */
@inline function request(r: i32, row: i32, ch: i32, hit: i32): i32 {
  setI32(reqRow, r, row);
  setI32(reqCh, r, ch);
  return r + hit;
}

/**
 * The fixed sensors (uniform uFixed), then the UAV orbits (uUav), watching segment `seg` that detect an incident
 * of severity sev at t (each with its up-interval's factor × its day or night probability × its severity factor),
 * appended as requests from index nReq on; returns the requests' count. The segment lists exactly those
 * watching it. Each channel's one uniform is split among its sensors: sensor w detects when u < pr, and u is
 * then rescaled to a fresh uniform for the next: u/pr on a hit, (u − pr)/(1 − pr) on a miss, written without a
 * branch (h is 0 or 1; the products are exact), since hits and misses alternate unpredictably.
 */
@inline function watchRequests(seg: i32, t: f64, night: bool, sev: i32, uFixed: f64, uUav: f64, nReq: i32): i32 {
  const recs = sens, ends = upEnd; // read for every sensor: locals (a global is reloaded at every use)
  const on = sevOn, factors = on ? watchSev + (<usize>sev << 3) : 0; // sensor w's factor for sev: factors + 24w
  for (let ch = L.CH_FIXED; ch <= L.CH_UAV; ch++) {
    const off = ch == L.CH_FIXED ? segFixOff : segUvOff, idx = ch == L.CH_FIXED ? segFixIdx : segUvIdx;
    let u = ch == L.CH_FIXED ? uFixed : uUav;
    for (let a = i32At(off, seg), a1 = i32At(off, seg + 1); a < a1; a++) {
      const w = i32At(idx, a), rec = recs + (<usize>w << 6);
      if (load<f64>(rec, 8) <= t) {
        // t has passed the interval's end: move to the first interval ending after t (t only moves forward).
        let q = load<i32>(rec, 48);
        const qe = load<i32>(rec, 52);
        while (q < qe && f64At(ends, q) <= t) q++;
        store<i32>(rec, q, 48);
        setInterval(rec, q, qe);
      }
      if (load<f64>(rec) > t) continue;
      let pr = load<f64>(rec, 16) * load<f64>(rec + (night ? 32 : 24));
      if (on) pr *= load<f64>(factors + <usize>w * 24);
      if (pr <= 0) continue;
      const hit = <i32>(pr > u), h = <f64>hit;
      nReq = request(nReq, load<i32>(rec, 40), ch, hit);
      u = (u - (1 - h) * pr) / (h * pr + (1 - h) * (1 - pr));
    }
  }
  return nReq;
}

/**
 * One latency from each request's row, drawn in the requests' order from the detection stream; returns the
 * least and sets leastAt to its request (the first on a tie). Lognormal rows compete on the log scale (μ + σZ;
 * exp is monotone), so only their least is exponentiated; other kinds compete as drawn.
 */
@inline function leastLatency(nReq: i32): f64 {
  const rows = reqRow, table = dist, r = rd;
  let bestLog: f64 = Infinity, best: f64 = Infinity;
  let whoLog = -1, who = -1;
  for (let q = 0; q < nReq; q++) {
    const o = i32At(rows, q) * L.DIST_WIDTH;
    if (f64At(table, o) == <f64>L.DIST_LOGNORMAL) {
      const l = f64At(table, o + 1) + f64At(table, o + 2) * normal(r);
      whoLog = l < bestLog ? q : whoLog;
      bestLog = min(bestLog, l);
    } else {
      const v = other(table, o, r);
      who = v < best ? q : who;
      best = min(best, v);
    }
  }
  const el = exp(bestLog);
  if (whoLog >= 0 && (who < 0 || el < best || (el == best && whoLog < who))) { leastAt = whoLog; return el; }
  leastAt = who;
  return best;
}

/**
 * The satellites that see severity `sev` at place x, from their passes after t within their windows (uniform u,
 * split among the passes as among sensors): the first detecting pass of each draws its latency. Returns the
 * earliest detection time found before `det`, or `det` when none is earlier.
 */
@inline function satelliteDetection(x: f64, sev: i32, t: f64, u: f64, det: f64): f64 {
  const sevBit = 1 << sev;
  for (let j = 0; j < nSat; j++) {
    if ((u8At(satSees, j) & sevBit) == 0 || x < f64At(satFrom, j) || x > f64At(satTo, j)) continue;
    // Pass k is at phase + k·revisit (from its index, so no drift accumulates), from the first at or after t.
    const rev = f64At(satRevisit, j), ph = f64At(satPhase, j);
    const last = t + f64At(satWindow, j);
    for (let k = Math.ceil((t - ph) / rev); ; k++) {
      const pass = ph + k * rev;
      if (pass > last || pass >= det) break;
      const pr = (isNightSeq(pass) ? f64At(satPn, j) : f64At(satPd, j)) * (sevOn ? f64At(satSev, 3 * j + sev) : 1);
      if (u < pr) {
        u /= pr;
        const td = pass + sample(dist, i32At(satLatRow, j), rd);
        if (td < det) det = td;
        break;
      }
      if (pr > 0) u = (u - pr) / (1 - pr);
    }
  }
  return det;
}

/**
 * Incident n, of sector s, needs verification: its reporting and tasking delays, access delay and whether access
 * is denied, from the incident stream. Detected (det finite), it is ready for tasking after the delays and
 * pending dispatch; else undetected. Returns its outcome so far.
 */
@inline function verificationDraws(n: i32, s: i32, det: f64): i32 {
  const report = sample(dist, reportRow, ri);
  const tasking = sample(dist, taskingRow, ri);
  setF64(incAccess, n, sample(dist, i32At(accessRow, s), ri));
  setU8(incDenied, n, next(ri) < f64At(denial, s) ? 1 : 0);
  if (det == Infinity) return L.OUT_UNDETECTED;
  setF64(incReport, n, report);
  setF64(incReady, n, det + report + tasking);
  return L.OUT_PENDING;
}

/**
 * Incidents and detection for one replication; the count goes to R_N (−1: no room), the dispatch list's length
 * to R_N_PEND.
 */
export function generateIncidents(): void {
  bindIncidents();
  resetSensors();
  if (nPatrolTeams > 0) resetPatrols();
  const regMult = addr(L.A_REG_MULT), regT = addr(L.A_REG_T), regR = addr(L.A_REG_R), pend = addr(L.A_PEND);
  const rateDay = scalar(L.S_RATE_DAY), rateNight = scalar(L.S_RATE_NIGHT), end = scalar(L.S_END);
  const nReg = <i32>scalar(L.S_N_REG), capacity = <i32>scalar(L.S_CAPACITY);
  let n = 0, nPend = 0, reg = 0;
  // The arrival process: the rate is constant up to `boundary` (the next day/night switch, regime change or the
  // end), and e, a unit exponential, is the cumulative intensity still to pass before the next incident.
  let t: f64 = 0;
  let night = isNightSeq(0);
  let regEnd: f64 = nReg > 1 ? f64At(regT, 1) : Infinity;
  let boundary = min(min(nextSwitch(0), regEnd), end);
  let rate = f64At(regMult, i32At(regR, 0)) * (night ? rateNight : rateDay);
  let e = exponential(ri);
  for (;;) {
    const room = rate * (boundary - t);
    if (e >= room) {
      e -= room;
      t = boundary;
      if (t >= end) break;
      if (t >= regEnd) {
        reg++;
        regEnd = reg + 1 < nReg ? f64At(regT, reg + 1) : Infinity;
      }
      night = isNightSeq(t);
      boundary = min(min(nextSwitch(t), regEnd), end);
      rate = f64At(regMult, i32At(regR, reg)) * (night ? rateNight : rateDay);
      continue;
    }
    t += e / rate;
    if (n == capacity) {
      setResult(L.R_N, -1);
      return;
    }
    // The gap to the next incident, then this one's uniforms (INCIDENT_UNIFORMS, in the declaration's order):
    // place, severity, then one per detection channel.
    e = exponential(ri);
    incidentUniforms(ri, draws);
    const ux = f64At(draws, L.U_PLACE), usev = f64At(draws, L.U_SEVERITY), uFixed = f64At(draws, L.U_FIXED);
    const uUav = f64At(draws, L.U_UAV), uPatrol = f64At(draws, L.U_PATROL), uParties = f64At(draws, L.U_PARTIES);
    const uSat = f64At(draws, L.U_SATELLITE);

    // Place, hence sector and elementary segment (whose fixed sensors and UAV orbits are exactly those watching
    // it); then severity (0 minor, 1 major, 2 critical) from the sector's cumulative probabilities.
    const c = cellOf(ux, night);
    const x = placeIn(c, ux, night);
    const s = i32At(cellSector, c), seg = i32At(cellSeg, c);
    setI32(incCell, n, c);
    setI32(incTeam, n, -1); // none until dispatch sends one
    const sev = <i32>(usev >= f64At(sevCum, 2 * s)) + <i32>(usev >= f64At(sevCum, 2 * s + 1));

    // Detection: which channels detect is decided first (fixed sensors, UAVs, patrols, parties, as (latency
    // row, channel) requests), then their latencies are drawn and the least wins; satellites, which watch from
    // their passes, then compete on absolute time. The first detection in time wins.
    let nReq = seg >= 0 ? watchRequests(seg, t, night, sev, uFixed, uUav, 0) : 0;
    // Patrols: the per-base rule (teams without a patrol schedule), then the teams on patrol in the sector now,
    // with what is left of the uniform (rescaled as between sensors).
    const pPatrol = night ? f64At(patrolNight, s) : f64At(patrolDay, s);
    nReq = request(nReq, i32At(patrolRow, s), L.CH_PATROL, <i32>(pPatrol > uPatrol));
    if (nPatrolTeams > 0) {
      const u = pPatrol <= 0 ? uPatrol : pPatrol > uPatrol ? uPatrol / pPatrol : (uPatrol - pPatrol) / (1 - pPatrol);
      nReq = patrolRequests(s, t, u, nReq);
    }
    nReq = request(nReq, partiesRow, L.CH_PARTIES, <i32>(partiesP > uParties));
    let chan = -1;
    let det: f64 = Infinity;
    if (nReq > 0) {
      det = t + leastLatency(nReq);
      chan = i32At(reqCh, leastAt);
    }
    const bySatellite = satelliteDetection(x, sev, t, uSat, det);
    if (bySatellite < det) { det = bySatellite; chan = L.CH_SAT; }

    setF64(incT, n, t); setF64(incX, n, x); setI32(incSec, n, s); setU8(incSev, n, sev); setF64(incDet, n, det);
    store<i8>(incChan + <usize>n, <i8>chan);
    let outcome = det < Infinity ? L.OUT_RECORDED : L.OUT_UNDETECTED;
    if (sev > 0) {
      outcome = verificationDraws(n, s, det);
      // Listed for dispatch, which admits its ready event when its clock reaches t.
      if (outcome == L.OUT_PENDING) setI32(pend, nPend++, n);
    }
    setU8(incOutcome, n, outcome);
    // Phase 4's share that is known now (./tally.ts).
    tallyMade(t, s, sev, det, chan, outcome);
    n++;
  }
  saveTouched();
  setResult(L.R_N, n);
  setResult(L.R_N_PEND, nPend);
}

/**
 * n draws from distribution row `row` of the model's table into the doubles at byte address `out`, from the
 * detection stream's generator (for the host's tests of the samplers).
 */
export function engineSample(row: i32, n: i32, out: usize): void {
  bindTables();
  const dist = addr(L.A_DIST), r = addr(L.A_RNG_DETECTION);
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), sample(dist, row, r));
}
