/**
 * Confidence intervals. All intervals are 95% and come from independent
 * replications:
 * - means and shares are ratio estimators Σy/Σx over replications (e.g.
 *   total response hours / verified incidents) with the delta-method
 *   standard error s²(y − R x) / (n x̄²);
 * - quantiles (p50, p90, p95) are point estimates from the pooled histogram
 *   with the standard error from the spread of per-replication quantiles
 *   (sectioning, Asmussen & Glynn 2007, §III.5).
 * Every estimate belongs to a metric with a declared range (`Range`), and its interval is built on a scale
 * on which that range is the whole real line, then mapped back (`estimate`; docs/estimands.md, "Intervals"):
 * - a share in [0, 1]: the delta method on the logit scale, logit(p) ± t·se / (p(1 − p)); at p = 0 or 1 a
 *   share of counted events gets the Wilson score interval of its pooled count, others [p, p];
 * - a time, count or rate in [0, ∞): the delta method on the log scale, v·exp(±t·se / v), the upper end
 *   at most v + 2·t·se; at v = 0 the interval [0, t·se] (which is [0, 0] when every replication gave 0);
 * - an unbounded quantity (a difference): v ± t·se.
 */

/**
 * A point estimate with its 95% confidence interval.
 *
 * Undefined is not a number: a metric whose denominator is zero in every replication (a mean response time
 * when nothing was verified, a share of detected incidents when nothing was detected, night coverage without
 * a night) has `n: 0` and `value`, `lo`, `hi`, `halfWidth` all NaN; with one contributing replication (`n: 1`)
 * the value is defined but the interval is not (`lo`, `hi`, `halfWidth` NaN). JSON has no NaN: a saved
 * result holds `null` there (see `EstimateJson`). Nothing else is ever NaN.
 */
export interface Estimate {
  /** The point estimate; NaN when undefined (`n: 0`). */
  value: number;
  /** Lower end of the 95% CI, never below the metric's range; NaN when `n` < 2. */
  lo: number;
  /** Upper end of the 95% CI, never above the metric's range; NaN when `n` < 2. */
  hi: number;
  /** Half the width of the 95% CI, (hi − lo) / 2 (the CI need not be symmetric about the value); NaN when `n` < 2. */
  halfWidth: number;
  /** Replications that contributed (with a non-zero denominator). */
  n: number;
}

/**
 * An `Estimate` as a result's JSON holds it: NaN is written `null`, so each of `value`, `lo`, `hi` and
 * `halfWidth` is a number, or null where the estimate is undefined (`value`: no replication had a non-zero
 * denominator, `n: 0`; the interval: fewer than two did, `n` < 2). `n` is always a number.
 */
export interface EstimateJson {
  value: number | null;
  lo: number | null;
  hi: number | null;
  halfWidth: number | null;
  n: number;
}

/** Student-t 0.975 quantile for df degrees of freedom (exact table to 30, then a Cornish–Fisher expansion). */
export function t975(df: number): number {
  const table = [
    NaN,
    12.706205,
    4.302653,
    3.182446,
    2.776445,
    2.570582,
    2.446912,
    2.364624,
    2.306004,
    2.262157,
    2.228139,
    2.200985,
    2.178813,
    2.160369,
    2.144787,
    2.13145,
    2.119905,
    2.109816,
    2.100922,
    2.093024,
    2.085963,
    2.079614,
    2.073873,
    2.068658,
    2.063899,
    2.059539,
    2.055529,
    2.051831,
    2.048407,
    2.04523,
    2.042272,
  ];
  if (!(df >= 1)) return NaN;
  if (df <= 30) return table[Math.floor(df)]!;
  const z = 1.959963984540054,
    z3 = z ** 3,
    z5 = z ** 5,
    z7 = z ** 7;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3)
  );
}

/** The range of a metric's values: [lo, hi], with ±Infinity for an open end. */
export type Range = readonly [lo: number, hi: number];
/** Shares and probabilities. */
export const SHARE: Range = Object.freeze([0, 1] as const);
/** Times, counts and rates. */
export const NON_NEGATIVE: Range = Object.freeze([0, Infinity] as const);
/** Differences. */
export const UNBOUNDED: Range = Object.freeze([-Infinity, Infinity] as const);

/** Standard normal 0.975 quantile. */
const Z975 = 1.959963984540054;
const expit = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/**
 * An estimate with its 95% interval, built to stay in `range` (see the header): `value` and standard error
 * `se` from `n` replications (NaN interval when n < 2 or se is not finite). `events`: for a share of counted
 * events (incidents, dispatches, tasks), their pooled count, used only when the share is 0 or 1 (Wilson score
 * interval of that count); 0 otherwise. `halfWidth` is half the interval's width, (hi − lo) / 2; the interval
 * need not be symmetric about the value.
 */
export function estimate(value: number, se: number, n: number, range: Range = UNBOUNDED, events = 0): Estimate {
  const [a, b] = range;
  if (Number.isNaN(value)) return { value, lo: NaN, hi: NaN, halfWidth: NaN, n };
  const v = Math.min(b, Math.max(a, value)); // rounding may put a ratio a hair outside its range
  if (!(n >= 2) || !Number.isFinite(se) || se < 0) return { value: v, lo: NaN, hi: NaN, halfWidth: NaN, n };
  const t = t975(n - 1);
  let lo: number, hi: number;
  if (a === -Infinity && b === Infinity) {
    lo = v - t * se;
    hi = v + t * se;
  } else if (b === Infinity || a === -Infinity) {
    // One open end: the log scale of the distance from the closed end.
    const d = b === Infinity ? v - a : b - v;
    // The far end is capped at twice the symmetric half-width beyond the value, so that an estimate near the
    // closed end with a wide spread (a p90 from two replications) does not get an astronomically far end.
    const [near, far] =
      d > 0 && se > 0
        ? [d * Math.exp(-(t * se) / d), Math.min(d * Math.exp((t * se) / d), d + 2 * t * se)]
        : [d, d + t * se];
    [lo, hi] = b === Infinity ? [a + near, a + far] : [b - far, b - near];
  } else {
    const w = b - a,
      p = (v - a) / w,
      s = se / w;
    let pl: number, ph: number;
    if (p > 0 && p < 1 && s > 0) {
      const l = Math.log(p / (1 - p)),
        sl = (t * s) / (p * (1 - p));
      pl = expit(l - sl);
      ph = expit(l + sl);
    } else if ((p === 0 || p === 1) && events > 0) {
      const edge = (Z975 * Z975) / (events + Z975 * Z975); // Wilson score interval at 0 of `events` trials
      [pl, ph] = p === 0 ? [0, edge] : [1 - edge, 1];
    } else if (p === 0 || p === 1) {
      [pl, ph] = p === 0 ? [0, Math.min(1, t * s)] : [Math.max(0, 1 - t * s), 1];
    } else [pl, ph] = [p, p];
    lo = a + w * pl;
    hi = a + w * ph;
  }
  lo = Math.min(lo, v);
  hi = Math.max(hi, v);
  return { value: v, lo, hi, halfWidth: (hi - lo) / 2, n };
}

/**
 * Student-t quantile for probability p (0.5 < p < 1) and df degrees of
 * freedom: the Cornish–Fisher expansion around the normal quantile
 * (Abramowitz & Stegun 26.7.5), accurate to about 1e-3 for df ≥ 5 and
 * exact in the limit; used for Bonferroni-adjusted intervals.
 */
export function tQuantile(p: number, df: number, normalQuantile: (p: number) => number): number {
  if (p === 0.975 && df <= 30) return t975(df);
  const z = normalQuantile(p);
  const z2 = z * z;
  const g1 = ((z2 + 1) * z) / 4;
  const g2 = (((5 * z2 + 16) * z2 + 3) * z) / 96;
  const g3 = ((((3 * z2 + 19) * z2 + 17) * z2 - 15) * z) / 384;
  const g4 = (((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/** How the intervals are computed (a result's `provenance.ciMethod`; docs/estimands.md, "Intervals"). */
export const CI_METHOD =
  "95% CI over independent replications: ratio estimator Σy/Σx with delta-method standard error and Student-t " +
  "quantile, on the scale of the metric's range: shares on the logit scale (Wilson score interval of the " +
  "pooled count at 0 or 1), times, counts and rates on the log scale (upper end at most v + 2·t·se; [0, t·se] " +
  "at 0), differences as they are";
/** How quantiles and their intervals are computed (a result's `provenance.quantileMethod`). */
export const QUANTILE_METHOD =
  "pooled log-linear histogram (64 bins per octave), linear within bins, the first bin (under 2^-12 h) read " +
  "as 0 and a single-bin sample as its exact mean; CI from per-replication quantiles (sectioning) on the log " +
  "scale";

/** Replications below which a result warns that its intervals are rough (see `intervalWarnings`). */
export const MIN_REPLICATIONS = 10;

/**
 * Warnings about a result's intervals from its replication count: none from `MIN_REPLICATIONS` on; with fewer,
 * that the intervals are wide and the quantile intervals may cover less than 95%; with one, that there are
 * no intervals at all.
 */
export function intervalWarnings(replications: number): string[] {
  if (replications >= MIN_REPLICATIONS) return [];
  if (replications <= 0) return ["no replications: no estimates"];
  if (replications === 1)
    return ["1 replication: no confidence intervals (they need at least 2 replications; use 10 or more)"];
  return [
    `${replications} replications: 95% intervals are wide (Student t with ${replications - 1} degrees of ` +
      `freedom, ±${t975(replications - 1).toFixed(1)} standard errors) and those of quantiles (p50, p90, p95) ` +
      `may cover less than 95%; use ${MIN_REPLICATIONS} or more replications`,
  ];
}
