/**
 * The smallest durations a scenario may give, each named once. Every duration that drives a loop of the engine
 * (a satellite's revisit, a UAV's sortie cycle, a fixed sensor's outages, a team's availability spells, a regime's
 * stay) is at least `MIN_CYCLE`, so each loop advances by a meaningful step; the horizon is at least
 * `MIN_HORIZON`; a day or night window is either empty or at least `MIN_DAYLIGHT_WINDOW`. Values in hours.
 * The largest value of each kind of quantity is here too (`MAX_QUANTITY`).
 */
import type { Dimension } from "./units.js";

/** Sanity limits in canonical units: far beyond any mission, near enough that no value overflows downstream. */
export const MAX_QUANTITY: Readonly<Record<Dimension, { readonly value: number; readonly text: string }>> =
  Object.freeze({
    duration: { value: 1e7, text: "1e7 h (about 1,100 years)" },
    length: { value: 1e6, text: "1e6 km" },
    speed: { value: 1e5, text: "1e5 km/h" },
    rate: { value: 1e9, text: "1e9 per hour" },
  });

/** A minimum in hours, with the text error messages show. */
export interface DurationMinimum {
  readonly hours: number;
  readonly text: string;
}

/** Revisits, sortie cycles (endurance + turnaround), outage MTBF and mean repair, downtime, regime mean stays. */
export const MIN_CYCLE: DurationMinimum = Object.freeze({ hours: 1 / 60, text: "1 min" });
/** The simulated horizon. */
export const MIN_HORIZON: DurationMinimum = Object.freeze({ hours: 1, text: "1 h" });
/** The warm-up (none is allowed). */
export const MIN_WARMUP: DurationMinimum = Object.freeze({ hours: 0, text: "0" });
/** The day (dusk − dawn) and the night (24 h − day), each when it is not empty. */
export const MIN_DAYLIGHT_WINDOW: DurationMinimum = Object.freeze({ hours: 1 / 60, text: "1 min" });

/**
 * Is `hours` below the minimum? Unit conversion rounds ("1 min" is 0.016666… h either way), so a value within one
 * part in 10^9 of the minimum counts as reaching it.
 */
export function belowMinimum(hours: number, min: DurationMinimum): boolean {
  return hours < min.hours * (1 - 1e-9);
}
