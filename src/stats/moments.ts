/**
 * Mergeable single-pass moments.
 *
 * `RatioMoments` tracks, over replications, the pairs (x_r, y_r) of a ratio
 * metric y/x: count, means and centred co-moments, updated with Welford's
 * recurrence and merged with Chan et al.'s pairwise formulas. Each metric
 * occupies RATIO_WIDTH consecutive numbers of a Float64Array:
 * [n, meanX, meanY, M2x, M2y, Cxy].
 */
import { estimate, type Estimate } from "./estimate.js";

export const RATIO_WIDTH = 6;

/** Add one replication's (x, y) to the metric at offset o. */
export function ratioAdd(a: Float64Array, o: number, x: number, y: number): void {
  const n = a[o]! + 1;
  const dx = x - a[o + 1]!,
    dy = y - a[o + 2]!;
  const mx = a[o + 1]! + dx / n,
    my = a[o + 2]! + dy / n;
  a[o] = n;
  a[o + 1] = mx;
  a[o + 2] = my;
  a[o + 3]! += dx * (x - mx);
  a[o + 4]! += dy * (y - my);
  a[o + 5]! += dx * (y - my);
}

/** Merge the metric at offset o of `b` into `a` (Chan, Golub & LeVeque 1983). */
export function ratioMerge(a: Float64Array, b: Float64Array, o: number): void {
  const na = a[o]!,
    nb = b[o]!;
  if (nb === 0) return;
  if (na === 0) {
    for (let k = 0; k < RATIO_WIDTH; k++) a[o + k] = b[o + k]!;
    return;
  }
  const n = na + nb;
  const dx = b[o + 1]! - a[o + 1]!,
    dy = b[o + 2]! - a[o + 2]!;
  const f = (na * nb) / n;
  a[o] = n;
  a[o + 1] = a[o + 1]! + (dx * nb) / n;
  a[o + 2] = a[o + 2]! + (dy * nb) / n;
  a[o + 3] = a[o + 3]! + b[o + 3]! + dx * dx * f;
  a[o + 4] = a[o + 4]! + b[o + 4]! + dy * dy * f;
  a[o + 5] = a[o + 5]! + b[o + 5]! + dx * dy * f;
}

/** The ratio estimate Σy/Σx with its delta-method 95% CI; `scale` multiplies value and interval (24 for per-day). */
export function ratioEstimate(a: Float64Array, o: number, scale = 1): Estimate {
  const n = a[o]!,
    mx = a[o + 1]!,
    my = a[o + 2]!;
  if (n === 0 || mx === 0) return estimate(NaN, NaN, n);
  const r = my / mx;
  const se = ratioSe(n, mx, r, a[o + 3]!, a[o + 4]!, a[o + 5]!);
  return estimate(r * scale, se * scale, n);
}

/**
 * The delta-method standard error of a ratio estimate r = Σy/Σx over n replications: √(s²(y − r x) / n) / x̄,
 * the sample variance of the residuals y − r x taken from the centred moments (mean x̄ = `mx`, Σ(x − x̄)² =
 * `m2x`, Σ(y − ȳ)² = `m2y`, Σ(x − x̄)(y − ȳ) = `cxy`); NaN when n < 2.
 */
export function ratioSe(n: number, mx: number, r: number, m2x: number, m2y: number, cxy: number): number {
  const s2 = n >= 2 ? Math.max(0, (m2y - 2 * r * cxy + r * r * m2x) / (n - 1)) : NaN;
  return Math.sqrt(s2 / n) / Math.abs(mx);
}

/**
 * The delta-method standard error of the ratio Σy/Σx from raw sums over n replications (Σx, Σy, Σx², Σy², Σxy;
 * whole numbers when x and y are counts, so exact in any order of adding): the same formula as `ratioEstimate`,
 * its centred moments computed from the sums. NaN when n < 2 or Σx = 0.
 */
export function ratioSeFromSums(n: number, sx: number, sy: number, sxx: number, syy: number, sxy: number): number {
  if (!(n >= 2) || !(sx !== 0)) return NaN;
  const mx = sx / n,
    my = sy / n;
  return ratioSe(n, mx, sy / sx, sxx - sx * mx, syy - sy * my, sxy - sx * my);
}

/** Plain Welford moments [n, mean, M2] at offset o (width 3), for per-replication quantiles. */
export const WELFORD_WIDTH = 3;
export function welfordAdd(a: Float64Array, o: number, v: number): void {
  const n = a[o]! + 1,
    d = v - a[o + 1]!;
  a[o] = n;
  a[o + 1] = a[o + 1]! + d / n;
  a[o + 2] = a[o + 2]! + d * (v - a[o + 1]!);
}
export function welfordMerge(a: Float64Array, b: Float64Array, o: number): void {
  const na = a[o]!,
    nb = b[o]!;
  if (nb === 0) return;
  if (na === 0) {
    a[o] = nb;
    a[o + 1] = b[o + 1]!;
    a[o + 2] = b[o + 2]!;
    return;
  }
  const n = na + nb,
    d = b[o + 1]! - a[o + 1]!;
  a[o] = n;
  a[o + 1] = a[o + 1]! + (d * nb) / n;
  a[o + 2] = a[o + 2]! + b[o + 2]! + (d * d * na * nb) / n;
}
/** Standard error of the mean of the Welford moments at o. */
export function welfordSe(a: Float64Array, o: number): number {
  const n = a[o]!;
  return n >= 2 ? Math.sqrt(a[o + 2]! / (n - 1) / n) : NaN;
}
