// AssemblyScript: the WebAssembly core's entry. It exports every phase of a replication: timelines
// (./timelines.ts), incidents and detection (here), dispatch (./dispatch.ts), tally (./tally.ts) and coverage
// (./coverage.ts). Each is the same computation as its counterpart in ../replication.ts, statement for
// statement, over the arrays the host (../core.ts) placed in linear memory (./layout.ts): the same numbers drawn
// in the same order, the same arithmetic (and the engine's own exp, ./exp.ts), so every incident and tally
// comes out bit for bit as the JavaScript engine makes it (tests/core.test.ts checks this on every shipped
// scenario under every coordination rule). Read ../replication.ts for the model; the comments here say only
// where the two differ in form.
import * as L from "../../layout/slots.generated";
import { addr, f64At, i32At, setF64, setI32, setU8, u8At, scalar } from "./memory";
import { bindTables, incidentUniforms, exponential, next, normal, other, sample } from "./rng";
import { bindExp, exp, log } from "./exp";
import { bindTally, saveTouched, tallyMade } from "./tally";

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


@inline function isNight(t: f64, dawn: f64, dusk: f64): bool {
  const h = t - 24 * Math.floor(t / 24);
  return h < dawn || h >= dusk;
}

function nextSwitch(t: f64, dawn: f64, dusk: f64): f64 {
  const base = 24 * Math.floor(t / 24);
  let c = base + dawn;
  if (c > t) return c;
  c = base + dusk;
  if (c > t) return c;
  c = base + 24 + dawn;
  if (c > t) return c;
  return base + 24 + dusk;
}

/** Incidents and detection for one replication; the count goes to R_N (−1: no room), the dispatch list's length to R_N_PEND. */
export function generateIncidents(): void {
  bindTables();
  bindTally();
  const ri = addr(L.A_RNG_INCIDENTS), rd = addr(L.A_RNG_DETECTION);
  const dist = addr(L.A_DIST);
  const cellFrom = addr(L.A_CELL_FROM), cellTo = addr(L.A_CELL_TO), cellSector = addr(L.A_CELL_SECTOR), cellSeg = addr(L.A_CELL_SEG);
  const cellCumDay = addr(L.A_CELL_CUM_DAY), cellCumNight = addr(L.A_CELL_CUM_NIGHT), guideDay = addr(L.A_GUIDE_DAY), guideNight = addr(L.A_GUIDE_NIGHT);
  const sevCum = addr(L.A_SEV_CUM), segFixOff = addr(L.A_SEG_FIX_OFF), segFixIdx = addr(L.A_SEG_FIX_IDX), segUvOff = addr(L.A_SEG_UV_OFF), segUvIdx = addr(L.A_SEG_UV_IDX);
  const watchPd = addr(L.A_WATCH_PD), watchPn = addr(L.A_WATCH_PN), watchLatRow = addr(L.A_WATCH_LAT_ROW);
  const satSees = addr(L.A_SAT_SEES), satFrom = addr(L.A_SAT_FROM), satTo = addr(L.A_SAT_TO), satRevisit = addr(L.A_SAT_REVISIT);
  const satWindow = addr(L.A_SAT_WINDOW), satPd = addr(L.A_SAT_PD), satPn = addr(L.A_SAT_PN), satLatRow = addr(L.A_SAT_LAT_ROW);
  const patrolDay = addr(L.A_PATROL_DAY), patrolNight = addr(L.A_PATROL_NIGHT), patrolRow = addr(L.A_PATROL_ROW);
  const accessRow = addr(L.A_ACCESS_ROW), denial = addr(L.A_DENIAL), regMult = addr(L.A_REG_MULT);
  const upOff = addr(L.A_UP_OFF), upStart = addr(L.A_UP_START), upEnd = addr(L.A_UP_END), upFactor = addr(L.A_UP_FACTOR);
  const satPhase = addr(L.A_SAT_PHASE), regT = addr(L.A_REG_T), regR = addr(L.A_REG_R);
  const incT = addr(L.A_INC_T), incX = addr(L.A_INC_X), incSec = addr(L.A_INC_SEC), incCell = addr(L.A_INC_CELL), incSev = addr(L.A_INC_SEV);
  const incDet = addr(L.A_INC_DET), incChan = addr(L.A_INC_CHAN), incAccess = addr(L.A_INC_ACCESS), incDenied = addr(L.A_INC_DENIED);
  const incReady = addr(L.A_INC_READY), incOutcome = addr(L.A_INC_OUTCOME), pend = addr(L.A_PEND), reqRow = addr(L.A_REQ_ROW), reqCh = addr(L.A_REQ_CH);
  const dawn = scalar(L.S_DAWN), dusk = scalar(L.S_DUSK), rateDay = scalar(L.S_RATE_DAY), rateNight = scalar(L.S_RATE_NIGHT), end = scalar(L.S_END);
  const partiesP = scalar(L.S_PARTIES_P), partiesRow = <i32>scalar(L.S_PARTIES_ROW), reportRow = <i32>scalar(L.S_REPORT_ROW), taskingRow = <i32>scalar(L.S_TASKING_ROW);
  const nSat = <i32>scalar(L.S_N_SAT), nReg = <i32>scalar(L.S_N_REG), capacity = <i32>scalar(L.S_CAPACITY), guide = scalar(L.S_GUIDE);
  // What detection reads of a sensor, in one 64-byte record per sensor (one cache line, where the up-intervals
  // of all sensors are three arrays too large for the first-level cache): its current or next up-interval
  // (start, end, detection factor), its day and night detection probabilities, its latency row, and its
  // position in its up-intervals and their end. The interval moves forward, as t does, when t reaches its end:
  // the same interval the JavaScript engine's pointer finds. Set up here, not in the timelines, so that a run
  // again after the host made room starts afresh.
  const sens = addr(L.A_SENSOR_STATE), draws = addr(L.A_DRAWS);
  const W = <i32>scalar(L.S_N_FIXED) + <i32>scalar(L.S_N_UAV);
  for (let w = 0; w < W; w++) {
    const rec = sens + (<usize>w << 6), q = i32At(upOff, w), qe = i32At(upOff, w + 1);
    store<f64>(rec, q < qe ? f64At(upStart, q) : Infinity);
    store<f64>(rec, q < qe ? f64At(upEnd, q) : Infinity, 8);
    store<f64>(rec, q < qe ? f64At(upFactor, q) : 0, 16);
    store<f64>(rec, f64At(watchPd, w), 24);
    store<f64>(rec, f64At(watchPn, w), 32);
    store<i32>(rec, i32At(watchLatRow, w), 40);
    store<i32>(rec, q, 48);
    store<i32>(rec, qe, 52);
  }
  let n = 0, nPend = 0, reg = 0;
  let t: f64 = 0;
  let night = isNight(0, dawn, dusk);
  let regEnd: f64 = nReg > 1 ? f64At(regT, 1) : Infinity;
  let boundary = min(min(nextSwitch(0, dawn, dusk), regEnd), end);
  let rate = f64At(regMult, i32At(regR, 0)) * (night ? rateNight : rateDay);
  let e = exponential(ri);
  const nightCut = dusk - dawn < 24;
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
      night = nightCut && isNight(t, dawn, dusk);
      boundary = min(min(nextSwitch(t, dawn, dusk), regEnd), end);
      rate = f64At(regMult, i32At(regR, reg)) * (night ? rateNight : rateDay);
      continue;
    }
    t += e / rate;
    if (n == capacity) {
      store<i32>(<usize>L.RESULTS, -1, L.R_N << 2);
      return;
    }
    // The gap to the next incident, then its seven uniforms, in the JavaScript engine's order.
    e = exponential(ri);
    incidentUniforms(ri, draws);
    const ux = f64At(draws, L.U_PLACE), usev = f64At(draws, L.U_SEVERITY), uFixed = f64At(draws, L.U_FIXED);
    const uUav = f64At(draws, L.U_UAV), uPatrol = f64At(draws, L.U_PATROL), uParties = f64At(draws, L.U_PARTIES);
    const uSat = f64At(draws, L.U_SATELLITE);

    const cum = night ? cellCumNight : cellCumDay;
    let c = i32At(night ? guideNight : guideDay, <i32>(ux * guide));
    while (ux >= f64At(cum, c)) c++;
    const lo = c > 0 ? f64At(cum, c - 1) : 0;
    const x = f64At(cellFrom, c) + ((ux - lo) / (f64At(cum, c) - lo)) * (f64At(cellTo, c) - f64At(cellFrom, c));
    const s = i32At(cellSector, c), seg = i32At(cellSeg, c);
    setI32(incCell, n, c);
    const sev = <i32>(usev >= f64At(sevCum, 2 * s)) + <i32>(usev >= f64At(sevCum, 2 * s + 1));

    let nReq = 0;
    if (seg >= 0) {
      for (let ch = L.CH_FIXED; ch <= L.CH_UAV; ch++) {
        const off = ch == L.CH_FIXED ? segFixOff : segUvOff, idx = ch == L.CH_FIXED ? segFixIdx : segUvIdx;
        let u = ch == L.CH_FIXED ? uFixed : uUav;
        for (let a = i32At(off, seg), a1 = i32At(off, seg + 1); a < a1; a++) {
          const rec = sens + (<usize>i32At(idx, a) << 6);
          if (load<f64>(rec, 8) <= t) {
            // t has passed the interval's end: move to the first interval ending after t.
            let q = load<i32>(rec, 48);
            const qe = load<i32>(rec, 52);
            while (q < qe && f64At(upEnd, q) <= t) q++;
            store<i32>(rec, q, 48);
            store<f64>(rec, q < qe ? f64At(upStart, q) : Infinity);
            store<f64>(rec, q < qe ? f64At(upEnd, q) : Infinity, 8);
            store<f64>(rec, q < qe ? f64At(upFactor, q) : 0, 16);
          }
          if (load<f64>(rec) > t) continue;
          const pr = load<f64>(rec, 16) * load<f64>(rec + (night ? 32 : 24));
          if (pr <= 0) continue;
          const hit = <i32>(pr > u), h = <f64>hit;
          setI32(reqRow, nReq, load<i32>(rec, 40));
          setI32(reqCh, nReq, ch);
          nReq += hit;
          u = (u - (1 - h) * pr) / (h * pr + (1 - h) * (1 - pr));
        }
      }
    }
    setI32(reqRow, nReq, i32At(patrolRow, s));
    setI32(reqCh, nReq, L.CH_PATROL);
    const pPatrol = night ? f64At(patrolNight, s) : f64At(patrolDay, s);
    nReq += <i32>(pPatrol > uPatrol);
    setI32(reqRow, nReq, partiesRow);
    setI32(reqCh, nReq, L.CH_PARTIES);
    nReq += <i32>(partiesP > uParties);
    let chan = -1;
    let det: f64 = Infinity;
    if (nReq > 0) {
      // leastOf: lognormal rows compete on the log scale, others as drawn.
      let bestLog: f64 = Infinity, best: f64 = Infinity;
      let whoLog = -1, who = -1;
      for (let r = 0; r < nReq; r++) {
        const o = i32At(reqRow, r) * L.DIST_WIDTH;
        if (f64At(dist, o) == <f64>L.DIST_LOGNORMAL) {
          const l = f64At(dist, o + 1) + f64At(dist, o + 2) * normal(rd);
          whoLog = l < bestLog ? r : whoLog;
          bestLog = min(bestLog, l);
        } else {
          const v = other(dist, o, rd);
          who = v < best ? r : who;
          best = min(best, v);
        }
      }
      const el = exp(bestLog);
      let win = who, value = best;
      if (whoLog >= 0 && (who < 0 || el < best || (el == best && whoLog < who))) { win = whoLog; value = el; }
      chan = i32At(reqCh, win);
      det = t + value;
    }
    let u = uSat;
    const sevBit = 1 << sev;
    for (let j = 0; j < nSat; j++) {
      if ((u8At(satSees, j) & sevBit) == 0 || x < f64At(satFrom, j) || x > f64At(satTo, j)) continue;
      const rev = f64At(satRevisit, j), ph = f64At(satPhase, j);
      let pass = ph + Math.ceil((t - ph) / rev) * rev;
      const last = t + f64At(satWindow, j);
      let hour = pass - 24 * Math.floor(pass / 24);
      for (; pass <= last && pass < det; pass += rev) {
        const pr = hour < dawn || hour >= dusk ? f64At(satPn, j) : f64At(satPd, j);
        hour += rev;
        while (hour >= 24) hour -= 24;
        if (u < pr) {
          u /= pr;
          const td = pass + sample(dist, i32At(satLatRow, j), rd);
          if (td < det) { det = td; chan = L.CH_SAT; }
          break;
        }
        if (pr > 0) u = (u - pr) / (1 - pr);
      }
    }

    setF64(incT, n, t); setF64(incX, n, x); setI32(incSec, n, s); setU8(incSev, n, sev); setF64(incDet, n, det);
    store<i8>(incChan + <usize>n, <i8>chan);
    let outcome = det < Infinity ? L.OUT_RECORDED : L.OUT_UNDETECTED;
    if (sev > 0) {
      const report = sample(dist, reportRow, ri);
      const tasking = sample(dist, taskingRow, ri);
      setF64(incAccess, n, sample(dist, i32At(accessRow, s), ri));
      setU8(incDenied, n, next(ri) < f64At(denial, s) ? 1 : 0);
      if (det < Infinity) {
        setF64(incReady, n, det + report + tasking);
        outcome = L.OUT_PENDING;
        setI32(pend, nPend++, n);
      }
    }
    setU8(incOutcome, n, outcome);
    // Phase 4's share that is known now (./tally.ts).
    tallyMade(t, s, sev, det, chan, outcome);
    n++;
  }
  saveTouched();
  store<i32>(<usize>L.RESULTS, n, L.R_N << 2);
  store<i32>(<usize>L.RESULTS, nPend, L.R_N_PEND << 2);
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
