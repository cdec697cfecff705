/**
 * Allocation modes (src/allocation/modes.ts): `augment` keeps the base placement and places only the new units,
 * `remove` keeps it less the withdrawn units, `replan` (the default) places every unit afresh. Seeded runs of the
 * default scenario: +20 US long-range UAVs by augment never lower a sector's footprint coverage (or effective
 * coverage, where results carry it) or detection beyond its CI, and remove of any state never raises them;
 * replan is today's result exactly. The modes reach simulate, compareScenarios, sweep, withdrawal and the CLI.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { allocate, scenarioAllocation, strategies } from "../src/allocation/allocate.js";
import type { Allocation } from "../src/allocation/allocation.js";
import { augmentUnits, removeUnits } from "../src/allocation/modes.js";
import { main } from "../src/cli/main.js";
import { compareScenarios } from "../src/experiment/arms.js";
import { setParameters } from "../src/experiment/parameters.js";
import { resolveAllocation } from "../src/experiment/run.js";
import { simulate, type Result } from "../src/experiment/simulate.js";
import { sweep } from "../src/experiment/sweep.js";
import { withdrawal } from "../src/experiment/withdrawal.js";
import { parseScenario } from "../src/model/parse.js";
import { defaultScenario } from "../src/scenarios/index.js";
import type { Estimate } from "../src/stats/estimate.js";
import { captureIo } from "./helpers/io.js";

const UAV_LR = "contributions[state=us,asset=uav-lr].count";
/** The default scenario's 16 US long-range UAVs, and 20 more. */
const more = () => setParameters(defaultScenario(), { [UAV_LR]: 36 });
const RUN = { replications: 12, seed: 5, horizon: "30 d" } as const;

/** A result's metrics (not its timing), to compare runs exactly. */
const metricsOf = (r: Result) => JSON.stringify({ line: r.line, sectors: r.sectors, states: r.states, teams: r.teams });

/** The sector metrics the modes must not move the wrong way: footprint and effective coverage, detection. */
function watched(sector: Result["sectors"][number]): Record<string, Estimate> {
  const c = sector.coverage as unknown as Record<string, Estimate>;
  return {
    "coverage.overall": c.overall!,
    ...(c.effective && "value" in c.effective ? { "coverage.effective": c.effective } : {}),
    "detection.probability": sector.detection.probability,
  };
}

/** Units of a state removed from a scenario input (its contributions gone). */
function withoutState(input: unknown, state: string): unknown {
  const src = structuredClone(input) as { contributions: { state: string }[] };
  src.contributions = src.contributions.filter((c) => c.state !== state);
  return src;
}

const unitKey = (u: { id: string }) => u.id;

describe("augment", () => {
  it("keeps every unit of the base placement where it was and numbers the 20 new UAVs after the 16", async () => {
    const base = await scenarioAllocation(parseScenario(defaultScenario()));
    const a = await resolveAllocation(parseScenario(more()), { mode: "augment", base: defaultScenario() });
    expect(a.mode).toBe("augment");
    expect(a.strategy).toBe("risk-weighted");
    expect(a.teams).toEqual(base.teams);
    expect(a.sensors.slice(0, base.sensors.length)).toEqual(base.sensors);
    const added = a.sensors.slice(base.sensors.length);
    expect(added.map(unitKey)).toEqual(Array.from({ length: 20 }, (_, k) => `us/uav-lr/${17 + k}`));
    for (const u of added) {
      expect(u.kind).toBe("uav");
      expect(u.why).toMatch(/^added by augment: greedy marginal coverage/);
      expect(u.to - u.from).toBeCloseTo(40, 9); // the asset's coverKm
    }
    // The same scenario augmented from itself is its own placement.
    const same = await resolveAllocation(parseScenario(defaultScenario()), {
      mode: "augment",
      base: defaultScenario(),
    });
    expect({ ...same, mode: undefined }).toEqual({ ...base, mode: undefined });
  });

  it("+20 US long-range UAVs never lower a sector's coverage or detection beyond its CI", async () => {
    const before = await simulate(defaultScenario(), RUN);
    const after = await simulate(more(), { ...RUN, allocation: { mode: "augment", base: defaultScenario() } });
    expect(after.allocation.sensors.uav).toBe(before.allocation.sensors.uav + 20);
    let gained = 0;
    before.sectors.forEach((sec, i) => {
      const b = watched(sec),
        a = watched(after.sectors[i]!);
      for (const [name, e] of Object.entries(b)) {
        expect(a[name]!.value, `${sec.id} ${name}`).toBeGreaterThanOrEqual(e.lo);
        if (a[name]!.value > e.hi) gained++;
      }
    });
    // The new UAVs buy something: the line's detection and footprint coverage rise.
    expect(after.line.detection.probability.value).toBeGreaterThan(before.line.detection.probability.value);
    expect(after.line.coverage.overall.value).toBeGreaterThan(before.line.coverage.overall.value);
    expect(gained).toBeGreaterThan(0);
  });

  it("places new teams by the strategy's rule with the kept teams counted, within base capacities", async () => {
    const input = setParameters(defaultScenario(), { "contributions[state=gb,asset=team].count": 24 });
    const s = parseScenario(input);
    const base = await scenarioAllocation(parseScenario(defaultScenario()));
    for (const strategy of ["risk-weighted", "greedy-coverage"]) {
      const fromBase = await allocate(parseScenario(defaultScenario()), strategy);
      const a = await augmentUnits(s, fromBase, strategy);
      expect(a.teams.slice(0, fromBase.teams.length)).toEqual(fromBase.teams);
      const added = a.teams.slice(fromBase.teams.length);
      expect(added.map(unitKey)).toEqual(["gb/team/21", "gb/team/22", "gb/team/23", "gb/team/24"]);
      const load = new Map<string, number>();
      for (const t of a.teams) load.set(t.base, (load.get(t.base) ?? 0) + 1);
      for (const b of s.bases) expect(load.get(b.id) ?? 0).toBeLessThanOrEqual(b.capacity);
    }
    // risk-weighted's D'Hondt continued: the new teams go where the quotient with the kept teams is highest, not
    // where a fresh plan of 24 UK teams would put them (a fresh plan moves kept teams too).
    const fresh = await scenarioAllocation(s);
    const moved = base.teams.filter((t) => fresh.teams.find((u) => u.id === t.id)?.base !== t.base);
    expect(moved.length).toBeGreaterThan(0);
  });

  it("every built-in strategy but custom augments: the base kept, the new units numbered after it", async () => {
    const input = setParameters(defaultScenario(), {
      "contributions[state=fr,asset=team].count": 17,
      "contributions[state=de,asset=camera].count": 23,
      [UAV_LR]: 18,
    });
    const s = parseScenario(input);
    for (const name of Object.keys(strategies).filter((n) => n !== "custom")) {
      const base = await allocate(parseScenario(defaultScenario()), name);
      const a = await augmentUnits(s, base, name);
      expect(a.strategy, name).toBe(name);
      expect(a.teams.slice(0, base.teams.length), name).toEqual(base.teams);
      expect(a.sensors.slice(0, base.sensors.length), name).toEqual(base.sensors);
      expect([...a.teams.slice(base.teams.length), ...a.sensors.slice(base.sensors.length)].map(unitKey), name).toEqual(
        ["fr/team/16", "fr/team/17", "de/camera/21", "de/camera/22", "de/camera/23", "us/uav-lr/17", "us/uav-lr/18"],
      );
    }
  });

  it("greedy marginal coverage puts a new camera on the stretch nobody watches", async () => {
    const input = {
      format: "ceasefire-sim/scenario@1",
      name: "two-sectors",
      horizon: "10 d",
      sectors: ["a", "b"].map((id) => ({
        id,
        name: id,
        lengthKm: 20,
        incidents: { rate: "2 /d", nightShare: 0.5, severity: { minor: 0, major: 1, critical: 0 } },
        access: { denial: 0 },
        lead: "s",
      })),
      regimes: [],
      states: [{ id: "s", name: "S", role: "lead", caveats: { nightMovement: true, maxRisk: 1 } }],
      assets: [{ id: "cam", kind: "fixed", name: "Camera", coverKm: 20, detection: 0.5 }],
      bases: [{ id: "b", name: "B", location: { x: 20, offsetKm: 0 } }],
      contributions: [{ state: "s", asset: "cam", count: 1 }],
      coordination: { lead: "s" },
      standards: { response: "6 h" },
      allocation: { teams: [], sensors: [{ state: "s", asset: "cam", count: 1, sector: "a" }] },
    };
    const base = await scenarioAllocation(parseScenario(input));
    expect(base.sensors.map((u) => [u.from, u.to])).toEqual([[0, 20]]);
    const two = parseScenario({ ...input, contributions: [{ state: "s", asset: "cam", count: 2 }] });
    const a = await augmentUnits(two, base);
    expect(a.sensors.map((u) => [u.id, u.from, u.to])).toEqual([
      ["s/cam/1", 0, 20],
      ["s/cam/2", 20, 40],
    ]);
    // A third camera overlaps one of them: the first stretch that adds most, watched by one camera at p = 0.5.
    const three = parseScenario({ ...input, contributions: [{ state: "s", asset: "cam", count: 3 }] });
    const b = await augmentUnits(three, a);
    expect(b.sensors.slice(0, 2)).toEqual(a.sensors);
    expect(b.sensors[2]!.id).toBe("s/cam/3");
  });

  it("refuses fewer units than the base, naming the contribution, and the custom strategy", async () => {
    const fewer = parseScenario(setParameters(defaultScenario(), { [UAV_LR]: 10 }));
    await expect(resolveAllocation(fewer, { mode: "augment", base: defaultScenario() })).rejects.toThrow(
      /mode "augment": contributions\[state=us,asset=uav-lr\] gives 10 units, fewer than the base placement's 16/,
    );
    const base = await scenarioAllocation(parseScenario(defaultScenario()));
    await expect(augmentUnits(parseScenario(more()), base, "custom")).rejects.toThrow(/custom strategy/);
  });
});

describe("remove", () => {
  it("withdrawing any state never raises a sector's coverage or detection beyond its CI", async () => {
    const input = defaultScenario() as { contributions: { state: string; count: number }[] };
    const full = await simulate(input, RUN);
    const base = await scenarioAllocation(parseScenario(input));
    const states = [...new Set(input.contributions.filter((c) => c.count > 0).map((c) => c.state))];
    expect(states.length).toBeGreaterThan(10);
    for (const st of states) {
      const variant = withoutState(input, st);
      const r = await simulate(variant, { ...RUN, allocation: { mode: "remove", base } });
      full.sectors.forEach((sec, i) => {
        const b = watched(sec),
          a = watched(r.sectors[i]!);
        for (const [name, e] of Object.entries(b))
          expect(a[name]!.value, `without ${st}: ${sec.id} ${name}`).toBeLessThanOrEqual(e.hi);
      });
    }
  });

  it("keeps every other unit where it was; withdraws idle units first, then the last placed", async () => {
    const base = await scenarioAllocation(parseScenario(defaultScenario()));
    const noUk = removeUnits(parseScenario(withoutState(defaultScenario(), "gb")), base);
    expect(noUk.mode).toBe("remove");
    expect(noUk.teams).toEqual(base.teams.filter((t) => t.state !== "gb"));
    expect(noUk.sensors).toEqual(base.sensors);

    const ten = parseScenario(setParameters(defaultScenario(), { [UAV_LR]: 10 }));
    const a = removeUnits(ten, base);
    expect(a.sensors.filter((u) => u.asset === "uav-lr").map(unitKey)).toEqual(
      Array.from({ length: 10 }, (_, k) => `us/uav-lr/${k + 1}`),
    );
    // A base with one long-range UAV idle: going from 16 to 15 withdraws the idle one, every placed UAV stays.
    const idleOne: Allocation = {
      ...base,
      sensors: base.sensors.filter((u) => u.id !== "us/uav-lr/16"),
      idle: [...base.idle, { state: "us", asset: "uav-lr", count: 1, why: "kept in reserve" }],
    };
    const fifteen = parseScenario(setParameters(defaultScenario(), { [UAV_LR]: 15 }));
    const b = removeUnits(fifteen, idleOne);
    expect(b.sensors).toEqual(idleOne.sensors);
    expect(b.idle.some((i) => i.asset === "uav-lr")).toBe(false);
  });

  it("refuses more units than the base, naming the contribution", async () => {
    const base = await scenarioAllocation(parseScenario(defaultScenario()));
    expect(() => removeUnits(parseScenario(more()), base)).toThrow(
      /mode "remove": contributions\[state=us,asset=uav-lr\] gives 36 units, more than the base placement's 16/,
    );
  });
});

describe("replan and the option's checks", () => {
  it("replan is today's result exactly", async () => {
    for (const input of [defaultScenario(), more()]) {
      const today = await simulate(input, RUN);
      const replan = await simulate(input, { ...RUN, allocation: { mode: "replan" } });
      expect(metricsOf(replan)).toBe(metricsOf(today));
      const withBase = await simulate(input, { ...RUN, allocation: { mode: "replan", base: defaultScenario() } });
      expect(metricsOf(withBase)).toBe(metricsOf(today));
    }
  });

  it("refuses a bad mode, a missing base and unknown keys, naming the field", async () => {
    const s = parseScenario(more());
    await expect(resolveAllocation(s, { mode: "add" as never })).rejects.toThrow(
      'allocation.mode: expected "replan", "augment" or "remove"; got "add"',
    );
    await expect(resolveAllocation(s, { mode: "augment" })).rejects.toThrow(
      /allocation.base: mode "augment" needs a base placement/,
    );
    await expect(resolveAllocation(s, { mode: "remove", bsae: 1 } as never)).rejects.toThrow(
      /allocation: unknown key "bsae"/,
    );
    await expect(
      compareScenarios({ a: defaultScenario(), b: more() }, { replications: 2, mode: "grow" as never }),
    ).rejects.toThrow('mode: expected "replan", "augment" or "remove"; got "grow"');
  });
});

describe("experiments take the mode", () => {
  const R = { replications: 3, seed: 2, horizon: "10 d" } as const;

  it("compareScenarios: an arm made from another keeps its placement under augment", async () => {
    const c = await compareScenarios(
      { base: defaultScenario(), uavs: { base: "base", edits: { [UAV_LR]: 36 } } },
      { ...R, mode: "augment" },
    );
    const augmented = await simulate(more(), { ...R, allocation: { mode: "augment", base: defaultScenario() } });
    expect(metricsOf(c.results[1]!)).toBe(metricsOf(augmented));
    expect(metricsOf(c.results[0]!)).toBe(metricsOf(await simulate(defaultScenario(), R)));
    // Per arm, and chained: 26 UAVs on top of "base", 36 on top of the 26.
    const chain = await compareScenarios(
      [
        { name: "base", scenario: defaultScenario() },
        { name: "plus10", scenario: { edits: { [UAV_LR]: 26 } }, allocation: { mode: "augment" } },
        { name: "plus20", scenario: { base: "plus10", edits: { [UAV_LR]: 36 } }, allocation: { mode: "augment" } },
      ],
      R,
    );
    expect(metricsOf(chain.results[2]!)).toBe(metricsOf(augmented));
  });

  it("sweep: under augment every point keeps the swept scenario's placement", async () => {
    const rows = await sweep(defaultScenario(), {
      ...R,
      parameters: [{ path: UAV_LR, values: [16, 36] }],
      metrics: ["coverage.overall", "detection.probability"],
      allocation: { mode: "augment" },
    });
    const base = await simulate(defaultScenario(), R);
    expect(rows[0]!.value).toBe(base.line.coverage.overall.value);
    expect(rows[1]!.value).toBe(base.line.detection.probability.value);
    expect(rows[2]!.value).toBeGreaterThan(rows[0]!.value);
    await expect(
      sweep(defaultScenario(), {
        ...R,
        parameters: [{ path: UAV_LR, values: [16, 36] }],
        allocation: { mode: "remove" },
      }),
    ).rejects.toThrow(
      /^point 1 \(contributions\[state=us,asset=uav-lr\]\.count = 36\): allocation mode "remove": contributions\[/,
    );
  });

  it("withdrawal: the immediate gap (remove) and the gap after re-planning (replan)", async () => {
    const t = await withdrawal(defaultScenario(), { ...R, states: ["it"] });
    expect(t.modes).toEqual(["remove", "replan"]);
    const row = t.rows[0]!;
    const base = await scenarioAllocation(parseScenario(defaultScenario()));
    const variant = withoutState(defaultScenario(), "it");
    const removed = await simulate(variant, { ...R, allocation: { mode: "remove", base } });
    const replanned = await simulate(variant, R);
    expect(row.metrics["coverage.overall"]!.without).toEqual(removed.line.coverage.overall);
    expect(row.replanned!.metrics["coverage.overall"]!.without).toEqual(replanned.line.coverage.overall);
    // Withdrawing cameras in place cannot widen footprint coverage.
    expect(row.metrics["coverage.overall"]!.change.value).toBeLessThanOrEqual(0);
    const only = await withdrawal(defaultScenario(), { ...R, states: ["it"], replan: false });
    expect(only.modes).toEqual(["remove"]);
    expect(only.rows[0]!.replanned).toBeNull();
    expect(only.rows[0]!.metrics).toEqual(row.metrics);
  });
});

describe("CLI --mode", () => {
  const FAST = ["-r", "2", "-q", "--horizon", "5 d"];

  it("compare --arm … --mode augment and sweep --mode augment run; withdrawal --mode remove", async () => {
    const c = captureIo();
    const arm = `uavs: ${UAV_LR}=36`;
    expect(await main(["compare", "--arm", "base", "--arm", arm, "--mode", "augment", "--csv", ...FAST], c.io)).toBe(0);
    expect(c.out.stdout).toMatch(/^metric,arm,value/);
    expect(c.out.stdout).toContain("\ncoverage.overall,uavs,");

    const sw = captureIo();
    expect(await main(["sweep", "--param", `${UAV_LR}=16,36`, "--mode", "augment", ...FAST], sw.io)).toBe(0);
    expect(sw.out.stdout).toContain("allocation mode augment");

    const w = captureIo();
    expect(await main(["withdrawal", "--states", "ee", "--mode", "remove", "--csv", ...FAST.slice(0, 3)], w.io)).toBe(
      0,
    );
    expect(w.out.stdout.split("\n")[0]).toMatch(/,mode$/);
    expect(w.out.stdout).not.toContain(",replan");
  });

  it("run --mode augment --base: the simulate result with that mode, exactly; --incidents follows it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cs-run-mode-"));
    try {
      const arm = setParameters(defaultScenario(), { [UAV_LR]: 36 });
      const file = join(dir, "uav36.json");
      writeFileSync(file, JSON.stringify(arm));
      const log = join(dir, "incidents.csv");
      const c = captureIo();
      const args = ["run", file, "--mode", "augment", "--base", "coalition-2026", "--json", "--incidents", log];
      expect(await main([...args, "-r", "2", "-q", "--horizon", "5 d", "-w", "1"], c.io)).toBe(0);
      const printed = JSON.parse(c.out.stdout) as Result;
      const direct = await simulate(arm, {
        replications: 2,
        horizon: "5 d",
        allocation: { mode: "augment", base: defaultScenario() },
      });
      expect(printed.allocation.mode).toBe("augment");
      expect(printed.line.coverage.overall).toEqual(JSON.parse(JSON.stringify(direct.line.coverage.overall)));
      expect(printed.line.counts).toEqual(direct.line.counts);
      const rows = readFileSync(log, "utf8").trimEnd().split("\n").length - 1;
      expect(rows).toBe(direct.line.counts.incidents);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    for (const [extra, message] of [
      [["--mode", "augment"], "--mode augment needs --base"],
      [["--base", "coalition-2026"], "--base goes with --mode"],
    ] as const) {
      const c = captureIo();
      expect(await main(["run", ...extra, "-r", "2", "-q"], c.io)).toBe(2);
      expect(c.out.stderr).toContain(message);
    }
  });

  it("a bad --mode is a usage error naming the flag", async () => {
    for (const [cmd, extra] of [
      ["compare", ["--arm", "base", "--arm", `x: ${UAV_LR}=20`]],
      ["sweep", ["--param", `${UAV_LR}=16,36`]],
      ["withdrawal", []],
    ] as const) {
      const c = captureIo();
      expect(await main([cmd, ...extra, "--mode", "grow", "-q"], c.io)).toBe(2);
      expect(c.out.stderr).toContain("--mode: expected");
      expect(c.out.stderr).toContain('got "grow"');
    }
    const s = captureIo();
    expect(await main(["compare", "-S", "uniform,risk-weighted", "--mode", "augment"], s.io)).toBe(2);
    expect(s.out.stderr).toContain("--mode goes with --arm");
  });
});
