/**
 * The one runner and the one set of run options: every experiment gives the same numbers on 1 and on 2
 * worker threads (ceasefire-sim/node; runs dist/worker.js, so build first), `resolveRunOptions` holds the
 * defaults, minimums and messages, and a throwing progress callback rejects the promise in every mode.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  EXPERIMENTS,
  RUN_DEFAULTS,
  cliDefaultWorkers,
  resolveRunOptions,
  withRuntime,
  type ExperimentName,
} from "../src/experiment/options.js";
import * as node from "../src/node/parallel.js";
import { simulate as simulateOne } from "../src/experiment/simulate.js";
import { defaultScenario } from "../src/scenarios/index.js";

const MMC = "examples/scenarios/mmc.json";
const mmc = () => {
  const s = JSON.parse(readFileSync(MMC, "utf8")) as Record<string, unknown>;
  s.horizon = "200 h";
  return s;
};

/** Drop timing fields, at any depth (wall time and start differ between runs). */
const strip = (x: unknown): unknown =>
  JSON.parse(JSON.stringify(x, (k, v) => (k === "wallTimeMs" || k === "startedAt" ? undefined : v)));

/** Run on 1 and on 2 workers (the second with a small chunk, so replications split over many tasks). */
async function oneAndTwo<T>(run: (w: { workers: number; chunk?: number }) => Promise<T>): Promise<[T, T]> {
  const one = await run({ workers: 1 });
  const two = await run({ workers: 2, chunk: 2 });
  return [one, two];
}

describe("1 worker and 2 workers give the same results (apart from wall time)", () => {
  it("compare (three strategies, paired differences, ranking)", async () => {
    const [one, two] = await oneAndTwo((w) =>
      node.compare(defaultScenario(), ["risk-weighted", "uniform", "proportional"], { replications: 9, seed: 4, ...w }),
    );
    expect(one.replications).toBe(9);
    expect(one.metrics[0]!.differences).toHaveLength(2);
    expect(strip(two)).toEqual(strip(one));
    // The comparison can tell results apart: another seed gives other numbers.
    const other = await node.compare(defaultScenario(), ["risk-weighted", "uniform", "proportional"], {
      replications: 9,
      seed: 5,
      workers: 2,
    });
    expect(strip(other)).not.toEqual(strip(one));
  });

  it("compare with sequential stopping", async () => {
    const until = { metric: "detection.probability", relHalfWidth: 0.01, minReplications: 4, maxReplications: 30 };
    const [one, two] = await oneAndTwo((w) =>
      node.compare(defaultScenario(), ["risk-weighted", "uniform"], { until, seed: 2, ...w }),
    );
    expect(one.stopping).toBeDefined();
    expect(strip(two)).toEqual(strip(one));
  });

  it("withdrawal (arms of different sizes: fewer teams without a state)", async () => {
    const [one, two] = await oneAndTwo((w) =>
      node.withdrawal(defaultScenario(), { replications: 6, seed: 3, states: ["gb", "ee"], ...w }),
    );
    expect(one.rows.map((r) => r.state).sort()).toEqual(["ee", "gb"]);
    expect(strip(two)).toEqual(strip(one));
  });

  it("sweep (grid, several points in flight on the pool, rows in point order)", async () => {
    const options = {
      parameters: [
        { path: "sectors[0].incidents.rate", values: [2, 2.5, 3] },
        { path: "contributions[0].count", values: [4, 5] },
      ],
      metrics: ["response.mean", "withinStandard"],
      replications: 5,
      seed: 7,
    };
    const [one, two] = await oneAndTwo((w) => node.sweep(mmc(), { ...options, ...w }));
    expect(one).toHaveLength(6 * 2);
    expect(one.map((r) => r.point)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(two).toEqual(one);
  });

  it("sweep with sequential stopping at every point", async () => {
    const until = { metric: "response.mean", relHalfWidth: 0.05, minReplications: 3, maxReplications: 40 };
    const options = { parameters: [{ path: "sectors[0].incidents.rate", values: [2, 3] }], until, seed: 1 };
    const [one, two] = await oneAndTwo((w) => node.sweep(mmc(), { ...options, ...w }));
    expect(two).toEqual(one);
  });

  it("sensitivity (Sobol': N·(d+2) simulations in flight together)", async () => {
    const options = {
      metric: "response.mean",
      samples: 4,
      replications: 3,
      seed: 2,
      bootstrap: 50,
      parameters: [
        { path: "contributions[0].count", min: 4, max: 6 },
        { path: "sectors[0].incidents.rate", min: 2, max: 3 },
      ],
    };
    const [one, two] = await oneAndTwo((w) => node.sensitivity(mmc(), { ...options, ...w }));
    expect(one.evaluations).toBe(16);
    expect(strip(two)).toEqual(strip(one));
  });

  it("tornado", async () => {
    const options = {
      metric: "response.mean",
      replications: 4,
      parameters: [
        { path: "contributions[0].count", low: 4, high: 6 },
        { path: "sectors[0].incidents.rate", low: 2, high: 3 },
      ],
    };
    const [one, two] = await oneAndTwo((w) => node.tornado(mmc(), { ...options, ...w }));
    expect(one.rows).toHaveLength(2);
    expect(two).toEqual(one);
  });

  it("a shard", async () => {
    const options = { replications: 20, seed: 3, shard: { index: 1, count: 3 } };
    const [one, two] = await oneAndTwo((w) => node.runShard(defaultScenario(), { ...options, ...w }));
    expect(one.records).toHaveLength(7);
    expect(one.engine).toBe("wasm-core");
    expect(strip(two)).toEqual(strip(one));
  });

  it("simulate: the library's calling thread and the node entry's 2 workers", async () => {
    const one = await simulateOne(mmc(), { replications: 11, seed: 9 });
    const two = await node.simulate(mmc(), { replications: 11, seed: 9, workers: 2, chunk: 3 });
    expect(one.provenance.engine).toBe("wasm-core");
    expect(strip(two)).toEqual(strip(one));
  });
});

describe("resolveRunOptions: one set of defaults, minimums and messages", () => {
  it("fills every default from RUN_DEFAULTS and EXPERIMENTS, and freezes the result", () => {
    const o = resolveRunOptions();
    expect(o).toMatchObject({
      experiment: "simulate",
      replications: 200,
      seed: "1",
      horizon: null,
      workers: 1,
      chunk: null,
      onProgress: null,
      signal: null,
      until: null,
      budget: { incidents: 5e9, incidentsPerReplication: 2e7 },
      checkpoint: null,
      shard: null,
    });
    expect(Object.isFrozen(o)).toBe(true);
    expect(Object.isFrozen(o.budget)).toBe(true);
    expect(RUN_DEFAULTS.replications).toBe(200);
    for (const [name, rule] of Object.entries(EXPERIMENTS)) {
      const extra = name === "shard" ? { shard: { index: 0, count: 1 } } : {};
      expect(resolveRunOptions(extra, name as ExperimentName).replications).toBe(rule.replications);
    }
    // One default, one minimum; the exceptions are declared in the table with their reason.
    expect(EXPERIMENTS.compare).toMatchObject({ replications: 200, minReplications: 2 });
    expect(EXPERIMENTS.withdrawal).toMatchObject({ replications: 200, minReplications: 2 });
    expect(EXPERIMENTS.sweep).toMatchObject({ replications: 200, minReplications: 1 });
    expect(EXPERIMENTS.sensitivity.why).toMatch(/evaluations/);
  });

  it("resolves seed, horizon, until and workers", () => {
    expect(resolveRunOptions({ seed: 7 }).seed).toBe("7");
    expect(resolveRunOptions({ seed: "abc" }).seed).toBe("abc");
    expect(resolveRunOptions({ horizon: "2 d" }).horizon).toBe(48);
    expect(resolveRunOptions({ horizon: 12 }).horizon).toBe(12);
    const u = resolveRunOptions({ until: { metric: "response.mean", relHalfWidth: 0.1 } });
    expect(u.replications).toBeNull();
    expect(u.until).toEqual({
      metric: "response.mean",
      relHalfWidth: 0.1,
      halfWidth: null,
      minReplications: 10,
      maxReplications: 10_000,
    });
    expect(resolveRunOptions({ workers: "auto" }).workers).toBe(1); // the library: the calling thread
    expect(
      resolveRunOptions(withRuntime({ workers: "auto" as const }, node.NODE_RUNTIME)).workers,
    ).toBeGreaterThanOrEqual(1);
    expect(resolveRunOptions(withRuntime({ workers: 3, chunk: 5 }, node.NODE_RUNTIME))).toMatchObject({
      workers: 3,
      chunk: 5,
    });
    expect(cliDefaultWorkers(199)).toBe(1);
    expect(cliDefaultWorkers(200)).toBe("auto");
  });

  it("refuses bad values with a RangeError naming the option, what was expected and what was given", () => {
    const cases: [Parameters<typeof resolveRunOptions>[0], ExperimentName, string][] = [
      [{ replications: 0 }, "simulate", "replications: expected a whole number from 1 to 1e9; got 0"],
      [{ replications: 2.5 }, "simulate", "replications: expected a whole number from 1 to 1e9; got 2.5"],
      [{ replications: 2e9 }, "simulate", "replications: expected a whole number from 1 to 1e9; got 2000000000"],
      [
        { replications: 1 },
        "compare",
        "replications: expected a whole number from 2 to 1e9 (paired CIs need two replications); got 1",
      ],
      [
        { replications: 1 },
        "withdrawal",
        "replications: expected a whole number from 2 to 1e9 (paired CIs need two replications); got 1",
      ],
      [
        { replications: "5" as unknown as number },
        "sweep",
        'replications: expected a whole number from 1 to 1e9; got "5"',
      ],
      [{ seed: Number.NaN }, "simulate", "seed: expected a finite number or a string; got NaN"],
      [{ horizon: -1 }, "simulate", "horizon: expected a positive duration; got -1"],
      [{ horizon: "0 h" }, "simulate", 'horizon: expected a positive duration; got "0 h"'],
      [{ workers: 0 }, "simulate", 'workers: expected a whole number from 1 to 256 or "auto"; got 0'],
      [{ workers: 257 }, "simulate", 'workers: expected a whole number from 1 to 256 or "auto"; got 257'],
      [{ workers: 1.5 }, "compare", 'workers: expected a whole number from 1 to 256 or "auto"; got 1.5'],
      [{ workers: "all" as "auto" }, "sweep", 'workers: expected a whole number from 1 to 256 or "auto"; got "all"'],
      [{ onProgress: 3 as never }, "simulate", "onProgress: expected a function ({ done, total }) => void; got 3"],
      [{ budget: { incidents: 0 } }, "simulate", "budget.incidents: expected a positive number; got 0"],
      [{ checkpoint: { every: 0 } }, "simulate", "checkpoint.every: expected a whole number of at least 1; got 0"],
      [
        { until: { metric: "response.mean", relHalfWidth: 0.1 }, replications: 5 },
        "simulate",
        "replications and until: give one (until runs between its minReplications and maxReplications)",
      ],
      [
        { until: { metric: "response.mean", relHalfWidth: 2 } },
        "compare",
        "until.relHalfWidth: expected a number between 0 and 1; got 2",
      ],
      [
        { until: { metric: "response.mean", halfWidth: 1, minReplications: 1 } },
        "sweep",
        "until.minReplications: expected a whole number from 2 to 1e9; got 1",
      ],
      [
        { until: { metric: "response.mean", relHalfWidth: 0.1 } },
        "sensitivity",
        "until: sequential stopping does not apply to sensitivity (it runs a fixed number of replications per " +
          "evaluation); give replications",
      ],
      [
        { replications: 2, shard: { index: 0, count: 3 } },
        "shard",
        "replications: expected a whole number of at least the shard count (3); got 2",
      ],
      [{ shard: { index: 3, count: 3 } }, "shard", "shard.index: expected a whole number from 0 to 2; got 3"],
    ];
    for (const [options, experiment, message] of cases) {
      let err: unknown;
      try {
        resolveRunOptions(withRuntime(options, node.NODE_RUNTIME), experiment);
      } catch (e) {
        err = e;
      }
      expect(err, message).toBeInstanceOf(RangeError);
      expect((err as Error).message).toBe(message);
    }
  });

  it("the browser-safe library refuses more than one worker, naming the Node entry", () => {
    expect(() => resolveRunOptions({ workers: 2 })).toThrow(
      new RangeError(
        'workers: expected 1 or "auto": the browser-safe library runs on the calling thread ' +
          '(worker threads come with "ceasefire-sim/node"); got 2',
      ),
    );
  });

  it("chunk 0, −1, NaN and 0.5: a RangeError from resolveRunOptions and from every experiment", async () => {
    for (const chunk of [0, -1, Number.NaN, 0.5]) {
      const message = `chunk: expected a whole number from 1 to 1e9 (replications per task); got ${chunk}`;
      expect(() => resolveRunOptions({ chunk })).toThrow(new RangeError(message));
      const runs: Promise<unknown>[] = [
        node.simulate(mmc(), { replications: 2, chunk, workers: 2 }),
        node.compare(mmc(), ["uniform", "proportional"], { replications: 2, chunk }),
        node.withdrawal(defaultScenario(), { replications: 2, chunk, workers: 2 }),
        node.sweep(mmc(), { parameters: [{ path: "sectors[0].incidents.rate", values: [2] }], chunk }),
        node.sensitivity(mmc(), {
          metric: "response.mean",
          parameters: [{ path: "sectors[0].incidents.rate", min: 2, max: 3 }],
          chunk,
        }),
        node.runShard(mmc(), { replications: 2, shard: { index: 0, count: 1 }, chunk }),
      ];
      for (const run of runs) await expect(run).rejects.toThrow(new RangeError(message));
    }
  });
});

describe("a throwing onProgress rejects the promise (never crashes the process)", () => {
  const boom = () => {
    throw new Error("progress callback failed");
  };
  for (const workers of [1, 2]) {
    it(
      `with ${workers} worker${workers > 1 ? "s" : ""}: simulate, compare, withdrawal, sweep, sensitivity, ` +
        `tornado, a shard`,
      async () => {
        const w = { workers, onProgress: boom };
        const runs: [string, () => Promise<unknown>][] = [
          ["simulate", () => node.simulate(mmc(), { replications: 8, ...w })],
          ["compare", () => node.compare(mmc(), ["uniform", "proportional"], { replications: 8, ...w })],
          ["withdrawal", () => node.withdrawal(defaultScenario(), { replications: 3, states: ["ee"], ...w })],
          [
            "sweep",
            () => node.sweep(mmc(), { parameters: [{ path: "sectors[0].incidents.rate", values: [2, 3] }], ...w }),
          ],
          [
            "sensitivity",
            () =>
              node.sensitivity(mmc(), {
                metric: "response.mean",
                samples: 2,
                replications: 2,
                parameters: [{ path: "sectors[0].incidents.rate", min: 2, max: 3 }],
                ...w,
              }),
          ],
          [
            "tornado",
            () =>
              node.tornado(mmc(), {
                metric: "response.mean",
                replications: 2,
                parameters: [{ path: "sectors[0].incidents.rate", low: 2, high: 3 }],
                ...w,
              }),
          ],
          ["shard", () => node.runShard(mmc(), { replications: 4, shard: { index: 0, count: 2 }, ...w })],
        ];
        for (const [name, run] of runs) await expect(run(), name).rejects.toThrow("progress callback failed");
      },
    );
  }

  it("an abort on the pool rejects compare with an AbortError holding a partial result", async () => {
    const ac = new AbortController();
    const err = await node
      .compare(defaultScenario(), ["risk-weighted", "uniform"], {
        replications: 2000,
        workers: 2,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.done >= 2) ac.abort();
        },
      })
      .catch((e: unknown) => e);
    expect((err as Error).name).toBe("AbortError");
    const n = (err as { partial: { provenance: { replications: number } } }).partial.provenance.replications;
    expect(n).toBeGreaterThanOrEqual(2);
    expect(n).toBeLessThan(2000);
  });
});

describe("one replication loop", () => {
  it("only src/experiment/kernel.ts runs the experiments' replications; the incident log replays its own", () => {
    const hits: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith(".ts") && !p.includes("/engine/"))
          readFileSync(p, "utf8")
            .split("\n")
            .forEach((line, i) => {
              if (/^\s*runReplication\(/.test(line)) hits.push(`${p}:${i + 1}`);
            });
      }
    };
    walk(new URL("../src", import.meta.url).pathname);
    // Every experiment of EXPERIMENTS goes through the runner's kernel. The incident log (incidentLog) is no
    // experiment: it runs chosen replications again, one at a time on the calling thread, to read each incident
    // from the workspace, and adds nothing to an accumulator.
    expect(hits.map((h) => h.replace(/^.*\/src\//, "src/").replace(/:\d+$/, ""))).toEqual([
      "src/experiment/incidents.ts",
      "src/experiment/kernel.ts",
    ]);
  });
});
