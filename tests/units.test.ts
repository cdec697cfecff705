/**
 * Unit strings: `parseQuantity` converts to the canonical units (hours, km,
 * km/h, per hour), and `parseScenario` returns a canonical, deeply frozen
 * Scenario built from them.
 */
import { describe, expect, it } from "vitest";
import { parseQuantity, type Dimension } from "../src/model/units.js";
import { parseScenario } from "../src/model/parse.js";
import type { Distribution } from "../src/model/types.js";
import type { ScenarioInput } from "../src/model/input.js";

const Z95 = 1.6448536269514722; // standard normal 0.95 quantile

describe("parseQuantity converts to canonical units", () => {
  const cases: [string, Dimension, number][] = [
    ["90 min", "duration", 1.5],
    ["1.5 d", "duration", 36],
    ["1 d", "duration", 24],
    ["2 h", "duration", 2],
    ["2 hours", "duration", 2],
    ["1 week", "duration", 168],
    ["2h", "duration", 2],
    [" 2 h ", "duration", 2],
    ["36 /d", "rate", 1.5],
    ["24 /d", "rate", 1],
    ["2 /h", "rate", 2],
    ["2 h^-1", "rate", 2],
    ["40 km/h", "speed", 40],
    ["10 m/s", "speed", 36],
    ["120 km", "length", 120],
    ["500 m", "length", 0.5],
  ];
  for (const [text, dim, value] of cases) {
    it(`parseQuantity(${JSON.stringify(text)}, "${dim}") is ${value}`, () => {
      expect(parseQuantity(text, dim)).toEqual({ ok: true, value });
    });
  }

  it('parseQuantity("30 s", "duration") is 1/120 h', () => {
    const r = parseQuantity("30 s", "duration");
    expect(r.ok).toBe(true);
    expect(r.ok && r.value).toBeCloseTo(1 / 120, 15);
  });

  it('parseQuantity("-3 /d", "rate") reads the sign (refusing negatives is the schema\'s job)', () => {
    expect(parseQuantity("-3 /d", "rate")).toEqual({ ok: true, value: -0.125 });
  });
});

describe("parseQuantity refuses wrong dimensions, naming the expected one", () => {
  const cases: [string, Dimension, string][] = [
    ["3 h", "rate", 'expected a rate such as "36 /d", "2 /h"; "3 h" is not a rate'],
    ["40 km", "speed", 'expected a speed such as "40 km/h"; "40 km" is not a speed'],
    ["40 km/h", "length", 'expected a length such as "120 km"; "40 km/h" is not a length'],
    ["120 km", "duration", 'expected a duration such as "90 min", "2 h", "1.5 d"; "120 km" is not a duration'],
    ["1e308 km", "duration", 'expected a duration such as "90 min", "2 h", "1.5 d"; "1e308 km" is not a duration'],
    ["36 /d", "duration", 'expected a duration such as "90 min", "2 h", "1.5 d"; "36 /d" is not a duration'],
    ["2 kg", "length", 'expected a length such as "120 km"; "2 kg" is not a length'],
    ["2", "duration", 'expected a duration such as "90 min", "2 h", "1.5 d"; "2" is not a duration'],
  ];
  for (const [text, dim, message] of cases) {
    it(`parseQuantity(${JSON.stringify(text)}, "${dim}") is refused`, () => {
      expect(parseQuantity(text, dim)).toEqual({ ok: false, message });
    });
  }
});

describe("parseQuantity refuses garbage with a message naming the expected dimension", () => {
  const garbage: [string, Dimension][] = [
    ["fast", "speed"],
    ["", "duration"],
    ["h", "duration"],
    ["2 h + 3 h", "duration"],
    ["1,5 h", "duration"],
    ["0x10 h", "duration"],
    ["NaN h", "duration"],
    ["Infinity h", "duration"],
    ["x".repeat(65), "duration"],
    ["sqrt(4) km", "length"],
  ];
  for (const [text, dim] of garbage) {
    const shown = JSON.stringify(text.length > 20 ? `${text.slice(0, 8)}…` : text);
    it(`parseQuantity(${shown}, "${dim}") is refused`, () => {
      const r = parseQuantity(text, dim);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.message).toMatch(new RegExp(`^expected a ${dim} such as `));
    });
  }

  it('parseQuantity says it could not read "fast" and why', () => {
    expect(parseQuantity("fast", "speed")).toEqual({
      ok: false,
      message: 'expected a speed such as "40 km/h"; could not read "fast" (Unit "fast" not found.)',
    });
  });

  it("parseQuantity refuses a 65-character string without parsing it", () => {
    expect(parseQuantity(`${"1".repeat(63)} h`, "duration")).toEqual({
      ok: false,
      message: 'expected a duration such as "90 min", "2 h", "1.5 d"; got a string of 65 characters',
    });
  });
});

describe("parseQuantity refuses non-finite values", () => {
  for (const text of ["1e308 d", "1e400 h"]) {
    it(`parseQuantity(${JSON.stringify(text)}, "duration") is refused as not finite`, () => {
      expect(parseQuantity(text, "duration")).toEqual({
        ok: false,
        message: `expected a finite duration; ${JSON.stringify(text)} is not finite`,
      });
    });
  }

  it('parseQuantity("1e400 km", "length") is refused as not finite', () => {
    expect(parseQuantity("1e400 km", "length")).toEqual({
      ok: false,
      message: 'expected a finite length; "1e400 km" is not finite',
    });
  });
});

/** A small scenario using many unit forms. */
function unitScenario(): ScenarioInput {
  return {
    format: "ceasefire-sim/scenario@1",
    name: "units",
    horizon: "10 d",
    warmup: "90 min",
    line: { lengthKm: "300 km" },
    sectors: [
      {
        id: "n",
        lengthKm: 100,
        incidents: {
          rate: "24 /d",
          severity: { minor: 0.6, major: 0.3, critical: 0.1 },
          hotspots: [{ from: "10 km", to: 30, share: 0.5 }],
        },
        access: { delay: { dist: "lognormal", median: "30 min", p95: "2 h" }, denial: 0.1 },
        lead: "aa",
      },
      {
        id: "c",
        lengthKm: "120 km",
        incidents: { rate: "2 /h", severity: { minor: 0.5, major: 0.5, critical: 0 } },
        lead: "aa",
      },
      {
        id: "s",
        lengthKm: "80000 m",
        incidents: { rate: "1.5 /d", severity: { minor: 1, major: 0, critical: 0 } },
        lead: "aa",
      },
    ],
    regimes: [
      { id: "calm", multiplier: 1, meanDuration: "5 d" },
      { id: "tense", multiplier: 3, meanDuration: "36 h" },
    ],
    states: [{ id: "aa", name: "State A", role: "lead" }],
    assets: [
      {
        id: "team",
        kind: "team",
        speed: "40 km/h",
        onSite: { dist: "gamma", mean: "2 h", cv: 0.5 },
        availability: { share: 0.9, downtime: "2 d" },
      },
      {
        id: "uav",
        kind: "uav",
        coverKm: "20 km",
        speed: "100 km/h",
        endurance: "6 h",
        turnaround: "30 min",
        detection: { day: 0.9, night: 0.6 },
      },
      {
        id: "sat",
        kind: "satellite",
        revisit: "12 h",
        detection: 0.7,
        latency: { dist: "uniform", min: "1 h", max: "3 h" },
      },
    ],
    bases: [{ id: "b1", location: { x: "250 km", offsetKm: "5000 m" } }],
    contributions: [{ state: "aa", asset: "team", count: 2 }],
    coordination: { lead: "aa", tasking: "45 min", crossNational: { dist: "exponential", mean: "1.5 h" } },
    travel: { hours: { n: { b1: "3 h" }, c: { b1: "1 h" }, s: { b1: "20 min" } } },
    standards: { response: "1 d" },
  };
}

describe("parseScenario returns canonical units (hours, km, km/h, per hour)", () => {
  const s = parseScenario(unitScenario());

  it("converts durations to hours", () => {
    expect(s.horizon).toBe(240);
    expect(s.warmup).toBe(1.5);
    expect(s.drain).toBe(72);
    expect(s.daylight).toEqual({ dawn: 6, dusk: 18 });
    expect(s.standards.response).toBe(24);
    expect(s.regimes.map((r) => r.meanDuration)).toEqual([120, 36]);
    expect(s.coordination.tasking).toEqual({ kind: "fixed", value: 0.75 });
    expect(s.coordination.crossNational).toEqual({ kind: "exponential", mean: 1.5 });
    expect(s.travel).toEqual({ kind: "matrix", hours: [[3], [1], [1 / 3]] });
  });

  it("converts lengths to km, laying sectors end to end", () => {
    expect(s.lineKm).toBe(300);
    expect(s.sectors.map((x) => [x.lengthKm, x.from, x.to])).toEqual([
      [100, 0, 100],
      [120, 100, 220],
      [80, 220, 300],
    ]);
    expect(s.sectors[0]!.profile).toEqual([
      { from: 0, to: 100, share: 0.5 },
      { from: 10, to: 30, share: 0.5 },
    ]);
    expect(s.bases[0]).toMatchObject({ x: 250, offsetKm: 5, sector: 2 });
  });

  it('converts rates to per hour ("24 /d" is 1, "2 /h" is 2, "1.5 /d" is 0.0625)', () => {
    expect(s.sectors.map((x) => x.rate)).toEqual([1, 2, 0.0625]);
  });

  it("converts speeds to km/h and keeps team and sensor durations in hours", () => {
    const [team, uav, sat] = s.assets;
    expect(team).toMatchObject({ kind: "team", speed: 40, availability: { share: 0.9, downtime: 48 } });
    expect(uav).toMatchObject({
      kind: "uav",
      coverKm: 20,
      speed: 100,
      endurance: 6,
      turnaround: 0.5,
      detection: { day: 0.9, night: 0.6 },
    });
    expect(sat).toMatchObject({
      kind: "satellite",
      revisit: 12,
      window: 12,
      detection: { day: 0.7, night: 0.7 },
      latency: { kind: "uniform", min: 1, max: 3 },
    });
  });

  it("turns a gamma mean and cv into shape 1/cv² and scale mean·cv²", () => {
    expect(s.assets[0]!.kind === "team" && s.assets[0]!.onSite).toEqual({
      kind: "gamma",
      mean: 2,
      cv: 0.5,
      shape: 4,
      scale: 0.5,
    });
  });

  it("turns a lognormal median 30 min and p95 2 h into mu = ln 0.5 and sigma = ln(p95/median)/1.6448536…", () => {
    const d = s.sectors[0]!.access.delay as Extract<Distribution, { kind: "lognormal" }>;
    expect(d.kind).toBe("lognormal");
    expect(d.median).toBe(0.5);
    expect(d.p95).toBe(2);
    expect(d.mu).toBe(Math.log(0.5));
    expect(d.sigma).toBe(Math.log(4) / Z95);
    expect(d.sigma).toBeCloseTo(0.8428071278835987, 15);
    // The parameters reproduce the quantiles they came from.
    expect(Math.exp(d.mu)).toBeCloseTo(0.5, 14);
    expect(Math.exp(d.mu + Z95 * d.sigma)).toBeCloseTo(2, 14);
  });
});

function expectDeepFrozen(v: unknown, path: string, seen = new Set<unknown>()): void {
  if (v === null || typeof v !== "object" || seen.has(v)) return;
  seen.add(v);
  if (!Object.isFrozen(v)) throw new Error(`not frozen: ${path}`);
  for (const [k, child] of Object.entries(v)) expectDeepFrozen(child, `${path}.${k}`, seen);
}

describe("parseScenario returns a deeply frozen Scenario", () => {
  it("freezes every object and array, including the source copy", () => {
    const s = parseScenario(unitScenario());
    expect(() => expectDeepFrozen(s, "scenario")).not.toThrow();
    expect(Object.isFrozen(s.sectors[0]!.access.delay)).toBe(true);
    expect(Object.isFrozen(s.travel.kind === "matrix" && s.travel.hours[0])).toBe(true);
    expect(Object.isFrozen(s.source)).toBe(true);
  });

  it("throws on writes to the frozen scenario (module code is strict)", () => {
    const s = parseScenario(unitScenario());
    expect(() => {
      (s.sectors[0] as { rate: number }).rate = 5;
    }).toThrow(TypeError);
    expect(() => {
      (s.sectors as unknown as unknown[]).push({});
    }).toThrow(TypeError);
    expect(s.sectors[0]!.rate).toBe(1);
  });

  it("keeps the input editable and separate from the frozen source", () => {
    const input = unitScenario();
    const s = parseScenario(input);
    expect(Object.isFrozen(input)).toBe(false);
    input.horizon = "1 h";
    expect(s.horizon).toBe(240);
    expect((s.source as { horizon: string }).horizon).toBe("10 d");
  });
});
