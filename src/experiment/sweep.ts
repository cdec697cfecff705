/**
 * Parameter sweeps: run the simulation over a design of parameter points
 * (a full-factorial grid or a Latin hypercube) and report chosen metrics
 * at each point as tidy rows.
 *
 * Every point is simulated with the same seed, so replication r of every
 * point draws from the same streams (common random numbers): differences
 * between points come from the parameters, not from fresh noise, as long
 * as the parameters do not change how many draws an incident consumes.
 *
 * Parameters that share a `link` name move together: they are one dimension
 * of the design, their values zipped (the first of each, then the second, …).
 * A point whose scenario is invalid (it fails validation or allocation, e.g.
 * more teams than the bases hold) is an infeasible point: its rows carry the
 * reason in `infeasible` and no estimates, and the sweep goes on.
 */
import { formatPath, ScenarioError } from "../model/errors.js";
import type { Scenario } from "../model/types.js";
import { parseScenario } from "../model/parse.js";
import { stream } from "../rng/streams.js";
import {
  checkModeCounts,
  emptyLine,
  fixBasePlacement,
  metricAt,
  prepare,
  resolveAllocation,
  scenarioOf,
  type AllocationOption,
  type Prepared,
  type Until,
} from "./run.js";
import { runPrepared, type Result } from "./simulate.js";
import {
  checkValue as checkParameterValue,
  isIntegerPath,
  parameterInfo,
  scenarioInput,
  setParameters,
  type ParameterScalar,
} from "./parameters.js";
import { resolveRunOptions, resolveSeed, type Progress, type ResolvedRunOptions, type RunOptions } from "./options.js";
import { pause, Session } from "./runner.js";
import { checkPlan, type Planned } from "./budget.js";

/**
 * One swept parameter: explicit values, or a range [min, max] (grid: `levels` evenly spaced values; lhs:
 * sampled). Values are numbers, or booleans and names where the path's field is a boolean, an enum or text
 * (`parameterInfo`); ranges are numeric. Parameters with the same `link` move together (see `sweepDesign`).
 */
export type SweepParameter =
  | { path: string; values: ParameterScalar[]; integer?: boolean; link?: string }
  | { path: string; min: number; max: number; levels?: number; integer?: boolean; link?: string };

/** The design of a sweep. */
export interface DesignOptions {
  parameters: SweepParameter[];
  /** "grid" (default): full factorial; "lhs": Latin hypercube of `points` points. */
  design?: "grid" | "lhs";
  /** Points of a Latin hypercube (default 10 per parameter). */
  points?: number;
  /** Seed of the Latin hypercube (default 1); grids are not random. */
  seed?: number | string;
}

/** A design point: parameter path → value (a number in the unit its scenario string uses, a boolean or a name). */
export type DesignPoint = Readonly<Record<string, ParameterScalar>>;

/** Default number of levels of a grid range. */
export const DEFAULT_LEVELS = 5;
/**
 * The most points a design may have: every point's scenario is parsed before the first simulation (a few ms
 * each), so a larger design would spend minutes before it starts.
 */
const MAX_POINTS = 10_000;

function evenly(min: number, max: number, levels: number): number[] {
  if (levels === 1) return [min];
  return Array.from({ length: levels }, (_, k) => (k === levels - 1 ? max : min + ((max - min) * k) / (levels - 1)));
}

function checkNumber(path: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new RangeError(`${path}: ${name}: expected a finite number; got ${String(v)}`);
  return v;
}

interface ResolvedParameter {
  path: string;
  integer: boolean;
  values: ParameterScalar[] | null;
  min: number;
  max: number;
  link: string | undefined;
}

function checkValue(path: string, k: number, v: unknown): ParameterScalar {
  if (typeof v === "boolean" || typeof v === "string") return v;
  return checkNumber(path, `values[${k}]`, v);
}

function resolveParameters(parameters: SweepParameter[], design: "grid" | "lhs"): ResolvedParameter[] {
  if (!Array.isArray(parameters) || parameters.length === 0)
    throw new RangeError("parameters: expected at least one parameter");
  const seen = new Set<string>();
  return parameters.map((p) => {
    if (typeof p !== "object" || p === null || typeof p.path !== "string")
      throw new RangeError("parameters: expected objects { path, values } or { path, min, max }");
    if (seen.has(p.path)) throw new RangeError(`${p.path}: given twice`);
    seen.add(p.path);
    const link = p.link;
    if (link !== undefined && (typeof link !== "string" || link === ""))
      throw new RangeError(`${p.path}: link: expected a non-empty name; got ${JSON.stringify(link)}`);
    const integer = p.integer ?? isIntegerPath(p.path);
    const round = (v: ParameterScalar) => (integer && typeof v === "number" ? Math.round(v) : v);
    if ("values" in p && p.values !== undefined) {
      if ("min" in p || "max" in p) throw new RangeError(`${p.path}: give values or min and max, not both`);
      if (design === "lhs") throw new RangeError(`${p.path}: a Latin hypercube needs min and max, not values`);
      if (!Array.isArray(p.values) || p.values.length === 0)
        throw new RangeError(`${p.path}: values: expected a non-empty list of values`);
      const all = p.values.map((v, k) => round(checkValue(p.path, k, v)));
      // Linked values are zipped with their partners', so they keep their places (repeats included).
      const values = link === undefined ? [...new Set(all)] : all;
      const nums = values.filter((v): v is number => typeof v === "number");
      return { path: p.path, integer, values, min: Math.min(...nums), max: Math.max(...nums), link };
    }
    const r = p as { path: string; min: number; max: number; levels?: number };
    const min = checkNumber(p.path, "min", r.min),
      max = checkNumber(p.path, "max", r.max);
    if (!(min <= max)) throw new RangeError(`${p.path}: expected min <= max; got min ${min}, max ${max}`);
    if (design === "lhs") {
      if (r.levels !== undefined)
        throw new RangeError(`${p.path}: levels apply to a grid; a Latin hypercube takes points`);
      return { path: p.path, integer, values: null, min, max, link };
    }
    const levels = r.levels ?? (min === max ? 1 : DEFAULT_LEVELS);
    if (!Number.isInteger(levels) || levels < 1 || (levels === 1 && min !== max))
      throw new RangeError(`${p.path}: levels: expected a whole number of at least 2; got ${r.levels}`);
    if (levels > MAX_POINTS)
      throw new RangeError(`${p.path}: levels: ${levels} is more than a design may have (${MAX_POINTS} points)`);
    const grid = evenly(min, max, levels).map(round);
    return { path: p.path, integer, values: link === undefined ? [...new Set(grid)] : grid, min, max, link };
  });
}

/**
 * The design's dimensions: each unlinked parameter alone, and the parameters of each `link` together (in the
 * order of their first appearance); a grid's linked parameters must have as many values each.
 */
function dimensions(params: ResolvedParameter[], design: "grid" | "lhs"): ResolvedParameter[][] {
  const dims: ResolvedParameter[][] = [];
  const byLink = new Map<string, ResolvedParameter[]>();
  for (const p of params) {
    if (p.link === undefined) dims.push([p]);
    else if (byLink.has(p.link)) byLink.get(p.link)!.push(p);
    else {
      const dim = [p];
      byLink.set(p.link, dim);
      dims.push(dim);
    }
  }
  if (design === "grid")
    for (const dim of dims) {
      const n = dim[0]!.values!.length;
      const odd = dim.find((p) => p.values!.length !== n);
      if (odd)
        throw new RangeError(
          `link ${JSON.stringify(dim[0]!.link)}: linked parameters move together, so they need as many values ` +
            `each; ${dim.map((p) => `${p.path} has ${p.values!.length}`).join(", ")}`,
        );
    }
  return dims;
}

/**
 * The points of a sweep design.
 *
 * - `grid`: the full factorial over each parameter's `values`, or `levels`
 *   (default 5) evenly spaced values from `min` to `max`; the first
 *   parameter varies slowest.
 * - `lhs`: a Latin hypercube of `points` points (default 10 per parameter)
 *   in [min, max]^d: each parameter's range is cut into `points` equal
 *   strata and every stratum holds exactly one point, at a uniform position
 *   within it; strata are paired across parameters by independent random
 *   permutations. Seeded from the stream (seed, 0, "lhs").
 *
 * Parameters whose path ends in a count field (`count`, `capacity`,
 * `personnel`) are rounded to whole numbers unless `integer: false`;
 * duplicate grid values after rounding are dropped.
 *
 * Linked parameters (the same `link` name) are one dimension: in a grid
 * their k-th values go together (they need as many values each, and keep
 * repeats); in a Latin hypercube they share one stratum and one position
 * within it, each scaled to its own [min, max].
 *
 * @example
 * sweepDesign({
 *   parameters: [
 *     { path: "horizon", values: [30, 60] },
 *     { path: "assets[id=team].speed", min: 20, max: 60, levels: 3 },
 *   ],
 * });
 * // [{ horizon: 30, "assets[id=team].speed": 20 }, { horizon: 30, …: 40 }, { horizon: 30, …: 60 },
 * //  { horizon: 60, …: 20 }, …] (6 points)
 * sweepDesign({
 *   parameters: [
 *     { path: "assets[id=team].nightCapable", values: [true, false] },
 *     { path: "contributions[state=gb,asset=team].count", values: [20, 40], link: "teams" },
 *     { path: "bases[id=kharkiv].capacity", values: [12, 32], link: "teams" },
 *   ],
 * }).length; // 4: two night rules × two linked (count, capacity) pairs
 */
export function sweepDesign(options: DesignOptions): DesignPoint[] {
  const design = options.design ?? "grid";
  if (design !== "grid" && design !== "lhs")
    throw new RangeError(`design: expected "grid" or "lhs"; got ${JSON.stringify(design)}`);
  const params = resolveParameters(options.parameters, design);
  const dims = dimensions(params, design);
  if (design === "grid") {
    if (options.points !== undefined)
      throw new RangeError('points: applies to design "lhs"; a grid\'s size is the product of its levels');
    const total = dims.reduce((n, d) => n * d[0]!.values!.length, 1);
    if (total > MAX_POINTS)
      throw new RangeError(`grid: ${total} points is more than ${MAX_POINTS}; use fewer levels or design "lhs"`);
    const out: DesignPoint[] = [];
    const idx = new Array<number>(dims.length).fill(0);
    for (let n = 0; n < total; n++) {
      // Own keys whatever the path ("__proto__" included): fromEntries defines, where assignment would not.
      // Parameters keep the order they were given in, linked or not.
      const at = new Map(dims.flatMap((d, j) => d.map((p) => [p, p.values![idx[j]!]!] as const)));
      out.push(Object.freeze(Object.fromEntries(params.map((p) => [p.path, at.get(p)!]))));
      for (let j = dims.length - 1; j >= 0; j--) {
        if (++idx[j]! < dims[j]![0]!.values!.length) break;
        idx[j] = 0;
      }
    }
    return out;
  }
  const n = options.points ?? 10 * params.length;
  if (!Number.isInteger(n) || n < 1 || n > MAX_POINTS)
    throw new RangeError(`points: expected a whole number from 1 to ${MAX_POINTS}; got ${options.points}`);
  const rng = stream(resolveSeed(options.seed), 0, "lhs");
  const columns = new Map<ResolvedParameter, number[]>();
  for (const dim of dims) {
    // Fisher–Yates permutation of the strata, then a uniform position in each (shared by linked parameters).
    const perm = Array.from({ length: n }, (_, k) => k);
    for (let k = n - 1; k > 0; k--) {
      const j = Math.floor(rng.next() * (k + 1));
      [perm[k], perm[j]] = [perm[j]!, perm[k]!];
    }
    const at = perm.map((stratum) => stratum + rng.next());
    for (const p of dim)
      columns.set(
        p,
        at.map((x) => {
          const v = p.min + ((p.max - p.min) * x) / n;
          return p.integer ? Math.round(v) : Math.min(v, p.max);
        }),
      );
  }
  return Array.from({ length: n }, (_, i) =>
    Object.freeze(Object.fromEntries(params.map((p) => [p.path, columns.get(p)![i]!]))),
  );
}

/** Metrics a sweep reports when none are named. */
export const DEFAULT_SWEEP_METRICS: readonly string[] = Object.freeze([
  "response.mean",
  "withinStandard",
  "detection.probability",
  "coverage.overall",
]);

/** Options of `sweep` and `sweepRows`. */
export interface SweepOptions extends DesignOptions {
  /** Refuse designs larger than this before they start (see `SimulateOptions.budget`): every run counted. */
  budget?: RunOptions["budget"];
  /** Whole-line metrics by name (default: response.mean, withinStandard, detection.probability, coverage.overall). */
  metrics?: string[];
  /** Replications at every point (default 200), or… */
  replications?: number;
  /** …sequential stopping at every point. */
  until?: Until;
  /** Seed of every point's simulation (common random numbers across points) and of the Latin hypercube (default 1). */
  seed?: number | string;
  /** Override the horizon of every point (hours or a unit string); conflicts with sweeping `horizon`. */
  horizon?: number | string;
  /**
   * Allocation strategy (name or object) or a ready allocation, re-applied at every point (default: the
   * scenario's own); or an allocation mode (`ModeAllocation`): `{ mode: "augment" }` keeps the placement of the
   * swept scenario (or of `base`) at every point and places only the units a point adds, `{ mode: "remove" }`
   * keeps it less the units a point withdraws.
   */
  allocation?: AllocationOption;
  /** Called after each point, in order; if it throws, the sweep rejects with that error. */
  onProgress?: (p: Progress) => void;
  /** Cancels the sweep; it then rejects with a `SweepAborted`. */
  signal?: AbortSignal;
}

/** One tidy row: a metric's estimate at one design point, or why the point is infeasible. */
export interface SweepRow {
  /** Index of the design point (0-based). */
  point: number;
  /** The point's parameter values (path → value in the scenario string's unit). */
  parameters: DesignPoint;
  metric: string;
  value: number;
  /** 95% confidence interval (NaN with fewer than two replications). */
  lo: number;
  hi: number;
  halfWidth: number;
  replications: number;
  /**
   * At an infeasible point only: why its scenario fails validation or allocation (each problem as "path:
   * message", joined by "; "); its estimates are then NaN and `replications` 0.
   */
  infeasible?: string;
}

/** Thrown when a sweep's signal aborts it: `done` of `total` points had finished (their rows were already yielded). */
export class SweepAborted extends Error {
  override readonly name = "AbortError";
  constructor(
    readonly done: number,
    readonly total: number,
  ) {
    super(`sweep stopped after ${done} of ${total} points`);
  }
}

/** Parsed point scenarios a sweep keeps between its checks and its run (the rest are parsed again). */
const KEEP_PARSED = 256;

const describePoint = (i: number | string, pt: DesignPoint) =>
  `${typeof i === "number" ? `point ${i}` : i} (${Object.entries(pt)
    .map(([k, v]) => `${k} = ${v}`)
    .join(", ")})`;

/** A ScenarioError's problems on one line: "bases: the bases hold 114 teams in all but …; sectors[0]…: …". */
export function infeasibleReason(e: ScenarioError): string {
  return e.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join("; ");
}

/**
 * Check a sweep before running it: the design, every parameter path and value on the scenario, every point's
 * scenario (parsed: `reasons[i]` says why point i is infeasible, else null), the budget of the feasible points,
 * and the metric names.
 * @internal
 */
export async function planSweep(
  scenario: unknown,
  options: SweepOptions,
  o: ResolvedRunOptions = resolveRunOptions(options, "sweep"),
): Promise<{
  input: unknown;
  points: DesignPoint[];
  metrics: string[];
  parsed: (Scenario | undefined)[];
  allocation: AllocationOption | undefined;
  reasons: (string | null)[];
}> {
  const input = scenarioInput(scenario);
  const points = sweepDesign(options);
  const paths = options.parameters.map((p) => p.path);
  for (const path of paths) parameterInfo(input, path);
  // Every value fits its path's kind (a number, true/false, an enum's name): a wrong one is a usage error.
  for (const p of options.parameters)
    if ("values" in p && p.values !== undefined) for (const v of p.values) checkParameterValue(input, p.path, v);
    else if (parameterInfo(input, p.path).kind !== "number")
      throw new RangeError(`${p.path}: a range min..max needs a number field; give its values instead`);
  if (o.horizon !== null && paths.includes("horizon"))
    throw new RangeError("horizon: swept as a parameter and overridden by the horizon option; give one");
  const metrics = options.metrics ?? [...DEFAULT_SWEEP_METRICS];
  if (!Array.isArray(metrics) || metrics.length === 0)
    throw new RangeError("metrics: expected at least one metric name");
  // Every point's scenario is parsed before any simulation runs: one that fails is infeasible (a row saying why).
  // The first KEEP_PARSED are kept for the run (parsing is much of a point's work on the main thread).
  // And the feasible points must fit the budget (each point's cost, at its horizon), before any simulation runs.
  const parsed: (Scenario | undefined)[] = [];
  const reasons: (string | null)[] = [];
  const plan: Planned[] = [];
  const replications = o.until ? o.until.maxReplications : o.replications!;
  // An allocation mode's base placement (default: the swept scenario's) is made once, for every point.
  const allocation = await fixBasePlacement(options.allocation, input);
  for (let i = 0; i < points.length; i++) {
    let s: Scenario | undefined;
    let reason: string | null = null;
    try {
      s = pointScenario(input, points[i]!, i);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      reason = infeasibleReason(e);
    }
    reasons.push(reason);
    if (i < KEEP_PARSED) parsed.push(s);
    if (s) {
      plan.push({ scenario: scenarioOf(s, o.horizon), replications, label: describePoint(i, points[i]!) });
      checkModeCounts(s, allocation, describePoint(i, points[i]!));
    }
  }
  checkPlan(plan, o.budget, `the sweep (${points.length} points)`);
  const names = o.until ? [...metrics, o.until.metric] : metrics;
  // Metric names are checked on the first point that allocates (else on the scenario as given).
  let checked = false;
  for (let i = 0; i < points.length && !checked; i++) {
    if (reasons[i] !== null) continue;
    try {
      await checkMetrics(parsed[i] ?? pointScenario(input, points[i]!, i), names, o.horizon, allocation);
      checked = true;
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
    }
  }
  if (!checked) {
    try {
      await checkMetrics(input, names, o.horizon, allocation);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      // The scenario as given is invalid, and no point repairs it: its own problems, with their paths.
      throw new ScenarioError(
        [...e.issues],
        `every point of the sweep is infeasible (point 0: ${reasons[0] ?? "its allocation fails"}), and the scenario`,
      );
    }
  }
  return { input, points, metrics, parsed, allocation, reasons };
}

/**
 * Check metric names on a scenario's model (allocated and compiled, not run); RangeError naming the valid ones.
 * @internal
 */
export async function checkMetrics(
  scenario: unknown,
  metrics: readonly string[],
  horizon: number | null,
  allocation: AllocationOption | undefined,
): Promise<void> {
  const s = scenarioOf(scenario, horizon);
  const line = emptyLine(await prepare(s, await resolveAllocation(s, allocation)));
  for (const m of metrics) metricAt(line, m);
}

/**
 * Simulate each scenario (made when its turn comes) on one session, yielding each result in order: the
 * runner's `ordered`, several points in flight on a pool of workers, one at a time on the calling thread.
 * @internal
 */
export async function* runPoints<R>(
  session: Session,
  o: ResolvedRunOptions,
  scenarios: readonly (() => unknown)[],
  allocation: AllocationOption | undefined,
  read: (result: Result, i: number) => R,
  infeasible?: (error: ScenarioError, i: number) => R,
): AsyncGenerator<R, void, undefined> {
  yield* session.ordered(scenarios, async (scenario, i) => {
    const started = Date.now();
    // Yield between the steps of preparing a point, so that workers waiting for tasks are served meanwhile.
    let p: Prepared;
    try {
      const s = scenarioOf(scenario(), o.horizon);
      await pause();
      const a = await resolveAllocation(s, allocation);
      await pause();
      p = await prepare(s, a);
    } catch (e) {
      // A point that fails validation or allocation is infeasible where the caller takes that (a sweep).
      if (infeasible && e instanceof ScenarioError) return infeasible(e, i);
      throw e;
    }
    return read(await runPrepared(session, o, p, started, false), i);
  });
}

/** @internal Parse the scenario at a design point; a ScenarioError names the point. */
export function pointScenario(input: unknown, pt: DesignPoint, i: number | string) {
  try {
    return parseScenario(setParameters(input, pt));
  } catch (e) {
    if (e instanceof ScenarioError) throw new ScenarioError([...e.issues], `the scenario at ${describePoint(i, pt)}`);
    throw e;
  }
}

/**
 * Run a sweep, yielding tidy rows (one per design point × metric) in point
 * order as points finish. Only the points in flight are held (one on the
 * calling thread, two per worker with `workers` from `ceasefire-sim/node`),
 * so large sweeps can be streamed to a file. Every point uses the same seed
 * (common random numbers). Everything is checked before the first
 * simulation: the design, the paths and values, every point's scenario and
 * the metric names. A point whose scenario fails validation or allocation
 * yields rows with its reason in `infeasible` (and NaN estimates), and the
 * sweep goes on.
 *
 * @example
 * for await (const row of sweepRows(defaultScenario(), {
 *   parameters: [{ path: "sectors[id=pokrovsk].incidents.rate", values: [15, 22.5, 30] }],
 *   metrics: ["response.mean"], replications: 20,
 * })) console.log(row.parameters, row.value);
 */
export async function* sweepRows(scenario: unknown, options: SweepOptions): AsyncGenerator<SweepRow, void, undefined> {
  const o = resolveRunOptions(options, "sweep");
  const { input, points, metrics, parsed, allocation } = await planSweep(scenario, options, o);
  const total = points.length;
  const session = new Session(o);
  let done = 0;
  try {
    const rows = runPoints(
      session,
      o,
      points.map((pt, i) => () => {
        const s = parsed[i] ?? pointScenario(input, pt, i);
        parsed[i] = undefined;
        return s;
      }),
      allocation,
      (result, i) =>
        metrics.map((metric): SweepRow => {
          const e = metricAt(result.line, metric);
          return {
            point: i,
            parameters: points[i]!,
            metric,
            value: e.value,
            lo: e.lo,
            hi: e.hi,
            halfWidth: e.halfWidth,
            replications: result.provenance.replications,
          };
        }),
      (error, i) =>
        metrics.map(
          (metric): SweepRow => ({
            point: i,
            parameters: points[i]!,
            metric,
            value: NaN,
            lo: NaN,
            hi: NaN,
            halfWidth: NaN,
            replications: 0,
            infeasible: infeasibleReason(error),
          }),
        ),
    );
    for await (const pointRows of rows) {
      session.progress({ done: ++done, total });
      yield* pointRows;
      if (session.signal.aborted) break;
    }
    session.throwIfFailed();
    if (done < total) throw new SweepAborted(done, total);
  } finally {
    await session.close();
  }
}

/**
 * Run a sweep and collect its rows (see `sweepRows`).
 *
 * @example
 * const rows = await sweep(defaultScenario(), {
 *   parameters: [{ path: "contributions[state=gb,asset=team].count", values: [10, 20, 30] }],
 *   metrics: ["response.mean"], replications: 20, seed: 7,
 * });
 * // mean response at 10, 20, 30 UK teams:
 * rows.map((r) => [r.parameters["contributions[state=gb,asset=team].count"], r.value]);
 */
export async function sweep(scenario: unknown, options: SweepOptions): Promise<SweepRow[]> {
  const out: SweepRow[] = [];
  for await (const row of sweepRows(scenario, options)) out.push(row);
  return out;
}
