/**
 * Paired differences of the estimates themselves: the statistics behind `compare`, `withdrawal` and `tornado`.
 *
 * Every headline estimate of a ratio metric is a ratio estimator pooled over replications, R = ΣY / ΣX (e.g.
 * total response hours / verified incidents, verified within the standard / verifiable incidents), and a
 * quantile is read from the histogram pooled over replications. A difference between two arms run on common
 * random numbers is the difference of those same estimates, D = R_a − R_b, so the printed difference is the
 * difference of the printed estimates. Its 95% CI:
 *
 * - ratio metrics: the delta method over replications. Replication i of arm a has totals (X_ai, Y_ai); its
 *   linearised contribution to R_a is u_ai = (Y_ai − R_a X_ai) / X̄_a (X̄_a the mean of X_ai over all n
 *   replications), so D's contributions are d_i = u_ai − u_bi and SE(D) = sd(d) / √n, with a Student-t
 *   interval (n − 1 degrees of freedom). The pairs' covariance is what common random numbers buy.
 * - quantile metrics (response.p50/p90/p95): the estimates' own method (sectioning) applied to the pairs:
 *   SE(D) = sd of the per-replication quantile differences / √n, over replications where both are defined.
 *
 * Moments are kept in one pass (Welford's recurrence on the vector of every arm's (X, Y)), so memory does not
 * grow with replications.
 */
import type { CompiledModel } from "../compile/compile.js";
import * as F from "../layout/slots.generated.js";
import { RECORD_QUANTILES, SECTOR_METRICS, recordSize } from "../stats/accumulator.js";
import { t975, type Estimate } from "../stats/estimate.js";
import { WELFORD_WIDTH, welfordAdd, welfordSe } from "../stats/moments.js";

/** How a paired difference's interval is computed, quoted in every result that has one. */
export const PAIRED_METHOD =
  "differences are differences of the pooled estimates themselves (ratio estimators ΣY/ΣX over replications; " +
  "quantiles of the pooled histogram), on common random numbers; 95% CIs by the delta method over " +
  "replications for ratio metrics (per-replication contributions (Y_i − R X_i)/X̄ of each arm, paired, " +
  "Student-t) and by paired sectioning for quantiles (per-replication quantile differences, Student-t)";

/** Quantile metrics by path, and their place among a record's whole-line quantiles. */
export const QUANTILE_METRICS: ReadonlyMap<string, number> = new Map(RECORD_QUANTILES.map((q, k) => [q.path, k]));

/**
 * Where a difference of the metric can lie: values in its declared range [a, b] (the metric table) differ by
 * at most b − a, so a difference of shares lies in [−1, 1]; of times, anywhere.
 */
function differenceRange(def: RatioDef | null): [number, number] {
  const r = (def as { range?: readonly [number, number] } | null)?.range;
  if (!r || !Number.isFinite(r[1] - r[0])) return [-Infinity, Infinity];
  return [r[0] - r[1], r[1] - r[0]];
}

type RatioDef = (typeof SECTOR_METRICS)[number];

interface Metric {
  path: string;
  ratio: RatioDef | null;
  quantile: number;
  scale: number;
}

function sum(t: Float64Array, o: number, fields: RatioDef["x"] | RatioDef["y"], window: number): number {
  if (fields === "window") return window;
  if (fields === "minor") return t[o + F.F_INC]! - t[o + F.F_VERIFIABLE]!;
  let v = 0;
  for (const f of fields) v += t[o + f]!;
  return v;
}

/** The 95% interval value ± t·se over n replications (NaN when n < 2), cut to [min, max]. */
export function pairedEstimate(value: number, se: number, n: number, min = -Infinity, max = Infinity): Estimate {
  if (!Number.isFinite(value)) return { value: NaN, lo: NaN, hi: NaN, halfWidth: NaN, n: 0 };
  const hw = n >= 2 && Number.isFinite(se) ? t975(n - 1) * se : NaN;
  if (!Number.isFinite(hw)) return { value, lo: NaN, hi: NaN, halfWidth: NaN, n };
  const lo = Math.max(min, value - hw),
    hi = Math.min(max, value + hw);
  // halfWidth is half the interval's width, as for every estimate (equal to t·se unless the range cut it).
  return { value, lo, hi, halfWidth: lo === value - hw && hi === value + hw ? hw : (hi - lo) / 2, n };
}

/** A difference's estimate and what it would have been without pairing. */
export interface PairedDifference {
  /** D = estimate(i) − estimate(j), with its paired 95% CI. */
  paired: Estimate;
  /** Standard error of D (NaN when n < 2). */
  se: number;
  /** Half-width independent streams would give for the same replications: t·√(SE²_i + SE²_j). */
  unpairedHalfWidth: number;
  /** Var(paired contributions) / (Var(i) + Var(j)); NaN when neither varies. */
  crnVarianceRatio: number;
}

/**
 * One-pass paired moments of whole-line metrics over the models of a batch: `add` each replication's block
 * (records at `offsets`), then ask for `difference(metric, i, j, value_i, value_j)`.
 */
export class PairedMoments {
  readonly metrics: readonly Metric[];
  private readonly k: number;
  private readonly windows: number[];
  private readonly quantileAt: number[];
  private readonly lineAt: number[];
  /** Ratio metrics: per metric, [n, mean(2k), comoment (2k × 2k)] of the vector (X_1, Y_1, …, X_k, Y_k). */
  private readonly ratio: Float64Array[];
  /** Quantile metrics: per metric, Welford moments of each model's value and of each ordered pair's difference. */
  private readonly single: Float64Array[];
  private readonly pair: Float64Array[];
  private readonly z: Float64Array;
  private readonly d: Float64Array;
  private readonly v: Float64Array;

  /** Whether a whole-line metric is one this class pairs (a ratio metric of the table, or a response quantile). */
  static supports(path: string): boolean {
    return QUANTILE_METRICS.has(path) || SECTOR_METRICS.some((d) => d.path === path);
  }

  constructor(models: readonly CompiledModel[], paths: readonly string[]) {
    const k = models.length;
    this.k = k;
    this.metrics = paths.map((path) => {
      const q = QUANTILE_METRICS.get(path);
      if (q !== undefined) return { path, ratio: null, quantile: q, scale: 1 };
      const def = SECTOR_METRICS.find((d) => d.path === path);
      if (!def) throw new RangeError(`paired: no ratio or quantile metric ${JSON.stringify(path)}`);
      return { path, ratio: def, quantile: -1, scale: "scale" in def ? def.scale : 1 };
    });
    this.windows = models.map((m) => m.end - m.warmup);
    this.lineAt = models.map((m) => m.nSectors * F.SECTOR_FIELDS);
    this.quantileAt = models.map((m) => recordSize(m) - RECORD_QUANTILES.length);
    const w = 2 * k;
    this.ratio = this.metrics.map((m) => new Float64Array(m.ratio ? 1 + w + w * w : 0));
    this.single = this.metrics.map((m) => new Float64Array(m.ratio ? 0 : k * WELFORD_WIDTH));
    this.pair = this.metrics.map((m) => new Float64Array(m.ratio ? 0 : k * k * WELFORD_WIDTH));
    this.z = new Float64Array(w);
    this.d = new Float64Array(w);
    this.v = new Float64Array(k);
  }

  /** Replications added. */
  get replications(): number {
    return this.count;
  }
  private count = 0;

  /** Add one replication: model i's record at `records[at + offsets[i]]`. */
  add(records: Float64Array, at: number, offsets: readonly number[]): void {
    const k = this.k,
      w = 2 * k,
      z = this.z,
      d = this.d;
    this.count++;
    for (let m = 0; m < this.metrics.length; m++) {
      const def = this.metrics[m]!;
      if (def.ratio) {
        for (let i = 0; i < k; i++) {
          const o = at + offsets[i]! + this.lineAt[i]!;
          z[2 * i] = sum(records, o, def.ratio.x, this.windows[i]!);
          z[2 * i + 1] = sum(records, o, def.ratio.y, this.windows[i]!);
        }
        const a = this.ratio[m]!;
        const n = a[0]! + 1;
        a[0] = n;
        for (let p = 0; p < w; p++) {
          d[p] = z[p]! - a[1 + p]!;
          a[1 + p] = a[1 + p]! + d[p]! / n;
        }
        const c = 1 + w;
        for (let p = 0; p < w; p++) {
          const dp = d[p]!;
          if (dp === 0) continue;
          for (let q = 0; q < w; q++) a[c + p * w + q] = a[c + p * w + q]! + dp * (z[q]! - a[1 + q]!);
        }
      } else {
        const v = this.v;
        for (let i = 0; i < k; i++) v[i] = records[at + offsets[i]! + this.quantileAt[i]! + def.quantile]!;
        const s = this.single[m]!,
          pr = this.pair[m]!;
        for (let i = 0; i < k; i++) {
          if (!Number.isFinite(v[i]!)) continue;
          welfordAdd(s, i * WELFORD_WIDTH, v[i]!);
          for (let j = 0; j < k; j++)
            if (j !== i && Number.isFinite(v[j]!)) welfordAdd(pr, (i * k + j) * WELFORD_WIDTH, v[i]! - v[j]!);
        }
      }
    }
  }

  /**
   * The difference estimate(i) − estimate(j) of metric m (index into `metrics`), given the two estimates'
   * values as printed (so that the difference is theirs exactly), with its paired 95% CI.
   */
  difference(m: number, i: number, j: number, valueI: number, valueJ: number): PairedDifference {
    const def = this.metrics[m]!;
    const value = valueI - valueJ;
    const [lo, hi] = differenceRange(def.ratio);
    if (!def.ratio) {
      const pr = this.pair[m]!,
        s = this.single[m]!;
      const o = (i * this.k + j) * WELFORD_WIDTH;
      const n = pr[o]!;
      const se = welfordSe(pr, o);
      const varI = s[i * WELFORD_WIDTH + 2]! / Math.max(1, s[i * WELFORD_WIDTH]! - 1),
        varJ = s[j * WELFORD_WIDTH + 2]! / Math.max(1, s[j * WELFORD_WIDTH]! - 1);
      const varD = pr[o + 2]! / Math.max(1, n - 1);
      return {
        paired: n > 0 ? pairedEstimate(value, se, n) : pairedEstimate(NaN, NaN, 0),
        se,
        unpairedHalfWidth: n >= 2 ? t975(n - 1) * Math.sqrt((varI + varJ) / n) : NaN,
        crnVarianceRatio: varI + varJ > 0 ? varD / (varI + varJ) : NaN,
      };
    }
    const a = this.ratio[m]!;
    const n = a[0]!,
      w = 2 * this.k,
      c = 1 + w;
    const mxI = a[1 + 2 * i]!,
      myI = a[2 + 2 * i]!,
      mxJ = a[1 + 2 * j]!,
      myJ = a[2 + 2 * j]!;
    if (!(n > 0 && mxI > 0 && mxJ > 0 && Number.isFinite(value)))
      return { paired: pairedEstimate(NaN, NaN, 0), se: NaN, unpairedHalfWidth: NaN, crnVarianceRatio: NaN };
    // Gradient of R_i − R_j in (X_i, Y_i, X_j, Y_j) at the means.
    const rI = myI / mxI,
      rJ = myJ / mxJ;
    const idx = [2 * i, 2 * i + 1, 2 * j, 2 * j + 1];
    const g = [-rI / mxI, 1 / mxI, rJ / mxJ, -1 / mxJ];
    const quad = (from: number, to: number) => {
      let v = 0;
      for (let p = from; p < to; p++)
        for (let q = from; q < to; q++) v += g[p]! * g[q]! * a[c + idx[p]! * w + idx[q]!]!;
      return Math.max(0, v / Math.max(1, n - 1));
    };
    const varI = quad(0, 2),
      varJ = quad(2, 4),
      varD = quad(0, 4);
    const sc = def.scale;
    const se = n >= 2 ? Math.sqrt(varD / n) * sc : NaN;
    return {
      paired: pairedEstimate(value, se, n, lo, hi),
      se,
      unpairedHalfWidth: n >= 2 ? t975(n - 1) * Math.sqrt((varI + varJ) / n) * sc : NaN,
      crnVarianceRatio: varI + varJ > 0 ? varD / (varI + varJ) : NaN,
    };
  }
}
