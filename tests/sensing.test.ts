/**
 * Day and night sensing: effective coverage (the probability that the fixed sensors up and the UAV orbits on
 * station detect a reference incident, over line-km-hours) beside footprint coverage, by day and night, per
 * sector and severity. Checked against exact values (deterministic sensors), against the footprint (every Pd 1,
 * no jamming) and on the default scenario with its sensors blind at night.
 */
import { describe, expect, it } from "vitest";
import { simulate, type Result } from "../src/experiment/simulate.js";
import { defaultScenario } from "../src/scenarios/index.js";
import type { ScenarioInput } from "../src/model/input.js";
import { summaryText } from "../src/cli/summary.js";
import { droneProbe, probe as probeFor } from "./helpers/probe.js";

/** The probe scenario over 200 h. */
const probe = (patch: (s: ScenarioInput) => void) => probeFor(patch, "200 h");

type Asset = NonNullable<ScenarioInput["assets"]>[number];

/** The default scenario with every fixed sensor's and UAV's detection replaced by `detection`. */
function defaultWith(detection: { day: number; night: number }, jamming?: { probability: number; factor: number }) {
  const s = defaultScenario() as ScenarioInput;
  s.assets = s.assets!.map((a: Asset) => {
    if (a.kind === "fixed") return { ...a, detection };
    if (a.kind === "uav") return { ...a, detection, ...(jamming ? { jamming } : {}) };
    return a;
  });
  return s;
}

const blocks = (r: Result) => [r.line, ...r.sectors];

describe("effective coverage", () => {
  it("two fixed sensors over the whole line, no outages: 1 − Π(1 − Pd) by day and by night, exactly", async () => {
    const s = probe((s) => {
      s.assets = [
        { id: "cam", kind: "fixed", coverKm: 100, detection: { day: 0.8, night: 0.4 } },
        { id: "mic", kind: "fixed", coverKm: 100, detection: 0.5 },
      ];
      s.contributions = [
        { state: "a", asset: "cam", count: 1 },
        { state: "a", asset: "mic", count: 1 },
      ];
    });
    const r = await simulate(s, { replications: 3, seed: 1 });
    const e = r.line.coverage.effective;
    // Day: 1 − 0.2 · 0.5; night: 1 − 0.6 · 0.5; over both, weighted by the hours: 200 h from midnight hold
    // 8 · 12 + 2 = 98 day hours and 102 night hours.
    expect(e.day.value).toBeCloseTo(0.9, 12);
    expect(e.night.value).toBeCloseTo(0.7, 12);
    expect(e.overall.value).toBeCloseTo((0.9 * 98 + 0.7 * 102) / 200, 12);
    for (const v of ["minor", "major", "critical"] as const) {
      expect(e.bySeverity[v].day.value).toBeCloseTo(0.9, 12);
      expect(e.bySeverity[v].night.value).toBeCloseTo(0.7, 12);
    }
    expect(r.line.coverage.overall.value).toBe(1);
  });

  it("one fixed sensor over a quarter of the line: Pd × watched share", async () => {
    const s = probe((s) => {
      s.assets = [{ id: "cam", kind: "fixed", coverKm: 25, detection: { day: 0.6, night: 0.2 } }];
      s.contributions = [{ state: "a", asset: "cam", count: 1 }];
    });
    const r = await simulate(s, { replications: 2, seed: 3 });
    expect(r.line.coverage.effective.day.value).toBeCloseTo(0.6 * 0.25, 12);
    expect(r.line.coverage.effective.night.value).toBeCloseTo(0.2 * 0.25, 12);
    expect(r.line.coverage.day.value).toBeCloseTo(0.25, 12);
  });

  it("every Pd 1 and no jamming: effective = footprint, per sector, by day and by night", async () => {
    const r = await simulate(defaultWith({ day: 1, night: 1 }, { probability: 0, factor: 1 }), {
      replications: 2,
      seed: 5,
      horizon: 240,
    });
    for (const b of blocks(r)) {
      const c = b.coverage;
      expect(c.effective.overall.value).toBeCloseTo(c.overall.value, 12);
      expect(c.effective.day.value).toBeCloseTo(c.day.value, 12);
      expect(c.effective.night.value).toBeCloseTo(c.night.value, 12);
    }
  });

  it("sensors blind at night: night effective coverage 0 and well below day; night footprint unchanged", async () => {
    const opts = { replications: 2, seed: 9, horizon: 240 };
    const base = await simulate(defaultScenario(), opts);
    const blind = await simulate(defaultWith({ day: 0.6, night: 0 }), opts);
    expect(blind.line.coverage.effective.night.value).toBe(0);
    expect(blind.line.coverage.effective.day.value).toBeGreaterThan(0.4);
    for (let i = 0; i < base.sectors.length; i++) {
      // The footprint does not depend on detection probabilities: the same timelines, the same numbers.
      expect(blind.sectors[i]!.coverage.night.value).toBe(base.sectors[i]!.coverage.night.value);
      expect(blind.sectors[i]!.coverage.overall.value).toBe(base.sectors[i]!.coverage.overall.value);
    }
    // In the default scenario itself, night sensing is weaker than day sensing (lower night Pd).
    expect(base.line.coverage.effective.night.value).toBeLessThan(base.line.coverage.effective.day.value - 0.03);
  });

  it("never above the footprint; the run summary leads with it, day and night", async () => {
    const r = await simulate(defaultScenario(), { replications: 2, seed: 2, horizon: 240 });
    for (const b of blocks(r)) {
      const c = b.coverage;
      expect(c.effective.day.value).toBeLessThanOrEqual(c.day.value + 1e-12);
      expect(c.effective.night.value).toBeLessThanOrEqual(c.night.value + 1e-12);
      expect(c.effective.overall.value).toBeGreaterThan(0);
    }
    const text = summaryText(r);
    const eff = text.indexOf("Effective coverage"),
      foot = text.indexOf("Footprint coverage");
    expect(eff).toBeGreaterThan(0);
    expect(foot).toBeGreaterThan(eff);
    expect(text).toContain(`night ${(100 * r.line.coverage.effective.night.value).toFixed(1)}%`);
  });
});

describe("severity-dependent detection", () => {
  /** A 4-sigma band around p for a share estimated from n Bernoulli trials. */
  const near = (e: { value: number }, p: number, n: number) =>
    expect(Math.abs(e.value - p)).toBeLessThanOrEqual(4 * Math.sqrt((p * (1 - p)) / n));

  it("a fixed sensor with factor 0.5 for minor incidents: minor detected at 0.4, major at 0.8", async () => {
    const s = probe((s) => {
      s.sectors![0]!.incidents.severity = { minor: 0.5, major: 0.5, critical: 0 };
      s.assets = [
        { id: "mic", kind: "fixed", coverKm: 100, detection: { day: 0.8, night: 0.8, severity: { minor: 0.5 } } },
      ];
      s.contributions = [{ state: "a", asset: "mic", count: 1 }];
    });
    const r = await simulate(s, { replications: 4, seed: 11 });
    const L = r.line;
    near(L.minorRecorded, 0.4, L.counts.minor);
    near(L.outcomes.undetected, 0.2, L.counts.verifiable);
    // Effective coverage: exactly the detection probabilities, and their mix.
    const e = L.coverage.effective;
    expect(e.bySeverity.minor.overall.value).toBeCloseTo(0.4, 12);
    expect(e.bySeverity.major.overall.value).toBeCloseTo(0.8, 12);
    expect(e.bySeverity.critical.overall.value).toBeCloseTo(0.8, 12);
    expect(e.overall.value).toBeCloseTo(0.5 * 0.4 + 0.5 * 0.8, 12);
  });

  it("without factors (or all 1), results are those of before: the same detections draw for draw", async () => {
    const plain = probe((s) => {
      s.sectors![0]!.incidents.severity = { minor: 0.5, major: 0.5, critical: 0 };
      s.assets = [{ id: "mic", kind: "fixed", coverKm: 60, detection: { day: 0.7, night: 0.3 } }];
      s.contributions = [{ state: "a", asset: "mic", count: 1 }];
    });
    const ones = structuredClone(plain);
    (ones.assets![0] as { detection: unknown }).detection = {
      day: 0.7,
      night: 0.3,
      severity: { minor: 1, major: 1, critical: 1 },
    };
    const a = await simulate(plain, { replications: 3, seed: 4 });
    const b = await simulate(ones, { replications: 3, seed: 4 });
    expect(b.line.counts).toEqual(a.line.counts);
    expect(b.line.detection.probability.value).toBe(a.line.detection.probability.value);
  });

  it("a satellite that sees minor incidents with factor 0 records none; major ones still at its Pd", async () => {
    const s = probe((s) => {
      s.sectors![0]!.incidents.severity = { minor: 0.5, major: 0.5, critical: 0 };
      s.assets = [
        {
          id: "sat",
          kind: "satellite",
          revisit: "6 h",
          detection: { day: 1, night: 1, severity: { minor: 0 } },
          sees: ["minor", "major"],
        },
      ];
      s.contributions = [{ state: "a", asset: "sat", count: 1 }];
    });
    const r = await simulate(s, { replications: 2, seed: 8 });
    expect(r.line.counts.minorRecorded).toBe(0);
    expect(r.line.counts.minor).toBeGreaterThan(100);
    // Every major incident is seen by the first pass within its window (one revisit) with Pd 1.
    expect(r.line.outcomes.undetected.value).toBe(0);
  });
});

describe("UAV sortie schedule", () => {
  /** One UAV over the whole 100 km line, on station 5 h of every 8 h cycle, Pd 1, flying on `schedule`. */
  const drone = (schedule?: "24h" | "day" | "night") => droneProbe(schedule ? { schedule } : {}, "200 h");

  it('"day": zero night footprint and effective coverage; by day as around the clock', async () => {
    const opts = { replications: 6, seed: 12, horizon: 480 };
    const day = await simulate(drone("day"), opts);
    const always = await simulate(drone(), opts);
    expect(day.line.coverage.night.value).toBe(0);
    expect(day.line.coverage.effective.night.value).toBe(0);
    // The same sorties (same draws): by day the aircraft is on station exactly as when it flies around the clock.
    expect(day.line.coverage.day.value).toBeCloseTo(always.line.coverage.day.value, 12);
    expect(day.line.coverage.day.value).toBeGreaterThan(0.5);
    // Half the incidents fall at night (nightShare 0.5) and go unseen: detection ≈ 0.5 × 5/8.
    const d = day.line.detection.probability;
    expect(Math.abs(d.value - 0.5 * (5 / 8))).toBeLessThanOrEqual(4 * d.halfWidth);
    expect(always.line.detection.probability.value).toBeGreaterThan(d.value + 0.2);
  });

  it("with severity factors and jamming: effective = footprint × jamming factor × Pd, per severity", async () => {
    const s = droneProbe(
      { detection: { day: 1, night: 0.5, severity: { minor: 0.5 } }, jamming: { probability: 1, factor: 0.8 } },
      "200 h",
      (s) => {
        s.sectors![0]!.incidents.severity = { minor: 0.5, major: 0.5, critical: 0 };
      },
    );
    const r = await simulate(s, { replications: 2, seed: 14, horizon: 240 });
    const c = r.line.coverage,
      e = c.effective;
    // One aircraft, every sortie jammed (factor 0.8): its detection probability wherever it is on station.
    expect(e.bySeverity.major.day.value).toBeCloseTo(0.8 * c.day.value, 12);
    expect(e.bySeverity.minor.day.value).toBeCloseTo(0.4 * c.day.value, 12);
    expect(e.bySeverity.major.night.value).toBeCloseTo(0.4 * c.night.value, 12);
    expect(e.bySeverity.minor.night.value).toBeCloseTo(0.2 * c.night.value, 12);
    expect(e.day.value).toBeCloseTo(0.5 * 0.4 * c.day.value + 0.5 * 0.8 * c.day.value, 12);
  });

  it('"night": zero day footprint; at night as around the clock', async () => {
    const opts = { replications: 3, seed: 13, horizon: 240 };
    const night = await simulate(drone("night"), opts);
    const always = await simulate(drone("24h"), opts);
    expect(night.line.coverage.day.value).toBe(0);
    expect(night.line.coverage.night.value).toBeCloseTo(always.line.coverage.night.value, 12);
    expect(night.line.coverage.effective.night.value).toBeCloseTo(night.line.coverage.night.value, 12);
  });
});

describe("satellite cloud", () => {
  /** One satellite (Pd 1, sees major incidents, a 12 h revisit) over a line whose incidents are half major. */
  const sat = (cloud?: number) =>
    probe((s) => {
      s.sectors![0]!.incidents.severity = { minor: 0.5, major: 0.5, critical: 0 };
      s.assets = [
        { id: "sat", kind: "satellite", revisit: "12 h", detection: 1, sees: ["major"], ...(cloud ? { cloud } : {}) },
      ];
      s.contributions = [{ state: "a", asset: "sat", count: 1 }];
    });

  it("cloud 1 obscures every pass; cloud 0.4 leaves 0.6 of the one pass in the window", async () => {
    const opts = { replications: 4, seed: 21 };
    const clear = await simulate(sat(), opts);
    // One pass within the window (one revisit), Pd 1: every major incident is seen without cloud.
    expect(clear.line.outcomes.undetected.value).toBe(0);
    const overcast = await simulate(sat(1), opts);
    expect(overcast.line.counts.detected).toBe(0);
    const some = await simulate(sat(0.4), opts);
    const u = some.line.outcomes.undetected;
    expect(Math.abs(u.value - 0.4)).toBeLessThanOrEqual(4 * Math.sqrt((0.4 * 0.6) / some.line.counts.verifiable));
  });
});
