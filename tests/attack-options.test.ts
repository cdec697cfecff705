/**
 * Library options under attack, as a careless or hostile caller would give them: every option is checked once, by
 * `resolveRunOptions`, and a bad one is a clean RangeError naming it (never a hang, a TypeError or a worker's
 * stack); unknown keys are refused; a throwing progress callback rejects the promise on one thread and on a pool,
 * and the pool never keeps the process alive; seeds are exact or refused; metrics promised as numbers are numbers
 * (and the undefined ones are undefined exactly where the docs say); reading a parameter is linear in its string;
 * metric names and parameter paths are own properties only. The pool runs dist/worker.js: build first.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  EXPERIMENTS,
  RUN_OPTION_KEYS,
  RUNTIME,
  resolveRunOptions,
  resolveSeed,
  withRuntime,
  type ExperimentName,
} from "../src/experiment/options.js";
import { getParameter, MAX_QUANTITY_CHARS, setParameter } from "../src/experiment/parameters.js";
import { metricAt, metricNames } from "../src/experiment/run.js";
import { simulate as simulateOne } from "../src/experiment/simulate.js";
import { sweepDesign } from "../src/experiment/sweep.js";
import { compare as compareOne } from "../src/experiment/compare.js";
import { DIMENSIONS, parseQuantity, type Dimension } from "../src/model/units.js";
import * as node from "../src/node/parallel.js";
import { defaultScenario, scenario } from "../src/scenarios/index.js";

const mmc = (horizon = "50 h") => {
  const s = JSON.parse(readFileSync("examples/scenarios/mmc.json", "utf8")) as Record<string, unknown>;
  s.horizon = horizon;
  return s;
};
const RATE = "sectors[0].incidents.rate";
/** The start of a RangeError that names a run option. */
const OPTION_ERROR =
  /^(experiment|options|replications|seed|horizon|workers|chunk|onProgress|signal|until|budget|checkpoint|shard)[.: ]/;
const MMC_PATH = new URL("../examples/scenarios/mmc.json", import.meta.url).pathname;
/** Every name `Object.prototype` has, and "__proto__". */
const PROTO_NAMES = [...Object.getOwnPropertyNames(Object.prototype), "__proto__"];

/** The error a thunk throws or a promise rejects with (fails the test when there is none). */
async function errorOf(run: () => unknown): Promise<Error> {
  let out: unknown;
  try {
    out = await run();
  } catch (e) {
    return e as Error;
  }
  throw new Error(`expected an error; got ${JSON.stringify(out)?.slice(0, 200)}`);
}

/** The RangeError of a thunk, checked to name `name` (quoted) at the start of its message or after "unknown". */
async function rangeError(run: () => unknown): Promise<RangeError> {
  const e = await errorOf(run);
  expect(e, `${e?.name}: ${e?.message}`).toBeInstanceOf(RangeError);
  expect(e.message).not.toMatch(/\n\s+at /); // no stack in the message
  return e as RangeError;
}

describe("chunk, replications and seed: resolved or refused with a RangeError naming the option", () => {
  const anything = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.constantFrom(0, -1, Number.NaN, 0.5, Infinity, -Infinity, 1e9, 1e9 + 1, 2 ** 53, -0, 1e-300),
    fc.string({ maxLength: 8 }),
    fc.boolean(),
    fc.constant(null),
    fc.bigInt(),
    fc.array(fc.integer(), { maxLength: 2 }),
    fc.object({ maxDepth: 1 }),
  );

  it("chunk: a whole number from 1 to 1e9 is taken as it is; anything else is a RangeError naming chunk", () => {
    fc.assert(
      fc.property(anything, (chunk) => {
        let r: ReturnType<typeof resolveRunOptions> | undefined, err: unknown;
        try {
          r = resolveRunOptions(withRuntime({ chunk: chunk as number, workers: 2 }, node.NODE_RUNTIME));
        } catch (e) {
          err = e;
        }
        const ok = typeof chunk === "number" && Number.isInteger(chunk) && chunk >= 1 && chunk <= 1e9;
        if (ok) return r!.chunk === chunk;
        return err instanceof RangeError && /^chunk: expected a whole number from 1 to 1e9/.test(err.message);
      }),
      { seed: 14, numRuns: 400 },
    );
  });

  it("replications: per experiment, a whole number from its minimum to 1e9; anything else names replications", () => {
    fc.assert(
      fc.property(anything, fc.constantFrom(...(Object.keys(EXPERIMENTS) as ExperimentName[])), (n, experiment) => {
        const extra = experiment === "shard" ? { shard: { index: 0, count: 1 } } : {};
        let r: ReturnType<typeof resolveRunOptions> | undefined, err: unknown;
        try {
          r = resolveRunOptions({ ...extra, replications: n as number }, experiment);
        } catch (e) {
          err = e;
        }
        const min = EXPERIMENTS[experiment].minReplications;
        // undefined or null: the experiment's default.
        const ok = n == null || (typeof n === "number" && Number.isInteger(n) && n >= min && n <= 1e9);
        if (ok) return r!.replications === (n ?? EXPERIMENTS[experiment].replications);
        return err instanceof RangeError && err.message.startsWith("replications: expected a whole number from");
      }),
      { seed: 15, numRuns: 400 },
    );
  });

  it("seed: any string as it is; a number within ±(2^53 − 1) exactly; anything else a RangeError naming seed", () => {
    fc.assert(
      fc.property(anything, (seed) => {
        let r: string | undefined, err: unknown;
        try {
          r = resolveSeed(seed);
        } catch (e) {
          err = e;
        }
        if (seed === null || seed === undefined) return r === "1";
        if (typeof seed === "string") return r === seed;
        if (typeof seed === "number" && Number.isFinite(seed) && Math.abs(seed) <= Number.MAX_SAFE_INTEGER)
          return r === String(seed);
        return err instanceof RangeError && err.message.startsWith("seed: expected");
      }),
      { seed: 16, numRuns: 400 },
    );
  });

  it("seed: exact up to 2^53 − 1, refused beyond (not rounded onto a neighbour's stream)", () => {
    expect(resolveSeed(Number.MAX_SAFE_INTEGER)).toBe("9007199254740991");
    expect(resolveSeed(-Number.MAX_SAFE_INTEGER)).toBe("-9007199254740991");
    // Distinct safe integers stay distinct seeds.
    fc.assert(
      fc.property(
        fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        (a, b) => (a === b) === (resolveSeed(a) === resolveSeed(b)),
      ),
      { seed: 17, numRuns: 200 },
    );
    // 2^53 + 1 arrives as 2^53: refused, with the way out.
    for (const big of [2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e21, Number.MAX_VALUE]) {
      expect(() => resolveSeed(big)).toThrow(RangeError);
      expect(() => resolveSeed(big)).toThrow(/^seed: expected a number within ±9007199254740991 .*or a string/);
    }
    expect(() => resolveSeed(2n ** 60n)).toThrow(/^seed: .*give a BigInt seed as a string/);
    // As a string, any size is a seed of its own.
    expect(resolveSeed("9007199254740993")).toBe("9007199254740993");
    expect(resolveSeed("9007199254740993")).not.toBe(resolveSeed("9007199254740992"));
  });

  it("every experiment refuses the seed 2^53 before running", async () => {
    const seed = 2 ** 53 + 2;
    for (const run of [
      () => simulateOne(mmc(), { replications: 2, seed }),
      () => node.compare(mmc(), ["uniform", "proportional"], { replications: 2, seed }),
      () => node.sweep(mmc(), { parameters: [{ path: RATE, values: [2] }], replications: 2, seed }),
      () => node.runShard(mmc(), { replications: 2, shard: { index: 0, count: 1 }, seed }),
    ])
      expect((await rangeError(run)).message).toMatch(/^seed: /);
  });

  it("any value of any option, in any experiment: resolved, or a RangeError naming an option (no TypeError)", () => {
    const value = fc.oneof(
      anything,
      fc.constant(undefined),
      fc.func(fc.constant(undefined)),
      fc.constantFrom(Symbol("s"), new AbortController().signal, { aborted: "no" }, Object.create(null)),
      fc.record({ metric: fc.constantFrom("response.mean", "toString"), relHalfWidth: anything }),
      fc.record({ index: anything, count: anything }),
      fc.record({ every: anything, save: anything, resume: anything }, { requiredKeys: [] }),
      fc.record({ incidents: anything, incidentsPerReplication: anything }, { requiredKeys: [] }),
    );
    const keys = [...RUN_OPTION_KEYS, "allocation", "metrics", "replicatons", "toString", "__proto__"];
    const experiments = [...Object.keys(EXPERIMENTS), "__proto__", "toString", "nope"] as ExperimentName[];
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 4 }),
        fc.constantFrom(...experiments),
        (options, experiment) => {
          try {
            resolveRunOptions(withRuntime(options, node.NODE_RUNTIME) as never, experiment);
            return Object.hasOwn(EXPERIMENTS, experiment);
          } catch (e) {
            return e instanceof RangeError && OPTION_ERROR.test(e.message);
          }
        },
      ),
      { seed: 19, numRuns: 3000 },
    );
  });

  it("chunk 0, −1, NaN, 0.5 on a pool of two: refused at once, never a hang or a worker's stack", async () => {
    for (const chunk of [0, -1, Number.NaN, 0.5]) {
      const t0 = Date.now();
      const e = await rangeError(() => node.simulate(mmc(), { replications: 4, chunk, workers: 2 }));
      expect(e.message).toBe(`chunk: expected a whole number from 1 to 1e9 (replications per task); got ${chunk}`);
      expect(Date.now() - t0).toBeLessThan(10_000);
    }
    // A valid chunk runs, and gives the one-thread result.
    const one = await simulateOne(mmc(), { replications: 5, seed: 3 });
    const two = await node.simulate(mmc(), { replications: 5, seed: 3, chunk: 1, workers: 2 });
    expect(two.line).toEqual(one.line);
  });
});

describe("a horizon override of at least 1 h, as a scenario's own", () => {
  it("1e-300 h, 0.5 h and 59 min are refused naming horizon; 1 h and 60 min pass", async () => {
    for (const horizon of ["1e-300 h", 0.5, "59 min", 1e-300])
      expect(() => resolveRunOptions({ horizon })).toThrow(
        new RangeError(`horizon: expected a duration of at least 1 h; got ${JSON.stringify(horizon)}`),
      );
    expect(resolveRunOptions({ horizon: 1 }).horizon).toBe(1);
    expect(resolveRunOptions({ horizon: "60 min" }).horizon).toBeCloseTo(1, 12);
    expect((await rangeError(() => simulateOne(mmc(), { replications: 2, horizon: "1e-300 h" }))).message).toMatch(
      /^horizon: expected a duration of at least 1 h/,
    );
  });
});

describe("unknown option keys are refused, naming the key and the known ones", () => {
  /** Per experiment, a call with `extra` options. */
  const calls: Record<ExperimentName, (extra: Record<string, unknown>) => Promise<unknown>> = {
    simulate: (x) => simulateOne(mmc(), { replications: 2, ...x }),
    shard: (x) => node.runShard(mmc(), { replications: 2, shard: { index: 0, count: 1 }, ...x }),
    compare: (x) => compareOne(mmc(), ["uniform", "proportional"], { replications: 2, ...x }),
    withdrawal: (x) => node.withdrawal(defaultScenario(), { replications: 2, states: ["ee"], ...x }),
    optimize: (x) =>
      node.optimize(mmc(), { target: "withinStandard>=0.9", vary: "teams", max: 6, replications: 2, ...x }),
    sweep: (x) => node.sweep(mmc(), { parameters: [{ path: RATE, values: [2] }], replications: 2, ...x }),
    tornado: (x) =>
      node.tornado(mmc(), {
        metric: "response.mean",
        replications: 2,
        parameters: [{ path: RATE, low: 2, high: 3 }],
        ...x,
      }),
    sensitivity: (x) =>
      node.sensitivity(mmc(), {
        metric: "response.mean",
        replications: 2,
        samples: 2,
        parameters: [{ path: RATE, min: 2, max: 3 }],
        ...x,
      }),
  };

  it("a misspelt option, in every experiment", async () => {
    for (const [experiment, call] of Object.entries(calls) as [ExperimentName, (typeof calls)["simulate"]][]) {
      const e = await rangeError(() => call({ replicatons: 5 }));
      expect(e.message, experiment).toMatch(/^options: unknown option "replicatons"; [a-z]+ takes: /);
      for (const key of [...RUN_OPTION_KEYS, ...EXPERIMENTS[experiment].keys]) expect(e.message).toContain(key);
    }
  });

  it("an option of another experiment (strategy to simulate, metrics to tornado) is refused, not ignored", async () => {
    expect((await rangeError(() => calls.simulate({ strategy: "uniform" }))).message).toMatch(
      /^options: unknown option "strategy"; simulate takes: .*allocation/,
    );
    expect((await rangeError(() => calls.tornado({ metrics: ["response.mean"] }))).message).toMatch(
      /^options: unknown option "metrics"; tornado takes: .*metric/,
    );
    expect((await rangeError(() => calls.compare({ allocation: "uniform" }))).message).toMatch(
      /^options: unknown option "allocation"; compare takes: /,
    );
  });

  it("every Object.prototype name as an option key, including an own __proto__ (from JSON)", () => {
    for (const name of PROTO_NAMES) {
      const options = JSON.parse(`{${JSON.stringify(name)}: 1}`) as object;
      expect(Object.keys(options)).toEqual([name]);
      expect(() => resolveRunOptions(options)).toThrow(
        new RegExp(`^options: unknown option ${JSON.stringify(name).replace(/[\\[\]()$^.*+?{}|]/g, "\\$&")};`),
      );
    }
  });

  it("unknown keys inside until, budget, checkpoint and shard", () => {
    const cases: [object, ExperimentName, RegExp][] = [
      [{ until: { metric: "response.mean", relHalfWidth: 0.1, maxReplicatons: 5 } }, "simulate", /^until: unknown/],
      [{ budget: { incidentsPerReplicaton: 5 } }, "simulate", /^budget: unknown option "incidentsPerReplicaton"/],
      [{ checkpoint: { evry: 5 } }, "simulate", /^checkpoint: unknown option "evry"; known: every, save, resume$/],
      [{ shard: { index: 0, count: 1, total: 2 } }, "shard", /^shard: unknown option "total"; known: index, count$/],
    ];
    for (const [o, experiment, message] of cases) expect(() => resolveRunOptions(o, experiment)).toThrow(message);
  });

  it("the runtime's symbol key and every known key pass", () => {
    const all = withRuntime(
      {
        replications: 3,
        seed: "s",
        horizon: "2 d",
        workers: 2,
        chunk: 1,
        onProgress: () => {},
        signal: new AbortController().signal,
        budget: { incidents: 1e9, incidentsPerReplication: 1e6 },
        checkpoint: { every: 2, save: () => {} },
        allocation: "uniform",
      },
      node.NODE_RUNTIME,
    );
    expect(Object.getOwnPropertySymbols(all)).toEqual([RUNTIME]);
    const r = resolveRunOptions(all);
    expect(r).toMatchObject({ replications: 3, seed: "s", horizon: 48, workers: 2, chunk: 1 });
    expect(r.runtime).toBe(node.NODE_RUNTIME);
    for (const [experiment, rule] of Object.entries(EXPERIMENTS) as [ExperimentName, (typeof EXPERIMENTS)["sweep"]][]) {
      const keys = Object.fromEntries(rule.keys.map((k) => [k, undefined]));
      const extra = experiment === "shard" ? { shard: { index: 0, count: 1 } } : {};
      expect(() => resolveRunOptions({ ...keys, ...extra }, experiment)).not.toThrow();
    }
  });

  it("options that are not an object", () => {
    for (const bad of [null, 3, "x", [], () => {}])
      expect(() => resolveRunOptions(bad as never)).toThrow(/^options: expected an object; got /);
  });
});

describe("a throwing onProgress rejects the promise in every mode, and the pool is torn down", () => {
  const boom = () => {
    throw new Error("progress callback failed");
  };
  const asyncBoom = async () => {
    throw new Error("async progress callback failed");
  };

  for (const workers of [1, 2])
    it(`on ${workers} thread${workers > 1 ? "s" : ""}: a throwing and an async rejecting callback`, async () => {
      for (const [f, message] of [
        [boom, "progress callback failed"],
        [asyncBoom, "async progress callback failed"],
      ] as const) {
        const runs: [string, () => Promise<unknown>][] = [
          ["simulate", () => node.simulate(mmc(), { replications: 40, workers, onProgress: f })],
          [
            "compare",
            () => node.compare(mmc(), ["uniform", "proportional"], { replications: 40, workers, onProgress: f }),
          ],
          [
            "sweep",
            () =>
              node.sweep(mmc(), {
                parameters: [{ path: RATE, values: [2, 3] }],
                replications: 4,
                workers,
                onProgress: f,
              }),
          ],
        ];
        for (const [name, run] of runs) {
          const e = await errorOf(run);
          expect(e.message, `${name}, ${message}`).toBe(message);
        }
      }
    });

  /**
   * Run a script in a fresh Node process (importing the built dist/node.js); its stdout, and how it ended. From a
   * file: worker threads inherit the process's flags, and `--input-type` (of `node -e`) is refused in a worker.
   */
  const script = (code: string) =>
    new Promise<{ stdout: string; stderr: string; code: number | null; ms: number }>((resolve) => {
      const t0 = Date.now();
      const dir = mkdtempSync(join(tmpdir(), "ceasefire-sim-options-"));
      const file = join(dir, "script.mjs");
      writeFileSync(file, code);
      execFile(process.execPath, [file], { timeout: 60_000, cwd: process.cwd() }, (err, stdout, stderr) => {
        rmSync(dir, { recursive: true, force: true });
        resolve({
          stdout,
          stderr,
          code: err ? ((err as { code?: number }).code ?? null) : 0,
          ms: Date.now() - t0,
        });
      });
    });
  const importNode = `import * as n from "${new URL("../dist/node.js", import.meta.url).href}";
    import { readFileSync } from "node:fs";
    const mmc = JSON.parse(readFileSync("${MMC_PATH}", "utf8"));
    mmc.horizon = "50 h";`;

  it("in a process of its own, workers: 2: the promise rejects, the process lives on, then exits", async () => {
    const r = await script(`${importNode}
      process.on("uncaughtException", (e) => { console.log("uncaught", e.message); process.exit(9); });
      process.on("unhandledRejection", (e) => { console.log("unhandled", e.message); process.exit(9); });
      for (const f of [() => { throw new Error("boom"); }, async () => { throw new Error("async boom"); }]) {
        try { await n.simulate(mmc, { replications: 200, workers: 2, onProgress: f }); console.log("resolved"); }
        catch (e) { console.log("rejected:", e.message); }
      }
      console.log("still alive");`);
    expect(r.stdout.trim().split("\n")).toEqual(["rejected: boom", "rejected: async boom", "still alive"]);
    expect(r.code).toBe(0);
  });

  it("a pool works in a script run by `node --input-type=module -e` (workers drop --input-type)", async () => {
    const code = `${importNode}
      const r = await n.simulate(mmc, { replications: 6, workers: 2, chunk: 1 });
      console.log("ok", r.provenance.replications);`;
    const out = await new Promise<string>((resolve) =>
      execFile(process.execPath, ["--input-type=module", "-e", code], { timeout: 60_000 }, (err, stdout, stderr) =>
        resolve(err ? `${err.message} ${stderr}` : stdout.trim()),
      ),
    );
    expect(out).toBe("ok 6");
  });

  it("an abandoned sweep on a pool (its generator never finished) does not keep the process alive", async () => {
    const r = await script(`${importNode}
      const rows = n.sweepRows(mmc, { parameters: [{ path: "${RATE}", values: [2, 3, 4, 5] }], replications: 4,
        workers: 2 });
      const first = await rows.next();
      console.log("first row", first.value.point);`);
    expect(r.stdout.trim()).toBe("first row 0");
    expect(r.code).toBe(0);
    expect(r.ms).toBeLessThan(30_000);
  });

  it("a task that fails in a worker rejects with one line naming it, not the worker's stack", async () => {
    const pool = node.workerPool(2);
    try {
      const e = await errorOf(() =>
        pool.run({ group: { id: 1, models: [{} as never] }, seed: "1", from: 0, to: 1 }, new AbortController().signal),
      );
      expect(e.message).toMatch(/^worker failed: [A-Za-z]*Error: /);
      expect(e.message).not.toContain("\n");
    } finally {
      await pool.close();
    }
  });
});

describe("no null where a number is promised", () => {
  /** Every place in a result's JSON that is null, as a path. */
  const nulls = (x: unknown, path = "", out: string[] = []): string[] => {
    if (x === null) out.push(path);
    else if (Array.isArray(x)) for (const [i, v] of x.entries()) nulls(v, `${path}[${i}]`, out);
    else if (typeof x === "object") for (const [k, v] of Object.entries(x)) nulls(v, `${path}.${k}`, out);
    return out;
  };
  /**
   * Where the JSON of a result may hold null: an estimate's value when no replication defined it (n = 0), its
   * interval when fewer than two did (a survival curve point's too), and the detection latency quantiles when
   * nothing was detected.
   */
  function checkNulls(result: unknown): string[] {
    const json = JSON.parse(JSON.stringify(result)) as Record<string, unknown>;
    const at = (path: string) =>
      path
        .split(/\.|\[(\d+)\]/)
        .filter((k) => k !== undefined && k !== "")
        .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], json);
    const bad: string[] = [];
    for (const path of nulls(json)) {
      const field = path.slice(path.lastIndexOf(".") + 1);
      const holder = at(path.slice(0, path.lastIndexOf("."))) as Record<string, unknown>;
      if (/\.timeToVerification\.p[59]0\.(value|lo|hi|halfWidth)$/.test(path)) {
        // A quantile of time to verification is null exactly when the curve stops short of the level, which its
        // reason says (its interval too, and with fewer than two replications).
        if (typeof holder.reason !== "string" && !(field !== "value" && (holder.n as number) < 2))
          bad.push(`${path} with no reason`);
      } else if (["value", "lo", "hi", "halfWidth"].includes(field) && typeof holder.n === "number") {
        if (field === "value" ? holder.n !== 0 : holder.n >= 2) bad.push(`${path} with n = ${holder.n}`);
        if (field === "value" && /^\.states\[\d+\]\.tasksPerDay|^\.teams/.test(path)) bad.push(`${path}: a team rate`);
      } else if (/\.timeToVerification\.survival\[\d+\]\.(verified|survival)(Lo|Hi)$/.test(path)) {
        // A curve point's interval rests on the replications with verifiable incidents, as the restricted mean's.
        const ttv = at(path.replace(/\.survival\[\d+\]\.\w+$/, "")) as { restrictedMean: { n: number } };
        if (ttv.restrictedMean.n >= 2) bad.push(`${path} with n = ${ttv.restrictedMean.n}`);
      } else if (/\.timeToVerification\.p[59]0\.reason$/.test(path)) {
        // A quantile's reason is null (by type) exactly when its value is a number.
        if (typeof holder.value !== "number") bad.push(`${path} with value ${holder.value}`);
      } else if (/\.detection\.latency\.p[59]0$/.test(path)) {
        const counts = at(`${path.replace(/\.detection\.latency\.p[59]0$/, "")}.counts`) as { detected: number };
        if (counts.detected !== 0) bad.push(`${path} with ${counts.detected} detected`);
      } else bad.push(path);
    }
    return bad;
  }

  it("tasksPerDay of a state without teams is 0 (with its replications), not null", async () => {
    const r = await simulateOne(defaultScenario(), { replications: 3, horizon: "3 d" });
    const without = r.states.filter((s) => s.teams === 0);
    expect(without.length).toBeGreaterThan(0);
    for (const s of without) {
      expect(s.tasksPerDay, s.id).toEqual({ value: 0, lo: 0, hi: 0, halfWidth: 0, n: 3 });
      // Utilisation of no team-hours is undefined, and says so with n = 0.
      expect(s.utilisation.n).toBe(0);
      expect(Number.isNaN(s.utilisation.value)).toBe(true);
    }
    // States with teams: a rate of at least 0 (a small contingent may get no task in three winter days), and
    // some task in all.
    const withTeams = r.states.filter((x) => x.teams > 0);
    for (const s of withTeams) expect(s.tasksPerDay.value).toBeGreaterThanOrEqual(0);
    expect(withTeams.reduce((a, s) => a + s.tasksPerDay.value, 0)).toBeGreaterThan(0);
    expect(checkNulls(r)).toEqual([]);
  });

  it("the default scenario, the examples, a sector with no incidents and a mission with no teams", async () => {
    const quiet = mmc("100 h");
    const sectors = quiet.sectors as Record<string, unknown>[];
    const incidents = { ...(sectors[0]!.incidents as object), rate: "0 /d" };
    sectors.push({ ...structuredClone(sectors[0]!), id: "quiet", incidents });
    (quiet.travel as { hours: Record<string, unknown> }).hours.quiet = { base: "0 h" };
    // A second state that contributes nothing.
    (quiet.states as Record<string, unknown>[]).push({ id: "observer", name: "Observer", role: "contributor" });
    const inputs: [string, unknown, string | undefined][] = [
      ["default", defaultScenario(), "2 d"],
      ["mmc", mmc("100 h"), undefined],
      ["hypercube", JSON.parse(readFileSync("examples/scenarios/hypercube.json", "utf8")), "100 h"],
      ["a sector with no incidents, a state with nothing", quiet, undefined],
      ["no teams, nothing verified", scenario("technical-only"), "2 d"],
    ];
    for (const [name, s, horizon] of inputs)
      for (const replications of [1, 3]) {
        const r = await simulateOne(s, { replications, ...(horizon ? { horizon } : {}) });
        expect(checkNulls(r), `${name}, ${replications} replications`).toEqual([]);
      }
  });

  it("compare: a paired difference over no defined replication is undefined, not 0", async () => {
    // No incident at all: every response time is undefined in every replication.
    const s = mmc("50 h");
    (s.sectors as { incidents: { rate: string } }[])[0]!.incidents.rate = "0 /h";
    const c = await compareOne(s, ["uniform", "proportional"], {
      replications: 3,
      metrics: ["response.mean", "withinStandard"],
    });
    const response = c.metrics[0]!;
    expect(response.differences[0]!.paired.n).toBe(0);
    expect(Number.isNaN(response.differences[0]!.paired.value)).toBe(true);
    for (const r of response.ranking) expect(Number.isNaN(r.mean)).toBe(true);
    const json = JSON.parse(JSON.stringify(c)) as { metrics: { differences: { paired: { value: unknown } }[] }[] };
    expect(json.metrics[0]!.differences[0]!.paired.value).toBeNull();
  });
});

describe("reading a parameter is linear in its string", () => {
  /** The former reading of a unit string (a regex with two lazy and greedy groups), as the reference. */
  const OLD = /^(\s*)([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(\s*)(.*?)(\s*)$/;
  const oldSplit = (text: string) => {
    const m = OLD.exec(text);
    if (!m || m[4] === "") return null;
    if (!(Object.keys(DIMENSIONS) as Dimension[]).some((d) => parseQuantity(text, d).ok)) return null;
    return { value: Number(m[2]), unit: m[4]! };
  };
  const read = (text: string) => {
    try {
      return getParameter({ horizon: text }, "horizon");
    } catch (e) {
      expect(e).toBeInstanceOf(RangeError);
      return null;
    }
  };

  it("a 100,000-character hostile unit string is refused with a RangeError, at once", () => {
    const hostile = [
      `1 a${" ".repeat(100_000)}b`,
      `1a${" \t".repeat(50_000)}b`,
      `${" ".repeat(100_000)}1 h`,
      `1${"0".repeat(100_000)} h`,
    ];
    for (const text of hostile) {
      const t0 = Date.now();
      const s = { ...mmc(), horizon: text };
      expect(() => getParameter(s, "horizon")).toThrow(
        new RangeError(
          `horizon: horizon is a string of ${text.length} characters, longer than any unit string (at most ` +
            `${MAX_QUANTITY_CHARS}); expected a number or a unit string such as "20 min"`,
        ),
      );
      expect(() => setParameter(s, "horizon", 3)).toThrow(RangeError);
      expect(Date.now() - t0).toBeLessThan(5_000);
    }
  });

  it("just under the cap, the worst strings for the former regex read at once", () => {
    const n = MAX_QUANTITY_CHARS - 4;
    const t0 = Date.now();
    for (let k = 0; k < 200; k++) {
      expect(read(`1 a${" ".repeat(n)}b`)).toBeNull();
      expect(read(`1 h${" ".repeat(n)}`)).toEqual({ value: 1, unit: "h" });
      expect(read(`${" ".repeat(n)}1 h`)).toEqual({ value: 1, unit: "h" });
      expect(read(`1${" ".repeat(n)}h`)).toEqual({ value: 1, unit: "h" });
    }
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it("a 100,000-character parameter path or metric name is refused with a RangeError, at once", async () => {
    const t0 = Date.now();
    const long = "a".repeat(100_000);
    expect(() => getParameter(mmc(), long)).toThrow(RangeError);
    expect(() => getParameter(mmc(), `${"a.".repeat(50_000)}b`)).toThrow(RangeError);
    expect(() => getParameter(mmc(), `sectors[${"x,".repeat(50_000)}]`)).toThrow(RangeError);
    const e = await rangeError(() => node.sweep(mmc(), { parameters: [{ path: RATE, values: [2] }], metrics: [long] }));
    expect(e.message.length).toBeLessThan(2_000); // the name is cut in the message
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it("reads every unit string as the former regex did (random strings of numbers, units and spaces)", () => {
    const piece = fc.constantFrom(
      "1",
      "20",
      ".5",
      "1.",
      "e3",
      "E-2",
      "-",
      "+",
      " ",
      "\t",
      "\n",
      "h",
      "min",
      " d",
      "/d",
      "/h",
      "km",
      "km/h",
      "x",
      "\u00a0",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join("");
        const now = read(text);
        const before = oldSplit(text);
        return JSON.stringify(now) === JSON.stringify(before);
      }),
      { seed: 18, numRuns: 3000 },
    );
    // Writing back keeps the spacing and the unit.
    expect(setParameter({ ...mmc(), horizon: "  50\th " }, "horizon", 60).horizon).toBe("60\th");
  });
});

describe("metric names and parameter paths are own properties only", () => {
  it("metricAt: every Object.prototype name, alone and under a metric group, is an unknown metric", async () => {
    const r = await simulateOne(mmc(), { replications: 2 });
    const known = metricNames(r.line);
    expect(known).toContain("response.mean");
    for (const name of PROTO_NAMES)
      for (const path of [name, `response.${name}`, `response.mean.${name}`, `${name}.mean`]) {
        expect(() => metricAt(r.line, path), path).toThrow(RangeError);
        expect(() => metricAt(r.line, path), path).toThrow(`unknown metric ${JSON.stringify(path)}; metrics: `);
      }
    expect(() => metricAt(r.line, 3 as never)).toThrow(/^metric: expected a name/);
  });

  it("as until.metric, compare/withdrawal metrics and rankBy, sweep metrics, tornado/sensitivity metric", async () => {
    const P = [{ path: RATE, values: [2] }];
    for (const name of PROTO_NAMES) {
      const q = JSON.stringify(name);
      const routes: [string, () => Promise<unknown>][] = [
        ["until", () => simulateOne(mmc(), { until: { metric: name, relHalfWidth: 0.1 } })],
        ["compare", () => compareOne(mmc(), ["uniform", "proportional"], { replications: 2, metrics: [name] })],
        ["withdrawal metrics", () => node.withdrawal(defaultScenario(), { replications: 2, metrics: [name] })],
        ["rankBy", () => node.withdrawal(defaultScenario(), { replications: 2, rankBy: name })],
        ["sweep", () => node.sweep(mmc(), { parameters: P, replications: 2, metrics: [name] })],
        [
          "tornado",
          () => node.tornado(mmc(), { metric: name, replications: 2, parameters: [{ path: RATE, low: 2, high: 3 }] }),
        ],
        [
          "sensitivity",
          () =>
            node.sensitivity(mmc(), {
              metric: name,
              replications: 2,
              samples: 2,
              parameters: [{ path: RATE, min: 2, max: 3 }],
            }),
        ],
      ];
      for (const [route, run] of routes) {
        const e = await rangeError(run);
        expect(e.message, `${route}: ${name}`).toContain(q);
      }
    }
  });

  it("a design point holds every swept path as its own key, __proto__ included", () => {
    for (const design of ["grid", "lhs"] as const) {
      const [pt] = sweepDesign({
        design,
        parameters: [
          { path: "__proto__", ...(design === "grid" ? { values: [1] } : { min: 1, max: 2 }) },
          { path: "constructor", ...(design === "grid" ? { values: [2] } : { min: 2, max: 3 }) },
        ] as never,
        ...(design === "lhs" ? { points: 1 } : {}),
      });
      expect(Object.keys(pt!)).toEqual(["__proto__", "constructor"]);
      expect(Object.getPrototypeOf(pt)).toBe(Object.prototype);
    }
  });

  it("as a swept parameter path (alone and under a key): a RangeError naming it, never a TypeError", async () => {
    for (const name of PROTO_NAMES)
      for (const path of [name, `sectors[0].${name}`, `horizon.${name}`, `sectors[${name}=1].lengthKm`]) {
        expect(() => getParameter(mmc(), path), path).toThrow(RangeError);
        const e = await rangeError(() =>
          node.sweep(mmc(), { parameters: [{ path, values: [1, 2] }], replications: 2 }),
        );
        expect(e.message.startsWith(`${path}:`), e.message).toBe(true);
      }
  });

  it("compare: a strategy that is not a name or an object is a RangeError naming its index", async () => {
    for (const bad of [null, 3, "", []])
      expect((await rangeError(() => compareOne(mmc(), ["uniform", bad as never]))).message).toMatch(
        /^strategies\[1\]: expected a strategy name/,
      );
  });
});
