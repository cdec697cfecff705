/**
 * Sensitivity: Sobol' indices against analytic references (Ishigami, a
 * linear function), their bootstrap intervals' coverage, determinism,
 * tornado ordering on the default scenario, Sobol' indices of a scenario
 * metric, and the `sensitivity` CLI command with a fake io.
 */
import { captureIo } from "./helpers/io.js";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { sensitivity, sobol, tornado } from "../src/experiment/sensitivity.js";
import { defaultScenario } from "../src/scenarios/index.js";
import { sensitivityCommand } from "../src/cli/experiments.js";
import { UsageError } from "../src/cli/common.js";

const MMC = "examples/scenarios/mmc.json";
// biome-ignore lint/suspicious/noExplicitAny: scenario inputs are edited freely in tests
const mmc = () => JSON.parse(readFileSync(MMC, "utf8")) as Record<string, any>;

// Ishigami: f = sin x1 + a sin² x2 + b x3⁴ sin x1 on [−π, π]³ (Ishigami & Homma 1990; Saltelli et al. 2008, §4.7):
// V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2, V1 = (1 + bπ⁴/5)²/2, V2 = a²/8, V3 = 0, V13 = 8b²π⁸/225.
const a = 7,
  b = 0.1,
  PI = Math.PI;
const ishigami = ([x1, x2, x3]: number[]) => Math.sin(x1!) + a * Math.sin(x2!) ** 2 + b * x3! ** 4 * Math.sin(x1!);
const V = (a * a) / 8 + (b * PI ** 4) / 5 + (b * b * PI ** 8) / 18 + 0.5;
const V1 = 0.5 * (1 + (b * PI ** 4) / 5) ** 2,
  V2 = (a * a) / 8,
  V13 = (8 * b * b * PI ** 8) / 225;
const S = [V1 / V, V2 / V, 0];
const ST = [(V1 + V13) / V, V2 / V, V13 / V];
const box3 = [0, 1, 2].map(() => ({ min: -PI, max: PI }));

describe("sobol on the Ishigami function (a = 7, b = 0.1)", () => {
  it("the analytic indices are S = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437", () => {
    expect(S.map((v) => +v.toFixed(4))).toEqual([0.3139, 0.4424, 0]);
    expect(ST.map((v) => +v.toFixed(4))).toEqual([0.5576, 0.4424, 0.2437]);
    expect(V).toBeCloseTo(13.8446, 4);
  });

  it("N = 4096, seed 1: every index lies within its 95% bootstrap interval", async () => {
    const r = await sobol(ishigami, { dimensions: box3, samples: 4096, seed: 1 });
    expect(r.evaluations).toBe(4096 * 5);
    // Seed 1 gives S = 0.297 [0.270, 0.325], 0.450 [0.426, 0.480], −0.006 [−0.032, 0.020];
    // ST = 0.558 [0.520, 0.603], 0.452 [0.434, 0.472], 0.252 [0.239, 0.266].
    r.first.forEach((e, i) => {
      expect(e.lo).toBeLessThanOrEqual(S[i]!);
      expect(e.hi).toBeGreaterThanOrEqual(S[i]!);
      expect(Math.abs(e.value - S[i]!)).toBeLessThan(0.04);
    });
    r.total.forEach((e, i) => {
      expect(e.lo).toBeLessThanOrEqual(ST[i]!);
      expect(e.hi).toBeGreaterThanOrEqual(ST[i]!);
      expect(Math.abs(e.value - ST[i]!)).toBeLessThan(0.04);
    });
    expect(r.variance).toBeCloseTo(V, 0);
    expect(r).toMatchObject({ samples: 4096, bootstrap: 200, confidence: 0.95, seed: "1" });
  });

  it("the 95% intervals cover the true indices about 95% of the time (100 seeds, N = 256)", async () => {
    const hits = new Array<number>(6).fill(0);
    for (let k = 0; k < 100; k++) {
      const r = await sobol(ishigami, { dimensions: box3, samples: 256, seed: `coverage-${k}` });
      [...r.first, ...r.total].forEach((e, i) => {
        const truth = i < 3 ? S[i]! : ST[i - 3]!;
        if (e.lo <= truth && truth <= e.hi) hits[i]!++;
      });
    }
    // Measured: 91–97 of 100 for each index (200 seeds: 0.915, 0.95, 0.94, 0.945, 0.93, 0.94).
    for (const h of hits) expect(h).toBeGreaterThanOrEqual(85);
  });
});

describe("sobol on a linear function", () => {
  it("f = x1 + 2 x2 + 3 x3 on [0, 1]³: S_i = ST_i = c_i² / Σc² = 1/14, 4/14, 9/14", async () => {
    const r = await sobol(([x, y, z]) => x! + 2 * y! + 3 * z!, {
      dimensions: [0, 1, 2].map(() => ({ min: 0, max: 1 })),
      samples: 2048,
      seed: 5,
    });
    const want = [1 / 14, 4 / 14, 9 / 14];
    for (const list of [r.first, r.total])
      list.forEach((e, i) => {
        expect(e.lo).toBeLessThanOrEqual(want[i]!);
        expect(e.hi).toBeGreaterThanOrEqual(want[i]!);
        expect(e.value).toBeCloseTo(want[i]!, 1);
      });
    expect(r.variance).toBeCloseTo(14 / 12, 1); // Var = Σ c_i² / 12
  });

  it("a dimension f ignores gets exactly 0 (f(A_B^i) = f(A))", async () => {
    const r = await sobol(([x, _y]) => x! * x!, {
      dimensions: [
        { min: 0, max: 1 },
        { min: 0, max: 1 },
      ],
      samples: 64,
      seed: 2,
    });
    expect(r.first[1]).toEqual({ value: 0, lo: 0, hi: 0 });
    expect(r.total[1]).toEqual({ value: 0, lo: 0, hi: 0 });
    expect(r.total[0]!.value).toBeCloseTo(1, 1);
  });
});

describe("sobol determinism and options", () => {
  const f = ([x, y]: number[]) => Math.exp(x!) * y! + y!;
  const dims = [
    { min: 0, max: 1 },
    { min: -1, max: 2 },
  ];

  it("the same seed gives the same result; another seed another", async () => {
    const one = await sobol(f, { dimensions: dims, samples: 128, seed: 42 });
    const two = await sobol(f, { dimensions: dims, samples: 128, seed: 42 });
    expect(two).toEqual(one);
    expect((await sobol(f, { dimensions: dims, samples: 128, seed: 43 })).first).not.toEqual(one.first);
  });

  it("an async f gives the same result, evaluated N·(d+2) times one at a time", async () => {
    let calls = 0,
      inFlight = 0,
      maxInFlight = 0;
    const g = async (x: number[]) => {
      calls++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await Promise.resolve();
      inFlight--;
      return f(x);
    };
    const r = await sobol(g, { dimensions: dims, samples: 32, seed: 7 });
    expect(calls).toBe(32 * 4);
    expect(maxInFlight).toBe(1);
    expect(r).toEqual(await sobol(f, { dimensions: dims, samples: 32, seed: 7 }));
  });

  it("bootstrap 0 gives NaN intervals; a narrower confidence a narrower interval", async () => {
    const none = await sobol(f, { dimensions: dims, samples: 64, bootstrap: 0 });
    expect(none.first[0]!.lo).toBeNaN();
    const c95 = await sobol(f, { dimensions: dims, samples: 64 });
    const c50 = await sobol(f, { dimensions: dims, samples: 64, confidence: 0.5 });
    expect(c50.first[0]!.hi - c50.first[0]!.lo).toBeLessThan(c95.first[0]!.hi - c95.first[0]!.lo);
    expect(none.first[0]!.value).toBe(c95.first[0]!.value);
  });

  it("rejects bad options and non-finite outputs", async () => {
    await expect(sobol(f, { dimensions: [], samples: 8 })).rejects.toThrow(
      "dimensions: expected at least one { min, max }",
    );
    await expect(sobol(f, { dimensions: [{ min: 1, max: 0 }], samples: 8 })).rejects.toThrow(
      /dimensions\[0\]: expected finite min <= max/,
    );
    await expect(sobol(f, { dimensions: dims, samples: 1 })).rejects.toThrow(
      "samples: expected a whole number from 2 to 1e7; got 1",
    );
    await expect(sobol(f, { dimensions: dims, samples: 8, confidence: 95 })).rejects.toThrow(
      /confidence: expected a number between 0 and 1/,
    );
    await expect(sobol(() => NaN, { dimensions: dims, samples: 8 })).rejects.toThrow(
      /^sobol: f returned NaN at x = \[/,
    );
  });
});

describe("tornado on the default scenario", () => {
  it("two parameters, 5 replications: rows sorted by |swing|, one base for all", async () => {
    const t = await tornado(defaultScenario(), {
      metric: "response.mean",
      replications: 5,
      seed: 1,
      parameters: [
        { path: "coordination.tasking.median", low: 10, high: 60 },
        { path: "contributions[state=gb,asset=team].count", low: 5.4, high: 30 },
      ],
    });
    expect(t).toMatchObject({ format: "ceasefire-sim/tornado@1", metric: "response.mean", seed: "1", replications: 5 });
    expect(t.rows.map((r) => r.path)).toEqual([
      "contributions[state=gb,asset=team].count",
      "coordination.tasking.median",
    ]);
    expect(Math.abs(t.rows[0]!.swing)).toBeGreaterThanOrEqual(Math.abs(t.rows[1]!.swing));
    const uk = t.rows[0]!;
    expect(uk.low).toBe(5); // counts are rounded
    expect(uk.valueLow.value).toBeGreaterThan(uk.valueHigh.value); // fewer UK teams, slower response
    expect(uk.swing).toBe(uk.valueHigh.value - uk.valueLow.value);
    expect(uk.valueLow.n).toBe(5);
    for (const r of t.rows) expect(r.base).toBe(t.base);
    expect(t.base.lo).toBeLessThan(t.base.value);
  });

  it("rejects unknown paths and metrics before running", async () => {
    await expect(
      tornado(defaultScenario(), {
        metric: "response.mean",
        parameters: [{ path: "sectors[id=x].lengthKm", low: 1, high: 2 }],
      }),
    ).rejects.toThrow(/sectors\[id=x\] matches no element/);
    await expect(
      tornado(defaultScenario(), { metric: "speed", parameters: [{ path: "horizon", low: 10, high: 20 }] }),
    ).rejects.toThrow(/^unknown metric "speed"/);
  });
});

describe("sensitivity: Sobol' indices of a scenario metric", () => {
  it("mmc, teams 4–6 and team speed: speed (unused with a travel matrix) gets exactly 0", async () => {
    const progress: number[] = [];
    const r = await sensitivity(mmc(), {
      metric: "response.mean",
      samples: 8,
      replications: 2,
      horizon: "200 h",
      parameters: [
        { path: "contributions[0].count", min: 4, max: 6 },
        { path: "assets[id=team].speed", min: 20, max: 60 },
      ],
      onProgress: (p) => progress.push(p.done),
    });
    expect(r).toMatchObject({
      format: "ceasefire-sim/sensitivity@1",
      metric: "response.mean",
      evaluations: 32,
      samples: 8,
      replications: 2,
      seed: "1",
    });
    expect(progress).toEqual(Array.from({ length: 32 }, (_, k) => k + 1));
    expect(r.indices.map((p) => p.path)).toEqual(["contributions[0].count", "assets[id=team].speed"]);
    expect(r.indices[1]!.first.value).toBe(0);
    expect(r.indices[1]!.total.value).toBe(0);
    // All the variance is the count's; N = 8 is too small to say more.
    expect(r.indices[0]!.total.value).toBeGreaterThan(0);
    expect(r.variance).toBeGreaterThan(0);
    expect(r.note).toContain("common random numbers");
    // Deterministic for a seed.
    const again = await sensitivity(mmc(), {
      metric: "response.mean",
      samples: 8,
      replications: 2,
      horizon: "200 h",
      parameters: [
        { path: "contributions[0].count", min: 4, max: 6 },
        { path: "assets[id=team].speed", min: 20, max: 60 },
      ],
    });
    expect(again.indices).toEqual(r.indices);
  });

  it("an invalid corner of the box fails before any simulation", async () => {
    await expect(
      sensitivity(mmc(), {
        metric: "response.mean",
        parameters: [{ path: "sectors[0].incidents.rate", min: -1, max: 2 }],
      }),
    ).rejects.toThrow(/^the scenario at the lower corner \(sectors\[0\]\.incidents\.rate = -1\) is invalid/);
  });
});

describe("sensitivity command", () => {
  async function cli(...argv: string[]) {
    const { io, out } = captureIo();
    const code = await sensitivityCommand(argv, io);
    return { code, ...out };
  }
  const FAST = ["-r", "2", "--horizon", "200 h"];

  it("--method tornado --json prints the tornado", async () => {
    const r = await cli(
      MMC,
      "--metric",
      "response.mean",
      "--method",
      "tornado",
      "--param",
      "contributions[0].count=4:6",
      "--param",
      "sectors[0].incidents.rate=2:3",
      "--json",
      ...FAST,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const t = JSON.parse(r.stdout);
    expect(t.format).toBe("ceasefire-sim/tornado@1");
    expect(t.rows).toHaveLength(2);
    expect(Math.abs(t.rows[0].swing)).toBeGreaterThanOrEqual(Math.abs(t.rows[1].swing));
  });

  it("sobol (default) prints a table of first- and total-order indices", async () => {
    const r = await cli(
      MMC,
      "--metric",
      "response.mean",
      "--param",
      "contributions[0].count=4:6",
      "--param",
      "sectors[0].incidents.rate=2:3",
      "--samples",
      "6",
      ...FAST,
    );
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe(
      "Sobol' indices of response.mean — mmc: 6 samples × (2 + 2) = 24 simulations of 2 replications, seed 1",
    );
    expect(lines[2]).toMatch(/^parameter\s+range\s+first order \(95% CI\)\s+total order \(95% CI\)$/);
    expect(lines[4]).toMatch(/^contributions\[0\]\.count\s+4–6\s+-?[\d.]+ \[/);
  });

  it("--help prints the help with examples", async () => {
    const r = await cli("--help");
    expect(r.stdout).toMatch(/^Usage: ceasefire-sim sensitivity \[scenario\]/);
    expect(r.stdout).toContain("Examples:");
  });

  it("bad usage throws UsageError before any output", async () => {
    const cases: [string[], string | RegExp][] = [
      [[MMC, "--param", "contributions[0].count=4:6"], "sensitivity needs --metric, e.g. --metric response.mean"],
      [[MMC, "--metric", "response.mean"], /needs at least one --param/],
      [[MMC, "--metric", "response.mean", "--param", "contributions[0].count=4,5,6"], /expected PATH=MIN:MAX/],
      [
        [MMC, "--metric", "response.mean", "--param", "contributions[0].count=4:6", "--method", "morris"],
        /--method: expected sobol or tornado/,
      ],
      [
        [
          MMC,
          "--metric",
          "response.mean",
          "--param",
          "contributions[0].count=4:6",
          "--method",
          "tornado",
          "--samples",
          "8",
        ],
        "--samples and --bootstrap apply to --method sobol",
      ],
      [[MMC, "--metric", "nope", "--param", "contributions[0].count=4:6", ...FAST], /unknown metric "nope"/],
      [
        [MMC, "--metric", "response.mean", "--param", "contributions[9].count=4:6"],
        /contributions\[9\] is out of range/,
      ],
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
      await expect(sensitivityCommand(argv, io)).rejects.toThrow(UsageError);
      await expect(sensitivityCommand(argv, io)).rejects.toThrow(message);
      expect(stdout).toBe("");
    }
  });
});
