/**
 * Sweeps: parameter paths on scenario inputs (getParameter/setParameter),
 * design points (grid sizes and order, Latin hypercube stratification),
 * streamed rows (sweepRows), a real sweep on the M/M/c scenario, and the
 * `sweep` CLI command with a fake io.
 */
import { captureIo } from "./helpers/io.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getParameter, setParameter, setParameters } from "../src/experiment/parameters.js";
import { sweep, sweepDesign, sweepRows, SweepAborted, type SweepRow } from "../src/experiment/sweep.js";
import { defaultScenario } from "../src/scenarios/index.js";
import { parseScenario } from "../src/model/parse.js";
import { sweepCommand } from "../src/cli/experiments.js";
import { UsageError } from "../src/cli/common.js";

const MMC = "examples/scenarios/mmc.json";
// biome-ignore lint/suspicious/noExplicitAny: scenario inputs are edited freely in tests
const mmc = () => JSON.parse(readFileSync(MMC, "utf8")) as Record<string, any>;
const RATE = "sectors[id=sector].incidents.rate";

describe("getParameter reads every path form", () => {
  const s = defaultScenario();
  const cases: [string, { value: number; unit: string | null }][] = [
    ["horizon", { value: 30, unit: "d" }],
    ["sectors[id=pokrovsk].incidents.rate", { value: 22.5, unit: "/d" }],
    ["sectors[3].lengthKm", { value: 70, unit: null }],
    ["contributions[state=gb,asset=team].count", { value: 20, unit: null }],
    ["coordination.tasking.median", { value: 20, unit: "min" }],
    ["sectors[id=pokrovsk].access.denial", { value: 0.05, unit: null }],
    ["assets[id=team].speed", { value: 40, unit: "km/h" }],
  ];
  for (const [path, want] of cases)
    it(`getParameter(defaultScenario(), ${JSON.stringify(path)}) is ${JSON.stringify(want)}`, () =>
      expect(getParameter(s, path)).toEqual(want));

  it("a parsed Scenario is read through its input (source)", () => {
    expect(getParameter(parseScenario(defaultScenario()), "coordination.tasking.median")).toEqual({
      value: 20,
      unit: "min",
    });
  });
});

describe("setParameter writes a deep copy in the string's own unit", () => {
  it('"20 min" set to 30 gives "30 min"; the input is untouched', () => {
    const s = defaultScenario();
    const before = structuredClone(s);
    const t = setParameter(s, "coordination.tasking.median", 30);
    expect(t.coordination.tasking).toEqual({ dist: "lognormal", median: "30 min", p95: "1.5 h" });
    expect(s).toEqual(before);
    expect(t).not.toBe(s);
    expect(t.sectors).not.toBe(s.sectors);
  });

  it("every path form round-trips through getParameter and parses", () => {
    const s = defaultScenario();
    // biome-ignore lint/suspicious/noExplicitAny: scenario inputs are edited freely in tests
    const sets: [string, number, (t: any) => unknown, unknown][] = [
      ["horizon", 60, (t) => t.horizon, "60 d"],
      ["sectors[id=pokrovsk].incidents.rate", 30, (t) => t.sectors[6].incidents.rate, "30 /d"],
      ["sectors[3].lengthKm", 71, (t) => t.sectors[3].lengthKm, 71],
      ["contributions[state=gb,asset=team].count", 25, (t) => t.contributions[0].count, 25],
      ["coordination.tasking.median", 45, (t) => t.coordination.tasking.median, "45 min"],
      ["sectors[id=pokrovsk].access.denial", 0.2, (t) => t.sectors[6].access.denial, 0.2],
      ["assets[id=team].speed", 55.5, (t) => t.assets[0].speed, "55.5 km/h"],
    ];
    for (const [path, v, read, written] of sets) {
      const t = setParameter(s, path, v);
      expect(read(t)).toBe(written);
      expect(getParameter(t, path).value).toBe(v);
    }
    // One sector's lengthKm alone may break line.lengthKm (1250 km, checked within 0.1%); with a compensating
    // sector it parses.
    const both = setParameters(s, {
      "sectors[3].lengthKm": 80,
      "sectors[4].lengthKm": 45,
      "sectors[id=pokrovsk].incidents.rate": 30,
      "coordination.tasking.median": 45,
    });
    const parsed = parseScenario(both);
    expect(parsed.sectors[3]!.lengthKm).toBe(80);
    expect(parsed.sectors[6]!.rate).toBeCloseTo(30 / 24, 12);
  });

  it("keeps the unit string's spelling: no space stays no space", () => {
    const s = mmc();
    s.coordination.tasking = "2h";
    expect(getParameter(s, "coordination.tasking")).toEqual({ value: 2, unit: "h" });
    // biome-ignore lint/suspicious/noExplicitAny: scenario inputs are edited freely in tests
    expect((setParameter(s, "coordination.tasking", 0.5) as any).coordination.tasking).toBe("0.5h");
  });
});

describe("parameter paths fail with RangeErrors that name the failing segment", () => {
  const s = defaultScenario();
  const err = (path: string) => {
    try {
      getParameter(s, path);
    } catch (e) {
      expect(e).toBeInstanceOf(RangeError);
      return (e as Error).message;
    }
    throw new Error(`no error for ${path}`);
  };
  it("no such key", () => {
    expect(err("horizn")).toMatch(
      /^horizn: no key "horizn" in the scenario; keys: format, name, description, horizon,/,
    );
    expect(err("sectors[id=pokrovsk].incidents.rat")).toMatch(
      new RegExp(
        '^sectors\\[id=pokrovsk\\]\\.incidents\\.rat: no key "rat" in sectors\\[id=pokrovsk\\]\\.incidents; ' +
          "keys: rate, nightShare, severity",
      ),
    );
  });
  it("a field left to its default cannot be addressed", () => {
    expect(err("sectors[id=pokrovsk].priority")).toContain(
      "fields left to their defaults must be written into the scenario before they can be varied",
    );
  });
  it("a selector that matches nothing lists the values", () => {
    expect(err("sectors[id=bakhmut].lengthKm")).toBe(
      "sectors[id=bakhmut].lengthKm: sectors[id=bakhmut] matches no element; id values: north-slobozhanskyi, " +
        "south-slobozhanskyi, kupiansk, lyman, siversk, kostiantynivka, pokrovsk, novopavlivka, huliaipole, " +
        "orikhiv, kakhovka, kherson",
    );
  });
  it("a selector that matches several says which", () => {
    expect(err("contributions[state=us].count")).toBe(
      "contributions[state=us].count: contributions[state=us] matches 6 elements (indices 11, 18, 23, 24, 25, " +
        "26); add key=value pairs to pick one",
    );
  });
  it("an index out of range", () => {
    expect(err("sectors[12].lengthKm")).toBe(
      "sectors[12].lengthKm: sectors[12] is out of range; sectors has 12 elements",
    );
  });
  it("not a number or unit string", () => {
    expect(err("coordination.tasking")).toBe(
      "coordination.tasking: coordination.tasking is an object with keys dist, median, p95, not a number or a " +
        'unit string such as "20 min"',
    );
    expect(err("coordination.dispatch")).toBe(
      'coordination.dispatch: coordination.dispatch is string "nearest-available", not a number or a unit string ' +
        'such as "20 min"',
    );
    expect(err("name")).toBe('name: name is string "coalition-2026", not a number or a unit string such as "20 min"');
  });
  it("selectors on a non-list, keys on a non-object", () => {
    expect(err("horizon[0]")).toBe('horizon[0]: horizon is string "30 d", not a list, so it cannot take a [selector]');
    expect(err("horizon.value")).toBe(
      'horizon.value: horizon is string "30 d", not an object, so it has no key "value"',
    );
    expect(err("sectors.lengthKm")).toBe(
      'sectors.lengthKm: sectors is a list of 12, not an object, so it has no key "lengthKm"',
    );
  });
  it("syntax errors give the character", () => {
    expect(err("sectors[id=pokrovsk")).toBe("parameter path \"sectors[id=pokrovsk\": unclosed '[' at character 8");
    expect(err("sectors[].lengthKm")).toBe(
      'parameter path "sectors[].lengthKm": expected an index or key=value pairs in [] at character 8',
    );
    expect(err("horizon.")).toBe("parameter path \"horizon.\": expected a key after '.' at character 9");
    expect(err("")).toMatch(/^parameter path: expected a path/);
  });
  it("setParameter refuses non-finite values and parsed scenarios", () => {
    expect(() => setParameter(s, "horizon", NaN)).toThrow(
      new RangeError("horizon: expected a finite number to set; got NaN"),
    );
    expect(() => setParameter(parseScenario(defaultScenario()), "horizon", 3)).toThrow(
      /not a parsed Scenario; pass its \.source/,
    );
  });
});

describe("sweepDesign", () => {
  it("grid: full factorial, first parameter slowest", () => {
    const d = sweepDesign({
      parameters: [
        { path: "a", values: [1, 2] },
        { path: "b", min: 0, max: 1, levels: 3 },
      ],
    });
    expect(d).toEqual([
      { a: 1, b: 0 },
      { a: 1, b: 0.5 },
      { a: 1, b: 1 },
      { a: 2, b: 0 },
      { a: 2, b: 0.5 },
      { a: 2, b: 1 },
    ]);
  });
  it("grid sizes multiply; levels default to 5, evenly spaced with exact ends", () => {
    expect(
      sweepDesign({
        parameters: [
          { path: "a", values: [1, 2] },
          { path: "b", values: [1, 2, 3] },
          { path: "c", min: 0, max: 3, levels: 4 },
        ],
      }),
    ).toHaveLength(24);
    const d = sweepDesign({ parameters: [{ path: "x", min: 0.1, max: 0.7 }] });
    expect(d.map((p) => p.x)).toEqual(
      [0.1, 0.25, 0.4, 0.55, 0.7].map((_v, i) => (i === 4 ? 0.7 : 0.1 + (0.6 * i) / 4)),
    );
    expect(d[4]!.x).toBe(0.7);
  });
  it("count fields are rounded to whole numbers and duplicates dropped", () => {
    const d = sweepDesign({
      parameters: [{ path: "contributions[state=gb,asset=team].count", min: 10, max: 12, levels: 5 }],
    });
    expect(d.map((p) => p["contributions[state=gb,asset=team].count"])).toEqual([10, 11, 12]);
    const n = sweepDesign({
      parameters: [{ path: "contributions[0].count", min: 10, max: 12, levels: 5, integer: false }],
    });
    expect(n).toHaveLength(5);
  });
  it("lhs: every parameter has exactly one point per stratum", () => {
    const n = 37;
    const params = [
      { path: "a", min: 0, max: 1 },
      { path: "b", min: -5, max: 20 },
      { path: "c", min: 100, max: 100.5 },
    ];
    const d = sweepDesign({ parameters: params, design: "lhs", points: n, seed: 3 });
    expect(d).toHaveLength(n);
    for (const p of params) {
      const strata = d
        .map((pt) => Math.floor((((pt[p.path] as number) - p.min) / (p.max - p.min)) * n))
        .sort((x, y) => x - y);
      expect(strata).toEqual(Array.from({ length: n }, (_, k) => k));
    }
    // Seeded: the same seed gives the same design, another seed another.
    expect(sweepDesign({ parameters: params, design: "lhs", points: n, seed: 3 })).toEqual(d);
    expect(sweepDesign({ parameters: params, design: "lhs", points: n, seed: 4 })).not.toEqual(d);
    // Default size: 10 points per parameter.
    expect(sweepDesign({ parameters: params, design: "lhs" })).toHaveLength(30);
  });
  it("rejects inconsistent designs", () => {
    expect(() => sweepDesign({ parameters: [{ path: "a", values: [1] }], design: "lhs" })).toThrow(
      "a: a Latin hypercube needs min and max, not values",
    );
    expect(() => sweepDesign({ parameters: [{ path: "a", min: 0, max: 1 }], points: 4 })).toThrow(
      /points: applies to design "lhs"/,
    );
    expect(() => sweepDesign({ parameters: [{ path: "a", min: 2, max: 1 }] })).toThrow(
      "a: expected min <= max; got min 2, max 1",
    );
    expect(() => sweepDesign({ parameters: [{ path: "a", min: 0, max: 1, levels: 1 }] })).toThrow(
      /levels: expected a whole number of at least 2/,
    );
    expect(() => sweepDesign({ parameters: [] })).toThrow("parameters: expected at least one parameter");
    expect(() =>
      sweepDesign({
        parameters: [
          { path: "a", values: [1] },
          { path: "a", values: [2] },
        ],
      }),
    ).toThrow("a: given twice");
    expect(() => sweepDesign({ parameters: [{ path: "a", values: [1] }], design: "random" as "lhs" })).toThrow(
      /design: expected "grid" or "lhs"/,
    );
  });
});

describe("sweepRows / sweep on mmc", () => {
  const fast = { replications: 5, horizon: "300 h" as const };

  it("mean response grows with the arrival rate (2, 2.5, 3 /h; 5 replications, 300 h)", async () => {
    const rows = await sweep(mmc(), { parameters: [{ path: RATE, values: [2, 2.5, 3] }], ...fast, seed: 1 });
    expect(rows).toHaveLength(3 * 4);
    expect(rows.map((r) => r.metric).slice(0, 4)).toEqual([
      "response.mean",
      "withinStandard",
      "detection.probability",
      "coverage.overall",
    ]);
    const mean = rows.filter((r) => r.metric === "response.mean");
    expect(mean.map((r) => r.parameters[RATE])).toEqual([2, 2.5, 3]);
    expect(mean[0]!.value).toBeLessThan(mean[1]!.value);
    expect(mean[1]!.value).toBeLessThan(mean[2]!.value);
    // Erlang C mean waits (erlangC({ lambda, mu: 1, c: 4 }).meanWait): 0.08696 h (λ = 2), 0.21324 h (2.5),
    // 0.50943 h (3); each inside its point's CI.
    [0.08696, 0.21324, 0.50943].forEach((wq, i) => {
      expect(mean[i]!.lo).toBeLessThan(wq);
      expect(mean[i]!.hi).toBeGreaterThan(wq);
    });
    for (const r of rows) expect(r.replications).toBe(5);
    const within = rows.filter((r) => r.metric === "withinStandard");
    expect(within[0]!.value).toBeGreaterThan(within[2]!.value);
  });

  it("streams: the first row arrives when the first point has finished, before the second starts", async () => {
    const progress: { done: number; total: number }[] = [];
    const it = sweepRows(mmc(), {
      parameters: [{ path: RATE, values: [2, 2.5, 3] }],
      metrics: ["response.mean"],
      ...fast,
      onProgress: (p) => progress.push(p),
    });
    const first = await it.next();
    expect(first.done).toBe(false);
    expect((first.value as SweepRow).point).toBe(0);
    expect(progress).toEqual([{ done: 1, total: 3 }]);
    const rest: SweepRow[] = [];
    for await (const r of it) rest.push(r);
    expect(rest.map((r) => r.point)).toEqual([1, 2]);
    expect(progress).toEqual([
      { done: 1, total: 3 },
      { done: 2, total: 3 },
      { done: 3, total: 3 },
    ]);
  });

  it("common random numbers: a point's rows equal a single-point sweep's at the same seed", async () => {
    const all = await sweep(mmc(), {
      parameters: [{ path: RATE, values: [2, 3] }],
      metrics: ["response.mean"],
      ...fast,
      seed: 9,
    });
    const one = await sweep(mmc(), {
      parameters: [{ path: RATE, values: [3] }],
      metrics: ["response.mean"],
      ...fast,
      seed: 9,
    });
    expect(one[0]!.value).toBe(all[1]!.value);
  });

  it("checks every point's scenario and the metric names before simulating", async () => {
    let ran = 0;
    // A point whose scenario is invalid is an infeasible row with its reason; the sweep goes on.
    const rows = await sweep(mmc(), {
      parameters: [{ path: RATE, values: [2, -1] }],
      metrics: ["response.mean"],
      ...fast,
    });
    expect(rows.map((r) => [r.point, r.replications, r.infeasible])).toEqual([
      [0, 5, undefined],
      [1, 0, 'sectors[0].incidents.rate: expected a rate of at least 0; got "-1 /h"'],
    ]);
    expect(rows[1]!.value).toBeNaN();
    await expect(
      sweep(mmc(), {
        parameters: [{ path: RATE, values: [2] }],
        metrics: ["response.avg"],
        ...fast,
        onProgress: () => ran++,
      }),
    ).rejects.toThrow(/^unknown metric "response.avg"; metrics: incidentsPerDay,/);
    await expect(
      sweep(mmc(), { parameters: [{ path: "sectors[id=x].incidents.rate", values: [2] }], ...fast }),
    ).rejects.toThrow(/matches no element; id values: sector/);
    await expect(sweep(mmc(), { parameters: [{ path: "horizon", values: [100, 200] }], ...fast })).rejects.toThrow(
      "horizon: swept as a parameter and overridden by the horizon option; give one",
    );
    expect(ran).toBe(0);
  });

  it("an aborted sweep rejects with SweepAborted after the points already yielded", async () => {
    const controller = new AbortController();
    const got: SweepRow[] = [];
    const run = async () => {
      for await (const r of sweepRows(mmc(), {
        parameters: [{ path: RATE, values: [2, 2.5, 3] }],
        metrics: ["response.mean"],
        ...fast,
        signal: controller.signal,
      })) {
        got.push(r);
        controller.abort();
      }
    };
    const e = await run().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SweepAborted);
    expect(e).toMatchObject({ done: 1, total: 3, name: "AbortError" });
    expect(got).toHaveLength(1);
  });
});

describe("sweep command", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ceasefire-sweep-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function cli(...argv: string[]) {
    const { io, out } = captureIo();
    const code = await sweepCommand(argv, io);
    return { code, ...out };
  }
  const FAST = ["-r", "3", "--horizon", "200 h"];

  it("--csv prints a header and one line per point × metric, nothing on stderr", async () => {
    const r = await cli(
      MMC,
      "--param",
      "sectors[0].incidents.rate=2:3:3",
      "--param",
      "contributions[state=state,asset=team].count=4,5",
      "--metric",
      "response.mean",
      "--csv",
      ...FAST,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(
      'point,sectors[0].incidents.rate,"contributions[state=state,asset=team].count",' +
        "metric,value,lo,hi,halfWidth,replications,infeasible",
    );
    expect(lines).toHaveLength(1 + 6);
    // value, lo, hi, halfWidth, replications (a t-interval's lower end may fall below 0 with 3 replications)
    expect(lines[1]).toMatch(/^0,2,4,response\.mean,[\d.]+,-?[\d.]+(e-?\d+)?,[\d.]+,[\d.]+,3,$/);
    expect(lines[6]).toMatch(/^5,3,5,response\.mean,/);
  });

  it("default output is a table with one line per point", async () => {
    const r = await cli(MMC, "--param", "sectors[0].incidents.rate=2,3", ...FAST);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("sweep of mmc: 2 points (grid), 3 replications each, seed 1; values with 95% CI half-widths");
    expect(lines[2]).toMatch(
      new RegExp(
        "^point\\s+sectors\\[0\\]\\.incidents\\.rate\\s+response\\.mean\\s+withinStandard\\s+" +
          "detection\\.probability\\s+coverage\\.overall$",
      ),
    );
    expect(lines).toHaveLength(6);
    expect(lines[4]).toMatch(/^\s+0\s+2\s+[\d.]+ \([\d.]+–[\d.]+\)/);
  });

  it("--json prints settings and rows; --design lhs --points N", async () => {
    const r = await cli(
      MMC,
      "--param",
      "sectors[0].incidents.rate=2:3",
      "--design",
      "lhs",
      "--points",
      "3",
      "--metric",
      "response.mean",
      "--json",
      ...FAST,
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      format: "ceasefire-sim/sweep@1",
      scenario: "mmc",
      design: "lhs",
      points: 3,
      metrics: ["response.mean"],
      replications: 3,
      seed: "1",
      horizon: "200 h",
    });
    expect(doc.rows).toHaveLength(3);
    for (const row of doc.rows) expect(row.parameters["sectors[0].incidents.rate"]).toBeGreaterThanOrEqual(2);
  });

  it("--out writes the file atomically and refuses to replace it without --force", async () => {
    const file = join(dir, "sweep.csv");
    const args = [MMC, "--param", "sectors[0].incidents.rate=2,3", "--metric", "response.mean", "--out", file, ...FAST];
    const r = await cli(...args);
    expect(r).toEqual({ code: 0, stdout: "", stderr: `wrote ${file}\n` });
    expect(readFileSync(file, "utf8").split("\n")[0]).toBe(
      "point,sectors[0].incidents.rate,metric,value,lo,hi,halfWidth,replications,infeasible",
    );
    writeFileSync(file, "keep");
    await expect(cli(...args)).rejects.toThrow(`${file} exists; pass --force to replace it`);
    expect(readFileSync(file, "utf8")).toBe("keep");
    expect((await cli(...args, "--force")).code).toBe(0);
    expect(existsSync(file) && readFileSync(file, "utf8").startsWith("point,")).toBe(true);
    // Rows streamed to a temporary file that was renamed into place: nothing left behind.
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("--help prints the help with examples", async () => {
    const r = await cli("--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: ceasefire-sim sweep \[scenario\] --param SPEC/);
    expect(r.stdout).toContain("Examples:");
  });

  it("bad usage throws UsageError (exit 2 in main) before any output", async () => {
    const cases: [string[], string | RegExp][] = [
      [[MMC], /sweep needs at least one --param/],
      [[MMC, "--param", "sectors[0].incidents.rate"], /--param: expected "PATH=MIN:MAX:LEVELS"/],
      [[MMC, "--param", "sectors[0].incidents.rate=2 /h,3"], /expected a number; got "2 \/h"/],
      [[MMC, "--param", "sectors[0].incidents.rate=1,2", "--design", "lhs"], /a Latin hypercube needs a range MIN:MAX/],
      [[MMC, "--param", "sectors[0].incidents.rate=1:2", "--points", "4"], /--points applies to --design lhs/],
      [[MMC, "--param", "sectors[0].incidents.rate=1:2", "--design", "sobol"], /--design: expected grid or lhs/],
      [[MMC, "--param", "sectors[0].incidents.rate=1:2", "--json", "--csv"], "--json and --csv: choose one"],
      [[MMC, "--param", "sectors[0].incidents.rate=1:2", "--metric", "nope", ...FAST], /unknown metric "nope"/],
      [[MMC, "--param", "sectors[0].rate=1:2", ...FAST], /no key "rate" in sectors\[0\]/],
      [
        [MMC, "--param", "sectors[0].incidents.rate=1:2", "--strategy", "magic"],
        /--strategy: unknown strategy "magic"/,
      ],
      [[MMC, "--bogus"], /Unknown option '--bogus'/],
    ];
    for (const [argv, message] of cases) {
      let stdout = "";
      const io = {
        stdout: {
          write: (s: string) => {
            stdout += s;
            return true;
          },
        },
        stderr: { write: () => true },
      };
      await expect(sweepCommand(argv, io)).rejects.toThrow(UsageError);
      await expect(sweepCommand(argv, io)).rejects.toThrow(message);
      expect(stdout).toBe("");
    }
  });
});
