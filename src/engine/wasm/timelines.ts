// AssemblyScript: phase 1 of a replication, the timelines that the later phases read. From the incident stream:
// the regime path (a Markov chain in continuous time, which scales the incident rate). From the availability
// stream: the fixed sensors' up and repair spells, the UAVs' sorties and jamming (together, every watching
// sensor's up-intervals with their detection factors), the satellites' phases, and the teams' unavailable
// spells. The regime path runs to the end of the run, the others to the end of the drain window. Last, without
// draws: the patrol windows of the teams that patrol on a schedule, to the end of the run.
import * as L from "../../layout/slots.generated";
import { addr, f64At, i32At, setF64, setI32, scalar, setResult } from "./memory";
import { bindTables, exponential, next, sample } from "./rng";
import { bindCalendar, dawnOf, duskOf, isNight, nextSwitch } from "./calendar";

let upStart: usize = 0, upEnd: usize = 0, upFactor: usize = 0, upRoom = 0, overflow = false;

/** Append up-interval k (when there is room: else note the overflow, and the host runs the phase again). */
@inline function pushUp(k: i32, a: f64, b: f64, factor: f64): i32 {
  if (k < upRoom) {
    setF64(upStart, k, a);
    setF64(upEnd, k, b);
    setF64(upFactor, k, factor);
  } else overflow = true;
  return k + 1;
}

// The streams, the distribution table and the end of the drain window, read once per phase (buildTimelines).
let ra: usize = 0, dist: usize = 0, end: f64 = 0;

/** The replication's timelines; R_TIMELINES_FIT says whether they fitted in the room the host gave. */
export function buildTimelines(): void {
  bindTables();
  bindCalendar();
  ra = addr(L.A_RNG_AVAILABILITY); dist = addr(L.A_DIST); end = scalar(L.S_DRAIN_END);
  upRoom = <i32>scalar(L.S_UP_ROOM);
  overflow = false;
  upStart = addr(L.A_UP_START); upEnd = addr(L.A_UP_END); upFactor = addr(L.A_UP_FACTOR);
  setResult(L.R_N_REG, regimePath());
  // Every watching sensor's up-intervals, fixed sensors first, then UAVs (the order of the sensor indices).
  const upOff = addr(L.A_UP_OFF);
  setI32(upOff, 0, 0);
  uavSorties(upOff, fixedSensors(upOff));
  satellitePhases();
  teamSpells();
  if (<i32>scalar(L.S_N_PATROL_TEAMS) > 0 && !overflow) patrolWindows();
  setResult(L.R_TIMELINES_FIT, overflow ? 0 : 1);
}

/**
 * The regime path, from the incident stream: it starts in a regime drawn from the initial distribution; each
 * regime lasts an exponential time of its mean (an infinite mean: to the end), then the next is drawn from its
 * row of the transition matrix. Returns the number of spells (the host makes room when it exceeds S_REG_ROOM).
 */
@inline function regimePath(): i32 {
  const ri = addr(L.A_RNG_INCIDENTS), horizon = scalar(L.S_END);
  const R = <i32>scalar(L.S_N_REGIMES), regRoom = <i32>scalar(L.S_REG_ROOM);
  const regT = addr(L.A_REG_T), regR = addr(L.A_REG_R), regInitCum = addr(L.A_REG_INIT_CUM);
  const regMean = addr(L.A_REG_MEAN), regNextCum = addr(L.A_REG_NEXT_CUM);
  let r = 0;
  const u0 = next(ri);
  while (r < R - 1 && u0 >= f64At(regInitCum, r)) r++;
  let t: f64 = 0;
  let n = 0;
  for (;;) {
    if (n < regRoom) { setF64(regT, n, t); setI32(regR, n, r); } else overflow = true;
    n++;
    const mean = f64At(regMean, r);
    if (!(mean < Infinity) || R == 1) break;
    t += mean * exponential(ri);
    if (t >= horizon) break;
    const u = next(ri);
    let j = 0;
    while (j < R - 1 && u >= f64At(regNextCum, r * R + j)) j++;
    r = j;
  }
  return n;
}

/**
 * Fixed sensors: alternating up spells (exponential, mean MTBF) and repair spells (the repair distribution),
 * started in the long-run state (down with probability mean repair / (MTBF + mean repair)); an MTBF of 0 (no
 * outages declared): up throughout. Returns the number of up-intervals so far.
 */
@inline function fixedSensors(upOff: usize): i32 {
  const nFixed = <i32>scalar(L.S_N_FIXED);
  const fxMtbf = addr(L.A_FX_MTBF), fxRepairRow = addr(L.A_FX_REPAIR_ROW), fxRepairMean = addr(L.A_FX_REPAIR_MEAN);
  let k = 0;
  for (let j = 0; j < nFixed; j++) {
    const mtbf = f64At(fxMtbf, j);
    if (mtbf == 0) {
      k = pushUp(k, 0, end, 1);
    } else {
      const row = i32At(fxRepairRow, j);
      let tt: f64 = 0;
      const meanRepair = f64At(fxRepairMean, j);
      let up = next(ra) >= meanRepair / (mtbf + meanRepair);
      while (tt < end) {
        if (up) {
          const d = mtbf * exponential(ra);
          k = pushUp(k, tt, min(end, tt + d), 1);
          tt += d;
        } else {
          tt += sample(dist, row, ra);
        }
        up = !up;
      }
    }
    setI32(upOff, j + 1, k);
  }
  return k;
}

/**
 * UAVs: sorties every cycle from a random phase (shared by aircraft flying the same orbit, staggered), appended
 * after the k up-intervals so far. A sortie is on station over [start + onStart, start + onEnd) of its cycle;
 * each is jammed with its UAV's jamming probability, and then detects with the jamming factor. A UAV type flying
 * by day only (or by night only) keeps its cycle and draws, and is on station only for the part of that span in
 * daylight (or at night).
 */
@inline function uavSorties(upOff: usize, k: i32): void {
  const nFixed = <i32>scalar(L.S_N_FIXED), nUav = <i32>scalar(L.S_N_UAV);
  const groupPhase = addr(L.A_UAV_GROUP_PHASE), uvGroup = addr(L.A_UV_GROUP), uvCycle = addr(L.A_UV_CYCLE);
  const uvStagger = addr(L.A_UV_STAGGER), uvJamP = addr(L.A_UV_JAM_P), uvJamF = addr(L.A_UV_JAM_F);
  const uvOnStart = addr(L.A_UV_ON_START), uvOnEnd = addr(L.A_UV_ON_END), uvSchedule = addr(L.A_UV_SCHEDULE);
  const nGroups = max(1, nUav);
  for (let g = 0; g < nGroups; g++) setF64(groupPhase, g, -1);
  for (let j = 0; j < nUav; j++) {
    const g = i32At(uvGroup, j);
    if (f64At(groupPhase, g) < 0) setF64(groupPhase, g, next(ra));
    const cycle = f64At(uvCycle, j);
    const phase = ((f64At(groupPhase, g) + f64At(uvStagger, j)) % 1) * cycle - cycle;
    const jp = f64At(uvJamP, j), jf = f64At(uvJamF, j), sched = i32At(uvSchedule, j);
    // Sortie m starts at phase + m·cycle (from its index, so no drift accumulates).
    for (let m = 0; ; m++) {
      const start = phase + m * cycle;
      if (start >= end) break;
      const jam = next(ra) < jp;
      const a = start + f64At(uvOnStart, j), b = min(end, start + f64At(uvOnEnd, j));
      if (b > 0 && b > a) {
        if (sched == L.SCHED_ALWAYS) k = pushUp(k, max(0, a), b, jam ? jf : 1);
        else k = pushInPeriod(k, max(0, a), b, jam ? jf : 1, sched == L.SCHED_NIGHT);
      }
    }
    setI32(upOff, nFixed + j + 1, k);
  }
}

/** Append [a, b)'s parts in the night (night true) or in daylight, cut at the calendar's switches. */
function pushInPeriod(k: i32, a: f64, b: f64, factor: f64, night: bool): i32 {
  let t = a;
  while (t < b) {
    const e = min(nextSwitch(t), b);
    if (isNight(t) == night) k = pushUp(k, t, e, factor);
    t = e;
  }
  return k;
}

/** Satellites: each one's first pass, uniform within its revisit time. */
@inline function satellitePhases(): void {
  const nSat = <i32>scalar(L.S_N_SAT), satPhase = addr(L.A_SAT_PHASE), satRevisit = addr(L.A_SAT_REVISIT);
  for (let j = 0; j < nSat; j++) setF64(satPhase, j, next(ra) * f64At(satRevisit, j));
}

/**
 * Teams: unavailable spells (rotation, maintenance) as an alternating renewal process with exponential spells:
 * down spells of the team's mean, up spells of the mean that makes its long-run availability a, started in the
 * long-run state (up with probability a).
 */
@inline function teamSpells(): void {
  const T = <i32>scalar(L.S_N_TEAMS), dnRoom = <i32>scalar(L.S_DN_ROOM);
  const dnOff = addr(L.A_DN_OFF), dnStart = addr(L.A_DN_START), dnEnd = addr(L.A_DN_END);
  const dnPtr = addr(L.A_DN_PTR);
  const tmAvail = addr(L.A_TM_AVAIL), tmDown = addr(L.A_TM_DOWN);
  let q = 0;
  setI32(dnOff, 0, 0);
  for (let i = 0; i < T; i++) {
    const a = f64At(tmAvail, i);
    if (a < 1) {
      const down = f64At(tmDown, i), upMean = (down * a) / (1 - a);
      let tt: f64 = 0;
      let up = next(ra) < a;
      while (tt < end) {
        const d = (up ? upMean : down) * exponential(ra);
        if (!up) {
          if (q < dnRoom) { setF64(dnStart, q, tt); setF64(dnEnd, q, tt + d); } else overflow = true;
          q++;
        }
        tt += d;
        up = !up;
      }
    }
    setI32(dnOff, i + 1, q);
    setI32(dnPtr, i, i32At(dnOff, i));
  }
}

/**
 * Patrol windows: each day, a team that patrols on a schedule patrols its sector of responsibility for its
 * hours per day — by day only (the default, and for a team that may not move at night), as one window centred
 * in the day's daylight (all of it when the hours exceed it); or, when it patrols by night too, as one window
 * from dawn (at most 24 h, so into the night when the hours exceed the daylight). Each window less the team's
 * unavailable spells, in time order, up to the end of the run. No draws: the windows follow from the spells.
 */
function patrolWindows(): void {
  bindCalendar();
  const T = <i32>scalar(L.S_N_TEAMS), room = <i32>scalar(L.S_PT_ROOM), horizon = scalar(L.S_END);
  const ptOff = addr(L.A_PT_OFF), ptStart = addr(L.A_PT_START), ptEnd = addr(L.A_PT_END);
  const dnOff = addr(L.A_DN_OFF), dnStart = addr(L.A_DN_START), dnEnd = addr(L.A_DN_END);
  const sec = addr(L.A_TM_PATROL_SEC), hours = addr(L.A_TM_PATROL_HOURS), byNight = addr(L.A_TM_PATROL_NIGHT);
  let q = 0;
  setI32(ptOff, 0, 0);
  for (let k = 0; k < T; k++) {
    const h = f64At(hours, k);
    if (i32At(sec, k) >= 0 && h > 0) {
      const night = load<u8>(byNight + <usize>k) != 0;
      let p = i32At(dnOff, k);
      const pe = i32At(dnOff, k + 1);
      for (let d: f64 = 0; dawnOf(d) < horizon; d++) {
        let a: f64, b: f64;
        if (night) {
          a = dawnOf(d);
          b = a + min(h, 24);
        } else {
          const light = duskOf(d) - dawnOf(d), len = min(h, light);
          a = dawnOf(d) + (light - len) / 2;
          b = a + len;
        }
        b = min(b, horizon);
        // [a, b) less the unavailable spells (in time order, disjoint) that meet it.
        let cur = a;
        while (cur < b) {
          while (p < pe && f64At(dnEnd, p) <= cur) p++;
          if (p < pe && f64At(dnStart, p) < b) {
            const s0 = f64At(dnStart, p);
            if (s0 > cur) q = pushWindow(ptStart, ptEnd, room, q, cur, s0);
            cur = f64At(dnEnd, p);
          } else {
            q = pushWindow(ptStart, ptEnd, room, q, cur, b);
            cur = b;
          }
        }
      }
    }
    setI32(ptOff, k + 1, q);
  }
}

/** Append patrol window q (when there is room: else note the overflow, and the host runs the phase again). */
@inline function pushWindow(ptStart: usize, ptEnd: usize, room: i32, q: i32, a: f64, b: f64): i32 {
  if (q < room) {
    setF64(ptStart, q, a);
    setF64(ptEnd, q, b);
  } else overflow = true;
  return q + 1;
}
