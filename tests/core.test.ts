/**
 * The engine, the WebAssembly core (src/engine/): its exp and log against the platform's, its samplers against
 * the exact distributions they draw from (Kolmogorov–Smirnov, every kind of the scenario format, gamma
 * included), its memory laid out as declared (src/layout/declaration.ts), and its growth when a replication
 * needs more room. Whole replications are checked against analytic results in erlang.test.ts and
 * hypercube.test.ts, and against golden values in engine.test.ts.
 */
import { describe, expect, it } from "vitest";
import fs from "node:fs";
import { erf, lgamma } from "mathjs";
import { scenario, scenarioNames } from "../src/scenarios/index.js";
import { parseScenario } from "../src/model/parse.js";
import { compile, type CompiledModel } from "../src/compile/compile.js";
import { allocate, scenarioAllocation } from "../src/allocation/allocate.js";
import { createWorkspace } from "../src/engine/workspace.js";
import { stateAt } from "../src/engine/core.js";
import { runReplication } from "../src/engine/replication.js";
import { ARRAYS } from "../src/layout/declaration.js";
import * as L from "../src/layout/slots.generated.js";
import { replicationStreams, stream } from "../src/rng/streams.js";

const mmc = JSON.parse(fs.readFileSync(new URL("../examples/scenarios/mmc.json", import.meta.url), "utf8"));

async function model(input: unknown): Promise<CompiledModel> {
  const s = parseScenario(structuredClone(input));
  return compile(s, await allocate(s, "risk-weighted"));
}

/** Distance in units in the last place between two doubles of the same sign. */
function ulpsApart(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  const f = new Float64Array([a, b]);
  const i = new BigInt64Array(f.buffer);
  return Number(i[0]! > i[1]! ? i[0]! - i[1]! : i[1]! - i[0]!);
}

/** The largest ulp distance between f and g over 500,000 arguments spread over each range (a fixed sequence). */
function worstUlps(f: (x: number) => number, g: (x: number) => number, ranges: [number, number][]): number {
  let worst = 0,
    u = 0.5;
  for (const [lo, hi] of ranges)
    for (let i = 0; i < 500_000; i++) {
      u = (u + 0.6180339887498949) % 1;
      const x = lo + (hi - lo) * u;
      worst = Math.max(worst, ulpsApart(f(x), g(x)));
    }
  return worst;
}

/**
 * n draws of a duration distribution as the engine samples it: the M/M/c example with `onSite` set to it,
 * parsed and compiled as any scenario, then the core's sampler on that row (from a seeded generator).
 */
async function engineDraws(onSite: unknown, n: number, seed = "samplers"): Promise<Float64Array> {
  const json = structuredClone(mmc);
  json.assets[0].onSite = onSite;
  const s = parseScenario(json);
  const m = compile(s, await scenarioAllocation(s));
  const ws = createWorkspace(m, n);
  const core = ws.core;
  stream(seed, 0, "detection").saveState(core.words, stateAt(core, L.A_RNG_DETECTION));
  core.exports.engineSample(m.tmOnSiteRow[0]!, n, core.arrays.incT.byteOffset);
  return core.arrays.incT.slice(0, n);
}

/** Kolmogorov–Smirnov statistic of a sample against a continuous CDF. */
function ks(sample: Float64Array, cdf: (x: number) => number): number {
  const x = Float64Array.from(sample).sort();
  const n = x.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(x[i]!);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}

/** The 99.9% critical value of the KS statistic for large n (Smirnov: c(α = 0.001) = 1.9495). */
const ksCritical = (n: number) => 1.9495 / Math.sqrt(n);

const normalCdf = (z: number) => 0.5 * (1 + (erf(z / Math.SQRT2) as number));

/** The regularized lower incomplete gamma P(a, x): its series below a + 1, Lentz's continued fraction above. */
function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const front = Math.exp(-x + a * Math.log(x) - (lgamma(a) as number));
  if (x < a + 1) {
    let term = 1 / a,
      sum = term;
    for (let k = 1; k < 1000 && term > sum * 1e-17; k++) {
      term *= x / (a + k);
      sum += term;
    }
    return front * sum;
  }
  let b = x + 1 - a,
    c = 1e300,
    d = 1 / b,
    h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = Math.abs(d) < 1e-300 ? 1e-300 : d;
    c = b + an / c;
    c = Math.abs(c) < 1e-300 ? 1e-300 : c;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return 1 - front * h;
}

describe("the engine (the WebAssembly core)", () => {
  it("runs in Node, with every declared array laid out, aligned, apart, and sized as declared", async () => {
    const m = await model(scenario(scenarioNames[0]!));
    const ws = createWorkspace(m, 64);
    const spans = ARRAYS.map((a) => {
      const v = ws.arrays[a.name];
      expect(v.byteOffset % 8, a.name).toBe(0);
      if (a.size === "model") expect(Array.from(v), a.name).toEqual(Array.from(m[a.name]));
      return [v.byteOffset, v.byteOffset + v.byteLength, a.name] as const;
    });
    spans.sort((p, q) => p[0] - q[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0], spans[i]![2]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    expect(ws.arrays.incT.length).toBe(64);
    expect(ws.arrays.tally).toBe(ws.tally);
  });

  it("computes exp within 2 ulp of Math.exp over 3·10^6 arguments, and the special values", async () => {
    const core = createWorkspace(await model(mmc), 16).core;
    const exp = core.exports.engineExp;
    const ranges: [number, number][] = [
      [-1, 1],
      [-12, 8],
      [-745, 709.7],
      [-1e-8, 1e-8],
      [-746, -705],
      [705, 709.78],
    ];
    expect(worstUlps(exp, Math.exp, ranges)).toBeLessThanOrEqual(2);
    for (const [x, want] of [
      [0, 1],
      [-0, 1],
      [Infinity, Infinity],
      [-Infinity, 0],
      [710, Infinity],
      [-746, 0],
    ] as const)
      expect([x, exp(x)]).toEqual([x, want]);
    expect(exp(Number.NaN)).toBeNaN();
  });

  it("computes log within 3 ulp of Math.log over 3·10^6 arguments, subnormal to huge, and the specials", async () => {
    const core = createWorkspace(await model(mmc), 16).core;
    const log = core.exports.engineLog;
    const ranges: [number, number][] = [
      [1e-310, 1e-300],
      [1e-12, 1],
      [0.99, 1.01],
      [0.5, 2],
      [1, 1e9],
      [1e300, 1.7e308],
    ];
    expect(worstUlps(log, Math.log, ranges)).toBeLessThanOrEqual(3);
    for (const [x, want] of [
      [1, 0],
      [0, -Infinity],
      [Infinity, Infinity],
    ] as const)
      expect([x, log(x)]).toEqual([x, want]);
    expect(log(-1)).toBeNaN();
  });
});

describe("the engine's samplers draw the scenario format's distributions (KS at 99.9%, 200,000 draws each)", () => {
  const N = 200_000;
  const ln95 = 1.6448536269514722; // Φ⁻¹(0.95)
  const continuous: [string, unknown, (x: number) => number][] = [
    ["exponential, mean 2 h", { dist: "exponential", mean: "2 h" }, (x) => 1 - Math.exp(-x / 2)],
    [
      "lognormal, median 1 h, p95 4 h",
      { dist: "lognormal", median: "1 h", p95: "4 h" },
      (x) => normalCdf(Math.log(x) / (Math.log(4) / ln95)),
    ],
    ["uniform, 1 to 3 h", { dist: "uniform", min: "1 h", max: "3 h" }, (x) => (x - 1) / 2],
    [
      "triangular, 0, 1, 4 h",
      { dist: "triangular", min: "0 h", mode: "1 h", max: "4 h" },
      (x) => (x <= 1 ? (x * x) / 4 : 1 - ((4 - x) * (4 - x)) / 12),
    ],
  ];
  // Gamma(mean, cv): shape 1/cv², scale mean·cv². Shapes below 1 take the boost; shape 1 is exponential.
  for (const [mean, cv] of [
    [2, 0.5],
    [1, 1],
    [3, 1.5],
    [0.5, 3],
  ] as const) {
    const shape = 1 / (cv * cv),
      scale = mean * cv * cv;
    continuous.push([
      `gamma, mean ${mean} h, cv ${cv} (shape ${shape.toFixed(3)})`,
      { dist: "gamma", mean: `${mean} h`, cv },
      (x) => gammaP(shape, x / scale),
    ]);
  }
  it.each(continuous)("%s", async (_name, dist, cdf) => {
    const sample = await engineDraws(dist, N);
    expect(ks(sample, cdf)).toBeLessThan(ksCritical(N));
  });

  it("a sampler that is off is caught: gamma draws tested against a gamma with a 2% larger scale fail", async () => {
    const sample = await engineDraws({ dist: "gamma", mean: "2 h", cv: 0.5 }, N);
    expect(ks(sample, (x) => gammaP(4, x / (0.5 * 1.02)))).toBeGreaterThan(ksCritical(N));
  });

  it("the normal ziggurat (under lognormal): moments, and the mass beyond its base strip (|z| > 3.4426)", async () => {
    // Lognormal with median 1 and p95 e^Φ⁻¹(0.95): log of a draw is a standard normal variate.
    const z = (await engineDraws({ dist: "lognormal", median: "1 h", p95: `${Math.exp(ln95)} h` }, N)).map(Math.log);
    let s = 0,
      s2 = 0,
      s4 = 0,
      tail = 0;
    for (const x of z) {
      s += x;
      s2 += x * x;
      s4 += x ** 4;
      if (Math.abs(x) > 3.442619855899) tail++;
    }
    expect(Math.abs(s / N)).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(s2 / N - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
    expect(Math.abs(s4 / N - 3)).toBeLessThan(4 * Math.sqrt(96 / N));
    const p = 5.7609e-4; // P(|Z| > 3.442619855899)
    expect(Math.abs(tail / N - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N));
  });

  it("the exponential ziggurat: mean 1, variance 1, and the mass beyond its base strip (x > 7.6971)", async () => {
    const x = await engineDraws({ dist: "exponential", mean: "1 h" }, N);
    let s = 0,
      s2 = 0,
      tail = 0;
    for (const v of x) {
      s += v;
      s2 += v * v;
      if (v > 7.697117470131487) tail++;
    }
    const mean = s / N;
    expect(Math.abs(mean - 1)).toBeLessThan(4 / Math.sqrt(N));
    // The fourth central moment is 9, so the sample variance has standard deviation √(8/N).
    expect(Math.abs(s2 / N - mean * mean - 1)).toBeLessThan(4 * Math.sqrt(8 / N));
    const p = Math.exp(-7.697117470131487);
    expect(Math.abs(tail / N - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N));
  });

  it("empirical: each value as often as its share (within 4 standard errors); fixed: always the value", async () => {
    const values = [0.5, 1, 1, 2, 8];
    const sample = await engineDraws({ dist: "empirical", values: values.map((v) => `${v} h`) }, N);
    for (const v of new Set(values)) {
      const p = values.filter((x) => x === v).length / values.length;
      const share = sample.filter((x) => x === v).length / N;
      expect(Math.abs(share - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N));
    }
    expect(sample.every((x) => values.includes(x))).toBe(true);
    expect(new Set(await engineDraws("90 min", 1000))).toEqual(new Set([1.5]));
  });
});

describe("growth", () => {
  it("a workspace too small to start with grows, and gives the same replications as a roomy one", async () => {
    const m = await model(scenario(scenarioNames[0]!));
    const small = createWorkspace(m, 8),
      roomy = createWorkspace(m, 1 << 16);
    const first = small.core;
    for (let r = 0; r < 3; r++) {
      runReplication(m, replicationStreams(3, r), small);
      runReplication(m, replicationStreams(3, r), roomy);
      expect(small.n).toBe(roomy.n);
      expect(Array.from(small.arrays.incDet.subarray(0, small.n))).toEqual(
        Array.from(roomy.arrays.incDet.subarray(0, roomy.n)),
      );
      expect(Array.from(small.tally)).toEqual(Array.from(roomy.tally));
      expect(Array.from(small.respHist)).toEqual(Array.from(roomy.respHist));
    }
    expect(small.core).not.toBe(first);
    expect(small.core.room.incidents).toBeGreaterThanOrEqual(small.n);
  });
});
