// AssemblyScript: phase 5 of a replication, exact line coverage. For each elementary segment of the line, the
// time in [warmup, end) during which at least one (and at least two) of its watching sensors is up, split by
// day and night: an exact sweep over the sensors' sorted up-intervals, in line-km-hours. The UAV orbits over a
// segment form a set shared with its neighbours; each set's on-station count is merged, once per replication and
// only if a segment needs it, into a step function with prefix sums, which each segment then merges with its
// few fixed sensors.
//
// Effective coverage the same way: at (x, t) the watching sensors detect a reference incident of severity v with
// probability 1 − Π(1 − factor·Pd(day or night, v)) over the fixed sensors up and the UAV orbits on station (the
// factor: the sortie's jamming factor; 1 for fixed sensors). The UAV set's step function carries, at each change
// point, the product of its orbits' miss probabilities (per day/night and severity) and prefix sums of the
// hours' detection probability; over a stretch where the fixed sensors' miss product is Qf (constant between
// their events), ∫(1 − Qf·Qu) = (1 − Qf)·hours + Qf·∫(1 − Qu), exact.
import * as L from "../../layout/slots.generated";
import { addr, f64At, i32At, setF64, setI32, setU8, u8At, scalar } from "./memory";
import { bindCalendar, nightBefore } from "./calendar";

let upOff: usize = 0, upStart: usize = 0, upEnd: usize = 0, covCur: usize = 0;
let uavSetOff: usize = 0, uavSetIdx: usize = 0;
let stepOff: usize = 0, stepEnd: usize = 0, stepT: usize = 0, stepC: usize = 0;
let stepP1: usize = 0, stepN1: usize = 0, stepP2: usize = 0;
let stepN = 0, memberNext: usize = 0;
let stepQ: usize = 0, stepD: usize = 0, watchPdSev: usize = 0, upFactor: usize = 0;
let effScratch: usize = 0, sevOn = false, stride = 6;

/**
 * Where slot v (day then night, by severity) of change point k sits in stepQ and stepD: 6 slots a point, or
 * without severity factors only the day and night slots (v = 0 and 3), 2 a point.
 */
@inline function at(k: i32, v: i32): i32 {
  return stride * k + (sevOn ? v : v / 3);
}
// effAt's results: the change point at or before t (−1: none), and the day and night hours from it to t.
let effLo = -1, effDay: f64 = 0, effNight: f64 = 0;
// stepPrefix's three results.
let preP1: f64 = 0, preN1: f64 = 0, preP2: f64 = 0;

@inline function add(tally: usize, o: i32, v: f64): void {
  store<f64>(tally + (<usize>o << 3), load<f64>(tally + (<usize>o << 3)) + v);
}

/**
 * The last change point of UAV set `set`'s step function at or before t, by binary search; −1 when there is none
 * (no set, no change points, or t before the first).
 */
@inline function changeAt(set: i32, t: f64): i32 {
  if (set < 0) return -1;
  let lo = i32At(stepOff, set), hi = i32At(stepEnd, set) - 1;
  if (hi < lo || f64At(stepT, lo) > t) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (f64At(stepT, mid) <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Prefix sums of UAV set `set` at time t into preP1, preN1, preP2: hours from the window's start with ≥ 1 orbit
 * on station, the night part of those, and hours with ≥ 2 (none without a set). Binary search over the set's
 * change points.
 */
function stepPrefix(set: i32, t: f64): void {
  preP1 = 0; preN1 = 0; preP2 = 0;
  const lo = changeAt(set, t);
  if (lo < 0) return;
  const dt = t - f64At(stepT, lo), c = i32At(stepC, lo);
  preP1 = f64At(stepP1, lo) + (c >= 1 ? dt : 0);
  preN1 = f64At(stepN1, lo) + (c >= 1 ? nightBefore(t) - nightBefore(f64At(stepT, lo)) : 0);
  preP2 = f64At(stepP2, lo) + (c >= 2 ? dt : 0);
}

/** Sensor j's next up-interval start or end (covCur[j] counts those passed), or Infinity. */
@inline function nextEventOf(j: i32): f64 {
  const e = i32At(covCur, j), idx = i32At(upOff, j) + (e >> 1);
  if (idx >= i32At(upOff, j + 1)) return Infinity;
  return e & 1 ? f64At(upEnd, idx) : f64At(upStart, idx);
}

/**
 * UAV set u's count of orbits on station over [a0, a1) as change points with prefix sums, appended to the step
 * arrays (the host sized them).
 */
function buildUavSet(u: i32, a0: f64, a1: f64): void {
  let k = stepN;
  const k0 = k;
  const s0 = i32At(uavSetOff, u), s1 = i32At(uavSetOff, u + 1);
  // Each member's next event time, kept in `memberNext` (position q − s0) and recomputed only for the member
  // that moves: the same choice as scanning every member's arrays each time (the first earliest wins).
  for (let q = s0; q < s1; q++) {
    const j = i32At(uavSetIdx, q);
    setI32(covCur, j, 0);
    setF64(memberNext, q - s0, nextEventOf(j));
  }
  let count = 0;
  for (;;) {
    let tNext: f64 = Infinity;
    let at = -1;
    for (let q = 0; q < s1 - s0; q++) {
      const et = f64At(memberNext, q);
      if (et < tNext) { tNext = et; at = q; }
    }
    if (at < 0 || tNext >= a1) break;
    const who = i32At(uavSetIdx, s0 + at), e = i32At(covCur, who);
    count += e & 1 ? -1 : 1;
    setI32(covCur, who, e + 1);
    setF64(memberNext, at, nextEventOf(who));
    const tc = max(tNext, a0);
    if (k > k0 && f64At(stepT, k - 1) == tc) { setI32(stepC, k - 1, count); missProducts(s0, s1, k - 1); }
    else { setF64(stepT, k, tc); setI32(stepC, k, count); missProducts(s0, s1, k); k++; }
  }
  setI32(stepOff, u, k0);
  setI32(stepEnd, u, k);
  stepN = k;
  if (k == k0) return;
  setF64(stepP1, k0, 0); setF64(stepN1, k0, 0); setF64(stepP2, k0, 0);
  for (let v = 0; v < stride; v++) setF64(stepD, stride * k0 + v, 0);
  let nb0 = nightBefore(f64At(stepT, k0));
  for (let i = k0 + 1; i < k; i++) {
    const t0 = f64At(stepT, i - 1), t1 = f64At(stepT, i), c = i32At(stepC, i - 1), nb1 = nightBefore(t1);
    setF64(stepP1, i, f64At(stepP1, i - 1) + (c >= 1 ? t1 - t0 : 0));
    setF64(stepN1, i, f64At(stepN1, i - 1) + (c >= 1 ? nb1 - nb0 : 0));
    setF64(stepP2, i, f64At(stepP2, i - 1) + (c >= 2 ? t1 - t0 : 0));
    const night = nb1 - nb0, day = t1 - t0 - night, dv = sevOn ? 1 : 3;
    for (let v = 0; v < 6; v += dv) {
      const hours = v < 3 ? day : night;
      setF64(stepD, at(i, v), f64At(stepD, at(i - 1, v)) + (1 - f64At(stepQ, at(i - 1, v))) * hours);
    }
    nb0 = nb1;
  }
}

/**
 * At change point k of a UAV set (members s0..s1 − 1 of uavSetIdx, each one's events passed in covCur): the
 * probability that every orbit on station misses, by day then night, for each severity.
 */
function missProducts(s0: i32, s1: i32, k: i32): void {
  for (let v = 0; v < stride; v++) setF64(stepQ, stride * k + v, 1);
  for (let q = s0; q < s1; q++) {
    const j = i32At(uavSetIdx, q), e = i32At(covCur, j);
    if ((e & 1) == 0) continue;
    const f = f64At(upFactor, i32At(upOff, j) + (e >> 1));
    for (let v = 0; v < 6; v += sevOn ? 1 : 3) {
      const o = at(k, v);
      setF64(stepQ, o, f64At(stepQ, o) * (1 - f * f64At(watchPdSev, 6 * j + v)));
    }
  }
}

/**
 * Locate t (nbT: nightBefore(t)) in UAV set `set`'s step function: effLo, and the day and night hours from its
 * change point to t.
 */
function effAt(set: i32, t: f64, nbT: f64): void {
  effLo = -1; effDay = 0; effNight = 0;
  const lo = changeAt(set, t);
  if (lo < 0) return;
  const t0 = f64At(stepT, lo);
  effLo = lo;
  effNight = nbT - nightBefore(t0);
  effDay = t - t0 - effNight;
}

/**
 * The UAV set's detection-probability hours in slot v (day then night, by severity) from the window's start to
 * the time effAt located.
 */
@inline function effPrefix(v: i32): f64 {
  if (effLo < 0) return 0;
  return f64At(stepD, at(effLo, v)) + (1 - f64At(stepQ, at(effLo, v))) * (v < 3 ? effDay : effNight);
}

/**
 * Effective coverage of segment g (sector block o of the tally, severity weights w0, w1, w2, length len), its
 * fixed sensors f0..f1 − 1 of segFixIdx (those in `full` up throughout), UAV set `set` (−1: none), over
 * [a0, a1). Slots v (day then night, by severity; only 0 and 3 without severity factors, the others equal to
 * them) keep, in effScratch, the UAV set's prefix at the last time reached (v) and the segment's sum (6 + v).
 */
function effectiveSegment(
  tally: usize, o: i32, len: f64, w0: f64, w1: f64, w2: f64,
  segFixIdx: usize, f0: i32, f1: i32, full: usize, set: i32, a0: f64, a1: f64,
): void {
  if (set >= 0 && i32At(stepEnd, set) < 0) buildUavSet(set, a0, a1);
  const dv = sevOn ? 1 : 3;
  for (let v = 0; v < 12; v++) setF64(effScratch, v, 0);
  let nLive = 0;
  for (let q = f0; q < f1; q++) {
    const j = i32At(segFixIdx, q);
    if (!u8At(full, j)) { setI32(covCur, j, 0); nLive++; }
  }
  let tPrev = a0, nbPrev = nightBefore(a0);
  for (;;) {
    let tNext: f64 = Infinity;
    let who = -1;
    if (nLive > 0) {
      for (let q = f0; q < f1; q++) {
        const j = i32At(segFixIdx, q);
        if (u8At(full, j)) continue;
        const et = nextEventOf(j);
        if (et < tNext) { tNext = et; who = j; }
      }
    }
    const tc = min(max(tNext, a0), a1);
    if (tc > tPrev) {
      const nbC = nightBefore(tc), night = nbC - nbPrev, day = tc - tPrev - night;
      effAt(set, tc, nbC);
      for (let v = 0; v < 6; v += dv) {
        // The fixed sensors' miss product over the stretch (fixed sensors detect with factor 1).
        let qf: f64 = 1;
        for (let q = f0; q < f1; q++) {
          const j = i32At(segFixIdx, q);
          if (u8At(full, j) || (i32At(covCur, j) & 1)) qf *= 1 - f64At(watchPdSev, 6 * j + v);
        }
        const cur = effPrefix(v);
        setF64(effScratch, 6 + v,
          f64At(effScratch, 6 + v) + (1 - qf) * (v < 3 ? day : night) + qf * (cur - f64At(effScratch, v)));
        setF64(effScratch, v, cur);
      }
      tPrev = tc;
      nbPrev = nbC;
    }
    if (who < 0 || tNext >= a1) break;
    setI32(covCur, who, i32At(covCur, who) + 1);
  }
  for (let v = 0; v < 6; v++) {
    const e = len * f64At(effScratch, 6 + (sevOn ? v : v < 3 ? 0 : 3));
    add(tally, o + (v < 3 ? L.F_EFF_DAY_SEV + v : L.F_EFF_NIGHT_SEV + v - 3), e);
    if (sevOn) add(tally, o + (v < 3 ? L.F_EFF_DAY : L.F_EFF_NIGHT), (v % 3 == 0 ? w0 : v % 3 == 1 ? w1 : w2) * e);
    else if (v % 3 == 0) add(tally, o + (v < 3 ? L.F_EFF_DAY : L.F_EFF_NIGHT), e);
  }
}

/** Coverage of every elementary segment into the tally (after the incidents' tally). */
export function tallyCoverage(): void {
  bindCalendar();
  upOff = addr(L.A_UP_OFF); upStart = addr(L.A_UP_START); upEnd = addr(L.A_UP_END); covCur = addr(L.A_COV_CUR);
  uavSetOff = addr(L.A_UAV_SET_OFF); uavSetIdx = addr(L.A_UAV_SET_IDX);
  stepOff = addr(L.A_STEP_OFF); stepEnd = addr(L.A_STEP_END); stepT = addr(L.A_STEP_T); stepC = addr(L.A_STEP_C);
  stepP1 = addr(L.A_STEP_P1); stepN1 = addr(L.A_STEP_N1); stepP2 = addr(L.A_STEP_P2);
  memberNext = addr(L.A_MEMBER_NEXT);
  stepQ = addr(L.A_STEP_Q); stepD = addr(L.A_STEP_D); watchPdSev = addr(L.A_WATCH_PD_SEV);
  upFactor = addr(L.A_UP_FACTOR); effScratch = addr(L.A_EFF_SCRATCH); sevOn = scalar(L.S_SEV_FACTORS) != 0;
  stride = sevOn ? 6 : 2;
  const sevCum = addr(L.A_SEV_CUM);
  const tally = addr(L.A_TALLY), full = addr(L.A_FULL_UP), live = addr(L.A_LIVE_IDX);
  const segFrom = addr(L.A_SEG_FROM), segTo = addr(L.A_SEG_TO), segSector = addr(L.A_SEG_SECTOR);
  const segUavSet = addr(L.A_SEG_UAV_SET);
  const segFixOff = addr(L.A_SEG_FIX_OFF), segFixIdx = addr(L.A_SEG_FIX_IDX);
  const a0 = scalar(L.S_WARMUP), a1 = scalar(L.S_END);
  const nFixed = <i32>scalar(L.S_N_FIXED), nSeg = <i32>scalar(L.S_N_SEGMENTS), nSets = <i32>scalar(L.S_N_UAV_SETS);
  const nightTotal = nightBefore(a1) - nightBefore(a0);
  const dayTotal = a1 - a0 - nightTotal;
  stepN = 0;
  for (let u = 0; u < nSets; u++) setI32(stepEnd, u, -1);
  const nb0 = nightBefore(a0);
  // Fixed sensors up for the whole window (no outage inside it) add a constant 1 and no events to the sweep.
  for (let j = 0; j < nFixed; j++) {
    let q = i32At(upOff, j);
    const qe = i32At(upOff, j + 1);
    while (q < qe && f64At(upEnd, q) <= a0) q++;
    setU8(full, j, q < qe && f64At(upStart, q) <= a0 && f64At(upEnd, q) >= a1 ? 1 : 0);
  }
  for (let g = 0; g < nSeg; g++) {
    const len = f64At(segTo, g) - f64At(segFrom, g), o = i32At(segSector, g) * L.SECTOR_FIELDS;
    add(tally, o + L.F_EXP_DAY, len * dayTotal);
    add(tally, o + L.F_EXP_NIGHT, len * nightTotal);
    const set = i32At(segUavSet, g);
    const f0 = i32At(segFixOff, g), f1 = i32At(segFixOff, g + 1);
    if (f0 == f1 && set < 0) continue;
    const sec = i32At(segSector, g), c0 = f64At(sevCum, 2 * sec), c1 = f64At(sevCum, 2 * sec + 1);
    effectiveSegment(tally, o, len, c0, c1 - c0, 1 - c1, segFixIdx, f0, f1, full, set, a0, a1);
    let base = 0, nLive = 0;
    for (let q = f0; q < f1; q++) {
      const j = i32At(segFixIdx, q);
      if (u8At(full, j)) base++;
      else { setI32(live, nLive++, j); setI32(covCur, j, 0); }
    }
    if (base >= 2) {
      // Two fixed sensors watch throughout.
      const all = a1 - a0;
      add(tally, o + L.F_COV, len * all);
      add(tally, o + L.F_COV_NIGHT, len * nightTotal);
      add(tally, o + L.F_COV_DAY, len * (all - nightTotal));
      add(tally, o + L.F_COV2, len * all);
      continue;
    }
    // Sweep the other fixed sensors' events. Between them: with two fixed sensors up, or one and no UAVs, the
    // answer needs no UAV timeline; otherwise the UAV set's prefix sums (p1, n1, p2, valid at time preAt) give
    // it exactly.
    let fix = base;
    let tPrev = a0, nbPrev = nb0, cov: f64 = 0, covNight: f64 = 0, cov2: f64 = 0;
    let preAt: f64 = -1, p1: f64 = 0, n1: f64 = 0, p2: f64 = 0;
    for (;;) {
      let tNext: f64 = Infinity;
      let who = -1;
      for (let q = 0; q < nLive; q++) {
        const j = i32At(live, q), et = nextEventOf(j);
        if (et < tNext) { tNext = et; who = j; }
      }
      const tc = min(max(tNext, a0), a1);
      if (tc > tPrev) {
        const nbC = nightBefore(tc), dt = tc - tPrev;
        if (fix >= 2 || (fix == 1 && set < 0)) {
          cov += dt;
          covNight += nbC - nbPrev;
          if (fix >= 2) cov2 += dt;
        } else if (set >= 0) {
          if (i32At(stepEnd, set) < 0) buildUavSet(set, a0, a1);
          if (preAt != tPrev) { stepPrefix(set, tPrev); p1 = preP1; n1 = preN1; p2 = preP2; }
          stepPrefix(set, tc);
          const q1 = preP1, m1 = preN1, q2 = preP2;
          if (fix == 1) {
            cov += dt;
            covNight += nbC - nbPrev;
            cov2 += q1 - p1;
          } else {
            cov += q1 - p1;
            covNight += m1 - n1;
            cov2 += q2 - p2;
          }
          p1 = q1; n1 = m1; p2 = q2; preAt = tc;
        }
        tPrev = tc;
        nbPrev = nbC;
      }
      if (who < 0 || tNext >= a1) break;
      const e = i32At(covCur, who);
      fix += e & 1 ? -1 : 1; // an end of an up-interval, or a start
      setI32(covCur, who, e + 1);
    }
    add(tally, o + L.F_COV, len * cov);
    add(tally, o + L.F_COV_NIGHT, len * covNight);
    add(tally, o + L.F_COV_DAY, len * (cov - covNight));
    add(tally, o + L.F_COV2, len * cov2);
  }
}
