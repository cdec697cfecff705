/**
 * What-if arms: `compareScenarios` (library) and `compare --arm` (the built CLI, dist/cli.js) compare scenarios
 * on common random numbers — the default scenario, the UK's teams out, a third satellite. Each arm is its own
 * run (its results equal `simulate` of its scenario on the same seed and replications), the UK out equals the
 * withdrawal of the UK, and bad arms are refused naming the arm.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compareScenarios } from "../src/experiment/arms.js";
import { simulate } from "../src/experiment/simulate.js";
import { withdrawal } from "../src/experiment/withdrawal.js";
import { setParameters } from "../src/experiment/parameters.js";
import { defaultScenario, scenario } from "../src/scenarios/index.js";
import { ScenarioError } from "../src/model/errors.js";
import { parseScenario } from "../src/model/parse.js";
import { allocate } from "../src/allocation/allocate.js";
import { main } from "../src/cli/main.js";
import { captureIo } from "./helpers/io.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const CLI = resolve(root, process.env.CEASEFIRE_SIM_CLI ?? "dist/cli.js");
const UK_TEAMS = "contributions[state=gb,asset=team].count";
/** The default scenario has two US satellites (sat-eo, sat-sar): a second optical one makes three. */
const EO_SATS = "contributions[state=us,asset=sat-eo].count";
const RUN = { replications: 3, seed: 7, horizon: "10 d" } as const;

const arms = () => ({
  base: defaultScenario(),
  ukOut: { base: "base", edits: { [UK_TEAMS]: 0 } },
  thirdSat: { base: "base", edits: { [EO_SATS]: 2 } },
});

/** A result's metrics (not its timing), to compare runs exactly. */
const metricsOf = (r: { line: unknown; sectors: unknown; states?: unknown }) =>
  JSON.stringify({ line: r.line, sectors: r.sectors, states: r.states });

describe("compareScenarios", () => {
  it("runs base / UK out / third satellite; each arm equals simulate of its own scenario, same seed", async () => {
    const c = await compareScenarios(arms(), RUN);
    expect(c.strategies).toEqual(["base", "ukOut", "thirdSat"]);
    expect(c.baseline).toBe("base");
    expect(c.replications).toBe(3);
    expect(c.arms.map((a) => [a.name, a.base, a.edits])).toEqual([
      ["base", undefined, undefined],
      ["ukOut", "base", { [UK_TEAMS]: 0 }],
      ["thirdSat", "base", { [EO_SATS]: 2 }],
    ]);
    expect(new Set(c.arms.map((a) => a.hash)).size).toBe(3);
    // Common random numbers: the incidents are the same in every arm.
    expect(new Set(c.incidents).size).toBe(1);

    const base = await simulate(defaultScenario(), RUN);
    expect(metricsOf(c.results[0]!)).toBe(metricsOf(base));
    const ukOut = await simulate(setParameters(defaultScenario(), { [UK_TEAMS]: 0 }), RUN);
    expect(metricsOf(c.results[1]!)).toBe(metricsOf(ukOut));
    const third = await simulate(setParameters(defaultScenario(), { [EO_SATS]: 2 }), RUN);
    expect(metricsOf(c.results[2]!)).toBe(metricsOf(third));
    // The arms differ: 20 teams fewer changes the response.
    expect(ukOut.line.response.mean.value).not.toBe(base.line.response.mean.value);

    for (const m of c.metrics) {
      expect(m.estimates.map((e) => e.strategy)).toEqual(["base", "ukOut", "thirdSat"]);
      expect(m.differences.map((d) => d.strategy)).toEqual(["ukOut", "thirdSat"]);
      for (const d of m.differences) expect(d.paired.n).toBe(3);
    }
  });

  it("the UK out by an edit, on the full coalition's placements, gives withdrawal(…, { states: ['gb'] })", async () => {
    // withdrawal's variant: the UK's contributions gone, every other unit where the full coalition's allocation
    // (risk-weighted: the default scenario fixes none) put it. The arm: the UK's one contribution (20 teams) set
    // to 0, with that allocation less the UK's units.
    const t = await withdrawal(defaultScenario(), { ...RUN, states: ["gb"] });
    const full = await allocate(parseScenario(defaultScenario()), "risk-weighted");
    const keep = <U extends { state: string }>(units: U[]) => units.filter((u) => u.state !== "gb");
    const c = await compareScenarios(
      [
        { name: "full", scenario: defaultScenario() },
        {
          name: "uk-out",
          scenario: { edits: { [UK_TEAMS]: 0 } },
          allocation: { ...full, teams: keep(full.teams), sensors: keep(full.sensors), idle: keep(full.idle) },
        },
      ],
      RUN,
    );
    expect(full.teams.some((u) => u.state === "gb")).toBe(true);
    const row = t.rows[0]!;
    expect(row.state).toBe("gb");
    expect(Object.keys(row.metrics).sort()).toEqual(c.metrics.map((m) => m.metric).sort());
    for (const m of c.metrics) {
      expect(m.estimates[0]!.estimate).toEqual(t.baseline[m.metric]);
      expect(m.estimates[1]!.estimate).toEqual(row.metrics[m.metric]!.without);
      expect(m.differences[0]!.paired).toEqual(row.metrics[m.metric]!.change);
    }
  });

  it("takes embedded names, a baseline by name, one strategy for all arms and values with units", async () => {
    const c = await compareScenarios(
      [
        { name: "coalition", scenario: "coalition-2026" },
        { name: "slow tasking", scenario: { base: "coalition", edits: { "coordination.tasking.median": "1 h" } } },
        { name: "smm", scenario: "smm-density" },
      ],
      { ...RUN, baseline: "smm", strategy: "uniform", metrics: ["response.mean"] },
    );
    expect(c.baseline).toBe("smm");
    expect(c.metrics[0]!.differences.map((d) => d.strategy)).toEqual(["coalition", "slow tasking"]);
    // "1 h" where the scenario writes minutes: 60.
    expect(c.arms[1]!.edits).toEqual({ "coordination.tasking.median": 60 });
    expect(c.results.map((r) => r.allocation.strategy)).toEqual(["uniform", "uniform", "uniform"]);
    const smm = await simulate(scenario("smm-density"), { ...RUN, allocation: "uniform" });
    expect(metricsOf(c.results[2]!)).toBe(metricsOf(smm));
  });

  it("refuses duplicate names, unknown paths, bad values, different horizons and unknown scenarios", async () => {
    const s = defaultScenario();
    await expect(
      compareScenarios([
        { name: "a", scenario: s },
        { name: "a", scenario: s },
      ]),
    ).rejects.toThrow(new RangeError('arms: names must differ; "a" is given twice'));
    await expect(compareScenarios({ a: s }, RUN)).rejects.toThrow(/at least two arms; got 1/);
    await expect(
      compareScenarios({ base: s, ukOut: { base: "base", edits: { "contributions[state=uk,asset=team].count": 0 } } }),
    ).rejects.toThrow(
      /^arm "ukOut": contributions\[state=uk,asset=team\]\.count: contributions\[state=uk,asset=team\] matches no/,
    );
    await expect(compareScenarios({ base: s, x: { edits: { "assets[id=team].sped": 3 } } })).rejects.toThrow(
      /^arm "x": assets\[id=team\]\.sped: no key "sped"/,
    );
    await expect(compareScenarios({ base: s, x: { edits: { [UK_TEAMS]: "3 km" } } })).rejects.toThrow(
      /^arm "x": contributions\[state=gb,asset=team\]\.count: takes a bare number/,
    );
    const e = await compareScenarios({ base: s, x: { edits: { [UK_TEAMS]: -1 } } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ScenarioError);
    expect((e as Error).message).toMatch(/^arm "x" is invalid/);
    await expect(compareScenarios({ base: s, long: { edits: { horizon: 40 } } }, { replications: 2 })).rejects.toThrow(
      /^arm "long": its horizon \(960 h\) differs from arm "base"'s \(720 h\)/,
    );
    await expect(compareScenarios({ base: s, x: "coalition-2027" })).rejects.toThrow(
      /^arm "x": "coalition-2027" is no embedded scenario/,
    );
    await expect(compareScenarios({ a: { edits: {} }, b: { base: "a", edits: {} } })).rejects.toThrow(
      /^arm "a": its edits need a base other than itself/,
    );
    await expect(compareScenarios({ base: s, x: s }, { ...RUN, baseline: "y" })).rejects.toThrow(/^baseline:/);
  });

  it("a horizon option sets every arm's horizon, so arms of different horizons run paired", async () => {
    const c = await compareScenarios(
      { base: defaultScenario(), long: { edits: { horizon: 40 } } },
      { ...RUN, metrics: ["withinStandard"] },
    );
    expect(c.results.map((r) => r.provenance.horizonHours)).toEqual([240, 240]);
    // Same scenario but the horizon, overridden alike: the same numbers.
    expect(metricsOf(c.results[0]!)).toBe(metricsOf(c.results[1]!));
    expect(c.metrics[0]!.differences[0]!.paired.value).toBe(0);
  });
});

/** The CLI in-process (refusals: no child process needed). */
async function cli(...argv: string[]) {
  const { io, out } = captureIo();
  const code = await main(argv, io);
  return { code, ...out };
}

function run(...args: string[]) {
  // The --json output of three arms is over 1 MB, spawnSync's default buffer (past it the child is killed).
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: root, encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("ceasefire-sim compare --arm (built CLI)", () => {
  const ARMS = [
    "--arm",
    "base",
    "--arm",
    `uk-out: ${UK_TEAMS}=0`,
    "--arm",
    `third-sat: ${EO_SATS}=2`,
    "-r",
    "3",
    "-s",
    "7",
    "--horizon",
    "10 d",
    "-q",
  ];

  it("prints the arms' comparison; --json on 2 workers equals the library's, base equal to simulate", async () => {
    const text = run("compare", ...ARMS);
    expect(text.stderr).toBe("");
    expect(text.code).toBe(0);
    const lines = text.stdout.split("\n");
    expect(lines[0]).toMatch(/^coalition-2026, what-if arms: 3 arms × 3 replications on common random numbers/);
    expect(lines.slice(1, 4)).toEqual([
      "  base: coalition-2026",
      `  uk-out: coalition-2026 with ${UK_TEAMS}=0`,
      `  third-sat: coalition-2026 with ${EO_SATS}=2`,
    ]);
    expect(text.stdout).toMatch(/^arm +estimate +paired diff vs base/m);
    expect(text.stdout).toMatch(/^uk-out +\d/m);

    const json = run("compare", ...ARMS, "--json", "-w", "2");
    expect(json.code).toBe(0);
    const c = JSON.parse(json.stdout);
    expect(c.strategies).toEqual(["base", "uk-out", "third-sat"]);
    const lib = await compareScenarios(
      { base: defaultScenario(), "uk-out": { edits: { [UK_TEAMS]: 0 } }, "third-sat": { edits: { [EO_SATS]: 2 } } },
      RUN,
    );
    expect(c.metrics).toEqual(JSON.parse(JSON.stringify(lib.metrics)));
    const base = await simulate(defaultScenario(), RUN);
    expect(JSON.stringify(c.results[0].line)).toBe(JSON.stringify(base.line));

    const csv = run("compare", ...ARMS, "--csv", "-m", "withinStandard");
    expect(csv.code).toBe(0);
    const rows = csv.stdout.trim().split("\n");
    expect(rows[0]).toMatch(/^metric,arm,value,/);
    expect(rows.slice(1).map((r) => r.split(",")[1])).toEqual(["base", "uk-out", "third-sat"]);
  });

  it("takes embedded names and files as arms, and refuses bad arms with exit 2 (in-process)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ceasefire-arms-"));
    try {
      const file = join(dir, "fewer-uk.json");
      writeFileSync(file, JSON.stringify(setParameters(defaultScenario(), { [UK_TEAMS]: 10 })));
      const ok = run("compare", "--arm", "coalition-2026", "--arm", file, "--arm", `half: ${file}`, ...ARMS.slice(6));
      expect(ok.stderr).toBe("");
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/^fewer-uk +\d/m);
      expect(ok.stdout).toMatch(/^half +\d/m);

      const both = await cli("compare", "--arm", "base", "--arm", "smm-density", "-S", "uniform,proportional");
      expect(both.code).toBe(2);
      expect(both.stderr).toMatch(/--arm and --strategies: choose one/);
      const one = await cli("compare", "--arm", "base", "-r", "2");
      expect(one.code).toBe(2);
      expect(one.stderr).toMatch(/--arm: give at least two arms/);
      const path = await cli(
        "compare",
        "--arm",
        "base",
        "--arm",
        "x: contributions[state=uk,asset=team].count=0",
        "-r",
        "2",
      );
      expect(path.code).toBe(2);
      expect(path.stderr).toMatch(/arm "x": contributions\[state=uk,asset=team\]\.count: .* matches no element/);
      const dup = await cli("compare", "--arm", "base", "--arm", "base: smm-density", "-r", "2");
      expect(dup.code).toBe(2);
      expect(dup.stderr).toMatch(/names must differ; "base" is given twice/);
      const horizon = await cli("compare", "--arm", "base", "--arm", "long: horizon=40", "-r", "2");
      expect(horizon.code).toBe(2);
      expect(horizon.stderr).toMatch(/arm "long": its horizon \(960 h\) differs from arm "base"'s \(720 h\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("values with units, --baseline and --strategy (in-process)", async () => {
    const r = await cli(
      "compare",
      "smm-density",
      "--arm",
      "base",
      "--arm",
      "slow: coordination.tasking.median=1 h, sectors[id=pokrovsk].incidents.rate=20",
      "--baseline",
      "slow",
      "--strategy",
      "uniform",
      "-m",
      "response.mean",
      ...ARMS.slice(6),
      "--json",
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.baseline).toBe("slow");
    expect(c.arms[1].edits).toEqual({ "coordination.tasking.median": 60, "sectors[id=pokrovsk].incidents.rate": 20 });
    expect(c.arms[1].base).toBe("smm-density");
    expect(c.results.map((x: { allocation: { strategy: string } }) => x.allocation.strategy)).toEqual([
      "uniform",
      "uniform",
    ]);
    expect(c.metrics[0].differences.map((d: { strategy: string }) => d.strategy)).toEqual(["base"]);
    const alone = await cli("compare", "--strategy", "uniform", "-S", "uniform,proportional", "-r", "2");
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--strategy goes with --arm/);
  });

  it("the help names --arm", async () => {
    const h = await cli("compare", "--help");
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/--arm ARM/);
  });
});

describe("compareScenarios from ceasefire-sim/node", () => {
  it("runs on worker threads to the one-thread result", async () => {
    const { compareScenarios: onWorkers } = await import("../src/node/parallel.js");
    const arms = { base: defaultScenario(), ukOut: { edits: { "contributions[state=gb,asset=team].count": 0 } } };
    const options = { replications: 4, seed: 3, horizon: "10 d" };
    const one = await compareScenarios(arms, options);
    const two = await onWorkers(arms, { ...options, workers: 2 });
    expect(two.metrics).toEqual(one.metrics);
    expect(two.arms.map((a) => a.name)).toEqual(["base", "ukOut"]);
  }, 60_000);
});
