// Day and night: the calendar from the sun (src/model/daylight.ts, src/compile/calendar.ts) and teams that do not
// move at night (src/engine/wasm/dispatch.ts), checked over the incident log of seeded runs.
import { describe, expect, it } from "vitest";
import { calendarTables, nightHoursBefore } from "../src/compile/calendar.js";
import { compile } from "../src/compile/compile.js";
import { incidentLog, incidentRow, type IncidentLog } from "../src/experiment/incidents.js";
import { scenarioAllocation } from "../src/allocation/allocate.js";
import { simulate } from "../src/experiment/simulate.js";
import { civilTwilight, daylightWindows, SUNRISE_ZENITH_DEG } from "../src/model/daylight.js";
import { ScenarioError } from "../src/model/errors.js";
import { parseScenario } from "../src/model/parse.js";
import { defaultScenario } from "../src/scenarios/index.js";

// biome-ignore lint/suspicious/noExplicitAny: the tests edit scenario JSON freely
type Json = Record<string, any>;
type Calendar = ReturnType<typeof calendarTables>;

const at = (date: string) => Date.parse(`${date}T00:00:00Z`);
const minutes = (h: number) => h * 60;

/** Is t at night by the calendar's tables (within `eps` of a boundary counts as day)? */
function nightAt(c: Calendar, t: number, eps = 1e-9): boolean {
  const d = Math.min(Math.floor(t / 24), c.calLast);
  return t < c.calDawn[d]! - eps || t >= c.calDusk[d]! + eps;
}

/** Daylight hours in [a, b). */
const dayHours = (c: Calendar, a: number, b: number) => b - a - (nightHoursBefore(c, b) - nightHoursBefore(c, a));

describe("civil twilight from the sun (NOAA's solar equations)", () => {
  it("sunrise and sunset match published times for Kyiv and Kharkiv within 2 minutes", () => {
    // Kyiv (50.45° N, 30.52° E), 22 December: sunrise 07:56, sunset 15:56 (UNIAN, as reported by vesti.dp.ua,
    // "Сегодня самый короткий день в году"). Kharkiv (49.99° N, 36.23° E), 21 December 2016: sunrise 07:30,
    // sunset 15:35 (Ukrainian Hydrometeorological Center, as reported by news.kh.ua). Both at UTC+2.
    for (const [date, lat, lon, rise, set] of [
      ["2026-12-22", 50.45, 30.52, 7 + 56 / 60, 15 + 56 / 60],
      ["2016-12-21", 49.99, 36.23, 7.5, 15 + 35 / 60],
    ] as const) {
      const w = civilTwilight(at(date), lat, lon, 2, SUNRISE_ZENITH_DEG);
      if ("polar" in w) throw new Error("polar");
      expect(Math.abs(minutes(w.dawn - rise)), date).toBeLessThanOrEqual(2);
      expect(Math.abs(minutes(w.dusk - set)), date).toBeLessThanOrEqual(2);
      // Civil twilight (6° below) is 35 to 45 minutes before sunrise and after sunset at 50° N in December.
      const c = civilTwilight(at(date), lat, lon, 2);
      if ("polar" in c) throw new Error("polar");
      for (const gap of [w.dawn - c.dawn, c.dusk - w.dusk]) {
        expect(minutes(gap)).toBeGreaterThan(35);
        expect(minutes(gap)).toBeLessThan(45);
      }
    }
  });

  it("at the equator on an equinox, civil day lasts 2 × 96° / 15° per hour = 12.8 h", () => {
    // The declination is within 0.5° of 0 on 20 March, so cos H = cos 96° / cos δ gives H within 0.01° of 96°.
    const w = civilTwilight(at("2026-03-20"), 0, 0, 0);
    if ("polar" in w) throw new Error("polar");
    expect(Math.abs(w.dusk - w.dawn - 12.8)).toBeLessThan(0.01);
  });

  it("a polar night is refused, naming the day; an offset far from the sun's time is refused at utcOffset", () => {
    const s = defaultScenario() as Json;
    s.daylight = { date: "2026-12-01", latitude: 75, longitude: 20 };
    expect(() => parseScenario(s)).toThrow(ScenarioError);
    try {
      parseScenario(s);
    } catch (e) {
      const issue = (e as ScenarioError).issues[0]!;
      expect(issue.path).toEqual(["daylight", "date"]);
      expect(issue.message).toMatch(/2026-12-01 \(day 0 of the run\).*never rises to 6° below the horizon/);
    }
    s.daylight = { date: "2026-06-01", latitude: 48, longitude: 37, utcOffset: "-10:00" };
    expect(() => parseScenario(s)).toThrow(/dawn before midnight/);
    s.daylight = { date: "2026-13-01", latitude: 48, longitude: 37 };
    expect(() => parseScenario(s)).toThrow(/daylight\.date.*YYYY-MM-DD/);
  });

  it("the place defaults to the line's midpoint and the offset to round(longitude / 15) h", () => {
    const s = defaultScenario() as Json;
    s.daylight = { date: "2026-12-01" };
    const d = parseScenario(s).daylight;
    if (!("date" in d)) throw new Error("expected a solar daylight");
    // The coalition-2026 line runs through eastern Ukraine (about 47–50° N, 35–38° E): UTC+2.
    expect(d.latitude).toBeGreaterThan(46);
    expect(d.latitude).toBeLessThan(51);
    expect(d.longitude).toBeGreaterThan(34);
    expect(d.longitude).toBeLessThan(39);
    expect(d.utcOffset).toBe(2);
    delete s.line.geometry;
    expect(() => parseScenario(s)).toThrow(/daylight\.latitude.*no line geometry/);
  });
});

describe("the calendar's tables", () => {
  it("a fixed dawn and dusk give 24d + dawn, 24d + dusk and d × night length exactly", async () => {
    const s = parseScenario({ ...defaultScenario(), daylight: { dawn: "5.3 h", dusk: "17.3 h" } });
    const m = compile(s, await scenarioAllocation(s));
    expect(m.calLast).toBe(Math.floor(m.drainEnd / 24) + 1);
    const dawn = 5.3,
      dusk = 17.3,
      night = 24 - (dusk - dawn);
    for (let d = 0; d <= m.calLast; d++) {
      expect(m.calDawn[d]).toBe(24 * d + dawn);
      expect(m.calDusk[d]).toBe(24 * d + dusk);
      expect(m.calNight[d]).toBe(d * night);
    }
  });

  it("a winter start has longer nights than a summer one at the same place, over the whole run", () => {
    const night = (date: string) => {
      const s = parseScenario({ ...defaultScenario(), daylight: { date, latitude: 48.5, longitude: 37.5 } });
      const c = calendarTables(s, s.warmup + s.horizon + s.drain);
      return nightHoursBefore(c, s.warmup + s.horizon) / (s.warmup + s.horizon);
    };
    const winter = night("2026-12-01"),
      summer = night("2026-06-01");
    // Mean civil nights near 48.5° N over the run (32 days from the start): about 14.4 h from 1 December,
    // 6.6 h from 1 June (sunrise to sunset is about 8.4 h and 15.9 h there; civil twilight adds about 35 to
    // 45 min at each end).
    expect(winter * 24).toBeGreaterThan(14);
    expect(winter * 24).toBeLessThan(15);
    expect(summer * 24).toBeGreaterThan(6);
    expect(summer * 24).toBeLessThan(7);
  });

  it("each day has its own dawn: days shorten through November (Kyiv, UTC+2)", () => {
    const w = daylightWindows({ date: "2026-11-01", latitude: 50.45, longitude: 30.52, utcOffset: 2 }, 30);
    if ("problem" in w) throw new Error(w.problem.message);
    for (let d = 1; d < 30; d++) expect(w.dusk[d]! - w.dawn[d]!).toBeLessThan(w.dusk[d - 1]! - w.dawn[d - 1]!);
  });

  it("nightShare keeps its meaning with nights that vary: the share of incidents at night", async () => {
    const s = { ...defaultScenario(), daylight: { date: "2026-12-01" } } as Json;
    const r = await simulate(s, { replications: 20, seed: 5 });
    // coalition-2026's sectors all have the same night share.
    const share = parseScenario(s).sectors[0]!.nightShare;
    expect(parseScenario(s).sectors.every((x) => x.nightShare === share)).toBe(true);
    const log = await incidentLog(s, { replications: 20, seed: 5 });
    const c = calendarTables(parseScenario(s), 24 * 40);
    let n = 0;
    for (let i = 0; i < log.rows; i++) if (nightAt(c, log.columns.time[i]!, 0)) n++;
    const p = n / log.rows;
    // Binomial standard error over ~50k incidents is about 0.002; regimes add clustering: allow 0.02.
    expect(Math.abs(p - share)).toBeLessThan(0.02);
    expect(r.line.counts.incidents).toBe(log.rows);
  });
});

/** Every row whose team does not move at night (all teams here): departs by day, moves by day only. */
function checkNoNightMovement(log: IncidentLog, c: Calendar): { halted: number; waited: number; sent: number } {
  let halted = 0,
    waited = 0,
    sent = 0;
  const col = log.columns;
  for (let i = 0; i < log.rows; i++) {
    if (col.team[i]! < 0) continue;
    sent++;
    const dep = col.departure[i]!,
      travel = col.travel[i]!,
      halt = col.overnightHalt[i]!;
    expect(nightAt(c, dep), `row ${i} departs at night: ${JSON.stringify(incidentRow(log, i))}`).toBe(false);
    // Time on the move = the daylight hours of the journey: no hour of movement at night.
    expect(Math.abs(dayHours(c, dep, dep + travel) - (travel - halt)), `row ${i}`).toBeLessThan(1e-6);
    const ready = col.time[i]! + col.detectionDelay[i]! + col.reportingDelay[i]! + col.taskingDelay[i]!;
    expect(Math.abs(col.nightWait[i]! - (nightHoursBefore(c, dep) - nightHoursBefore(c, ready)))).toBeLessThan(1e-6);
    if (halt > 0) halted++;
    if (col.nightWait[i]! > 0) waited++;
  }
  return { halted, waited, sent };
}

describe("teams that do not move at night", () => {
  it("over a seeded winter run's log, no such team departs or travels at night", async () => {
    // coalition-2026's teams are not night-capable; a December start gives 14–15 h nights.
    const s = { ...defaultScenario(), daylight: { date: "2026-12-01" } } as Json;
    const log = await incidentLog(s, { replications: 4, seed: 11 });
    const p = parseScenario(s);
    const c = calendarTables(p, p.warmup + p.horizon + p.drain);
    const { halted, waited, sent } = checkNoNightMovement(log, c);
    expect(sent).toBeGreaterThan(1000);
    // Not vacuous: incidents waited for dawn, and journeys halted overnight.
    expect(waited).toBeGreaterThan(100);
    expect(halted).toBeGreaterThan(0);
  });

  it("the same with a fixed dawn and dusk and earliest-arrival dispatch", async () => {
    const s = defaultScenario() as Json;
    s.coordination.dispatch = "earliest-arrival";
    const log = await incidentLog(s, { replications: 2, seed: 12 });
    const p = parseScenario(s);
    const { sent, waited } = checkNoNightMovement(log, calendarTables(p, p.warmup + p.horizon + p.drain));
    expect(sent).toBeGreaterThan(500);
    expect(waited).toBeGreaterThan(50);
  });

  // One sector, one team that does not move at night, zero travel, on site 1 h, every incident at night and
  // reported at once: each waits for dawn and is served then; the team is busy only its hours on site.
  const lone = (): Json => ({
    format: "ceasefire-sim/scenario@1",
    name: "lone",
    horizon: "60 d",
    daylight: { dawn: "6 h", dusk: "18 h" },
    sectors: [
      {
        id: "s",
        lengthKm: 10,
        lead: "a",
        incidents: { rate: "1 /d", nightShare: 1, severity: { minor: 0, major: 1, critical: 0 } },
      },
    ],
    states: [{ id: "a", name: "A", role: "lead" }],
    assets: [{ id: "team", kind: "team", speed: "40 km/h", nightCapable: false, onSite: "1 h" }],
    bases: [{ id: "b", location: { x: 5, offsetKm: 0 } }],
    contributions: [{ state: "a", asset: "team", count: 1 }],
    reporting: { parties: { probability: 1 } },
    coordination: { lead: "a" },
    travel: { hours: { s: { b: "0 h" } } },
  });

  it("the only team is barred and an incident is ready at night: it is served at the next dawn", async () => {
    const log = await incidentLog(lone(), { replications: 5, seed: 2 });
    const col = log.columns;
    let first = 0;
    for (let i = 0; i < log.rows; i++) {
      if (col.team[i]! < 0) continue;
      const ready = col.time[i]! + col.detectionDelay[i]! + col.reportingDelay[i]! + col.taskingDelay[i]!;
      const dep = col.departure[i]!;
      // Ready at night (every incident is at night, reported at once): the next dawn is 06:00.
      const dawn = 24 * Math.floor((ready + 18) / 24) + 6;
      expect(ready % 24 < 6 || ready % 24 >= 18).toBe(true);
      // Served at dawn, or when the team came back from the tasks before it at that dawn (1 h each).
      expect(dep).toBeGreaterThanOrEqual(dawn - 1e-9);
      const k = Math.round(dep - dawn);
      expect(Math.abs(dep - dawn - k)).toBeLessThan(1e-9);
      if (k === 0) first++;
      expect(col.mobilisation[i]).toBe(0);
      expect(col.nightWait[i]!).toBeCloseTo(dawn - ready, 9);
    }
    expect(first).toBeGreaterThan(200);
  });

  it("the barred team is free while incidents wait for dawn: busy only its hours on site", async () => {
    const s = lone();
    const r = await simulate(s, { replications: 5, seed: 2 });
    const log = await incidentLog(s, { replications: 5, seed: 2 });
    const tasks = Array.from(log.columns.team).filter((t) => t >= 0).length;
    // Busy 1 h per task (clipped at the window's end by at most a few hours in all): tasks × 1 h over 5 × 60 days.
    const busy = r.teams[0]!.utilisation.value * 5 * 60 * 24;
    expect(busy).toBeLessThanOrEqual(tasks + 1e-6);
    expect(busy).toBeGreaterThan(tasks - 5);
    // Were it held from assignment at night until dawn, it would be busy ~6 h more per task.
    expect(r.teams[0]!.utilisation.value).toBeLessThan(0.05);
  });
});
