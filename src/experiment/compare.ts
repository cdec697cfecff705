/**
 * `compare(scenario, strategies, options)`: several allocations of one
 * scenario, run on the same replication seeds.
 *
 * Common random numbers: replication r of every strategy draws its incidents
 * (times, places, severities, detection draws, delays, access) from the same
 * stream (seed, r, "incidents"), which no allocation influences; only
 * allocation-dependent draws (detection latencies, on-site times,
 * availability) may drift apart. Each strategy's metrics come from its own
 * run (the same numbers as `simulate` gives with the same seed and replications).
 *
 * Statistics, per metric (see ./paired.ts and docs/estimands.md):
 * - difference vs the baseline: the difference of the two strategies' estimates
 *   (the very numbers in `estimates`: pooled ratio estimators ΣY/ΣX, pooled
 *   quantiles), with a paired 95% CI — the delta method over replications for
 *   ratio metrics, paired sectioning for quantiles; beside it the half-width
 *   the same replications would give unpaired (independent streams) and the
 *   CRN variance ratio Var(paired) / (Var(a) + Var(b)) (below 1: CRN worked);
 * - ranking: by the same estimates; Bonferroni-corrected paired comparisons of all k(k−1)/2 pairs at
 *   family level 95%. "a better than b" is stated only when the corrected CI
 *   of their difference excludes 0 in the metric's good direction; with
 *   probability ≥ 95% (asymptotically) every such statement is true at once.
 *   Strategies that cannot be told apart share a rank.
 */
import type { Allocation } from "../allocation/allocation.js";
import type { Strategy } from "../allocation/strategy.js";
import { normalQuantile } from "../rng/normal-quantile.js";
import { SECTOR_METRICS } from "../stats/accumulator.js";
import { tQuantile, type Estimate } from "../stats/estimate.js";
import { buildResult, SimulationAborted, type Result } from "./simulate.js";
import {
  resolveRunOptions,
  show,
  type Progress,
  type ResolvedRunOptions,
  type RunOptions,
  type Until,
} from "./options.js";
import { checkPlan } from "./budget.js";
import { emptyLine, metricAt, prepare, resolveAllocation, scenarioOf, type Prepared } from "./run.js";
import { runToTarget, withSession } from "./runner.js";
import { PAIRED_METHOD, PairedMoments, QUANTILE_METRICS } from "./paired.js";

/** A strategy to compare: a name, a strategy object, a ready allocation, or a named allocation with options. */
export type StrategyInput =
  | string
  | Strategy
  | Allocation
  | { name: string; allocation: Allocation | string | Strategy; options?: Record<string, unknown> };

/** Options of `compare`. */
export interface CompareOptions {
  /** Replications of every strategy (default 200, at least 2). */
  replications?: number;
  /** Sequential stopping: until every strategy's estimate of the metric is as precise as asked. */
  until?: Until;
  /** Seed of every stream (default 1): all strategies share it (common random numbers). */
  seed?: number | string;
  /** Refuse comparisons larger than this before they start (see `SimulateOptions.budget`): every arm counted. */
  budget?: RunOptions["budget"];
  /** Override the scenario's horizon: hours, or a unit string such as "60 d". */
  horizon?: number | string;
  /**
   * Whole-line metrics to compare (default: response.mean, response.p90, withinStandard, outcomes.verified,
   * detection.probability, coverage.overall).
   */
  metrics?: string[];
  /** Index or name of the baseline strategy (default: the first). */
  baseline?: number | string;
  /** Replications done of every strategy, of the current target; if it throws, the comparison rejects. */
  onProgress?: (p: Progress) => void;
  /** Cancels the comparison; it rejects with a `SimulationAborted` holding the first strategy's partial result. */
  signal?: AbortSignal;
}

/** A strategy's paired difference against the baseline. */
export interface Difference {
  strategy: string;
  /**
   * Difference of the estimates (strategy − baseline): exactly the difference of the two `estimates` values,
   * with its paired 95% CI (delta method over replications; paired sectioning for quantiles).
   */
  paired: Estimate;
  /** Half-width an unpaired comparison of the same replications would have; NaN (`null` in JSON) when n < 2. */
  unpairedHalfWidth: number;
  /**
   * Var(paired difference) / (Var(a) + Var(b)): the variance CRN left, as a share of independent streams'.
   * NaN (`null` in JSON) when both strategies' values do not vary: a ratio of no variance is undefined.
   */
  crnVarianceRatio: number;
}

/** One metric across the strategies. */
export interface MetricComparison {
  metric: string;
  better: "lower" | "higher";
  /** Each strategy's estimate, in input order. */
  estimates: { strategy: string; estimate: Estimate }[];
  differences: Difference[];
  /**
   * Strategies from best to worst; equal ranks cannot be told apart at the family level. `value` is the
   * strategy's estimate (the same number as in `estimates`); NaN (`null` in JSON) when the metric was
   * undefined in every replication. `mean` repeats it (the former name).
   */
  ranking: { strategy: string; rank: number; value: number /** @deprecated the same as `value` */; mean: number }[];
  /** Pairs [better, worse] established by the Bonferroni-corrected comparisons. */
  established: [string, string][];
}

/** What `compare` returns. */
export interface Comparison {
  format: "ceasefire-sim/comparison@1";
  baseline: string;
  strategies: string[];
  replications: number;
  seed: string;
  method: string;
  guarantee: string;
  metrics: MetricComparison[];
  /** Every strategy's full result. */
  results: Result[];
  /** Incidents seen by each strategy (identical under CRN). */
  incidents: number[];
  stopping?: { metric: string; met: boolean; replications: number; targetHalfWidth: number; halfWidths: number[] };
}

/** Metrics `compare` reports when none are named. */
export const DEFAULT_COMPARE_METRICS = [
  "timeToVerification.restrictedMean",
  "withinStandard",
  "outcomes.verified",
  "detection.probability",
  "coverage.overall",
  "response.mean",
  "response.p90",
];
/** The whole-line metrics `compare` and `withdrawal` can compare (those with a better direction). */
export const COMPARABLE_METRICS: readonly string[] = Object.freeze([
  ...SECTOR_METRICS.filter((d) => d.better !== "none").map((d) => d.path),
  ...QUANTILE_METRICS.keys(),
]);

/** The metrics to compare (the default ones if none are given); RangeError naming a bad one. @internal */
export function checkComparable(metrics: unknown): string[] {
  const asked = metrics ?? DEFAULT_COMPARE_METRICS;
  if (!Array.isArray(asked) || asked.length === 0)
    throw new RangeError(`metrics: expected a non-empty list of metric names; got ${show(asked)}`);
  for (const m of asked)
    if (!COMPARABLE_METRICS.includes(m))
      throw new RangeError(`metrics: cannot compare ${show(m)}; comparable metrics: ${COMPARABLE_METRICS.join(", ")}`);
  return [...(asked as string[])];
}

interface MetricDef {
  path: string;
  better: "lower" | "higher";
}

function metricDef(path: unknown): MetricDef {
  if (typeof path !== "string")
    throw new RangeError(`metrics: expected metric names such as "response.mean"; got ${show(path)}`);
  if (QUANTILE_METRICS.has(path)) return { path, better: "lower" };
  const def = SECTOR_METRICS.find((d) => d.path === path);
  if (!def || def.better === "none")
    throw new RangeError(`metrics: cannot compare ${show(path)}; comparable metrics: ${COMPARABLE_METRICS.join(", ")}`);
  return { path, better: def.better };
}

function nameOf(s: StrategyInput, i: number): string {
  if (typeof s === "string") return s;
  if ("format" in s && s.format === "ceasefire-sim/allocation@1")
    return s.strategy === "explicit" ? `allocation ${i + 1}` : s.strategy;
  return (s as { name: string }).name;
}

/**
 * Compare allocation strategies on one scenario with common random numbers.
 *
 * @example
 * const c = await compare(defaultScenario(), ["risk-weighted", "uniform", "p-median"], { replications: 100 });
 * c.metrics[0].differences; // paired differences vs risk-weighted, with CIs and CRN variance ratios
 */
export async function compare(
  scenario: unknown,
  strategies: StrategyInput[],
  options: CompareOptions = {},
): Promise<Comparison> {
  if (!Array.isArray(strategies) || strategies.length < 2)
    throw new RangeError("compare: expected at least two strategies");
  strategies.forEach((st, i) => {
    if (!((typeof st === "string" && st !== "") || (typeof st === "object" && st !== null && !Array.isArray(st))))
      throw new RangeError(
        `strategies[${i}]: expected a strategy name, a strategy, an allocation or { name, allocation }; ` +
          `got ${show(st)}`,
      );
  });
  const names = strategies.map(nameOf);
  if (new Set(names).size !== names.length)
    throw new RangeError(`compare: strategy names must differ; got ${names.join(", ")}`);
  const o = resolveRunOptions(options, "compare");
  checkComparable(options.metrics); // before the allocations
  const s = scenarioOf(scenario, o.horizon);
  const arms: Arm[] = [];
  for (let i = 0; i < strategies.length; i++) {
    const st = strategies[i]!;
    const a =
      typeof st === "object" && "allocation" in st && !("format" in st)
        ? await resolveAllocation(s, st.allocation, st.options)
        : await resolveAllocation(s, st as string | Strategy | Allocation);
    arms.push({ name: names[i]!, prepared: await prepare(s, a) });
  }
  return runArms(arms, o, options);
}

/** One arm of a paired experiment: a name and a prepared (scenario, allocation). All arms share the horizon. */
export interface Arm {
  name: string;
  prepared: Prepared;
}

/**
 * Run arms on common replication seeds and compare them (the engine of `compare` and `withdrawal`): one batch
 * of all arms on the runner, each replication's values paired as it is added, in replication order.
 * @internal
 */
export async function runArms(
  arms: Arm[],
  o: ResolvedRunOptions,
  options: Pick<CompareOptions, "metrics" | "baseline">,
): Promise<Comparison> {
  const seed = o.seed;
  const names = arms.map((a) => a.name);
  const baseline = typeof options.baseline === "string" ? names.indexOf(options.baseline) : (options.baseline ?? 0);
  if (!(Number.isInteger(baseline) && baseline >= 0 && baseline < names.length))
    throw new RangeError(`baseline: expected one of ${names.join(", ")}; got ${JSON.stringify(options.baseline)}`);
  const started = Date.now();
  const window = arms[0]!.prepared.scenario.horizon;
  if (
    arms.some(
      (a) => a.prepared.scenario.horizon !== window || a.prepared.scenario.warmup !== arms[0]!.prepared.scenario.warmup,
    )
  )
    throw new RangeError("compare: arms must share horizon and warm-up");
  const replications = o.until ? o.until.maxReplications : o.replications!;
  checkPlan(
    arms.map((a) => ({ scenario: a.prepared.scenario, replications, label: a.name })),
    o.budget,
    `the comparison (${arms.length} arms)`,
  );
  const defs = checkComparable(options.metrics).map((m) => metricDef(m));
  if (o.until) metricAt(emptyLine(arms[0]!.prepared), o.until.metric);
  const k = arms.length;
  const prepared = arms.map((a) => a.prepared);
  const moments = new PairedMoments(
    prepared.map((p) => p.model),
    defs.map((d) => d.path),
  );
  const run = await withSession(o, async (session) => {
    const batch = session.batch(prepared);
    const onReplication = (_r: number, records: Float64Array, at: number) => moments.add(records, at, batch.offsets);
    const out = await runToTarget(batch, o, { onReplication, onProgress: (p) => session.progress(p) });
    if (!out.complete) {
      session.throwIfFailed();
      throw new SimulationAborted(buildResult(prepared[0]!, batch.accs[0]!, seed, started, false));
    }
    return { out, accs: batch.accs };
  });
  const total = run.out.total;
  const st = run.out.stopping;
  const stopping: Comparison["stopping"] = st
    ? {
        metric: st.metric,
        met: st.met,
        replications: st.replications,
        targetHalfWidth: Math.min(...st.targets),
        halfWidths: st.halfWidths,
      }
    : undefined;

  const results = prepared.map((p, i) => buildResult(p, run.accs[i]!, seed, started, true));
  const pairs = (k * (k - 1)) / 2;
  const metrics: MetricComparison[] = defs.map((d, m) => {
    const estimates = results.map((res, i) => ({ strategy: names[i]!, estimate: metricAt(res.line, d.path) }));
    const value = (i: number) => estimates[i]!.estimate.value;
    const diff = (i: number, j: number) => moments.difference(m, i, j, value(i), value(j));
    const differences: Difference[] = [];
    for (let i = 0; i < k; i++) {
      if (i === baseline) continue;
      const dd = diff(i, baseline);
      differences.push({
        strategy: names[i]!,
        paired: dd.paired,
        unpairedHalfWidth: dd.unpairedHalfWidth,
        crnVarianceRatio: dd.crnVarianceRatio,
      });
    }
    // Bonferroni-corrected pairwise comparisons of the same differences.
    const established: [string, string][] = [];
    const beats = Array.from({ length: k }, () => new Array<boolean>(k).fill(false));
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) {
        if (i === j) continue;
        const dd = diff(i, j);
        const n = dd.paired.n;
        if (!(n >= 2 && Number.isFinite(dd.se))) continue;
        const mean = dd.paired.value;
        const hw = tQuantile(1 - 0.05 / (2 * pairs), n - 1, normalQuantile) * dd.se;
        const good = d.better === "lower" ? mean + hw < 0 : mean - hw > 0;
        if (good) {
          beats[i]![j] = true;
          established.push([names[i]!, names[j]!]);
        }
      }
    // Rank: 1 + the number of strategies established as better; ties in order of the estimates.
    const ranking = names
      .map((name, i) => ({
        strategy: name,
        rank: 1 + beats.reduce((c, row) => c + (row[i] ? 1 : 0), 0),
        value: value(i),
        mean: value(i),
      }))
      .sort((a, b) => a.rank - b.rank || (d.better === "lower" ? a.value - b.value : b.value - a.value));
    return { metric: d.path, better: d.better, estimates, differences, ranking, established };
  });
  const out: Comparison = {
    format: "ceasefire-sim/comparison@1",
    baseline: names[baseline]!,
    strategies: names,
    replications: total,
    seed,
    method: `${PAIRED_METHOD}; Bonferroni-corrected pairwise comparisons of those differences for the ranking`,
    guarantee:
      `each ranking states "a better than b" only when the Bonferroni-corrected (${pairs} pairs, family level 95%) ` +
      `CI of the paired difference of the estimates excludes 0; all such statements hold together with ` +
      `probability at least 95% (normal approximation)`,
    metrics,
    results,
    incidents: results.map((r) => r.line.counts.incidents),
  };
  if (stopping) out.stopping = stopping;
  return out;
}
