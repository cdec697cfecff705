/**
 * Dawn and dusk of each day of a replication: one fixed pair for every day, or civil twilight (the sun's centre
 * 6° below the horizon) computed from a start date, a place and the clock's offset from UTC.
 *
 * The sun's position follows NOAA's "General Solar Position Calculations" (NOAA Global Monitoring Division,
 * https://gml.noaa.gov/grad/solcalc/solareqns.PDF): the fractional year γ, the equation of time and the solar
 * declination as Fourier series in γ, and the hour angle at a zenith of 96° (civil twilight; 90.833° would be
 * sunrise). NOAA gives the series' accuracy as about a minute of time at mid latitudes; refraction is folded into
 * the zenith as NOAA does.
 *
 * The whole line shares one calendar (the incident process's day and night intensities are line-wide), taken at
 * one place: by default the midpoint of the line's geometry.
 */

/** A fixed daylight window, the same every day: hours after midnight, 0 ≤ dawn ≤ dusk ≤ 24. */
export interface FixedDaylight {
  dawn: number;
  dusk: number;
}

/** Civil twilight from the sun, at one place, starting on a date. */
export interface SolarDaylight {
  /** The ISO date (YYYY-MM-DD) of day 0: hour 0 of the clock is its local midnight. */
  date: string;
  /** Degrees, north positive. */
  latitude: number;
  /** Degrees, east positive. */
  longitude: number;
  /** The clock's offset from UTC, hours (local = UTC + utcOffset). */
  utcOffset: number;
}

/** The canonical daylight of a scenario. */
export type Daylight = FixedDaylight | SolarDaylight;

/** Is this daylight computed from the sun? */
export function isSolar(d: Daylight): d is SolarDaylight {
  return "date" in d;
}

/** The zenith angle of civil twilight: the sun's centre 6° below the horizon. */
export const CIVIL_ZENITH_DEG = 96;
/** The zenith angle of sunrise and sunset (NOAA: refraction and the sun's radius folded in). */
export const SUNRISE_ZENITH_DEG = 90.833;

const RAD = Math.PI / 180;

/** Days in the Gregorian year y. */
function yearDays(y: number): number {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 366 : 365;
}

/**
 * Civil dawn and dusk on the given UTC calendar day (ms since the epoch at its 00:00 UTC), as hours after local
 * midnight of that day's date at the offset; `polar` for a day whose sun never sinks to 6° below the horizon
 * (polar day: no night) or never rises to it (polar night: no day). NOAA's equations at local noon. With
 * `zenith` = SUNRISE_ZENITH_DEG, sunrise and sunset instead.
 */
export function civilTwilight(
  dayMs: number,
  latitude: number,
  longitude: number,
  utcOffset: number,
  zenith: number = CIVIL_ZENITH_DEG,
): { dawn: number; dusk: number } | { polar: "day" | "night" } {
  const date = new Date(dayMs);
  const y = date.getUTCFullYear();
  const doy = Math.round((dayMs - Date.UTC(y, 0, 1)) / 86_400_000) + 1;
  // Fractional year (radians) at local noon, in UTC hours.
  const g = ((2 * Math.PI) / yearDays(y)) * (doy - 1 - utcOffset / 24);
  const eqtime =
    229.18 *
    (0.000075 +
      0.001868 * Math.cos(g) -
      0.032077 * Math.sin(g) -
      0.014615 * Math.cos(2 * g) -
      0.040849 * Math.sin(2 * g));
  const decl =
    0.006918 -
    0.399912 * Math.cos(g) +
    0.070257 * Math.sin(g) -
    0.006758 * Math.cos(2 * g) +
    0.000907 * Math.sin(2 * g) -
    0.002697 * Math.cos(3 * g) +
    0.00148 * Math.sin(3 * g);
  const phi = latitude * RAD;
  const cosH = Math.cos(zenith * RAD) / (Math.cos(phi) * Math.cos(decl)) - Math.tan(phi) * Math.tan(decl);
  if (cosH < -1) return { polar: "day" };
  if (cosH > 1) return { polar: "night" };
  const ha = Math.acos(cosH) / RAD;
  // Minutes after 00:00 UTC (NOAA: sunrise = 720 − 4(longitude + ha) − eqtime, longitude east positive).
  const rise = 720 - 4 * (longitude + ha) - eqtime;
  const set = 720 - 4 * (longitude - ha) - eqtime;
  return { dawn: rise / 60 + utcOffset, dusk: set / 60 + utcOffset };
}

/** A problem with a day of the calendar. */
export interface DaylightProblem {
  /** The field of `daylight` it is reported at. */
  field: "date" | "utcOffset";
  message: string;
}

/**
 * The daylight window of days 0 … n − 1 (hours after each day's midnight), or the first problem: a polar day or
 * night (refused: the calendar needs a dawn and a dusk every day), or a dawn before midnight or a dusk after the
 * next (the clock's offset is far from the sun's time at that longitude).
 */
export function daylightWindows(
  d: Daylight,
  n: number,
): { dawn: Float64Array; dusk: Float64Array } | { problem: DaylightProblem } {
  const dawn = new Float64Array(n),
    dusk = new Float64Array(n);
  if (!isSolar(d)) {
    dawn.fill(d.dawn);
    dusk.fill(d.dusk);
    return { dawn, dusk };
  }
  const start = Date.parse(`${d.date}T00:00:00Z`);
  const hm = (h: number) => {
    const m = Math.round((((h % 24) + 24) % 24) * 60);
    return `${String(Math.floor(m / 60) % 24).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  };
  for (let k = 0; k < n; k++) {
    const ms = start + k * 86_400_000;
    const day = new Date(ms).toISOString().slice(0, 10);
    const w = civilTwilight(ms, d.latitude, d.longitude, d.utcOffset);
    if ("polar" in w)
      return {
        problem: {
          field: "date",
          message:
            `on ${day} (day ${k} of the run) the sun ${w.polar === "day" ? "stays above" : "never rises to"} 6° ` +
            `below the horizon at latitude ${d.latitude}°: ${w.polar === "day" ? "no night" : "no day"}; ` +
            "expected a dawn and a dusk every day (give a fixed dawn and dusk for polar latitudes)",
        },
      };
    if (w.dawn < 0 || w.dusk > 24)
      return {
        problem: {
          field: "utcOffset",
          message:
            `on ${day} (day ${k}) civil dawn is at ${hm(w.dawn)} and dusk at ${hm(w.dusk)} local time, ` +
            `${w.dawn < 0 ? "dawn before midnight" : "dusk after midnight"} at UTC offset ${d.utcOffset} h; ` +
            "expected an offset near the local solar time (about longitude / 15 h)",
        },
      };
    dawn[k] = w.dawn;
    dusk[k] = w.dusk;
  }
  return { dawn, dusk };
}

/** Days the calendar's tables hold for a run whose work ends at `drainEnd` hours: each day begun by then, one more. */
export function calendarDays(drainEnd: number): number {
  return Math.floor(drainEnd / 24) + 2;
}
