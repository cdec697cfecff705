/**
 * Time to verification over ALL verifiable incidents, not only the verified ones.
 *
 * Every verifiable incident of the measured window [warm-up, warm-up + horizon) is followed until the end of
 * the drain window (horizon end + drain allowance), so each one is observed for at least `drain` hours. Up to
 * that limit nothing is censored: the Kaplan–Meier estimate of P(verified by x), with censoring at each
 * incident's observation limit, equals (verified with time to verification < x) / (all verifiable incidents),
 * read from the pooled histogram of verified response times (src/layout/histogram.ts) and the counts. Beyond
 * the drain allowance the curve is not identified from these data, and it stops there.
 *
 * Conventions: bin 0 of the histogram ([0, 2^-12 h), under a second) counts as time 0; inside other bins the
 * distribution function is linear (the histogram's convention for quantiles). The curve's points are exact
 * counts at bin edges (8 per doubling of time, and the limit when it is a bin edge) and, when the response
 * standard is within the limit, at the standard (times ≤ the standard: exactly `1 − withinStandard`).
 */
import { HIST_BINS, HIST_SUB } from "../layout/histogram.js";
import { estimate, type Estimate } from "./estimate.js";
import { binLower, binUpper } from "./histogram.js";

/** One point of the curve: by `hours` after the incident, this share of verifiable incidents was verified. */
export interface SurvivalPoint {
  hours: number;
  /** Share of all verifiable incidents verified by `hours` (1 − survival). */
  verified: number;
  /** Share of all verifiable incidents not (yet) verified by `hours`: S(hours). */
  survival: number;
}

/** A quantile of the time to verification over all verifiable incidents, read from the curve. */
export interface SurvivalQuantile {
  /** The share of verifiable incidents verified (0.5 for p50). */
  level: number;
  /**
   * Hours by which that share of all verifiable incidents was verified; NaN (`null` in JSON) when the curve
   * does not reach the level by its limit (see `reason`).
   */
  hours: number;
  /** Why `hours` is undefined; null when it is a number. */
  reason: string | null;
}

/** The restricted mean time to verification, ∫₀ᴸ S(x) dx: the mean of min(T, L) over verifiable incidents. */
export type RestrictedMean = Estimate & {
  /** The limit L (hours); never verified, or verified after L, counts as L. */
  limitHours: number;
};

/**
 * Time to verification over all verifiable incidents: survival curve, quantiles, restricted mean. Censoring-aware
 * counterpart of `response` (which is over verified incidents only).
 */
export interface TimeToVerification {
  /** Hours up to which the curve is identified (the drain allowance); it stops there. */
  limitHours: number;
  /** The curve at bin edges up to `limitHours` (flat stretches kept by their ends only), and at the standard. */
  survival: SurvivalPoint[];
  /** Median time to verification over all verifiable incidents. */
  p50: SurvivalQuantile;
  /** 90th percentile of time to verification over all verifiable incidents. */
  p90: SurvivalQuantile;
  restrictedMean: RestrictedMean;
}

/** Grid of the curve's points: every STEP-th bin edge, 8 points per doubling. */
const STEP = HIST_SUB / 8;

/** Verified incidents with time < x (time ≤ x for x inside a bin, linear in the bin; bin 0 counts as time 0). */
export function verifiedBy(h: Float64Array, offset: number, x: number): number {
  if (!(x > 0)) return h[offset]!;
  let cum = 0;
  for (let i = 0; i < HIST_BINS; i++) {
    const c = h[offset + i]!;
    const a = binLower(i),
      b = binUpper(i);
    if (b <= x) {
      cum += c;
      continue;
    }
    if (i === 0) return cum + c;
    if (a < x) cum += (c * (x - a)) / (b - a);
    break;
  }
  return cum;
}

/** Curve points at bin edges up to `limit`, plus the standard (exact count `within`) when it is ≤ `limit`. */
export function survivalCurve(
  h: Float64Array,
  offset: number,
  verifiable: number,
  limit: number,
  standard?: { hours: number; within: number },
): SurvivalPoint[] {
  if (!(verifiable > 0)) return [];
  const raw: { hours: number; count: number; keep?: true }[] = [];
  let cum = 0,
    next = 1;
  for (let i = 0; i < HIST_BINS; i++) {
    const e = binLower(i);
    if (e > limit) break;
    if (i === next || (e === limit && i > 0)) raw.push({ hours: e, count: cum });
    if (i === next) next += STEP;
    cum += h[offset + i]!;
  }
  if (standard && standard.hours > 0 && standard.hours <= limit) {
    const k = raw.findIndex((p) => p.hours >= standard.hours);
    const p = { hours: standard.hours, count: standard.within, keep: true as const };
    if (k < 0) raw.push(p);
    else if (raw[k]!.hours === standard.hours) raw[k] = p;
    else raw.splice(k, 0, p);
  }
  // Keep a point unless both neighbours have its count (the inside of a flat stretch); always the standard.
  const kept = raw.filter(
    (p, k) =>
      p.keep || k === 0 || k === raw.length - 1 || raw[k - 1]!.count !== p.count || raw[k + 1]!.count !== p.count,
  );
  return kept.map((p) => {
    const verified = Math.min(1, p.count / verifiable);
    return { hours: p.hours, verified, survival: 1 - verified };
  });
}

/** Quantile `level` of time to verification over `verifiable` incidents; NaN with a reason when not reached. */
export function survivalQuantile(
  h: Float64Array,
  offset: number,
  verifiable: number,
  level: number,
  limit: number,
): SurvivalQuantile {
  if (!(verifiable > 0)) return { level, hours: NaN, reason: "no verifiable incidents" };
  const target = level * verifiable;
  const reached = verifiedBy(h, offset, limit);
  if (reached < target) {
    const pct = ((100 * reached) / verifiable).toFixed(1);
    return {
      level,
      hours: NaN,
      reason:
        `not reached by ${limit} h (the limit of follow-up): ${pct}% of verifiable incidents verified by then; ` +
        "the curve is not identified beyond it",
    };
  }
  let cum = 0;
  for (let i = 0; i < HIST_BINS; i++) {
    const c = h[offset + i]!;
    if (c > 0 && cum + c >= target) {
      if (i === 0) return { level, hours: 0, reason: null };
      const a = binLower(i),
        b = binUpper(i);
      return { level, hours: Math.min(limit, a + ((target - cum) / c) * (b - a)), reason: null };
    }
    cum += c;
  }
  return { level, hours: limit, reason: null };
}

/** ∫₀ᴸ S(x) dx with S = 1 − verifiedBy / verifiable: the mean over verifiable incidents of min(T, L). */
export function restrictedMeanValue(h: Float64Array, offset: number, verifiable: number, limit: number): number {
  if (!(verifiable > 0)) return NaN;
  // L − ∫₀ᴸ F(x) dx, F piecewise linear inside bins and bin 0 at time 0.
  let cum = h[offset]!,
    area = cum * Math.min(binUpper(0), limit);
  for (let i = 1; i < HIST_BINS; i++) {
    const a = binLower(i);
    if (a >= limit) break;
    const b = binUpper(i),
      c = h[offset + i]!;
    const top = Math.min(b, limit),
      w = top - a;
    area += cum * w + (c * w * w) / (2 * (b - a));
    cum += c;
  }
  return limit - Math.min(limit, area / verifiable);
}

/** The largest of the two sides of an interval (intervals may be asymmetric). */
function sideWidth(e: Estimate): number {
  return Math.max(e.value - e.lo, e.hi - e.value);
}

/**
 * The restricted mean with a 95% interval from the existing estimates, by the delta method on
 * RM ≈ L − p (L − m), p the verified share (its interval), m the conditional mean response (its interval):
 * half-width |L − m| w_p + p w_m, the bound for any correlation of p and m (Cauchy–Schwarz), so at least as
 * wide as the delta method with the covariance. Kept inside [0, L]; `halfWidth` is (hi − lo) / 2.
 */
export function restrictedMeanEstimate(
  value: number,
  limit: number,
  verifiedShare: Estimate,
  responseMean: Estimate,
): RestrictedMean {
  const n = verifiedShare.n;
  if (Number.isNaN(value)) return { ...estimate(NaN, NaN, 0), limitHours: limit };
  const p = verifiedShare.value;
  // A width that is undefined (no replication varied, or too few verified to estimate one) is bounded by the
  // widest it could be: 1 for the share, L for the mean time of those verified by L.
  const bounded = (w: number, most: number) => (Number.isFinite(w) ? Math.min(w, most) : most);
  const wp = bounded(sideWidth(verifiedShare), 1);
  const wm = p > 0 ? bounded(sideWidth(responseMean), limit) : 0;
  const m = p > 0 ? Math.min(responseMean.value, limit) : limit;
  const hw = n >= 2 ? Math.abs(limit - m) * wp + p * wm : NaN;
  if (Number.isNaN(hw)) return { value, lo: NaN, hi: NaN, halfWidth: NaN, n, limitHours: limit };
  const lo = Math.max(0, value - hw),
    hi = Math.min(limit, value + hw);
  return { value, lo, hi, halfWidth: (hi - lo) / 2, n, limitHours: limit };
}

/** Inputs of `timeToVerification` for one sector or the whole line. */
export interface TimeToVerificationInput {
  /** Pooled histogram of verified response times, and the offset of this block in it. */
  hist: Float64Array;
  offset: number;
  /** All verifiable incidents, and those verified within the standard (pooled over replications). */
  verifiable: number;
  within: number;
  standardHours: number;
  /** The drain allowance: every incident is followed at least this long. */
  drainHours: number;
  /** Limit of the restricted mean (default and maximum: the drain allowance). */
  limitHours?: number;
  verifiedShare: Estimate;
  responseMean: Estimate;
}

export function timeToVerification(x: TimeToVerificationInput): TimeToVerification {
  const limit = x.drainHours;
  const L = x.limitHours ?? limit;
  if (x.limitHours !== undefined && !(L > 0 && L <= limit))
    throw new RangeError(`restricted mean limit ${L} h: must be > 0 and at most the drain allowance (${limit} h)`);
  return {
    limitHours: limit,
    survival: survivalCurve(x.hist, x.offset, x.verifiable, limit, { hours: x.standardHours, within: x.within }),
    p50: survivalQuantile(x.hist, x.offset, x.verifiable, 0.5, limit),
    p90: survivalQuantile(x.hist, x.offset, x.verifiable, 0.9, limit),
    // Without a drain allowance (L = 0) it is the mean of min(T, 0): exactly 0, and limitHours says so.
    restrictedMean: restrictedMeanEstimate(
      L > 0 ? restrictedMeanValue(x.hist, x.offset, x.verifiable, L) : x.verifiable > 0 ? 0 : NaN,
      L,
      x.verifiedShare,
      x.responseMean,
    ),
  };
}

/** What `survivorshipNote` reads of a result's line or sector (`SectorMetrics` has it). */
export interface SurvivorshipView {
  response: { mean: Estimate; p50: Estimate; p90: Estimate; p95: Estimate };
  outcomes: { verified: Estimate };
  timeToVerification?: TimeToVerification;
}

/**
 * A warning when a metric over verified incidents only (response mean and quantiles) is lower — looks better —
 * in `arm` than in `base` while the share of verifiable incidents verified is lower: the faster times then
 * come from dropping the incidents that were not verified, not from faster verification. Null otherwise.
 */
export function survivorshipNote(base: SurvivorshipView, arm: SurvivorshipView): string | null {
  const pb = base.outcomes.verified.value,
    pa = arm.outcomes.verified.value;
  if (!(pa < pb)) return null;
  const moved: string[] = [];
  for (const k of ["mean", "p50", "p90", "p95"] as const) {
    const b = base.response[k].value,
      a = arm.response[k].value;
    if (a < b) moved.push(`response.${k} ${b.toFixed(1)} → ${a.toFixed(1)} h`);
  }
  if (moved.length === 0) return null;
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  let note =
    `${moved.join(", ")} over verified incidents only, while the verified share of verifiable incidents fell ` +
    `from ${pct(pb)} to ${pct(pa)}: not faster verification, fewer incidents verified`;
  const rb = base.timeToVerification?.restrictedMean,
    ra = arm.timeToVerification?.restrictedMean;
  if (rb && ra && Number.isFinite(rb.value) && Number.isFinite(ra.value))
    note +=
      `; mean time to verification over all verifiable incidents (to ${ra.limitHours} h) ` +
      `${rb.value.toFixed(1)} → ${ra.value.toFixed(1)} h`;
  return note;
}
