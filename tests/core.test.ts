/**
 * The WebAssembly core (src/engine/core.ts) against the JavaScript engine, its reference: the engine's exp as
 * the core computes it against src/rng/exp.ts, and whole replications, bit for bit, on every shipped scenario
 * and example under every coordination rule, with workspaces too small to start with (the core regrows).
 * tests/properties.test.ts compares the two on random scenarios with every kind of distribution.
 */
import { describe, expect, it } from "vitest";
import fs from "node:fs";
import { scenario, scenarioNames } from "../src/scenarios/index.js";
import { parseScenario } from "../src/model/parse.js";
import { compile, type CompiledModel } from "../src/compile/compile.js";
import { allocate } from "../src/allocation/allocate.js";
import { createWorkspace } from "../src/engine/workspace.js";
import { runReplication } from "../src/engine/replication.js";
import { replicationStreams } from "../src/rng/streams.js";
import { exp, log } from "../src/rng/exp.js";
import { sameReplications } from "./helpers/engines.js";

const example = (name: string) =>
  JSON.parse(fs.readFileSync(new URL(`../examples/scenarios/${name}.json`, import.meta.url), "utf8"));

async function model(input: unknown, patch?: (s: any) => void): Promise<CompiledModel> {
  const json = structuredClone(input) as any;
  patch?.(json);
  const s = parseScenario(json);
  return compile(s, await allocate(s, "risk-weighted"));
}

/**
 * How many of 500,000 arguments spread over each range (a fixed Weyl sequence, so the test is the same every run)
 * give a different result (Object.is) from f and g.
 */
function differing(
  f: (x: number) => number,
  g: (x: number) => number,
  ranges: readonly (readonly [number, number])[],
): number {
  let bad = 0,
    u = 0.5;
  for (const [lo, hi] of ranges) {
    for (let i = 0; i < 500_000; i++) {
      u = (u + 0.6180339887498949) % 1;
      const x = lo + (hi - lo) * u;
      if (!Object.is(f(x), g(x))) bad++;
    }
  }
  return bad;
}

describe("WebAssembly core", () => {
  it("loads here (Node), and workspaces get it unless asked not to", async () => {
    const m = await model(scenario(scenarioNames[0]!));
    expect(createWorkspace(m).core).not.toBeNull();
    expect(createWorkspace(m, 64, { core: false }).core).toBeNull();
  });

  it("computes exp exactly as the JavaScript engine's exp (src/rng/exp.ts): 4.5·10^6 arguments over the ranges the engine uses, and the special values", async () => {
    const m = await model(scenario(scenarioNames[0]!));
    const coreExp = createWorkspace(m, 16).core!.exp;
    const bad = differing(coreExp, exp, [
      [-1, 1],
      [-0.35, 0.35],
      [-12, 8],
      [-745.2, 709.8],
      [-1e-8, 1e-8],
      [-2, 2],
      [-746, -705],
      [705, 710],
      [0.34, 0.35],
    ]);
    const special = [
      0,
      -0,
      1,
      -1,
      Infinity,
      -Infinity,
      NaN,
      709.782712893384,
      709.79,
      709.7900000000001,
      -745.1332191019411,
      -745.2,
      -745.2000000000001,
      -708.4,
      -710,
      -707,
      1e-300,
      -1e-300,
      2 ** -28,
      5e-324,
    ];
    for (const x of special) expect([x, coreExp(x)]).toEqual([x, exp(x)]);
    expect(bad).toBe(0);
  });

  it("computes log exactly as the JavaScript engine's log (src/rng/exp.ts): 3·10^6 arguments from subnormal to huge, and the special values", async () => {
    const m = await model(scenario(scenarioNames[0]!));
    const coreLog = createWorkspace(m, 16).core!.log;
    const bad = differing(coreLog, log, [
      [1e-310, 1e-300],
      [1e-12, 1],
      [0.99, 1.01],
      [0.5, 2],
      [1, 1e9],
      [1e300, 1.7e308],
    ]);
    for (const x of [
      0,
      -0,
      1,
      -1,
      5e-324,
      2.2250738585072014e-308,
      Infinity,
      -Infinity,
      NaN,
      1.4142135623730951,
      1.4142135623730954,
    ])
      expect([x, coreLog(x)]).toEqual([x, log(x)]);
    expect(bad).toBe(0);
  });

  const cases: [string, () => unknown][] = [
    ...scenarioNames.map((n) => [n, () => scenario(n)] as [string, () => unknown]),
    ["mmc", () => example("mmc")],
    ["hypercube", () => example("hypercube")],
  ];
  const rules: [string, (s: any) => void][] = [];
  for (const dispatch of ["nearest-available", "earliest-arrival", "fixed-preference"])
    for (const queue of ["fifo", "fifo-critical-first"])
      for (const retask of [false, true])
        rules.push([
          `${dispatch}/${queue}/retask ${retask}`,
          (s) => {
            s.coordination = { ...s.coordination, dispatch, queue, retaskFromField: retask };
            if (dispatch !== "fixed-preference") delete s.coordination.preference;
          },
        ]);

  it.each(cases)(
    "%s: every coordination rule, 4 replications each, the same as the JavaScript engine in every incident and every tally",
    async (_name, input) => {
      for (const [rule, patch] of rules) {
        const m = await model(input(), patch);
        const diff = sameReplications(m, 7, 4);
        expect([rule, diff]).toEqual([rule, null]);
      }
    },
    120_000,
  );

  it("regrows when a replication brings more incidents or timeline intervals than it has room for, with the same results", async () => {
    const m = await model(scenario(scenarioNames[0]!));
    const small = createWorkspace(m, 8);
    const js = createWorkspace(m, 8, { core: false });
    const first = small.core!;
    for (let r = 0; r < 3; r++) {
      runReplication(m, replicationStreams(3, r), small);
      runReplication(m, replicationStreams(3, r), js);
      expect(small.n).toBe(js.n);
      expect(Array.from(small.incDet.subarray(0, small.n))).toEqual(Array.from(js.incDet.subarray(0, js.n)));
      expect(Array.from(small.tally)).toEqual(Array.from(js.tally));
    }
    expect(small.core).not.toBe(first);
    expect(small.core!.room.incidents).toBeGreaterThanOrEqual(small.n);
  });
});
