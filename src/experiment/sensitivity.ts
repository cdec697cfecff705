/**
 * Sensitivity analysis: what a metric depends on.
 *
 * - `tornado`: one parameter at a time moved to a low and a high value, the
 *   rest at the base scenario; rows sorted by the swing of the metric.
 * - `sobol`: variance-based (Sobol') first-order and total-order indices of
 *   any function on a box, with bootstrap confidence intervals.
 * - `sensitivity`: `sobol` over scenario parameters, each evaluation a
 *   (short) simulation.
 *
 * References: A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto,
 * S. Tarantola (2010), "Variance based sensitivity analysis of model output.
 * Design and estimator for the total sensitivity index", Computer Physics
 * Communications 181:259–270 (sampling design, first-order estimator, Table
 * 2 (b)); M. J. W. Jansen (1999), "Analysis of variance designs for model
 * output", Computer Physics Communications 117:35–43 (total-order
 * estimator, Table 2 (f) in Saltelli et al.).
 */
import type { Allocation } from "../allocation/allocation.js";
import type { Strategy } from "../allocation/strategy.js";
import { stream } from "../rng/streams.js";
import type { Estimate } from "../stats/estimate.js";
import { metricAt, prepare, resolveAllocation, scenarioOf, type Prepared } from "./run.js";
import { PAIRED_METHOD, PairedMoments, pairedEstimate } from "./paired.js";
import { checkPlan, replicationCost, type Planned } from "./budget.js";
import { getParameter, isIntegerPath, scenarioInput } from "./parameters.js";
import { resolveRunOptions, resolveSeed, type Progress, type ResolvedRunOptions, type RunOptions } from "./options.js";
import { pause, runToTarget, withSession } from "./runner.js";
import { buildResult, type Result } from "./simulate.js";
import { checkMetrics, pointScenario, runPoints } from "./sweep.js";

/** A value with a confidence interval. */
export interface Interval {
  value: number;
  lo: number;
  hi: number;
}

// ---------------------------------------------------------------------------
// Tornado

/** Options of `tornado`. */
export interface TornadoOptions {
  /** Refuse designs larger than this before they start (see `SimulateOptions.budget`): every run counted. */
  budget?: RunOptions["budget"];
  /** Each parameter's low and high value (in the unit its scenario string uses). */
  parameters: { path: string; low: number; high: number }[];
  /** Whole-line metric, e.g. "response.mean". */
  metric: string;
  /** Replications of every run (default 200). */
  replications?: number;
  /** Seed of every run (default 1): all runs share it (common random numbers). */
  seed?: number | string;
  /** Override the horizon of every run (hours or a unit string). */
  horizon?: number | string;
  /** Allocation strategy or ready allocation of every run (default: the scenario's own). */
  allocation?: string | Strategy | Allocation;
  /**
   * Called as replications finish (every run — the base and each parameter at low and high — advances
   * together, on common replication indices); if it throws, the tornado rejects.
   */
  onProgress?: (p: Progress) => void;
  /** Cancels the tornado; it rejects with an AbortError. */
  signal?: AbortSignal;
}

/** One parameter of a tornado. */
export interface TornadoRow {
  path: string;
  low: number;
  high: number;
  /** The metric with the parameter at `low`, the rest at the base scenario. */
  valueLow: Estimate;
  valueHigh: Estimate;
  /** The metric in the base scenario (the same for every row). */
  base: Estimate;
  /** valueHigh.value − valueLow.value: the difference of the two estimates, exactly. */
  swing: number;
  /**
   * The swing with its paired 95% CI (the runs share replication seeds; delta method over replications, or
   * paired sectioning for quantiles: see `TornadoResult.method`). NaN interval for a metric the paired
   * method does not cover.
   */
  swingInterval: Estimate;
}

/** What `tornado` returns. */
export interface TornadoResult {
  format: "ceasefire-sim/tornado@1";
  metric: string;
  seed: string;
  replications: number;
  /** The metric in the base scenario. */
  base: Estimate;
  /** One row per parameter, largest |swing| first. */
  rows: TornadoRow[];
  /** How the swings' intervals are computed. */
  method: string;
}

/** The abort error of tornado and sensitivity runs stopped by their signal. */
function aborted(what: string, done: number, total: number): DOMException {
  return new DOMException(`${what}: stopped after ${done} of ${total} simulations`, "AbortError");
}

/**
 * Simulate every scenario on one session (several at once on worker threads), reporting progress after each
 * in order, and read each result with `read`; rejects with an AbortError when the signal stops it.
 */
async function simulateAll<R>(
  o: ResolvedRunOptions,
  what: string,
  scenarios: readonly (() => unknown)[],
  allocation: string | Strategy | Allocation | undefined,
  read: (r: Result, i: number) => R,
): Promise<R[]> {
  return withSession(o, async (session) => {
    const out: R[] = [];
    for await (const r of runPoints(session, o, scenarios, allocation, read)) {
      out.push(r);
      session.progress({ done: out.length, total: scenarios.length });
    }
    session.throwIfFailed();
    if (out.length < scenarios.length) throw aborted(what, out.length, scenarios.length);
    return out;
  });
}

/**
 * One-at-a-time sensitivity: for each parameter, simulate the scenario with
 * it at `low` and at `high` (the others at their base values), all runs on
 * the same seed (common random numbers), and sort by |swing| = |metric at
 * high − metric at low|. The swing is the difference of the two estimates,
 * with a paired 95% CI (`swingInterval`); the base is what `simulate` gives
 * for the same seed and replications. Count fields (`count`, `capacity`, `personnel`)
 * are rounded to whole numbers. A tornado ignores interactions; `sensitivity`
 * measures them.
 *
 * @example
 * const t = await tornado(defaultScenario(), {
 *   metric: "response.mean", replications: 20,
 *   parameters: [
 *     { path: "contributions[state=gb,asset=team].count", low: 10, high: 30 },
 *     { path: "coordination.tasking.median", low: 10, high: 40 },
 *   ],
 * });
 * t.rows[0].path; // the parameter the mean response time depends on most
 */
export async function tornado(scenario: unknown, options: TornadoOptions): Promise<TornadoResult> {
  const o = resolveRunOptions(options, "tornado");
  if (typeof options.metric !== "string")
    throw new RangeError('metric: expected a whole-line metric name such as "response.mean"');
  if (!Array.isArray(options.parameters) || options.parameters.length === 0)
    throw new RangeError("parameters: expected at least one { path, low, high }");
  const input = scenarioInput(scenario);
  const params = options.parameters.map((p) => {
    getParameter(input, p.path);
    for (const k of ["low", "high"] as const)
      if (typeof p[k] !== "number" || !Number.isFinite(p[k]))
        throw new RangeError(`${p.path}: ${k}: expected a finite number; got ${String(p[k])}`);
    if (o.horizon !== null && p.path === "horizon")
      throw new RangeError("horizon: varied as a parameter and overridden by the horizon option; give one");
    const round = isIntegerPath(p.path) ? Math.round : (v: number) => v;
    return { path: p.path, low: round(p.low), high: round(p.high) };
  });
  const scenarios = params.map(
    (p) =>
      [
        pointScenario(input, { [p.path]: p.low }, `${p.path} = ${p.low}`),
        pointScenario(input, { [p.path]: p.high }, `${p.path} = ${p.high}`),
      ] as const,
  );
  await checkMetrics(scenarios[0]![0], [options.metric], o.horizon, options.allocation);
  const replications = o.until ? o.until.maxReplications : o.replications!;
  checkPlan(
    [
      { scenario: scenarioOf(input, o.horizon), replications, label: "the base scenario" },
      ...params.flatMap((p, i) => [
        { scenario: scenarioOf(scenarios[i]![0], o.horizon), replications, label: `${p.path} = ${p.low}` },
        { scenario: scenarioOf(scenarios[i]![1], o.horizon), replications, label: `${p.path} = ${p.high}` },
      ]),
    ],
    o.budget,
    `the tornado (${1 + 2 * params.length} simulations)`,
  );
  // Run 0 is the base scenario, then each parameter at low and at high: one batch on common replication
  // indices, so each run is the simulation `simulate` would give and the swings are paired.
  const runs = [input, ...scenarios.flat()];
  const prepared: Prepared[] = [];
  for (const sc of runs) {
    const s = scenarioOf(sc, o.horizon);
    await pause();
    prepared.push(await prepare(s, await resolveAllocation(s, options.allocation)));
  }
  const paired = PairedMoments.supports(options.metric)
    ? new PairedMoments(
        prepared.map((p) => p.model),
        [options.metric],
      )
    : null;
  const started = Date.now();
  const results = await withSession(o, async (session) => {
    const batch = session.batch(prepared);
    const out = await runToTarget(batch, o, {
      ...(paired
        ? { onReplication: (_r: number, rec: Float64Array, at: number) => paired.add(rec, at, batch.offsets) }
        : {}),
      onProgress: (p) => session.progress(p),
    });
    if (!out.complete) {
      session.throwIfFailed();
      throw new DOMException(
        `tornado: stopped after ${batch.done} of ${out.total} replications (of all runs together)`,
        "AbortError",
      );
    }
    return prepared.map((p, i) => buildResult(p, batch.accs[i]!, o.seed, started, true));
  });
  const values = results.map((r) => metricAt(r.line, options.metric));
  const base = values[0]!;
  const rows: TornadoRow[] = params.map((p, i) => {
    const valueLow = values[1 + 2 * i]!,
      valueHigh = values[2 + 2 * i]!;
    const swing = valueHigh.value - valueLow.value;
    return {
      path: p.path,
      low: p.low,
      high: p.high,
      valueLow,
      valueHigh,
      base,
      swing,
      swingInterval: paired
        ? paired.difference(0, 2 + 2 * i, 1 + 2 * i, valueHigh.value, valueLow.value).paired
        : pairedEstimate(swing, NaN, 0),
    };
  });
  rows.sort((a, b) => Math.abs(b.swing) - Math.abs(a.swing));
  return {
    format: "ceasefire-sim/tornado@1",
    metric: options.metric,
    seed: o.seed,
    replications: o.replications!,
    base,
    rows,
    method: PAIRED_METHOD,
  };
}

// ---------------------------------------------------------------------------
// Sobol' indices

/** Options of `sobol`. */
export interface SobolOptions {
  /** The box: one [min, max] per input dimension. */
  dimensions: { min: number; max: number }[];
  /** Base sample size N; f is evaluated N·(d + 2) times. */
  samples: number;
  /** Seed of the sample matrices and the bootstrap (default 1). */
  seed?: number | string;
  /** Bootstrap resamples for the intervals (default 200; 0 for none, then lo and hi are NaN). */
  bootstrap?: number;
  /** Confidence level of the bootstrap percentile intervals (default 0.95). */
  confidence?: number;
  /** Called after each evaluation of f that returned a promise, and every 1000 otherwise. */
  onProgress?: (p: { done: number; total: number }) => void;
  signal?: AbortSignal;
}

/** What `sobol` returns. */
export interface SobolResult {
  /** First-order indices S_i with bootstrap percentile intervals, one per dimension. */
  first: Interval[];
  /** Total-order indices S_Ti, one per dimension. */
  total: Interval[];
  /** Var(f) estimated from the 2N outputs f(A), f(B). */
  variance: number;
  /** Evaluations of f: N·(d + 2). */
  evaluations: number;
  samples: number;
  bootstrap: number;
  confidence: number;
  seed: string;
  method: string;
}

/** The estimators and intervals of `sobol` (quoted in results). */
export const SOBOL_METHOD =
  "Saltelli et al. (2010) sampling: pseudo-random matrices A, B (N × d, uniform on the box) and A_B^(i) " +
  "(A with column i from B), N·(d+2) evaluations; " +
  "first order S_i = V_i / V with V_i = (1/N) Σ f(B)_j (f(A_B^(i))_j − f(A)_j) " +
  "(Saltelli 2010, outputs centred on their mean); " +
  "total order S_Ti = E_i / V with E_i = (1/2N) Σ (f(A)_j − f(A_B^(i))_j)² (Jansen 1999); " +
  "V the sample variance of f(A) and f(B); " +
  "percentile bootstrap intervals resampling the N rows (quantiles by linear interpolation, R type 7)";

/** Linear-interpolation quantile of sorted values (R type 7). */
function quantile7(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p,
    lo = Math.floor(h);
  const a = sorted[lo]!,
    b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return a + (h - lo) * (b - a);
}

/** The estimators on rows idx[0..N) of the outputs; writes S_i to first and S_Ti to total, returns V. */
function estimators(
  fA: Float64Array,
  fB: Float64Array,
  fAB: Float64Array[],
  idx: Int32Array | null,
  first: Float64Array,
  total: Float64Array,
): number {
  const N = fA.length,
    d = fAB.length;
  let mean = 0;
  for (let k = 0; k < N; k++) {
    const j = idx ? idx[k]! : k;
    mean += fA[j]! + fB[j]!;
  }
  mean /= 2 * N;
  let ss = 0;
  for (let k = 0; k < N; k++) {
    const j = idx ? idx[k]! : k;
    ss += (fA[j]! - mean) ** 2 + (fB[j]! - mean) ** 2;
  }
  const V = ss / (2 * N - 1);
  for (let i = 0; i < d; i++) {
    const ab = fAB[i]!;
    let vi = 0,
      ei = 0;
    for (let k = 0; k < N; k++) {
      const j = idx ? idx[k]! : k;
      const a = fA[j]!,
        x = ab[j]!;
      vi += (fB[j]! - mean) * (x - a);
      ei += (a - x) * (a - x);
    }
    first[i] = vi / N / V;
    total[i] = ei / (2 * N) / V;
  }
  return V;
}

/**
 * Variance-based sensitivity indices of `f` on a box, from Saltelli et al.'s
 * (2010) design: two independent N × d matrices A and B of uniform points in
 * the box, and for each dimension i the matrix A_B^(i) — A with its column i
 * taken from B — so f is evaluated N·(d + 2) times.
 *
 * - First order (the share of Var f explained by x_i alone), Saltelli
 *   (2010): S_i = V_i / V, V_i = (1/N) Σ_j f(B)_j (f(A_B^(i))_j − f(A)_j),
 *   with outputs centred on their sample mean (which leaves the estimator's
 *   expectation unchanged and lowers its variance).
 * - Total order (the share involving x_i in any way), Jansen (1999):
 *   S_Ti = E_i / V, E_i = (1/2N) Σ_j (f(A)_j − f(A_B^(i))_j)².
 * - V is the sample variance of the 2N outputs f(A), f(B).
 *
 * Intervals are bootstrap percentile intervals (`bootstrap` resamples of
 * the N rows j, with replacement, re-estimating V, S_i and S_Ti on each).
 * The points are pseudo-random (not a quasi-random Sobol' sequence) so the
 * rows are independent and the bootstrap is valid. Deterministic for a
 * seed: matrices from the stream (seed, 0, "sobol"), resampling from
 * (seed, 0, "sobol-bootstrap"). A constant f gives NaN indices. `f` may be
 * async; it is evaluated one point at a time.
 *
 * @example
 * // f = x1 + 2 x2 on [0, 1]²: S = ST = [0.2, 0.8]
 * const unit = { min: 0, max: 1 };
 * const s = await sobol(([a, b]) => a + 2 * b, { dimensions: [unit, unit], samples: 4096 });
 * s.first[1].value; // ≈ 0.8, with s.first[1].lo ≤ 0.8 ≤ s.first[1].hi
 */
export async function sobol(f: (x: number[]) => number | Promise<number>, options: SobolOptions): Promise<SobolResult> {
  if (typeof f !== "function") throw new RangeError("sobol: expected a function of a point x: number[]");
  const design = sobolDesign(options);
  const { evaluations } = design;
  const values = new Float64Array(evaluations);
  let lastYield = Date.now();
  const x = new Array<number>(design.d);
  for (let e = 0; e < evaluations; e++) {
    if (options.signal?.aborted)
      throw new DOMException(`sobol: stopped after ${e} of ${evaluations} evaluations`, "AbortError");
    design.point(e, x);
    let y = f(x.slice());
    if (typeof y === "object" && y !== null && typeof (y as Promise<number>).then === "function") {
      y = await y;
      options.onProgress?.({ done: e + 1, total: evaluations });
    } else if ((e + 1) % 1000 === 0 || e + 1 === evaluations) {
      options.onProgress?.({ done: e + 1, total: evaluations });
      if (Date.now() - lastYield > 50) {
        await pause();
        lastYield = Date.now();
      }
    }
    if (typeof y !== "number" || !Number.isFinite(y))
      throw new RangeError(`sobol: f returned ${String(y)} at x = [${x.join(", ")}]; expected a finite number`);
    values[e] = y;
  }
  return sobolIndices(design, values);
}

/** Saltelli's design for `SobolOptions` (checked): the points in evaluation order, and the settings. */
interface SobolDesign {
  N: number;
  d: number;
  bootstrap: number;
  confidence: number;
  seed: string;
  evaluations: number;
  /** Write evaluation e's point into x: rows of A (e < N), of B (e < 2N), then A_B^(i) row by row for each i. */
  point(e: number, x: number[]): void;
}

function sobolDesign(options: SobolOptions): SobolDesign {
  const dims = options.dimensions;
  if (!Array.isArray(dims) || dims.length === 0) throw new RangeError("dimensions: expected at least one { min, max }");
  dims.forEach((b, i) => {
    if (
      !(
        typeof b?.min === "number" &&
        typeof b.max === "number" &&
        Number.isFinite(b.min) &&
        Number.isFinite(b.max) &&
        b.min <= b.max
      )
    )
      throw new RangeError(`dimensions[${i}]: expected finite min <= max; got ${JSON.stringify(b)}`);
  });
  const N = options.samples;
  if (!Number.isInteger(N) || N < 2 || N > 10_000_000)
    throw new RangeError(`samples: expected a whole number from 2 to 1e7; got ${N}`);
  const B = options.bootstrap ?? 200;
  if (!Number.isInteger(B) || B < 0 || B > 100_000)
    throw new RangeError(`bootstrap: expected a whole number from 0 to 100000; got ${options.bootstrap}`);
  const conf = options.confidence ?? 0.95;
  if (!(conf > 0 && conf < 1))
    throw new RangeError(`confidence: expected a number between 0 and 1; got ${options.confidence}`);
  const seed = resolveSeed(options.seed);
  const d = dims.length;
  // A and B, row-major N × d, uniform on the box.
  const rng = stream(seed, 0, "sobol");
  const draw = () => {
    const m = new Float64Array(N * d);
    for (let j = 0; j < N; j++)
      for (let i = 0; i < d; i++) m[j * d + i] = dims[i]!.min + (dims[i]!.max - dims[i]!.min) * rng.next();
    return m;
  };
  const A = draw(),
    Bm = draw();
  return {
    N,
    d,
    bootstrap: B,
    confidence: conf,
    seed,
    evaluations: N * (d + 2),
    point(e, x) {
      const m = e >= N && e < 2 * N ? Bm : A;
      const j = e < 2 * N ? e % N : (e - 2 * N) % N;
      for (let i = 0; i < d; i++) x[i] = m[j * d + i]!;
      if (e >= 2 * N) {
        const swap = Math.floor((e - 2 * N) / N);
        x[swap] = Bm[j * d + swap]!;
      }
    },
  };
}

/** The indices and bootstrap intervals from the outputs of every evaluation (in the design's order). */
function sobolIndices(design: SobolDesign, values: Float64Array): SobolResult {
  const { N, d, bootstrap: B, confidence: conf, seed } = design;
  const fA = values.subarray(0, N),
    fB = values.subarray(N, 2 * N);
  const fAB = Array.from({ length: d }, (_, i) => values.subarray((2 + i) * N, (3 + i) * N));
  const S = new Float64Array(d),
    ST = new Float64Array(d);
  const variance = estimators(fA, fB, fAB, null, S, ST);
  const bootS = Array.from({ length: d }, () => new Float64Array(B));
  const bootT = Array.from({ length: d }, () => new Float64Array(B));
  if (B > 0) {
    const brng = stream(seed, 0, "sobol-bootstrap");
    const idx = new Int32Array(N);
    const s = new Float64Array(d),
      t = new Float64Array(d);
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < N; k++) idx[k] = Math.floor(brng.next() * N);
      estimators(fA, fB, fAB, idx, s, t);
      for (let i = 0; i < d; i++) {
        bootS[i]![b] = s[i]!;
        bootT[i]![b] = t[i]!;
      }
    }
  }
  const interval = (value: number, boot: Float64Array): Interval => {
    if (B === 0 || boot.some((v) => Number.isNaN(v))) return { value, lo: NaN, hi: NaN };
    boot.sort();
    return { value, lo: quantile7(boot, (1 - conf) / 2), hi: quantile7(boot, (1 + conf) / 2) };
  };
  return {
    first: Array.from(S, (v, i) => interval(v, bootS[i]!)),
    total: Array.from(ST, (v, i) => interval(v, bootT[i]!)),
    variance,
    evaluations: design.evaluations,
    samples: N,
    bootstrap: B,
    confidence: conf,
    seed,
    method: SOBOL_METHOD,
  };
}

// ---------------------------------------------------------------------------
// Sobol' indices of a scenario metric

/** Options of `sensitivity`. */
export interface SensitivityOptions {
  /** Refuse designs larger than this before they start (see `SimulateOptions.budget`): every run counted. */
  budget?: RunOptions["budget"];
  /** The parameters and the range each is varied over (in the unit its scenario string uses). */
  parameters: { path: string; min: number; max: number }[];
  /** Whole-line metric, e.g. "response.mean". */
  metric: string;
  /** Base sample size N (default 32): N·(d + 2) simulations. */
  samples?: number;
  /** Replications of every simulation (default 10). */
  replications?: number;
  /** Seed of every simulation (common random numbers) and of the sampling (default 1). */
  seed?: number | string;
  /** Bootstrap resamples (default 200). */
  bootstrap?: number;
  /** Confidence level of the bootstrap intervals (default 0.95). */
  confidence?: number;
  /** Override the horizon of every simulation (hours or a unit string). */
  horizon?: number | string;
  /** Allocation strategy or ready allocation of every simulation (default: the scenario's own). */
  allocation?: string | Strategy | Allocation;
  /** Called after each simulation, in order; if it throws, the analysis rejects with that error. */
  onProgress?: (p: Progress) => void;
  /** Cancels the analysis; it rejects with an AbortError. */
  signal?: AbortSignal;
}

/** What `sensitivity` returns. */
export interface SensitivityResult {
  format: "ceasefire-sim/sensitivity@1";
  metric: string;
  /** One entry per parameter, in input order. */
  indices: { path: string; min: number; max: number; first: Interval; total: Interval }[];
  /** Variance of the metric over the box (including what is left of replication noise). */
  variance: number;
  evaluations: number;
  samples: number;
  replications: number;
  seed: string;
  method: string;
  note: string;
}

/**
 * Sobol' indices of a whole-line metric with respect to scenario parameters
 * varied uniformly over their ranges (see `sobol` for the estimators).
 *
 * Each evaluation simulates the scenario at a parameter point with few
 * replications (default 10) and the same seed for every evaluation (common
 * random numbers), so the metric is a deterministic function of the
 * parameters; its remaining replication noise is part of that function and
 * shows up as small spurious indices and as extra total-order share. Raise
 * `replications` (and `samples`) when the indices matter. Count fields are
 * rounded to whole numbers. The defaults are small (32 samples, so 32·(d+2)
 * short simulations).
 *
 * @example
 * const s = await sensitivity(defaultScenario(), {
 *   metric: "response.mean", samples: 16, replications: 5,
 *   parameters: [
 *     { path: "contributions[state=gb,asset=team].count", min: 10, max: 30 },
 *     { path: "assets[id=team].speed", min: 30, max: 60 },
 *   ],
 * });
 * s.indices.map((p) => [p.path, p.total.value]);
 */
/**
 * The budget's view of a design over a box: its evaluations, each costed as the costliest corner of the box (every
 * corner up to 6 parameters; beyond, the lower and upper corners), so the design is refused before it starts.
 */
function boxPlan(
  input: unknown,
  parameters: readonly { path: string; min: number; max: number }[],
  at: (x: readonly number[]) => Record<string, number>,
  evaluations: number,
  replications: number,
  horizon: number | null,
): Planned[] {
  const d = parameters.length;
  const corners = d <= 6 ? 2 ** d : 2;
  let worst: Planned | null = null;
  let worstWork = -1;
  for (let c = 0; c < corners; c++) {
    const upper = (i: number) => (d <= 6 ? (c >> i) & 1 : c) === 1;
    const x = parameters.map((p, i) => (upper(i) ? p.max : p.min));
    const s = scenarioOf(pointScenario(input, at(x), `a corner of the box`), horizon);
    const work = replicationCost(s).work;
    if (work > worstWork) {
      worstWork = work;
      worst = { scenario: s, replications, label: `the corner [${x.join(", ")}]` };
    }
  }
  return [{ ...worst!, replications: replications * evaluations }];
}

export async function sensitivity(scenario: unknown, options: SensitivityOptions): Promise<SensitivityResult> {
  const o = resolveRunOptions(options, "sensitivity");
  const replications = o.replications!;
  const samples = options.samples ?? 32;
  if (typeof options.metric !== "string")
    throw new RangeError('metric: expected a whole-line metric name such as "response.mean"');
  if (!Array.isArray(options.parameters) || options.parameters.length === 0)
    throw new RangeError("parameters: expected at least one { path, min, max }");
  const input = scenarioInput(scenario);
  const paths = options.parameters.map((p) => p.path);
  if (new Set(paths).size !== paths.length)
    throw new RangeError(`parameters: a path is given twice: ${paths.join(", ")}`);
  const rounders = options.parameters.map((p) => {
    getParameter(input, p.path);
    if (o.horizon !== null && p.path === "horizon")
      throw new RangeError("horizon: varied as a parameter and overridden by the horizon option; give one");
    return isIntegerPath(p.path) ? Math.round : (v: number) => v;
  });
  const at = (x: readonly number[]) => Object.fromEntries(paths.map((p, i) => [p, rounders[i]!(x[i]!)]));
  const design = sobolDesign({
    dimensions: options.parameters.map((p) => ({ min: p.min, max: p.max })),
    samples,
    seed: o.seed,
    ...(options.bootstrap !== undefined ? { bootstrap: options.bootstrap } : {}),
    ...(options.confidence !== undefined ? { confidence: options.confidence } : {}),
  });
  // The box's two extreme corners must give valid scenarios.
  const lo = pointScenario(input, at(options.parameters.map((p) => p.min)), "the lower corner");
  pointScenario(input, at(options.parameters.map((p) => p.max)), "the upper corner");
  await checkMetrics(lo, [options.metric], o.horizon, options.allocation);
  checkPlan(
    boxPlan(input, options.parameters, at, design.evaluations, replications, o.horizon),
    o.budget,
    `the Sobol design (${design.evaluations} simulations)`,
  );
  // Every evaluation is a simulation at its point of the design, all on the runner (several at once on workers).
  const points = Array.from({ length: design.evaluations }, (_, e) => {
    const x = new Array<number>(design.d);
    design.point(e, x);
    return x;
  });
  const values = await simulateAll(
    o,
    "sensitivity",
    points.map((x, e) => () => pointScenario(input, at(x), `evaluation ${e}`)),
    options.allocation,
    (r, e) => {
      const y = metricAt(r.line, options.metric).value;
      if (!Number.isFinite(y))
        throw new RangeError(
          `sensitivity: ${options.metric} is ${y} at evaluation ${e} (x = [${points[e]!.join(", ")}]); ` +
            "expected a finite number",
        );
      return y;
    },
  );
  const s = sobolIndices(design, Float64Array.from(values));
  return {
    format: "ceasefire-sim/sensitivity@1",
    metric: options.metric,
    indices: options.parameters.map((p, i) => ({
      path: p.path,
      min: p.min,
      max: p.max,
      first: s.first[i]!,
      total: s.total[i]!,
    })),
    variance: s.variance,
    evaluations: s.evaluations,
    samples: s.samples,
    replications,
    seed: s.seed,
    method: s.method,
    note:
      `each evaluation is a simulation of ${replications} replication${replications === 1 ? "" : "s"} on seed ` +
      `${s.seed} (common random numbers); replication noise left in the metric counts as variance and inflates ` +
      `small indices`,
  };
}
