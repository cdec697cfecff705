/**
 * Time boundaries under attack: random dawn and dusk (short windows, bounds that are not representable in binary,
 * windows that are the whole day or none of it) must not change how many incidents a day brings, must put each
 * period's share of them in that period, and day and night exposure must add up to the horizon. Periodic events
 * (satellite passes, UAV sorties) are placed from their period index, so they do not drift over long horizons.
 */
import fs from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compile/compile.js";
import { scenarioAllocation } from "../src/allocation/allocate.js";
import { createWorkspace } from "../src/engine/workspace.js";
import { runReplication } from "../src/engine/replication.js";
import { F_EXP_DAY, F_EXP_NIGHT, SECTOR_FIELDS } from "../src/layout/slots.generated.js";
import { parseScenario } from "../src/model/parse.js";
import { replicationStreams } from "../src/rng/streams.js";
import { simulate } from "../src/experiment/simulate.js";
import type { ScenarioInput } from "../src/model/input.js";
import { defaultScenario } from "../src/scenarios/index.js";

const mmc = () => JSON.parse(fs.readFileSync(new URL("../examples/scenarios/mmc.json", import.meta.url), "utf8"));

const MINUTE = 1 / 60;

/** Night hours in [0, t), from whole days and the hour of day (exact enough away from the bounds). */
function nightBefore(t: number, dawn: number, dusk: number): number {
  const d = Math.floor(t / 24),
    h = t - 24 * d;
  return d * (24 - (dusk - dawn)) + Math.min(h, dawn) + Math.max(0, h - dusk);
}

/** A daylight window: dawn ≤ dusk ≤ 24 h, each period either empty or at least a minute long. */
const daylight = fc
  .oneof(
    // Any window, as random doubles (almost never representable as a short decimal).
    fc.tuple(fc.double({ min: 0, max: 24, noNaN: true }), fc.double({ min: 0, max: 24, noNaN: true })),
    // Bounds with no exact binary form, and the two cases of the issue.
    fc.tuple(fc.constantFrom(0, 0.1, 1 / 3, 5.3, 6, 23.9), fc.constantFrom(0.1, 5.3, 17.7, 23.9, 24)),
    // A short day or a short night, just over a minute.
    fc
      .tuple(fc.double({ min: 0, max: 22, noNaN: true }), fc.double({ min: MINUTE, max: 2 * MINUTE, noNaN: true }))
      .map(([a, w]) => [a, a + w] as [number, number]),
    fc
      .tuple(fc.double({ min: MINUTE, max: 2 * MINUTE, noNaN: true }), fc.boolean())
      .map(([w, atStart]) => (atStart ? [w, 24] : [0, 24 - w]) as [number, number]),
  )
  .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number])
  .filter(([dawn, dusk]) => {
    const day = dusk - dawn,
      night = 24 - day;
    return (day === 0 || day >= MINUTE) && (night === 0 || night >= MINUTE);
  });

/** The M/M/c example (3 incidents/h) with this daylight, a warm-up off the day grid and a long horizon. */
function withDaylight(s: ScenarioInput, dawn: number, dusk: number, horizon: number, share: number) {
  const day = dusk - dawn;
  s.daylight = { dawn: `${dawn} h`, dusk: `${dusk} h` };
  s.warmup = "7.3 h";
  s.horizon = `${horizon} h`;
  // The night's share of incidents (0 or 1 when a period is empty): a period run at the other's rate shows.
  for (const x of s.sectors) x.incidents.nightShare = day === 24 ? 0 : day === 0 ? 1 : share;
  return s;
}

async function replication(input: ScenarioInput, seed: number) {
  const s = parseScenario(input);
  const m = compile(s, await scenarioAllocation(s));
  const ws = createWorkspace(m);
  runReplication(m, replicationStreams(seed, 0), ws);
  return { m, ws };
}

describe("day and night boundaries", () => {
  it("incidents per day do not depend on daylight, each period gets its share, exposures add up", async () => {
    const horizon = 4000;
    await fc.assert(
      fc.asyncProperty(
        daylight,
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.nat(1000),
        async ([dawn, dusk], share, seed) => {
          const { ws } = await replication(withDaylight(mmc(), dawn, dusk, horizon, share), seed);
          // Night and day incidents are Poisson with means (share × 72 / night length) × night hours and
          // ((1 − share) × 72 / day length) × day hours: each within 5 standard deviations, so a window run at
          // the other period's rate shows.
          const end = 7.3 + horizon;
          const nightH = nightBefore(end, dawn, dusk),
            nightLen = 24 - (dusk - dawn);
          const s = dusk - dawn === 24 ? 0 : dusk === dawn ? 1 : share;
          const nightMean = nightLen > 0 ? (s * 72 * nightH) / nightLen : 0;
          const dayMean = nightLen < 24 ? ((1 - s) * 72 * (end - nightH)) / (24 - nightLen) : 0;
          let night = 0;
          for (let i = 0; i < ws.n; i++) {
            const h = ws.arrays.incT[i]! % 24;
            if (h < dawn || h >= dusk) night++;
          }
          expect(Math.abs(night - nightMean)).toBeLessThan(5 * Math.sqrt(nightMean) + 1);
          expect(Math.abs(ws.n - night - dayMean)).toBeLessThan(5 * Math.sqrt(dayMean) + 1);
          // So incidents per day are 72 whatever the daylight.
          expect(Math.abs((ws.n / end) * 24 - 72)).toBeLessThan((5 * Math.sqrt(3 * end) * 24) / end);
          // Exposure of the line in the default scenario, summed over its sectors' blocks: day + night =
          // length × horizon, and night = the night's length × the days in [warm-up, end), to rounding.
          const input = withDaylight(defaultScenario(), dawn, dusk, horizon / 4, share);
          const len = input.sectors.reduce((a, x) => a + Number(x.lengthKm), 0);
          const { m, ws: w } = await replication(input, seed);
          let dayExp = 0,
            nightExp = 0;
          for (let k = 0; k < m.nSectors; k++) {
            dayExp += w.tally[k * SECTOR_FIELDS + F_EXP_DAY]! / len;
            nightExp += w.tally[k * SECTOR_FIELDS + F_EXP_NIGHT]! / len;
          }
          expect(dayExp + nightExp).toBeCloseTo(horizon / 4, 6);
          expect(nightExp).toBeCloseTo(nightBefore(7.3 + horizon / 4, dawn, dusk) - nightBefore(7.3, dawn, dusk), 6);
        },
      ),
      { numRuns: 60, seed: 20261203 },
    );
  }, 120_000);

  it("the two cases of the issue: 72 incidents a day, not 5,256 or 58", async () => {
    for (const [dawn, dusk] of [
      [0.1, 24],
      [0, 23.9],
    ] as const) {
      const s = mmc();
      s.daylight = { dawn: `${dawn} h`, dusk: `${dusk} h` };
      s.horizon = "2000 h";
      const r = await simulate(s, { replications: 4, seed: 1 });
      const perDay = r.line.incidentsPerDay;
      expect(perDay.lo).toBeLessThan(72);
      expect(perDay.hi).toBeGreaterThan(72);
      expect(Math.abs(perDay.value - 72)).toBeLessThan(2);
    }
  }, 60_000);
});
