/**
 * The calendar's tables for the engine (src/engine/wasm/calendar.ts): for each day d of the run (and the drain
 * period, and one more), its dawn and dusk as hours from the start, and the night hours before its midnight.
 * A fixed dawn and dusk give 24d + dawn, 24d + dusk and d × (24 − (dusk − dawn)), the very numbers the engine
 * computed before it read tables; a solar calendar gives each day its own civil twilight (src/model/daylight.ts).
 */
import { calendarDays, daylightWindows, isSolar } from "../model/daylight.js";
import { ScenarioError } from "../model/errors.js";
import type { Scenario } from "../model/types.js";

/** The calendar tables of a run whose work ends at drainEnd (hours). */
export function calendarTables(
  s: Scenario,
  drainEnd: number,
): { calDawn: Float64Array; calDusk: Float64Array; calNight: Float64Array; calLast: number } {
  const n = calendarDays(drainEnd);
  const w = daylightWindows(s.daylight, n);
  // The scenario was checked over its own horizon; a longer one asked at run time is checked here.
  if ("problem" in w) throw new ScenarioError([{ path: ["daylight", w.problem.field], message: w.problem.message }]);
  const calDawn = new Float64Array(n),
    calDusk = new Float64Array(n),
    calNight = new Float64Array(n);
  if (!isSolar(s.daylight)) {
    const { dawn, dusk } = s.daylight,
      nightLength = 24 - (dusk - dawn);
    for (let d = 0; d < n; d++) {
      calDawn[d] = 24 * d + dawn;
      calDusk[d] = 24 * d + dusk;
      calNight[d] = d * nightLength;
    }
  } else {
    let night = 0;
    for (let d = 0; d < n; d++) {
      calDawn[d] = 24 * d + w.dawn[d]!;
      calDusk[d] = 24 * d + w.dusk[d]!;
      calNight[d] = night;
      night += w.dawn[d]! + (24 - w.dusk[d]!);
    }
  }
  return { calDawn, calDusk, calNight, calLast: n - 1 };
}

/** Night hours in [0, t) by the tables (the engine's nightBefore, for the host). */
export function nightHoursBefore(
  c: { calDawn: Float64Array; calDusk: Float64Array; calNight: Float64Array },
  t: number,
): number {
  const last = c.calDawn.length - 1;
  const d = Math.floor(t / 24),
    j = Math.min(d, last),
    lastNight = 24 - (c.calDusk[last]! - c.calDawn[last]!);
  const dawn = c.calDawn[j]! + 24 * (d - j),
    dusk = c.calDusk[j]! + 24 * (d - j);
  return c.calNight[j]! + (d - j) * lastNight + (Math.min(t, dawn) - 24 * d) + Math.max(0, t - dusk);
}
