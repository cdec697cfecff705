/**
 * Confidence intervals. All intervals are 95% and come from independent
 * replications:
 * - means and shares are ratio estimators Σy/Σx over replications (e.g.
 *   total response hours / verified incidents) with the delta-method
 *   standard error s²(y − R x) / (n x̄²) and Student-t quantiles;
 * - quantiles (p50, p90, p95) are point estimates from the pooled histogram
 *   with the half-width from the spread of per-replication quantiles
 *   (sectioning, Asmussen & Glynn 2007, §III.5).
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
  /** Lower end of the 95% CI; NaN when `n` < 2. */
  lo: number;
  /** Upper end of the 95% CI; NaN when `n` < 2. */
  hi: number;
  /** Half-width of the 95% CI; NaN when `n` < 2. */
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

/** An estimate whose interval is value ± halfWidth (NaN half-width when fewer than two replications). */
export function estimate(value: number, se: number, n: number): Estimate {
  const hw = n >= 2 && Number.isFinite(se) ? t975(n - 1) * se : NaN;
  return { value, lo: value - hw, hi: value + hw, halfWidth: hw, n };
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
