// AssemblyScript: the day/night calendar, the one place where an instant is placed in day or night. Time is in
// hours from the start, which is midnight; day d runs over [24d, 24d + 24), its daylight over
// [dawnOf(d), duskOf(d)). The compiled model gives each day's dawn and dusk as hours from the start, and the night
// hours before each day's midnight (calDawn, calDusk, calNight, days 0 … calLast; src/compile/calendar.ts fills
// them from a fixed dawn and dusk or from the sun); a day past calLast repeats the last one, 24 h on. Every
// boundary is read one way only, and every test of an instant compares it against those same boundaries, never
// against a rounded hour of day: so an instant at a boundary the arrival process stepped to is on the boundary's
// side, however dawn and dusk round, and each step of nextSwitch provably advances.
import * as L from "../../layout/slots.generated";
import { addr, f64At, scalar } from "./memory";

let calDawn: usize = 0, calDusk: usize = 0, calNight: usize = 0, last: f64 = 0, lastNight: f64 = 0;
// The day the *Seq functions last looked up: d = seqD, [seqLo, seqHi) = [24d, 24d + 24), the night hours before its
// midnight, its dawn and dusk.
let seqD: f64 = 0, seqLo: f64 = Infinity, seqHi: f64 = -Infinity, seqBase: f64 = 0, seqDawn: f64 = 0;
let seqDusk: f64 = 0;

/** Read the calendar's tables for this replication. */
export function bindCalendar(): void {
  calDawn = addr(L.A_CAL_DAWN);
  calDusk = addr(L.A_CAL_DUSK);
  calNight = addr(L.A_CAL_NIGHT);
  last = scalar(L.S_CAL_LAST);
  const j = <i32>last;
  lastNight = 24 - (f64At(calDusk, j) - f64At(calDawn, j));
  seqLo = Infinity;
  seqHi = -Infinity;
}

/**
 * The index d of the day holding t: 24d ≤ t < 24(d + 1), as compared in f64 (t ≥ 0). The first guess (a product,
 * not a division: it may be one off where t / 24 rounds across an integer) is corrected to the one such d.
 */
@inline export function dayOf(t: f64): f64 {
  let d = Math.floor(t * (1.0 / 24));
  if (24 * d > t) d -= 1;
  else if (24 * (d + 1) <= t) d += 1;
  return d;
}

/** Dawn of day d (within the tables, the table's value itself: x + 0 is x). */
@inline export function dawnOf(d: f64): f64 {
  const j = min(d, last);
  return f64At(calDawn, <i32>j) + 24 * (d - j);
}

/** Dusk of day d. */
@inline export function duskOf(d: f64): f64 {
  const j = min(d, last);
  return f64At(calDusk, <i32>j) + 24 * (d - j);
}

/** Is t at night: before its day's dawn, or from its dusk on? */
@inline export function isNight(t: f64): bool {
  const d = dayOf(t);
  return t < dawnOf(d) || t >= duskOf(d);
}

/** The next day/night boundary strictly after t (at most dawn of the next day, which is ≥ 24(d + 1) > t). */
export function nextSwitch(t: f64): f64 {
  const d = dayOf(t);
  let c = dawnOf(d);
  if (c > t) return c;
  c = duskOf(d);
  if (c > t) return c;
  return dawnOf(d + 1);
}

/** The first daylight instant at or after t (t itself by day). */
export function nextDawn(t: f64): f64 {
  const d = dayOf(t);
  if (t < dawnOf(d)) return dawnOf(d);
  if (t >= duskOf(d)) return dawnOf(d + 1);
  return t;
}

/** Night hours in [0, t). */
export function nightBefore(t: f64): f64 {
  const d = dayOf(t), midnight = 24 * d, j = min(d, last);
  return f64At(calNight, <i32>j) + (d - j) * lastNight + (min(t, dawnOf(d)) - midnight) + max(0, t - duskOf(d));
}

/**
 * nightBefore(t), the same number, for a caller whose times mostly stay within a day or rise: the day's terms
 * are kept from the last call of a *Seq function and looked up again only when t leaves that day.
 */
@inline export function nightBeforeSeq(t: f64): f64 {
  if (!(t >= seqLo && t < seqHi)) seekDay(t);
  return seqBase + (min(t, seqDawn) - seqLo) + max(0, t - seqDusk);
}

/** isNight(t), the same answer, as nightBeforeSeq keeps the day. */
@inline export function isNightSeq(t: f64): bool {
  if (!(t >= seqLo && t < seqHi)) seekDay(t);
  return t < seqDawn || t >= seqDusk;
}

/** nextDawn(t), the same time, as nightBeforeSeq keeps the day. */
@inline export function nextDawnSeq(t: f64): f64 {
  if (!(t >= seqLo && t < seqHi)) seekDay(t);
  if (t < seqDawn) return seqDawn;
  if (t >= seqDusk) return dawnOf(seqD + 1);
  return t;
}

/** duskOf(dayOf(t)), the same time, as nightBeforeSeq keeps the day. */
@inline function duskSeq(t: f64): f64 {
  if (!(t >= seqLo && t < seqHi)) seekDay(t);
  return seqDusk;
}

/** Keep day dayOf(t)'s terms (as nightBefore, dawnOf and duskOf compute them) for the *Seq functions. */
function seekDay(t: f64): void {
  const d = dayOf(t), j = min(d, last);
  seqD = d;
  seqLo = 24 * d;
  seqHi = 24 * (d + 1);
  seqBase = f64At(calNight, <i32>j) + (d - j) * lastNight;
  seqDawn = dawnOf(d);
  seqDusk = duskOf(d);
}

/**
 * Where a journey of `hours` of movement by day only ends, leaving at t: it waits for dawn if t is at night,
 * halts at each dusk and goes on at the next dawn. (Days have daylight: a calendar without any never calls it.)
 */
export function dayTravelEnd(t: f64, hours: f64): f64 {
  let at = nextDawnSeq(t), left = hours, dusk = duskSeq(at);
  while (at + left > dusk) {
    left -= dusk - at;
    at = nextDawnSeq(dusk);
    dusk = duskSeq(at);
  }
  return at + left;
}
