// AssemblyScript: phase 3 of a replication, dispatch: a discrete-event simulation of the verification teams
// (stream "dispatch" for cross-national delays and time on site). Events are an incident ready for tasking
// (detected, reported and tasked), a team done at an incident, a team back at base, a team's end of
// unavailability, and dawn. A ready incident gets the nearest available eligible team (or, by the coordination
// rule, the first in its sector's order, or the earliest to arrive), or waits in its queue (critical incidents
// first where the rule says so); a team that becomes free takes the oldest waiting incident it may serve, from the
// field when retasking is allowed, else from its base. A team that does not move at night is not sent at night
// (at dawn the waiting incidents are given teams again), moves by day only and stays on site overnight when its
// work ends after dusk (docs/night.md). Teams' busy time and unavailability within the window go to the tally;
// the incidents' outcomes and the parts of their response times go to their columns, for phase 4.
import * as L from "../../layout/slots.generated";
import { addr, f64At, i32At, setF64, setI32, setU8, u8At, scalar, result, setResult } from "./memory";
import { bindTables, sample } from "./rng";
import { bindCalendar, dayTravelEnd, isNightSeq, nextDawnSeq } from "./calendar";

// Model and state, read once per phase into globals (the handlers share them).
let warmup: f64 = 0, end: f64 = 0, drainEnd: f64 = 0;
let circuity: f64 = 0, crossMean: f64 = 0;
let nTeams = 0, nSectors = 0, nBases = 0, crossRow = 0, teamBase = 0;
let matrix = false, earliestArrival = false, fixedPreference = false, criticalFirst = false, retask = false;
let inStandardFirst = false, standard: f64 = 0;
let dist: usize = 0, rngDispatch: usize = 0;
let elOff: usize = 0, elIdx: usize = 0;
let nearStart: usize = 0, nearEnd: usize = 0, nearIdx: usize = 0, nearLow: usize = 0, nearRunEnd: usize = 0;
let tmX: usize = 0, tmOff: usize = 0, tmSpeed: usize = 0, tmState: usize = 0, tmNight: usize = 0, tmHome: usize = 0;
let tmOnSiteRow: usize = 0, tmBase: usize = 0;
let secLead: usize = 0, secTo: usize = 0, travelHours: usize = 0, elig: usize = 0;
let dnOff: usize = 0, dnStart: usize = 0, dnEnd: usize = 0, dnPtr: usize = 0, dnNext: usize = 0;
let tmBusy: usize = 0, tmBusyFrom: usize = 0, tmLocX: usize = 0, tmLocOff: usize = 0, tmInc: usize = 0;
let queued: usize = 0, qCrit: usize = 0, qMaj: usize = 0, heapT: usize = 0, heapI: usize = 0, heapSize = 0;
let qCritHead = 0, qCritLen = 0, qMajHead = 0, qMajLen = 0, qCap = 0;
let incT: usize = 0, incX: usize = 0, incSec: usize = 0, incCell: usize = 0, incSev: usize = 0;
let incAccess: usize = 0, incDenied: usize = 0, incReady: usize = 0, incOutcome: usize = 0;
let incArrive: usize = 0, incWait: usize = 0, incMob: usize = 0, incTravel: usize = 0, incTeam: usize = 0;
let incHalt: usize = 0, secDawn: usize = 0;
/** Some team does not move at night; the time of the dawn event in the heap (−1: none). */
let anyBarred = false, dawnAt: f64 = -1;
let tally: usize = 0, nPatrolTeams = 0, ptOff: usize = 0, ptStart: usize = 0, ptEnd: usize = 0;
let ptBusyPtr: usize = 0;

// The event heap: a binary min-heap of (time, payload), the payload (id << EV_SHIFT) | kind; equal times pop in
// payload order, so the order of events is fixed by their times and payloads alone. Its arrays' addresses are
// read into locals (a global is reloaded at every use), and the sift-down picks the smaller child without a
// branch (which of two children is earlier is a coin toss).
function heapPush(t: f64, v: i32): void {
  const T = heapT, I = heapI;
  let i = heapSize++;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const pt = f64At(T, p);
    if (pt < t || (pt == t && i32At(I, p) <= v)) break;
    setF64(T, i, pt);
    setI32(I, i, i32At(I, p));
    i = p;
  }
  setF64(T, i, t);
  setI32(I, i, v);
}

function heapPop(): void {
  const T = heapT, I = heapI;
  const n = --heapSize;
  if (n == 0) return;
  const t = f64At(T, n), v = i32At(I, n);
  let i = 0;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= n) break;
    // The right child when it exists and is earlier (or as early with a smaller payload); c + 1 < n read safely:
    // the slot at n still holds the last event.
    const tl = f64At(T, c), tr = f64At(T, c + 1);
    const right = <i32>(c + 1 < n) & (<i32>(tr < tl) | (<i32>(tr == tl) & <i32>(i32At(I, c + 1) < i32At(I, c))));
    c += right;
    const tc = f64At(T, c), vc = i32At(I, c);
    if (tc > t || (tc == t && vc >= v)) break;
    setF64(T, i, tc);
    setI32(I, i, vc);
    i = c;
  }
  setF64(T, i, t);
  setI32(I, i, v);
}

// The teams' ends of unavailability, kept out of the heap: each team has one at most, far ahead, and in the heap
// they would make every sift longer. A tournament tree with a leaf per team holds them; each node holds the
// earliest (time, payload) below it, and only an end of unavailability taken or queued touches it (a few per
// team per replication). The next event is the earlier of the heap's top and the tree's root: all payloads
// differ, so events come in exactly the order one heap holding them all would give.
let upTreeT: usize = 0, upTreeV: usize = 0, upLeaves = 0;
const NO_EVENT = 0x7fffffff;

/** Node i: the earlier (time, payload) of its two children. */
@inline function upTreeNode(i: i32): void {
  const T = upTreeT, V = upTreeV;
  const ta = f64At(T, 2 * i), va = i32At(V, 2 * i), tb = f64At(T, 2 * i + 1), vb = i32At(V, 2 * i + 1);
  if (ta < tb || (ta == tb && va < vb)) { setF64(T, i, ta); setI32(V, i, va); }
  else { setF64(T, i, tb); setI32(V, i, vb); }
}

/** Team k's leaf: its next end of unavailability within the drain window (taken off its list), or none. */
function upLeaf(k: i32): void {
  const q = i32At(dnNext, k), leaf = upLeaves + k;
  if (q < i32At(dnOff, k + 1) && f64At(dnEnd, q) < drainEnd) {
    setF64(upTreeT, leaf, f64At(dnEnd, q));
    setI32(upTreeV, leaf, (k << L.EV_SHIFT) | L.EV_UP);
    setI32(dnNext, k, q + 1);
  } else {
    setF64(upTreeT, leaf, Infinity);
    setI32(upTreeV, leaf, NO_EVENT);
  }
}

/** Team k's next end of unavailability into the tree (its leaf, then the path to the root). */
function pushNextUp(k: i32): void {
  upLeaf(k);
  for (let i = (upLeaves + k) >> 1; i >= 1; i >>= 1) upTreeNode(i);
}

/** Is team k unavailable at t? Its pointer into its spells only moves forward, as t does. */
function isDown(k: i32, t: f64): bool {
  let p = i32At(dnPtr, k);
  const e = i32At(dnOff, k + 1);
  while (p < e && f64At(dnEnd, p) <= t) p++;
  setI32(dnPtr, k, p);
  return p < e && f64At(dnStart, p) <= t;
}

/**
 * Team k's travel time to place x in sector s: the matrix time from its base to the sector, or the straight
 * distance from where it is, times the road circuity, at its speed.
 */
@inline function travelTime(k: i32, s: i32, x: f64): f64 {
  if (matrix) return f64At(travelHours, s * nBases + i32At(tmBase, k));
  const dx = x - f64At(tmLocX, k), dy = f64At(tmLocOff, k);
  return (circuity * Math.sqrt(dx * dx + dy * dy)) / f64At(tmSpeed, k);
}

/**
 * Team k's busy time over [a, b), clipped to the window [warmup, end), into its tally; the part of it inside
 * its patrol windows comes off its patrol hours (a busy team does not patrol).
 */
@inline function addBusy(k: i32, a: f64, b: f64): void {
  const o = teamBase + k * L.TEAM_FIELDS;
  const lo = max(a, warmup), hi = min(b, end);
  if (hi > lo) {
    setF64(tally, o + L.T_BUSY, f64At(tally, o + L.T_BUSY) + (hi - lo));
    if (nPatrolTeams > 0) setF64(tally, o + L.T_PATROL, f64At(tally, o + L.T_PATROL) - patrolIn(k, lo, hi));
  }
}

/**
 * Hours of team k's patrol windows inside [a, b). Its busy spells come in time order and do not overlap, so
 * its pointer into its windows only moves forward.
 */
function patrolIn(k: i32, a: f64, b: f64): f64 {
  let q = i32At(ptBusyPtr, k);
  const qe = i32At(ptOff, k + 1);
  while (q < qe && f64At(ptEnd, q) <= a) q++;
  setI32(ptBusyPtr, k, q);
  let d: f64 = 0;
  for (; q < qe && f64At(ptStart, q) < b; q++) d += min(b, f64At(ptEnd, q)) - max(a, f64At(ptStart, q));
  return d;
}

/** Team k's travel over [a, b), clipped to the window [warmup, end), into its tally. */
/**
 * Team k's travel over [a, b) into its tally, clipped to the window. `moving`: the share of [a, b) spent moving
 * (less than 1 for a journey with halts overnight, whose window part is counted in that proportion).
 */
@inline function addTravel(k: i32, a: f64, b: f64, moving: f64): void {
  const o = teamBase + k * L.TEAM_FIELDS + L.T_TRAVEL;
  const d = min(b, end) - max(a, warmup);
  if (d > 0) setF64(tally, o, f64At(tally, o) + d * moving);
}

@inline function bump(o: i32, by: f64): void {
  setF64(tally, o, f64At(tally, o) + by);
}

/** Pick an available eligible team for incident i at time t, or −1. */
function chooseTeam(i: i32, t: f64): i32 {
  const s = i32At(incSec, i), x = f64At(incX, i);
  let best = -1;
  let bt: f64 = Infinity;
  // At night a team that does not move at night is not sent (it stays free for the morning).
  const barredNow = anyBarred && isNightSeq(t);
  if (fixedPreference) {
    // Fixed preference: the first available team in the sector's order.
    for (let e = i32At(elOff, s), e1 = i32At(elOff, s + 1); e < e1; e++) {
      const k = i32At(elIdx, e);
      if (barredNow && !u8At(tmNight, k)) continue;
      if (!u8At(tmBusy, k) && !isDown(k, t)) return k;
    }
    return -1;
  }
  // Available teams are at their base, so travel ≥ the team's lower bound for the incident's cell; the list is
  // sorted by that bound, and the scan stops once no later team can be nearer. The scan's arrays as locals (a
  // global is reloaded at every use), isDown written out over them.
  const low = nearLow, idx = nearIdx, runEnd = nearRunEnd, busy = tmBusy;
  const ptr = dnPtr, off = dnOff, dEnd = dnEnd, dStart = dnStart;
  const c0 = i32At(incCell, i);
  for (let e = i32At(nearStart, c0), e1 = i32At(nearEnd, c0); e < e1; e++) {
    if (f64At(low, e) >= bt) break;
    const k = i32At(idx, e);
    // A run shares its night movement: a team barred now, its whole run is.
    if (barredNow && !u8At(tmNight, k)) { e = i32At(runEnd, e) - 1; continue; }
    if (u8At(busy, k)) continue;
    let p = i32At(ptr, k);
    const pe = i32At(off, k + 1);
    while (p < pe && f64At(dEnd, p) <= t) p++;
    setI32(ptr, k, p);
    if (p < pe && f64At(dStart, p) <= t) continue;
    // The rest of k's run would cost exactly as much, and only a strictly lower cost wins.
    e = i32At(runEnd, e) - 1;
    let c = travelTime(k, s, x);
    if (earliestArrival) {
      let dep = t;
      if (i32At(tmState, k) != i32At(secLead, s)) dep += crossMean;
      // A team that does not move at night leaves at dawn if the delay ends at night, and halts overnight.
      c = u8At(tmNight, k) ? c + (dep - t) : dayTravelEnd(dep, c) - t;
    }
    if (c < bt) { bt = c; best = k; }
  }
  return best;
}

/**
 * Send team k to incident i at time t: a cross-national delay when the team's state does not lead the sector,
 * then, for a team that does not move at night, the wait for dawn if that delay ends at night (the team is not
 * sent at night, but a delay that starts by day may end after dusk); then travel — which such a team makes by day
 * only, halting at dusk where it is and going on at dawn — and access.
 */
function dispatch(k: i32, i: i32, t: f64): void {
  const s = i32At(incSec, i);
  if (!u8At(tmBusy, k)) { setU8(tmBusy, k, 1); setF64(tmBusyFrom, k, t); }
  setI32(tmInc, k, i);
  setI32(incTeam, i, k);
  const cross = i32At(tmState, k) != i32At(secLead, s);
  let dep = t;
  if (cross) dep += sample(dist, crossRow, rngDispatch);
  if (!u8At(tmNight, k) && isNightSeq(dep)) dep = nextDawnSeq(dep);
  const travel = travelTime(k, s, f64At(incX, i));
  // The journey: its travel, and for a team that does not move at night its halts overnight.
  let reach = dep + travel, journey = travel;
  if (!u8At(tmNight, k)) { reach = dayTravelEnd(dep, travel); journey = reach - dep; }
  setF64(incHalt, i, journey - travel);
  const wait = t - f64At(incReady, i);
  setF64(incWait, i, wait);
  setF64(incMob, i, dep - t);
  setF64(incTravel, i, journey);
  if (f64At(incT, i) >= warmup) {
    const o = s * L.SECTOR_FIELDS;
    bump(o + L.F_DISPATCH, 1);
    if (wait > 0) bump(o + L.F_QUEUED, 1);
    bump(o + L.F_WAIT, wait);
    if (i32At(tmHome, k) != s) bump(o + L.F_CROSS_SECTOR, 1);
    if (cross) bump(o + L.F_CROSS_NATIONAL, 1);
    bump(teamBase + k * L.TEAM_FIELDS + L.T_TASKS, 1);
  }
  // Nothing watches a team on its way, so its arrival needs no event of its own: the task ends at arrival
  // when access is denied, else after the time on site. The outcome stands if arrival falls within the drain window.
  addTravel(k, dep, reach, journey > 0 ? travel / journey : 1);
  const arrive = reach + f64At(incAccess, i);
  let done = arrive;
  if (u8At(incDenied, i)) {
    if (arrive <= drainEnd) setU8(incOutcome, i, L.OUT_DENIED);
  } else {
    done += sample(dist, i32At(tmOnSiteRow, k), rngDispatch);
    if (arrive <= drainEnd) { setU8(incOutcome, i, L.OUT_VERIFIED); setF64(incArrive, i, arrive); }
  }
  heapPush(done, (k << L.EV_SHIFT) | L.EV_DONE);
}

/** Drop served slots and shift the queue to the front (its room, one more than incidents, always suffices). */
function compact(crit: bool): void {
  const q = crit ? qCrit : qMaj;
  const head = crit ? qCritHead : qMajHead, len = crit ? qCritLen : qMajLen;
  let n = 0;
  for (let a = head; a < head + len; a++) if (i32At(q, a) >= 0) setI32(q, n++, i32At(q, a));
  if (crit) { qCritHead = 0; qCritLen = n; } else { qMajHead = 0; qMajLen = n; }
}

/** Incident i waits: in the critical queue (critical incidents, when they go first) or the other. */
function enqueue(i: i32): void {
  const s = i32At(incSec, i);
  setI32(queued, s, i32At(queued, s) + 1);
  if (criticalFirst && u8At(incSev, i) == 2) {
    if (qCritHead + qCritLen == qCap) compact(true);
    setI32(qCrit, qCritHead + qCritLen++, i);
  } else {
    if (qMajHead + qMajLen == qCap) compact(false);
    setI32(qMaj, qMajHead + qMajLen++, i);
  }
}

/**
 * Give team k the oldest queued incident it may serve (critical first); false when none. A team that does not
 * move at night serves none at night: the queue is served again at dawn.
 */
function serveQueue(k: i32, t: f64): bool {
  if (!u8At(tmNight, k) && isNightSeq(t)) {
    if (qCritLen + qMajLen > 0) wantDawn(t);
    return false;
  }
  for (let pass = 0; pass < 2; pass++) {
    const crit = pass == 0;
    const q = crit ? qCrit : qMaj;
    let head = crit ? qCritHead : qMajHead, len = crit ? qCritLen : qMajLen;
    while (len > 0 && i32At(q, head) < 0) { head++; len--; } // served slots at the head
    // The oldest it may serve; by the in-standard rule, the oldest still within the standard, else the oldest.
    let pick = -1;
    for (let a = head; a < head + len; a++) {
      const i = i32At(q, a);
      if (i < 0 || !u8At(elig, i32At(incSec, i) * nTeams + k)) continue;
      if (pick < 0) pick = a;
      if (!inStandardFirst || t - f64At(incT, i) <= standard) { pick = a; break; }
    }
    if (pick >= 0) {
      const i = i32At(q, pick);
      setI32(q, pick, -1);
      const s = i32At(incSec, i);
      setI32(queued, s, i32At(queued, s) - 1);
      if (pick == head) { head++; len--; }
      if (crit) { qCritHead = head; qCritLen = len; } else { qMajHead = head; qMajLen = len; }
      dispatch(k, i, t);
      return true;
    }
    if (crit) { qCritHead = head; qCritLen = len; } else { qMajHead = head; qMajLen = len; }
  }
  return false;
}

/** The dawn event after night-time t, unless it is in the heap already. */
function wantDawn(t: f64): void {
  const d = nextDawnSeq(t);
  if (d == dawnAt) return;
  dawnAt = d;
  heapPush(d, L.EV_DAWN);
}

/**
 * Dawn, with incidents waiting: each, oldest first (critical first where the rule says so), gets a team as a
 * ready incident would, if one is free and available (teams that do not move at night were kept for this).
 */
function serveAtDawn(t: f64): void {
  // By the in-standard rule, a first round for the incidents still within the standard, then one for all.
  for (let round = inStandardFirst ? 0 : 1; round < 2; round++) {
    for (let pass = 0; pass < 2; pass++) {
      const crit = pass == 0;
      const q = crit ? qCrit : qMaj;
      const head = crit ? qCritHead : qMajHead, len = crit ? qCritLen : qMajLen;
      for (let a = head; a < head + len; a++) {
        const i = i32At(q, a);
        if (i < 0 || (round == 0 && t - f64At(incT, i) > standard)) continue;
        // Every rule finds a team when the sector has a free available eligible one: a sector that found none
        // finds none for its later incidents either.
        const s = i32At(incSec, i);
        if (f64At(secDawn, s) == t) continue;
        const k = chooseTeam(i, t);
        if (k < 0) { setF64(secDawn, s, t); continue; }
        // Served: its slot emptied (the queue skips or compacts empty slots).
        setI32(q, a, -1);
        setI32(queued, s, i32At(queued, s) - 1);
        dispatch(k, i, t);
      }
    }
  }
}

/** Incident i is ready for tasking at t: a team goes, or it waits (none eligible: no team, for good). */
function ready(i: i32, t: f64): void {
  const s = i32At(incSec, i);
  if (i32At(elOff, s) == i32At(elOff, s + 1)) { setU8(incOutcome, i, L.OUT_NO_TEAM); return; }
  // While an incident of the sector waits, no team that may serve the sector is free, available and allowed to
  // move now (a team that becomes so takes the oldest waiting incident it may serve, at dawn for a team that does
  // not move at night): this one waits too.
  if (i32At(queued, s) > 0) { enqueue(i); if (anyBarred && isNightSeq(t)) wantDawn(t); return; }
  const k = chooseTeam(i, t);
  if (k >= 0) dispatch(k, i, t);
  else {
    enqueue(i);
    if (anyBarred && isNightSeq(t)) wantDawn(t);
  }
}

/** Return time in matrix mode: the matrix time from the team's base to the sector it was in. */
function returnMatrix(k: i32): f64 {
  const x = f64At(tmLocX, k);
  let s = 0;
  while (s < nSectors - 1 && x >= f64At(secTo, s)) s++;
  return f64At(travelHours, s * nBases + i32At(tmBase, k));
}

/** After verifying (or being denied), a team takes the next queued task from the field, or returns to base. */
function afterTask(k: i32, t: f64): void {
  setI32(tmInc, k, -1);
  if (retask && serveQueue(k, t)) return;
  let back: f64;
  if (matrix) back = returnMatrix(k);
  else {
    const dx = f64At(tmLocX, k) - f64At(tmX, k), dy = f64At(tmOff, k) - f64At(tmLocOff, k);
    back = (circuity * Math.sqrt(dx * dx + dy * dy)) / f64At(tmSpeed, k);
  }
  // A team that does not move at night drives back by day, halting overnight (it leaves by day: see EV_DONE).
  const home = u8At(tmNight, k) ? t + back : dayTravelEnd(t, back);
  addTravel(k, t, home, home > t ? back / (home - t) : 1);
  heapPush(home, (k << L.EV_SHIFT) | L.EV_FREE);
}

/** Read the model's scalars and the arrays' addresses into the globals: call at the start of the phase. */
function bind(): void {
  bindTables();
  bindCalendar(); warmup = scalar(L.S_WARMUP); end = scalar(L.S_END);
  drainEnd = scalar(L.S_DRAIN_END);
  circuity = scalar(L.S_CIRCUITY); crossMean = scalar(L.S_CROSS_MEAN);
  nTeams = <i32>scalar(L.S_N_TEAMS); nSectors = <i32>scalar(L.S_N_SECTORS); nBases = <i32>scalar(L.S_N_BASES);
  crossRow = <i32>scalar(L.S_CROSS_ROW);
  teamBase = (nSectors + 1) * L.SECTOR_FIELDS;
  matrix = scalar(L.S_MATRIX) != 0; earliestArrival = scalar(L.S_EARLIEST_ARRIVAL) != 0;
  fixedPreference = scalar(L.S_FIXED_PREFERENCE) != 0;
  criticalFirst = scalar(L.S_CRITICAL_FIRST) != 0; retask = scalar(L.S_RETASK) != 0;
  inStandardFirst = scalar(L.S_IN_STANDARD_FIRST) != 0; standard = scalar(L.S_STANDARD);
  qCap = <i32>scalar(L.S_CAPACITY) + 1;
  dist = addr(L.A_DIST); rngDispatch = addr(L.A_RNG_DISPATCH);
  elOff = addr(L.A_EL_OFF); elIdx = addr(L.A_EL_IDX);
  nearStart = addr(L.A_NEAR_START); nearEnd = addr(L.A_NEAR_END); nearIdx = addr(L.A_NEAR_IDX);
  nearLow = addr(L.A_NEAR_LOW); nearRunEnd = addr(L.A_NEAR_RUN_END);
  tmX = addr(L.A_TM_X); tmOff = addr(L.A_TM_OFF); tmSpeed = addr(L.A_TM_SPEED); tmState = addr(L.A_TM_STATE);
  tmNight = addr(L.A_TM_NIGHT);
  tmHome = addr(L.A_TM_HOME); tmOnSiteRow = addr(L.A_TM_ON_SITE_ROW); tmBase = addr(L.A_TM_BASE);
  secLead = addr(L.A_SEC_LEAD); secTo = addr(L.A_SEC_TO); travelHours = addr(L.A_TRAVEL_HOURS); elig = addr(L.A_ELIG);
  dnOff = addr(L.A_DN_OFF); dnStart = addr(L.A_DN_START); dnEnd = addr(L.A_DN_END); dnPtr = addr(L.A_DN_PTR);
  dnNext = addr(L.A_DN_NEXT);
  tmBusy = addr(L.A_TM_BUSY); tmBusyFrom = addr(L.A_TM_BUSY_FROM); tmLocX = addr(L.A_TM_LOC_X);
  tmLocOff = addr(L.A_TM_LOC_OFF); tmInc = addr(L.A_TM_INC);
  queued = addr(L.A_QUEUED); secDawn = addr(L.A_SEC_DAWN); qCrit = addr(L.A_Q_CRIT); qMaj = addr(L.A_Q_MAJ);
  heapT = addr(L.A_HEAP_T); heapI = addr(L.A_HEAP_I);
  upTreeT = addr(L.A_UP_TREE_T); upTreeV = addr(L.A_UP_TREE_V); upLeaves = <i32>scalar(L.S_UP_LEAVES);
  incT = addr(L.A_INC_T); incX = addr(L.A_INC_X); incSec = addr(L.A_INC_SEC); incCell = addr(L.A_INC_CELL);
  incSev = addr(L.A_INC_SEV);
  incAccess = addr(L.A_INC_ACCESS); incDenied = addr(L.A_INC_DENIED); incReady = addr(L.A_INC_READY);
  incOutcome = addr(L.A_INC_OUTCOME);
  incArrive = addr(L.A_INC_ARRIVE); incWait = addr(L.A_INC_WAIT); incMob = addr(L.A_INC_MOB);
  incTravel = addr(L.A_INC_TRAVEL); incTeam = addr(L.A_INC_TEAM); incHalt = addr(L.A_INC_HALT);
  tally = addr(L.A_TALLY);
  nPatrolTeams = <i32>scalar(L.S_N_PATROL_TEAMS);
  ptOff = addr(L.A_PT_OFF); ptStart = addr(L.A_PT_START); ptEnd = addr(L.A_PT_END); ptBusyPtr = addr(L.A_PT_BUSY_PTR);
}

/** Dispatch for one replication, after generateIncidents; the events handled go to R_EVENTS. */
export function dispatchAll(): void {
  bind();
  const T = nTeams;
  heapSize = 0;
  // The tree: each team's first end of unavailability (no team, no event, in the leaves past the teams), then
  // the inner nodes from below, once.
  for (let i = upLeaves + T; i < 2 * upLeaves; i++) {
    setF64(upTreeT, i, Infinity);
    setI32(upTreeV, i, NO_EVENT);
  }
  for (let k = 0; k < T; k++) {
    setU8(tmBusy, k, 0);
    setF64(tmLocX, k, f64At(tmX, k));
    setF64(tmLocOff, k, f64At(tmOff, k));
    setI32(tmInc, k, -1);
    setI32(dnPtr, k, i32At(dnOff, k));
    setI32(dnNext, k, i32At(dnOff, k));
    setI32(ptBusyPtr, k, i32At(ptOff, k));
    upLeaf(k);
  }
  for (let i = upLeaves - 1; i >= 1; i--) upTreeNode(i);
  anyBarred = false;
  for (let k = 0; k < T; k++) if (!u8At(tmNight, k)) anyBarred = true;
  dawnAt = -1;
  for (let s = 0; s < nSectors; s++) setF64(secDawn, s, -1);
  qCritHead = qCritLen = qMajHead = qMajLen = 0;
  memory.fill(queued, 0, <usize>nSectors << 2);
  const tb = teamBase;
  const pend = addr(L.A_PEND), nPend = result(L.R_N_PEND);
  let g = 0, events = 0;
  for (;;) {
    // Incidents enter the heap lazily: a ready time is never before the incident's own time, so admitting every
    // incident that has happened by the earliest queued event keeps the order exact and the heap small.
    let top: f64 = min(heapSize > 0 ? f64At(heapT, 0) : Infinity, f64At(upTreeT, 1));
    while (g < nPend && f64At(incT, i32At(pend, g)) <= top) {
      const i = i32At(pend, g), r = f64At(incReady, i);
      g++;
      // An incident ready strictly before every queued event and every incident still to come (whose ready
      // times are no earlier than their own) is the next event: handled at once, without the heap.
      if (r < top && r <= drainEnd && (g == nPend || r < f64At(incT, i32At(pend, g)))) {
        events++;
        ready(i, r);
        top = min(heapSize > 0 ? f64At(heapT, 0) : Infinity, f64At(upTreeT, 1));
        continue;
      }
      heapPush(r, (i << L.EV_SHIFT) | L.EV_READY);
      top = min(f64At(heapT, 0), f64At(upTreeT, 1));
    }
    // The earlier of the heap's top and the tree's root.
    const ut = f64At(upTreeT, 1), uv = i32At(upTreeV, 1);
    let t: f64, v: i32;
    if (heapSize > 0 && (f64At(heapT, 0) < ut || (f64At(heapT, 0) == ut && i32At(heapI, 0) < uv))) {
      t = f64At(heapT, 0);
      v = i32At(heapI, 0);
      if (t > drainEnd) break;
      heapPop();
    } else {
      // An end of unavailability (the only events in the tree): its handler below puts the team's next in
      // its place.
      if (uv == NO_EVENT) break;
      t = ut;
      v = uv;
      if (t > drainEnd) break;
    }
    events++;
    const kind = v & ((1 << L.EV_SHIFT) - 1), id = v >> L.EV_SHIFT;
    if (kind == L.EV_READY) {
      ready(id, t);
    } else if (kind == L.EV_DONE) {
      // The team is at the incident (verified, or turned away there). One that does not move at night and is
      // done after dusk stays on site until dawn (busy), and goes on from there.
      if (!u8At(tmNight, id) && isNightSeq(t)) { heapPush(nextDawnSeq(t), v); continue; }
      setF64(tmLocX, id, f64At(incX, i32At(tmInc, id)));
      setF64(tmLocOff, id, 0);
      afterTask(id, t);
    } else if (kind == L.EV_FREE) {
      // Back at base.
      setF64(tmLocX, id, f64At(tmX, id));
      setF64(tmLocOff, id, f64At(tmOff, id));
      setU8(tmBusy, id, 0);
      addBusy(id, f64At(tmBusyFrom, id), t);
      if (!isDown(id, t)) serveQueue(id, t);
    } else if (kind == L.EV_DAWN) {
      dawnAt = -1;
      serveAtDawn(t);
    } else {
      // Available again.
      pushNextUp(id);
      if (u8At(tmBusy, id) == 0 && !isDown(id, t)) serveQueue(id, t);
    }
  }
  setResult(L.R_EVENTS, events);
  // Teams still out at the end count as busy to the end of the window.
  for (let k = 0; k < T; k++) if (u8At(tmBusy, k)) addBusy(k, f64At(tmBusyFrom, k), end);
  // Team unavailability inside the window.
  for (let k = 0; k < T; k++) {
    let d: f64 = 0;
    for (let q = i32At(dnOff, k); q < i32At(dnOff, k + 1); q++) {
      d += max(0, min(end, f64At(dnEnd, q)) - max(warmup, f64At(dnStart, q)));
    }
    setF64(tally, tb + k * L.TEAM_FIELDS + L.T_DOWN, d);
  }
  // Patrol windows inside the window (the busy hours in them already came off).
  if (nPatrolTeams > 0)
    for (let k = 0; k < T; k++) {
      let d: f64 = 0;
      for (let q = i32At(ptOff, k); q < i32At(ptOff, k + 1); q++) {
        d += max(0, min(end, f64At(ptEnd, q)) - max(warmup, f64At(ptStart, q)));
      }
      const o = tb + k * L.TEAM_FIELDS + L.T_PATROL;
      setF64(tally, o, f64At(tally, o) + d);
    }
}
