/**
 * Sweeps over what users vary: boolean and enum parameters (their kind read from the zod schema), linked
 * parameters (one dimension setting several paths), and infeasible points as rows with their reason — from the
 * library (`sweep`, `sweepDesign`, `parameterInfo`, `setParameter`) and the `sweep` command.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { compareScenarios } from "../src/experiment/arms.js";
import { captureIo } from "./helpers/io.js";
import { parameterInfo, parameterValue, setParameter } from "../src/experiment/parameters.js";
import { sweep, sweepDesign } from "../src/experiment/sweep.js";
import { simulate } from "../src/experiment/simulate.js";
import { defaultScenario } from "../src/scenarios/index.js";
import { sweepCommand } from "../src/cli/experiments.js";
import { UsageError } from "../src/cli/common.js";

const MMC = "examples/scenarios/mmc.json";
const NIGHT = "assets[id=team].nightCapable";
const GB = "contributions[state=gb,asset=team].count";
const KHARKIV = "bases[id=kharkiv].capacity";
/** The default scenario's bases hold 114 teams; 80 UK teams (64 − 20 + 80 = 124 in all) do not fit. */
const TOO_MANY = "bases: the bases hold 114 teams in all but the contributions give 124";
const QUICK = { replications: 2, horizon: "3 d", seed: 5 } as const;

async function cli(...argv: string[]) {
  const { io, out } = captureIo();
  const code = await sweepCommand(argv, io);
  return { code, ...out };
}

describe("parameterInfo reads a path's kind from the schema", () => {
  const s = defaultScenario();
  it("booleans, enums, text and numbers", () => {
    expect(parameterInfo(s, NIGHT)).toEqual({ kind: "boolean", value: false });
    expect(parameterInfo(s, "coordination.dispatch")).toEqual({
      kind: "enum",
      value: "nearest-available",
      values: ["nearest-available", "earliest-arrival", "fixed-preference"],
    });
    expect(parameterInfo(s, "coordination.queue")).toMatchObject({
      kind: "enum",
      values: ["fifo-critical-first", "fifo", "in-standard-first"],
    });
    expect(parameterInfo(s, "sectors[id=pokrovsk].lead")).toEqual({ kind: "text", value: "gb" });
    expect(parameterInfo(s, "horizon")).toEqual({ kind: "number", value: 30, unit: "d" });
    expect(parameterInfo(s, GB)).toEqual({ kind: "number", value: 20, unit: null });
  });

  it("parameterValue reads text by that kind; wrong text is a RangeError saying what the path takes", () => {
    expect(parameterValue(s, NIGHT, "true")).toBe(true);
    expect(parameterValue(s, NIGHT, " false ")).toBe(false);
    expect(parameterValue(s, "coordination.dispatch", "earliest-arrival")).toBe("earliest-arrival");
    expect(parameterValue(s, GB, "25")).toBe(25);
    expect(() => parameterValue(s, NIGHT, "yes")).toThrow(`${NIGHT}: expected true or false; got "yes"`);
    expect(() => parameterValue(s, "coordination.dispatch", "fastest")).toThrow(
      'coordination.dispatch: expected one of nearest-available, earliest-arrival, fixed-preference; got "fastest"',
    );
    expect(() => parameterValue(s, "horizon", "true")).toThrow(/^horizon: expected a number; got "true"/);
  });

  it("setParameter writes a boolean or a name; a value of the wrong kind is refused", () => {
    expect(setParameter(s, NIGHT, true).assets![0]).toMatchObject({ id: "team", nightCapable: true });
    expect(setParameter(s, "coordination.dispatch", "earliest-arrival").coordination.dispatch).toBe("earliest-arrival");
    expect(() => setParameter(s, NIGHT, 1)).toThrow(`${NIGHT}: expected true or false to set; got 1`);
    expect(() => setParameter(s, "coordination.dispatch", "x")).toThrow(/expected one of "nearest-available", /);
    expect(() => setParameter(s, GB, "25")).toThrow(`${GB}: expected a finite number to set; got "25"`);
  });
});

describe("sweepDesign: linked parameters are one dimension", () => {
  it("grid: linked values zipped (repeats kept), crossed with the other parameters", () => {
    const d = sweepDesign({
      parameters: [
        { path: NIGHT, values: [true, false] },
        { path: GB, values: [20, 60, 80], link: "teams" },
        { path: KHARKIV, values: [12, 32, 12], link: "teams" },
      ],
    });
    expect(d).toEqual([
      { [NIGHT]: true, [GB]: 20, [KHARKIV]: 12 },
      { [NIGHT]: true, [GB]: 60, [KHARKIV]: 32 },
      { [NIGHT]: true, [GB]: 80, [KHARKIV]: 12 },
      { [NIGHT]: false, [GB]: 20, [KHARKIV]: 12 },
      { [NIGHT]: false, [GB]: 60, [KHARKIV]: 32 },
      { [NIGHT]: false, [GB]: 80, [KHARKIV]: 12 },
    ]);
  });

  it("grid: linked parameters need as many values each", () => {
    expect(() =>
      sweepDesign({
        parameters: [
          { path: GB, values: [20, 60], link: "teams" },
          { path: KHARKIV, min: 12, max: 32, link: "teams" },
        ],
      }),
    ).toThrow(
      `link "teams": linked parameters move together, so they need as many values each; ${GB} has 2, ${KHARKIV} has 5`,
    );
  });

  it("lhs: linked parameters share each point's stratum and position; unlinked designs are unchanged", () => {
    const n = 20;
    const linked = sweepDesign({
      design: "lhs",
      points: n,
      seed: 3,
      parameters: [
        { path: "a", min: 0, max: 1, link: "l" },
        { path: "b", min: 10, max: 30, link: "l" },
        { path: "c", min: 0, max: 1 },
      ],
    });
    for (const pt of linked) expect(((pt.b as number) - 10) / 20).toBeCloseTo(pt.a as number, 12);
    // The first dimension draws what a lone parameter would: the same a, and c from the second draw sequence.
    const alone = sweepDesign({
      design: "lhs",
      points: n,
      seed: 3,
      parameters: [
        { path: "a", min: 0, max: 1 },
        { path: "c", min: 0, max: 1 },
      ],
    });
    expect(linked.map((p) => [p.a, p.c])).toEqual(alone.map((p) => [p.a, p.c]));
  });
});

describe("the two sweeps of issue 16 from the library", () => {
  it(`${NIGHT} = true, false: 2 rows per metric; the scenario's own value (false) is simulate's result`, async () => {
    const rows = await sweep(defaultScenario(), {
      parameters: [{ path: NIGHT, values: [true, false] }],
      metrics: ["response.mean", "withinStandard"],
      ...QUICK,
    });
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => [r.point, r.parameters[NIGHT], r.metric, r.infeasible])).toEqual([
      [0, true, "response.mean", undefined],
      [0, true, "withinStandard", undefined],
      [1, false, "response.mean", undefined],
      [1, false, "withinStandard", undefined],
    ]);
    const base = await simulate(defaultScenario(), QUICK);
    expect(rows[2]!.value).toBe(base.line.response.mean.value);
    expect(rows[3]!.value).toBe(base.line.withinStandard.value);
    // Teams that may move at night verify more within the standard on the same incidents.
    expect(rows[1]!.value).toBeGreaterThan(rows[3]!.value);
  });

  it("teams with base capacity, linked: 3 points, the one over the bases' capacity a row with its reason", async () => {
    const rows = await sweep(defaultScenario(), {
      parameters: [
        { path: GB, values: [20, 60, 80], link: "teams" },
        { path: KHARKIV, values: [12, 32, 12], link: "teams" },
      ],
      metrics: ["response.mean"],
      ...QUICK,
    });
    expect(rows.map((r) => [r.point, r.parameters[GB], r.parameters[KHARKIV], r.replications, r.infeasible])).toEqual([
      [0, 20, 12, 2, undefined],
      [1, 60, 32, 2, undefined],
      [2, 80, 12, 0, TOO_MANY],
    ]);
    expect(rows[2]!.value).toBeNaN();
    expect(rows[2]!.halfWidth).toBeNaN();
    // More UK teams with room for them: faster responses on the same incidents.
    expect(rows[1]!.value).toBeLessThan(rows[0]!.value);
  });
});

describe("the sweep command", () => {
  const FAST = ["-r", "2", "--horizon", "3 d", "-s", "5", "-q"];

  it(`--param "${NIGHT}=true,false" --csv: a header and 2 rows`, async () => {
    const r = await cli("--param", `${NIGHT}=true,false`, "-m", "response.mean", "--csv", ...FAST);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`point,${NIGHT},metric,value,lo,hi,halfWidth,replications,infeasible`);
    expect(lines[1]).toMatch(/^0,true,response\.mean,[\d.]+,[\d.e-]+,[\d.]+,[\d.]+,2,$/);
    expect(lines[2]).toMatch(/^1,false,response\.mean,[\d.]+,/);
  });

  const LINKED = ["--param", `teams: ${GB}=20,60,80`, "--param", `teams: ${KHARKIV}=12,32,12`, "-m", "response.mean"];

  it("a linked teams+capacity sweep: the infeasible point is a row in CSV, JSON and the table; exit 0", async () => {
    const csv = await cli(...LINKED, "--csv", ...FAST);
    expect(csv.code).toBe(0);
    expect(csv.stderr).toBe('infeasible points: 1 of 3; their rows say why (field "infeasible")\n');
    const lines = csv.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(`point,"${GB}",${KHARKIV},metric,value,lo,hi,halfWidth,replications,infeasible`);
    expect(lines[1]).toMatch(/^0,20,12,response\.mean,[\d.]+,.*,2,$/);
    expect(lines[3]).toBe(`2,80,12,response.mean,,,,,0,${TOO_MANY}`);

    const json = await cli(...LINKED, "--json", ...FAST);
    const doc = JSON.parse(json.stdout);
    expect(doc.points).toBe(3);
    expect(doc.parameters).toEqual([
      { path: GB, values: [20, 60, 80], link: "teams" },
      { path: KHARKIV, values: [12, 32, 12], link: "teams" },
    ]);
    expect(doc.rows).toHaveLength(3);
    expect(doc.rows[2]).toMatchObject({ point: 2, value: null, replications: 0, infeasible: TOO_MANY });
    expect(doc.rows[0].infeasible).toBeUndefined();

    const table = await cli(...LINKED, ...FAST);
    const rows = table.stdout.trimEnd().split("\n");
    expect(rows).toHaveLength(7);
    expect(rows[6]).toMatch(new RegExp(`^\\s+2\\s+80\\s+12  infeasible: ${TOO_MANY}$`));
  });

  it("an enum parameter on mmc: coordination.queue = fifo, fifo-critical-first", async () => {
    const r = await cli(
      MMC,
      "--param",
      "coordination.queue=fifo,fifo-critical-first",
      "--json",
      "-m",
      "response.mean",
      "-r",
      "2",
      "--horizon",
      "100 h",
      "-q",
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.rows.map((x: { parameters: Record<string, unknown> }) => x.parameters["coordination.queue"])).toEqual([
      "fifo",
      "fifo-critical-first",
    ]);
    // mmc's incidents are all major: the queue discipline cannot matter, on common random numbers.
    expect(doc.rows[0].value).toBe(doc.rows[1].value);
  });

  it("bad values, ranges and links are usage errors naming the --param", async () => {
    const cases: [string[], string | RegExp][] = [
      [["--param", `${NIGHT}=true,yes`], `--param "${NIGHT}=true,yes": ${NIGHT}: expected true or false; got "yes"`],
      [
        [MMC, "--param", "coordination.dispatch=nearest,earliest-arrival"],
        /expected one of nearest-available, earliest-arrival, fixed-preference; got "nearest"/,
      ],
      [["--param", `${NIGHT}=0:1`], `${NIGHT}: a range min..max needs a number field; give its values instead`],
      [["--param", `te ams: ${GB}=1,2`], /expected a link name of letters, digits/],
      [
        ["--param", `teams: ${GB}=20,60`, "--param", `teams: ${KHARKIV}=12`],
        /link "teams": linked parameters move together, so they need as many values each/,
      ],
    ];
    for (const [argv, msg] of cases) {
      const p = cli(...argv, ...FAST);
      await expect(p).rejects.toThrow(UsageError);
      await expect(cli(...argv, ...FAST)).rejects.toThrow(msg);
    }
  });
});

describe("what-if arms take booleans and names the same way", () => {
  it('compareScenarios edits { "assets[id=team].nightCapable": "false" } as the boolean false', async () => {
    const mmc = JSON.parse(readFileSync(MMC, "utf8"));
    const c = await compareScenarios(
      { base: mmc, day: { base: "base", edits: { [NIGHT]: "false", "coordination.queue": "fifo-critical-first" } } },
      { replications: 2, horizon: "100 h", metrics: ["response.mean"] },
    );
    expect(c.arms[1]!.edits).toEqual({ [NIGHT]: false, "coordination.queue": "fifo-critical-first" });
    await expect(
      compareScenarios({ base: mmc, bad: { base: "base", edits: { [NIGHT]: "no" } } }, { replications: 2 }),
    ).rejects.toThrow(`arm "bad": ${NIGHT}: expected true or false; got "no"`);
  });
});
