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
//
// One sweep per segment gives both: its stretches (between its fixed sensors' events) are the same for the two.
// The six slots v (day then night, by severity) are computed once per distinct column: slots whose detection
// probabilities are equal for every watching sensor (all three severities without severity factors; major and
// critical when only minor has a factor) give equal numbers, so each distinct column is computed once and its
// slots read it.
import * as L from "../../layout/slots.generated";
import { addr, f64At, i32At, setF64, setI32, setU8, u8At, scalar } from "./memory";
import { bindCalendar, nightBeforeSeq } from "./calendar";

let upOff: usize = 0, upStart: usize = 0, upEnd: usize = 0, covCur: usize = 0;
let uavSetOff: usize = 0, uavSetIdx: usize = 0;
let stepOff: usize = 0, stepEnd: usize = 0, stepT: usize = 0, stepC: usize = 0, stepNb: usize = 0;
let stepP1: usize = 0, stepN1: usize = 0, stepP2: usize = 0;
let stepN = 0, memberNext: usize = 0, memberMiss: usize = 0;
let stepQ: usize = 0, stepD: usize = 0, watchPdSev: usize = 0, upFactor: usize = 0;
let effScratch: usize = 0, effCol: usize = 0, sevOn = false;
/** Distinct columns of detection probabilities (1 to 6; the first nDay by day, the others by night). */
let nCol = 2, nDay = 1;

@inline function add(tally: usize, o: i32, v: f64): void {
  store<f64>(tally + (<usize>o << 3), load<f64>(tally + (<usize>o << 3)) + v);
}

/** Slot v's column (effCol[v]), and column c's first slot (effCol[6 + c]). */
@inline function colOf(v: i32): i32 { return i32At(effCol, v); }
@inline function slotOf(c: i32): i32 { return i32At(effCol, 6 + c); }

/** Are slots v and w's detection probabilities equal for each of the W watching sensors? */
function sameSlots(v: i32, w: i32, W: i32): bool {
  for (let j = 0; j < W; j++) if (f64At(watchPdSev, 6 * j + v) != f64At(watchPdSev, 6 * j + w)) return false;
  return true;
}

/** The distinct columns among the six slots: the day slots' first, then the night slots'. */
function bindColumns(W: i32): void {
  nCol = 0;
  for (let half = 0; half < 2; half++) {
    const c0 = nCol;
    for (let v = 3 * half; v < 3 * half + 3; v++) {
      let c = c0;
      while (c < nCol && !sameSlots(v, slotOf(c), W)) c++;
      if (c == nCol) { setI32(effCol, 6 + nCol, v); nCol++; }
      setI32(effCol, v, c);
    }
    if (half == 0) nDay = nCol;
  }
}

/**
 * The last change point of UAV set `set`'s step function at or before t, by binary search; −1 when there is none
 * (no set, no change points, or t before the first).
 */
@inline function changeAt(set: i32, t: f64): i32 {
  if (set < 0) return -1;
  let lo = i32At(stepOff, set), hi = i32At(stepEnd, set) - 1;
  if (hi < lo || f64At(stepT, lo) > t) return -1;
  if (f64At(stepT, hi) <= t) return hi; // at or after the last (each segment's sweep ends there)
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (f64At(stepT, mid) <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Sensor j's next up-interval start or end (covCur[j] counts those passed), or Infinity. */
@inline function nextEventOf(j: i32): f64 {
  const e = i32At(covCur, j), idx = i32At(upOff, j) + (e >> 1);
  if (idx >= i32At(upOff, j + 1)) return Infinity;
  return e & 1 ? f64At(upEnd, idx) : f64At(upStart, idx);
}

/**
 * UAV set u's count of orbits on station over [a0, a1) as change points with prefix sums, appended to the step
 * arrays (the host sized them). A change point's prefix sums follow from the one before it, final once a later
 * time comes: each is written when the next change point is made.
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
  const nc = nCol, nd = nDay;
  let count = 0;
  // The last change point's time, count, night hours before it and prefix sums.
  let t0: f64 = 0, c0 = 0, nb0: f64 = 0, p1: f64 = 0, n1: f64 = 0, p2: f64 = 0;
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
    if ((e & 1) == 0) {
      // On station: its miss probability in each column for this up-interval (its factor × the column's Pd).
      const f = f64At(upFactor, i32At(upOff, who) + (e >> 1)), pd = watchPdSev + (<usize>(6 * who) << 3);
      for (let c = 0; c < nc; c++) setF64(memberMiss, 6 * at + c, 1 - f * f64At(pd, slotOf(c)));
    }
    const tc = max(tNext, a0);
    if (k > k0 && t0 == tc) { c0 = count; setI32(stepC, k - 1, count); missProducts(s0, s1, k - 1); continue; }
    const nb1 = nightBeforeSeq(tc), o = nc * k;
    if (k == k0) {
      for (let c = 0; c < nc; c++) setF64(stepD, o + c, 0);
    } else {
      p1 += c0 >= 1 ? tc - t0 : 0;
      n1 += c0 >= 1 ? nb1 - nb0 : 0;
      p2 += c0 >= 2 ? tc - t0 : 0;
      const night = nb1 - nb0, day = tc - t0 - night, p = o - nc;
      for (let c = 0; c < nc; c++) {
        setF64(stepD, o + c, f64At(stepD, p + c) + (1 - f64At(stepQ, p + c)) * (c < nd ? day : night));
      }
    }
    setF64(stepT, k, tc); setI32(stepC, k, count); setF64(stepNb, k, nb1);
    setF64(stepP1, k, p1); setF64(stepN1, k, n1); setF64(stepP2, k, p2);
    missProducts(s0, s1, k);
    t0 = tc; c0 = count; nb0 = nb1;
    k++;
  }
  setI32(stepOff, u, k0);
  setI32(stepEnd, u, k);
  stepN = k;
}

/**
 * At change point k of a UAV set (members s0..s1 − 1 of uavSetIdx, each one's events passed in covCur, the miss
 * probabilities of those on station in memberMiss): the probability that every orbit on station misses, for each
 * column (the product in the members' order).
 */
@inline function missProducts(s0: i32, s1: i32, k: i32): void {
  const nc = nCol, o = nc * k;
  for (let c = 0; c < nc; c++) {
    let prod: f64 = 1;
    for (let q = s0; q < s1; q++) {
      if (i32At(covCur, i32At(uavSetIdx, q)) & 1) prod *= f64At(memberMiss, 6 * (q - s0) + c);
    }
    setF64(stepQ, o + c, prod);
  }
}

/**
 * Coverage of segment g (sector block o of the tally, severity weights w0, w1, w2, length len) over [a0, a1)
 * (nbA0: nightBefore(a0)): its fixed sensors f0..f1 − 1 of segFixIdx (those in `full` up throughout) and UAV set
 * `set` (−1: none), swept once over the fixed sensors' events, for footprint and effective coverage together.
 * Effective coverage's columns keep, in effScratch, the UAV set's prefix at the last time reached (c) and the
 * segment's sum (6 + c).
 */
function segmentCoverage(
  tally: usize, o: i32, len: f64, w0: f64, w1: f64, w2: f64, segFixIdx: usize, f0: i32, f1: i32,
  full: usize, live: usize, set: i32, a0: f64, a1: f64, nbA0: f64, nightTotal: f64,
): void {
  if (set >= 0 && i32At(stepEnd, set) < 0) buildUavSet(set, a0, a1);
  const nc = nCol, nd = nDay;
  for (let c = 0; c < nc; c++) { setF64(effScratch, c, 0); setF64(effScratch, 6 + c, 0); }
  let base = 0, nLive = 0;
  for (let q = f0; q < f1; q++) {
    const j = i32At(segFixIdx, q);
    if (u8At(full, j)) base++;
    else { setI32(live, nLive++, j); setI32(covCur, j, 0); }
  }
  // Footprint: with two fixed sensors up throughout, the answer needs no sweep. Otherwise, between the others'
  // events: with two fixed sensors up, or one and no UAVs, the answer needs no UAV timeline; else the UAV set's
  // prefix sums (p1, n1, p2 at the stretch's start) give it exactly.
  const sweepFootprint = base < 2;
  let fix = base;
  let tPrev = a0, nbPrev = nbA0, cov: f64 = 0, covNight: f64 = 0, cov2: f64 = 0;
  // The prefix sums at a0 are 0: no change point before a0, or the first at a0 with zero hours before it.
  let p1: f64 = 0, n1: f64 = 0, p2: f64 = 0;
  for (;;) {
    let tNext: f64 = Infinity;
    let who = -1;
    for (let q = 0; q < nLive; q++) {
      const j = i32At(live, q), et = nextEventOf(j);
      if (et < tNext) { tNext = et; who = j; }
    }
    const tc = min(max(tNext, a0), a1);
    if (tc > tPrev) {
      const nbC = nightBeforeSeq(tc), dt = tc - tPrev, night = nbC - nbPrev, day = dt - night;
      // Where tc falls in the UAV set's step function: change point lo, and the hours from it to tc.
      const lo = changeAt(set, tc);
      let loDay: f64 = 0, loNight: f64 = 0, loT: f64 = 0, loNb: f64 = 0;
      if (lo >= 0) {
        loT = f64At(stepT, lo);
        loNb = f64At(stepNb, lo);
        loNight = nbC - loNb;
        loDay = tc - loT - loNight;
      }
      // The fixed sensors' miss product over the stretch, per column (fixed sensors detect with factor 1), each
      // in the sensors' order, into effScratch (12 + c).
      for (let c = 0; c < nc; c++) setF64(effScratch, 12 + c, 1);
      for (let q = f0; q < f1; q++) {
        const j = i32At(segFixIdx, q);
        if (!u8At(full, j) && !(i32At(covCur, j) & 1)) continue;
        const pd = watchPdSev + (<usize>(6 * j) << 3);
        for (let c = 0; c < nc; c++) setF64(effScratch, 12 + c, f64At(effScratch, 12 + c) * (1 - f64At(pd, slotOf(c))));
      }
      for (let c = 0; c < nc; c++) {
        const qf = f64At(effScratch, 12 + c), hours = c < nd ? day : night;
        const cur = lo < 0 ? 0
          : f64At(stepD, nc * lo + c) + (1 - f64At(stepQ, nc * lo + c)) * (c < nd ? loDay : loNight);
        setF64(effScratch, 6 + c,
          f64At(effScratch, 6 + c) + (1 - qf) * hours + qf * (cur - f64At(effScratch, c)));
        setF64(effScratch, c, cur);
      }
      if (sweepFootprint) {
        // The UAV set's prefix sums at tc (kept for the next stretch even where this one does not need them).
        let q1: f64 = 0, m1: f64 = 0, q2: f64 = 0;
        if (lo >= 0) {
          const d = tc - loT, k = i32At(stepC, lo);
          q1 = f64At(stepP1, lo) + (k >= 1 ? d : 0);
          m1 = f64At(stepN1, lo) + (k >= 1 ? nbC - loNb : 0);
          q2 = f64At(stepP2, lo) + (k >= 2 ? d : 0);
        }
        if (fix >= 2 || (fix == 1 && set < 0)) {
          cov += dt;
          covNight += nbC - nbPrev;
          if (fix >= 2) cov2 += dt;
        } else if (set >= 0) {
          if (fix == 1) {
            cov += dt;
            covNight += nbC - nbPrev;
            cov2 += q1 - p1;
          } else {
            cov += q1 - p1;
            covNight += m1 - n1;
            cov2 += q2 - p2;
          }
        }
        p1 = q1; n1 = m1; p2 = q2;
      }
      tPrev = tc;
      nbPrev = nbC;
    }
    if (who < 0 || tNext >= a1) break;
    const e = i32At(covCur, who);
    fix += e & 1 ? -1 : 1; // an end of an up-interval, or a start
    setI32(covCur, who, e + 1);
  }
  for (let v = 0; v < 6; v++) {
    const e = len * f64At(effScratch, 6 + colOf(v));
    add(tally, o + (v < 3 ? L.F_EFF_DAY_SEV + v : L.F_EFF_NIGHT_SEV + v - 3), e);
    if (sevOn) add(tally, o + (v < 3 ? L.F_EFF_DAY : L.F_EFF_NIGHT), (v % 3 == 0 ? w0 : v % 3 == 1 ? w1 : w2) * e);
    else if (v % 3 == 0) add(tally, o + (v < 3 ? L.F_EFF_DAY : L.F_EFF_NIGHT), e);
  }
  if (!sweepFootprint) {
    // Two fixed sensors watch throughout.
    const all = a1 - a0;
    add(tally, o + L.F_COV, len * all);
    add(tally, o + L.F_COV_NIGHT, len * nightTotal);
    add(tally, o + L.F_COV_DAY, len * (all - nightTotal));
    add(tally, o + L.F_COV2, len * all);
    return;
  }
  add(tally, o + L.F_COV, len * cov);
  add(tally, o + L.F_COV_NIGHT, len * covNight);
  add(tally, o + L.F_COV_DAY, len * (cov - covNight));
  add(tally, o + L.F_COV2, len * cov2);
}

/** Coverage of every elementary segment into the tally (after the incidents' tally). */
export function tallyCoverage(): void {
  bindCalendar();
  upOff = addr(L.A_UP_OFF); upStart = addr(L.A_UP_START); upEnd = addr(L.A_UP_END); covCur = addr(L.A_COV_CUR);
  uavSetOff = addr(L.A_UAV_SET_OFF); uavSetIdx = addr(L.A_UAV_SET_IDX);
  stepOff = addr(L.A_STEP_OFF); stepEnd = addr(L.A_STEP_END); stepT = addr(L.A_STEP_T); stepC = addr(L.A_STEP_C);
  stepNb = addr(L.A_STEP_NB); stepP1 = addr(L.A_STEP_P1); stepN1 = addr(L.A_STEP_N1); stepP2 = addr(L.A_STEP_P2);
  memberNext = addr(L.A_MEMBER_NEXT); memberMiss = addr(L.A_MEMBER_MISS);
  stepQ = addr(L.A_STEP_Q); stepD = addr(L.A_STEP_D); watchPdSev = addr(L.A_WATCH_PD_SEV);
  upFactor = addr(L.A_UP_FACTOR); effScratch = addr(L.A_EFF_SCRATCH); sevOn = scalar(L.S_SEV_FACTORS) != 0;
  effCol = addr(L.A_EFF_COL);
  const nFixed = <i32>scalar(L.S_N_FIXED), nSeg = <i32>scalar(L.S_N_SEGMENTS), nSets = <i32>scalar(L.S_N_UAV_SETS);
  bindColumns(nFixed + <i32>scalar(L.S_N_UAV));
  const sevCum = addr(L.A_SEV_CUM);
  const tally = addr(L.A_TALLY), full = addr(L.A_FULL_UP), live = addr(L.A_LIVE_IDX);
  const segFrom = addr(L.A_SEG_FROM), segTo = addr(L.A_SEG_TO), segSector = addr(L.A_SEG_SECTOR);
  const segUavSet = addr(L.A_SEG_UAV_SET);
  const segFixOff = addr(L.A_SEG_FIX_OFF), segFixIdx = addr(L.A_SEG_FIX_IDX);
  const a0 = scalar(L.S_WARMUP), a1 = scalar(L.S_END);
  const nb0 = nightBeforeSeq(a0);
  const nightTotal = nightBeforeSeq(a1) - nb0;
  const dayTotal = a1 - a0 - nightTotal;
  stepN = 0;
  for (let u = 0; u < nSets; u++) setI32(stepEnd, u, -1);
  // Fixed sensors up for the whole window (no outage inside it) add a constant 1 and no events to the sweep.
  for (let j = 0; j < nFixed; j++) {
    let q = i32At(upOff, j);
    const qe = i32At(upOff, j + 1);
    while (q < qe && f64At(upEnd, q) <= a0) q++;
    setU8(full, j, q < qe && f64At(upStart, q) <= a0 && f64At(upEnd, q) >= a1 ? 1 : 0);
  }
  for (let g = 0; g < nSeg; g++) {
    const len = f64At(segTo, g) - f64At(segFrom, g), sec = i32At(segSector, g), o = sec * L.SECTOR_FIELDS;
    add(tally, o + L.F_EXP_DAY, len * dayTotal);
    add(tally, o + L.F_EXP_NIGHT, len * nightTotal);
    const set = i32At(segUavSet, g);
    const f0 = i32At(segFixOff, g), f1 = i32At(segFixOff, g + 1);
    if (f0 == f1 && set < 0) continue;
    const c0 = f64At(sevCum, 2 * sec), c1 = f64At(sevCum, 2 * sec + 1);
    segmentCoverage(tally, o, len, c0, c1 - c0, 1 - c1, segFixIdx, f0, f1, full, live, set, a0, a1, nb0, nightTotal);
  }
}
