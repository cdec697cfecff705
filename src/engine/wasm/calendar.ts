// AssemblyScript: the day/night calendar, the one place where an instant is placed in day or night. Time is in
// hours from the start, which is midnight; day d runs over [24d, 24d + 24), its daylight over
// [dawnOf(d), duskOf(d)). Every boundary is computed one way only (24·d + dawn, 24·d + dusk, d an integer), and
// every test of an instant compares it against those same computed boundaries, never against a rounded hour of
// day: so an instant at a boundary the arrival process stepped to is on the boundary's side, however dawn and dusk
// round, and each step of nextSwitch provably advances.
import * as L from "../../layout/slots.generated";
import { scalar } from "./memory";

let dawn: f64 = 0, dusk: f64 = 0, nightLength: f64 = 0;

/** Read dawn and dusk (hours after midnight, 0 ≤ dawn ≤ dusk ≤ 24) for this replication. */
export function bindCalendar(): void {
  dawn = scalar(L.S_DAWN);
  dusk = scalar(L.S_DUSK);
  nightLength = 24 - (dusk - dawn);
}

/** The index d of the day holding t: 24d ≤ t < 24(d + 1), as compared in f64 (t ≥ 0). */
@inline export function dayOf(t: f64): f64 {
  let d = Math.floor(t / 24);
  if (24 * d > t) d -= 1;
  else if (24 * (d + 1) <= t) d += 1;
  return d;
}

/** Dawn of day d. */
@inline export function dawnOf(d: f64): f64 {
  return 24 * d + dawn;
}

/** Dusk of day d. */
@inline export function duskOf(d: f64): f64 {
  return 24 * d + dusk;
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
  const d = dayOf(t), midnight = 24 * d;
  return d * nightLength + (min(t, dawnOf(d)) - midnight) + max(0, t - duskOf(d));
}
