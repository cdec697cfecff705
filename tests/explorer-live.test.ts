/**
 * The explorer's logic in Node (no browser): its live runs are the library's own numbers, its settings
 * change the scenario as documented and travel in the URL, and the map's gaps are the allocation's.
 * The page itself, in Chromium, is tests/explorer.test.ts.
 */
import { describe, expect, it } from "vitest";
import { defaultScenario, parseScenario, allocate } from "../src/index.js";
import { compile } from "../src/compile/compile.js";
import { compareScenarios, NODE_RUNTIME, simulate } from "../src/node/parallel.js";
import { runLive, type LiveUpdate } from "../src/explorer/live.js";
import {
  applySettings,
  decodeSettings,
  DEFAULT_SETTINGS,
  encodeSettings,
  packScenario,
  unpackScenario,
  type Settings,
} from "../src/explorer/settings.js";
import { longestUnwatchedKm, unwatchedStretches } from "../src/stats/summarize.js";
import type { Result } from "../src/experiment/simulate.js";
import { prepare, resolveAllocation } from "../src/experiment/run.js";
import { mapSvg } from "../src/explorer/map.js";

const timeless = (r: Result) => JSON.stringify({ ...r, provenance: { ...r.provenance, wallTimeMs: 0, startedAt: "" } });
const settings = (over: Partial<Settings>): Settings => ({ ...DEFAULT_SETTINGS, counts: {}, withdrawn: [], ...over });

describe("runLive (src/explorer/live.ts) on two worker threads", () => {
  it("ends with exactly simulate's result of the same replications and seed, updating as they arrive", async () => {
    const updates: LiveUpdate[] = [];
    const last = await runLive(
      {
        current: { input: defaultScenario(), allocation: undefined },
        baseline: null,
        horizon: 240,
        replications: 24,
        seed: 5,
        differences: [],
      },
      { runtime: NODE_RUNTIME, workers: 2, onUpdate: (u) => updates.push(u) },
    );
    const r = await simulate(defaultScenario(), { replications: 24, seed: 5, horizon: 240 });
    expect(timeless(last.result)).toBe(timeless(r));
    expect(last.complete).toBe(true);
    expect(updates.at(-1)).toBe(last);
    const done = updates.map((u) => u.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(updates.every((u) => u.result.provenance.replications === u.done)).toBe(true);
  }, 120_000);

  it("a pinned baseline gives compareScenarios' paired differences (the UK withdrawn vs the coalition)", async () => {
    const base = defaultScenario();
    const out = applySettings(base, settings({ withdrawn: ["gb"] }));
    const metrics = ["withinStandard", "timeToVerification.restrictedMean", "response.p90"];
    const last = await runLive(
      {
        current: { input: out.input, allocation: out.allocation },
        baseline: { input: base, allocation: undefined },
        horizon: 240,
        replications: 12,
        seed: 3,
        differences: metrics,
      },
      { runtime: NODE_RUNTIME, workers: 2, onUpdate: () => {} },
    );
    const c = await compareScenarios(
      { base, ukOut: out.input as object },
      { replications: 12, seed: 3, horizon: 240, metrics, workers: 2 },
    );
    expect(last.differences.map((d) => d.metric)).toEqual(metrics);
    for (const d of last.differences) {
      const m = c.metrics.find((x) => x.metric === d.metric)!;
      expect(d.paired).toEqual(m.differences[0]!.paired);
    }
    expect(timeless(last.baseline!)).toBe(timeless(c.results[0]!));
    // Fewer teams: fewer incidents verified within the standard.
    expect(last.differences[0]!.paired.value).toBeLessThan(0);
  }, 120_000);

  it("refuses an invalid scenario with the library's ScenarioError before running", async () => {
    const bad = { ...defaultScenario(), horizon: "soon" };
    await expect(
      runLive(
        {
          current: { input: bad, allocation: undefined },
          baseline: null,
          horizon: undefined,
          replications: 2,
          seed: 1,
          differences: [],
        },
        { runtime: NODE_RUNTIME, workers: 2, onUpdate: () => {} },
      ),
    ).rejects.toMatchObject({ name: "ScenarioError", issues: [{ path: ["horizon"] }] });
  });
});

describe("explorer settings (src/explorer/settings.ts)", () => {
  it("applySettings: a withdrawn state's contributions go to 0, counts and the standard are set", () => {
    const base = defaultScenario();
    const { input, allocation, horizon } = applySettings(
      base,
      settings({ withdrawn: ["gb"], counts: { "fr/team": 3 }, targetHours: 12, horizonDays: 10, mode: "remove" }),
    );
    const list = (input as { contributions: { state: string; asset: string; count: number }[] }).contributions;
    expect(list.filter((c) => c.state === "gb").map((c) => c.count)).toEqual(
      base.contributions!.filter((c) => c.state === "gb").map(() => 0),
    );
    expect(list.find((c) => c.state === "fr" && c.asset === "team")!.count).toBe(3);
    expect(parseScenario(input).standards.response).toBe(12);
    expect(horizon).toBe(240);
    expect(allocation).toEqual({ mode: "remove", base });
    expect(base.contributions!.find((c) => c.state === "gb")!.count).toBeGreaterThan(0); // base untouched
  });

  it("the URL hash round-trips the settings, and says what it did not understand", async () => {
    const s = settings({
      withdrawn: ["gb", "fr"],
      counts: { "us/sat-eo": 2 },
      strategy: "uniform",
      mode: "augment",
      horizonDays: 14,
      targetHours: 12,
      replications: 50,
      seed: 9,
      metric: "withinStandard",
    });
    const hash = encodeSettings(s);
    expect(decodeSettings(hash)).toEqual({ settings: s, packed: null, problems: [] });
    expect(encodeSettings(DEFAULT_SETTINGS)).toBe("");
    const odd = decodeSettings("#mode=sideways&replications=1&colour=red");
    expect(odd.settings.mode).toBe("replan");
    expect(odd.problems).toEqual([
      "mode=sideways: expected replan, augment, remove",
      "replications=1: expected a whole number of at least 2",
      "colour: not a setting of the explorer",
    ]);
    const json = JSON.stringify(defaultScenario());
    const packed = await packScenario(json);
    expect(await unpackScenario(packed)).toBe(json);
    const imported = decodeSettings(encodeSettings({ ...s, scenario: null }, packed));
    expect(imported.packed).toBe(packed);
    expect(imported.settings.scenario).toBeNull();
  });
});

describe("unwatchedStretches", () => {
  it("are disjoint stretches of the line whose longest is longestUnwatchedKm", async () => {
    const s = parseScenario(defaultScenario());
    const m = compile(s, await allocate(s, "risk-weighted"));
    const gaps = unwatchedStretches(m);
    expect(gaps.length).toBeGreaterThan(0);
    expect(Math.max(...gaps.map((g) => g.km))).toBe(longestUnwatchedKm(m));
    for (const [i, g] of gaps.entries()) {
      expect(g.from).toBeGreaterThanOrEqual(i ? gaps[i - 1]!.to : 0);
      expect(g.to).toBeLessThanOrEqual(s.lineKm);
      expect(g.km).toBeCloseTo(g.to - g.from, 9);
    }
  });

  it("are the result's allocation.unwatched, and the explorer's map dashes each of them", async () => {
    const s = parseScenario(defaultScenario());
    const p = await prepare(s, await resolveAllocation(s, undefined));
    const r = await simulate(defaultScenario(), { replications: 2, seed: 1, horizon: 48 });
    expect(r.allocation.unwatched).toEqual(unwatchedStretches(p.model));
    const svg = mapSvg(r, s, "response.p50");
    expect((svg.match(/<path class="sector"/g) ?? []).length).toBe(s.sectors.length);
    const tips = [...svg.matchAll(/<path class="gap"[^>]*><title>Unwatched by fixed sensors or UAVs: ([^<]*)</g)];
    expect(tips.map((m) => m[1])).toEqual(
      r.allocation.unwatched.map((g) => `km ${g.from.toFixed(0)}–${g.to.toFixed(0)} (${g.km.toFixed(0)} km)`),
    );
    expect(tips.length).toBeGreaterThan(0);
  });
});
