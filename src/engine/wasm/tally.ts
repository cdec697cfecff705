// AssemblyScript: phase 4 of a replication, the incidents' tally: per sector, counts, detections and their
// latencies by channel, outcomes and the response times' parts, summed over the incidents after the warm-up,
// and the detection-latency and response-time histograms (per sector and for the whole line). What is known
// when an incident is made is tallied then (tallyMade, from ./core.ts), while the incident is at hand; the rest
// after dispatch, over the incidents dispatch handled (tallyIncidents).
import * as L from "../../layout/slots.generated";
import { addr, f64At, i32At, setI32, setU8, u8At, scalar, result, setResult } from "./memory";

let histMin: f64 = 0, histBins = 0, histSub = 0, minExp = 0, subShift = 0, octaves = 0;
let respHist: usize = 0, detHist: usize = 0, respTouched: usize = 0, detTouched: usize = 0, respBounds: usize = 0;
let nRespTouched = 0, nDetTouched = 0;

/**
 * The histogram bin of a duration, from its double's bits (the layout of src/layout/histogram.ts, read back by
 * src/stats/histogram.ts): bin 0 below the smallest edge, then HIST_SUB bins per octave, the octave from the
 * binary exponent and the sub-bin from the top mantissa bits (both exact), and the last bin for the rest.
 */
@inline function binOf(v: f64): i32 {
  if (v < histMin) return 0;
  const hi = <u32>(reinterpret<u64>(v) >>> 32);
  const e = <i32>(hi >>> 20) - minExp;
  if (e >= octaves) return histBins - 1;
  return 1 + e * histSub + <i32>((hi >>> subShift) & <u32>(histSub - 1));
}

@inline function bump(tally: usize, o: i32, by: f64): void {
  store<f64>(tally + (<usize>o << 3), load<f64>(tally + (<usize>o << 3)) + by);
}

/**
 * Count one value in bin b of block `block` (a sector, or the line) of the detection or response histogram,
 * noting bins that were empty (and each response block's lowest and highest bin), so that clearing, adding up
 * and quantiles read only the few bins a replication touched.
 */
@inline function countDet(block: i32, b: i32): void {
  const idx = block * histBins + b;
  const p = detHist + (<usize>idx << 3);
  const h = load<f64>(p);
  if (h == 0) setI32(detTouched, nDetTouched++, idx);
  store<f64>(p, h + 1);
}

@inline function countResp(block: i32, b: i32): void {
  const idx = block * histBins + b;
  const p = respHist + (<usize>idx << 3);
  const h = load<f64>(p);
  if (h == 0) {
    setI32(respTouched, nRespTouched++, idx);
    if (b < i32At(respBounds, 2 * block)) setI32(respBounds, 2 * block, b);
    if (b > i32At(respBounds, 2 * block + 1)) setI32(respBounds, 2 * block + 1, b);
  }
  store<f64>(p, h + 1);
}

let tally: usize = 0, warmup: f64 = 0, lineBlock = 0;
/** The follow-up limit of the restricted time to verification: every incident is followed at least this long. */
let limit: f64 = 0;

/** Read the tally's and histograms' addresses and the bins touched so far: call before tallying. */
export function bindTally(): void {
  histMin = scalar(L.S_HIST_MIN); octaves = <i32>scalar(L.S_HIST_OCTAVES); histSub = <i32>scalar(L.S_HIST_SUB);
  histBins = 1 + octaves * histSub;
  minExp = <i32>(reinterpret<u64>(histMin) >>> 52);
  subShift = 20 - <i32>ctz<i32>(histSub);
  respHist = addr(L.A_RESP_HIST); detHist = addr(L.A_DET_HIST);
  respTouched = addr(L.A_RESP_TOUCHED); detTouched = addr(L.A_DET_TOUCHED); respBounds = addr(L.A_RESP_BOUNDS);
  nRespTouched = result(L.R_N_RESP_TOUCHED);
  nDetTouched = result(L.R_N_DET_TOUCHED);
  tally = addr(L.A_TALLY);
  warmup = scalar(L.S_WARMUP);
  limit = scalar(L.S_DRAIN_END) - scalar(L.S_END);
  lineBlock = <i32>scalar(L.S_N_SECTORS);
}

/** Empty the tally, the bins the last replication touched, and the response blocks' lowest and highest bins. */
export function resetTally(): void {
  bindTally();
  memory.fill(tally, 0, <usize><i32>scalar(L.S_TALLY_SIZE) << 3);
  for (let q = 0; q < nRespTouched; q++) store<f64>(respHist + (<usize>i32At(respTouched, q) << 3), 0);
  for (let q = 0; q < nDetTouched; q++) store<f64>(detHist + (<usize>i32At(detTouched, q) << 3), 0);
  nRespTouched = nDetTouched = 0;
  for (let b = 0; b <= lineBlock; b++) {
    setI32(respBounds, 2 * b, histBins);
    setI32(respBounds, 2 * b + 1, -1);
  }
  saveTouched();
}

/** Write the counts of touched bins back for the host: call after tallying. */
export function saveTouched(): void {
  setResult(L.R_N_RESP_TOUCHED, nRespTouched);
  setResult(L.R_N_DET_TOUCHED, nDetTouched);
}

/**
 * The part of the tally that phase 2 already knows, for one incident as it is made: counts, detection and its
 * latency histogram, and the outcomes settled without dispatch (a minor incident recorded or not, a verifiable
 * one undetected). Incidents come in time order, so each sum adds its terms in that order; `tallyIncidents`
 * below adds the outcomes of the incidents dispatch handled.
 */
@inline export function tallyMade(t: f64, s: i32, sev: i32, det: f64, chan: i32, outcome: i32): void {
  if (t < warmup) return;
  const o = s * L.SECTOR_FIELDS;
  bump(tally, o + L.F_INC, 1);
  if (sev == 2) bump(tally, o + L.F_CRITICAL, 1);
  if (det < Infinity) {
    const lat = det - t;
    bump(tally, o + L.F_DET, 1);
    bump(tally, o + L.F_DET_LAT, lat);
    bump(tally, o + L.F_CH + chan, 1);
    const b = binOf(lat);
    countDet(s, b);
    countDet(lineBlock, b);
  }
  if (sev == 0) {
    if (outcome == L.OUT_RECORDED) bump(tally, o + L.F_MINOR_RECORDED, 1);
    return;
  }
  bump(tally, o + L.F_VERIFIABLE, 1);
  if (outcome == L.OUT_UNDETECTED) {
    bump(tally, o + L.F_UNDET, 1);
    bump(tally, o + L.F_RESTRICTED, limit);
  }
}

/** Phase 4: the outcomes of the incidents dispatch handled (the dispatch list, in order), after dispatchAll. */
export function tallyIncidents(): void {
  bindTally();
  const incT = addr(L.A_INC_T), incSec = addr(L.A_INC_SEC), incDet = addr(L.A_INC_DET);
  const incOutcome = addr(L.A_INC_OUTCOME), incArrive = addr(L.A_INC_ARRIVE), incReady = addr(L.A_INC_READY);
  const incWait = addr(L.A_INC_WAIT), incMob = addr(L.A_INC_MOB), incTravel = addr(L.A_INC_TRAVEL);
  const incAccess = addr(L.A_INC_ACCESS), pend = addr(L.A_PEND);
  const standard = scalar(L.S_STANDARD);
  const nPend = result(L.R_N_PEND);
  for (let g = 0; g < nPend; g++) {
    const i = i32At(pend, g);
    const t = f64At(incT, i);
    if (t < warmup) continue;
    const s = i32At(incSec, i), o = s * L.SECTOR_FIELDS;
    const outcome = u8At(incOutcome, i);
    if (outcome == L.OUT_VERIFIED) {
      // Response time from the incident to the team's arrival, and its parts: detection, reporting and
      // tasking, waiting for a team, mobilising, travel, access.
      const det = f64At(incDet, i), resp = f64At(incArrive, i) - t;
      bump(tally, o + L.F_VERIFIED, 1);
      bump(tally, o + L.F_RESP, resp);
      bump(tally, o + L.F_RESTRICTED, min(resp, limit));
      if (resp <= standard) bump(tally, o + L.F_WITHIN, 1);
      bump(tally, o + L.F_T_DETECT, det - t);
      bump(tally, o + L.F_T_TASK, f64At(incReady, i) - det);
      bump(tally, o + L.F_T_WAIT, f64At(incWait, i));
      bump(tally, o + L.F_T_MOBILISE, f64At(incMob, i));
      bump(tally, o + L.F_T_TRAVEL, f64At(incTravel, i));
      bump(tally, o + L.F_T_ACCESS, f64At(incAccess, i));
      const b = binOf(resp);
      countResp(s, b);
      countResp(lineBlock, b);
      continue;
    }
    // Never verified: counted at the limit in the restricted time to verification.
    bump(tally, o + L.F_RESTRICTED, limit);
    if (outcome == L.OUT_DENIED) bump(tally, o + L.F_DENIED, 1);
    else if (outcome == L.OUT_NO_TEAM) bump(tally, o + L.F_NO_TEAM, 1);
    else {
      // Not settled within the drain window (no team arrived by its end).
      setU8(incOutcome, i, L.OUT_HORIZON);
      bump(tally, o + L.F_HORIZON_END, 1);
    }
  }
  onStation();
  saveTouched();
}

/**
 * Each state's sensor-hours within the window [warmup, end): hours its fixed sensors worked and its UAVs were
 * on station (their up-intervals from phase 1, jammed or not), into the states' blocks.
 */
function onStation(): void {
  const nFixed = <i32>scalar(L.S_N_FIXED), W = nFixed + <i32>scalar(L.S_N_UAV), end = scalar(L.S_END);
  const upOff = addr(L.A_UP_OFF), upStart = addr(L.A_UP_START), upEnd = addr(L.A_UP_END);
  const watchState = addr(L.A_WATCH_STATE);
  const stateBase = (lineBlock + 1) * L.SECTOR_FIELDS + <i32>scalar(L.S_N_TEAMS) * L.TEAM_FIELDS;
  for (let w = 0; w < W; w++) {
    let d: f64 = 0;
    for (let q = i32At(upOff, w), q1 = i32At(upOff, w + 1); q < q1; q++) {
      d += max(0, min(end, f64At(upEnd, q)) - max(warmup, f64At(upStart, q)));
    }
    const o = stateBase + i32At(watchState, w) * L.STATE_FIELDS;
    bump(tally, o + (w < nFixed ? L.ST_FIXED_HOURS : L.ST_UAV_HOURS), d);
  }
}
