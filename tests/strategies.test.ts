import { describe, expect, it } from "vitest";
import { allocate, strategies } from "../src/allocation/allocate.js";
import { parseScenario } from "../src/model/parse.js";
import { scenario, scenarioNames, defaultScenario } from "../src/scenarios/index.js";
import { ScenarioError } from "../src/model/errors.js";
import { simulate } from "../src/experiment/simulate.js";
import { STRATEGY_NAMES } from "../src/model/strategy-names.js";

const builtIn = STRATEGY_NAMES.filter((n) => n !== "custom");

/** The ScenarioError a promise is rejected with (the test fails if it resolves or throws anything else). */
async function refusal(p: Promise<unknown>): Promise<ScenarioError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ScenarioError);
  return err as ScenarioError;
}

describe("allocation strategies on the embedded scenarios", () => {
  it("the registry and the names agree", () => {
    expect(Object.keys(strategies)).toEqual([...STRATEGY_NAMES]);
  });
  for (const name of scenarioNames) {
    for (const strategy of builtIn) {
      it(`${strategy} allocates ${name}: every unit placed or idle with a reason, within capacities`, async () => {
        const s = parseScenario(scenario(name));
        const a = await allocate(s, strategy);
        expect(a.strategy).toBe(strategy);
        for (const c of s.contributions) {
          const st = s.states[c.state]!.id,
            as = s.assets[c.asset]!.id;
          const placed = [...a.teams, ...a.sensors].filter((u) => u.state === st && u.asset === as).length;
          const idle = a.idle.filter((u) => u.state === st && u.asset === as).reduce((x, u) => x + u.count, 0);
          expect(placed + idle).toBe(c.count);
        }
        for (const b of s.bases) expect(a.teams.filter((t) => t.base === b.id).length).toBeLessThanOrEqual(b.capacity);
        for (const u of [...a.teams, ...a.sensors]) expect(u.why.length).toBeGreaterThan(10);
        // Teams go to bases serving sectors their state may enter, wherever one has room.
        expect(JSON.parse(JSON.stringify(a))).toEqual(a);
      }, 120_000);
    }
  }
});

describe("strategies respect caveats and refuse the infeasible", () => {
  it("lead-nation keeps each lead state's sensors on the sectors it leads", async () => {
    const s = parseScenario(defaultScenario());
    const a = await allocate(s, "lead-nation");
    for (const u of a.sensors.filter((x) => x.kind === "fixed")) {
      const st = s.states.find((x) => x.id === u.state)!;
      const led = s.sectors.filter((x) => x.lead === st.index);
      if (led.length === 0) continue;
      expect(led.some((sec) => u.from < sec.to && u.to > sec.from)).toBe(true);
    }
  });

  it("a state whose caveats allow no sector: its sensors stay idle, saying why", async () => {
    const raw = defaultScenario();
    const us = raw.states.find((x) => x.id === "us")!;
    us.caveats = { allowedSectors: [] };
    const a = await allocate(parseScenario(raw), "risk-weighted");
    const idle = a.idle.filter((i) => i.state === "us");
    expect(idle.length).toBeGreaterThan(0);
    expect(a.sensors.filter((u) => u.state === "us" && u.kind !== "satellite")).toEqual([]);
  });

  it("more teams than the bases can hold is refused, naming the capacity", async () => {
    const raw = defaultScenario();
    for (const b of raw.bases ?? []) b.capacity = 1;
    const s = parseScenario(raw);
    for (const name of ["risk-weighted", "greedy-coverage", "p-median"]) {
      const err = await refusal(allocate(s, name));
      expect(err.issues[0]!.path).toEqual(["bases"]);
      expect(err.issues[0]!.message).toMatch(/hold \d+ teams in all but the contributions give \d+/);
    }
  });

  it("p-median refuses a p larger than the number of bases", async () => {
    const s = parseScenario(defaultScenario());
    await expect(allocate(s, "p-median", { p: 999 })).rejects.toThrow(/option p/);
  });

  it("custom places exactly what it is given, and refuses more than the contributions", async () => {
    const s = parseScenario(defaultScenario());
    const a = await allocate(s, "custom", { teams: [{ state: "gb", asset: "team", base: s.bases[0]!.id, count: 3 }] });
    expect(a.teams.map((t) => t.id)).toEqual(["gb/team/1", "gb/team/2", "gb/team/3"]);
    expect(a.teams.every((t) => t.base === s.bases[0]!.id)).toBe(true);
    const err = await refusal(
      allocate(s, "custom", { teams: [{ state: "gb", asset: "team", base: s.bases[0]!.id, count: 999 }] }),
    );
    // The path is where the placement was given: in the options passed to the strategy.
    expect(err.issues.some((i) => i.path.join(".") === "options.teams.0.count")).toBe(true);
    expect(err.message).toMatch(/^the custom allocation is invalid \(\d problems?\):\n/);
    expect(err.message).toContain("  - options.teams[0].count: places 999 of gb's team but the contributions give 20");
  });

  it("an unknown strategy is refused with the known names", async () => {
    await expect(allocate(parseScenario(defaultScenario()), "nearest")).rejects.toThrow(
      /unknown strategy "nearest"; known: risk-weighted, uniform/,
    );
  });
});

describe("strategies change outcomes the way their objectives say", () => {
  it("simulate accepts a strategy by name; each strategy wins on its own objective", async () => {
    const opts = { replications: 30, seed: 11 };
    const rw = await simulate(defaultScenario(), { ...opts, allocation: "risk-weighted" });
    const pr = await simulate(defaultScenario(), { ...opts, allocation: "proportional" });
    const gc = await simulate(defaultScenario(), { ...opts, allocation: "greedy-coverage" });
    expect(rw.provenance.strategy).toBe("risk-weighted");
    expect(pr.provenance.strategy).toBe("proportional");
    // Same incidents (same seed, allocation-independent incident stream).
    expect(rw.line.counts.incidents).toBe(pr.line.counts.incidents);
    // Teams where the verifiable incidents are: faster response than teams by length.
    expect(rw.line.response.mean.value).toBeLessThan(pr.line.response.mean.value - 1);
    // Sensors by length watch more of the line than sensors by incidents.
    expect(pr.line.coverage.overall.value).toBeGreaterThan(rw.line.coverage.overall.value + 0.02);
    // Greedy coverage maximises incidents within reach of the standard.
    expect(gc.line.withinStandard.value).toBeGreaterThan(rw.line.withinStandard.value);
  });
});
