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
 *
 * Intervals: p50 and p90 by sectioning over replications (each replication's own quantile of min(T, limit)),
 * the restricted mean by the delta method on the engine's exact per-replication sums of min(T, limit). Each
 * point of the curve is a share ratio estimate like every other (verified by x over verifiable, pooled over
 * replications) with its interval: the delta method over replications on the logit scale (`estimate`), from
 * per-replication sums kept at every edge of the curve (`addCurveSums`, below); the point at the standard is
 * `withinStandard` itself.
 */
import { HIST_BINS, HIST_SUB } from "../layout/histogram.js";
import { estimate, SHARE, type Estimate } from "./estimate.js";
import { binLower, binOf, binUpper } from "./histogram.js";
import { ratioSeFromSums } from "./moments.js";

/**
 * One point of the curve: by `hours` after the incident, this share of verifiable incidents was verified, with
 * the 95% interval of that share, F(hours), and the same interval read as one of S(hours) = 1 − F(hours).
 * Interval ends are NaN (`null` in JSON) with fewer than 2 replications that had verifiable incidents.
 */
export interface SurvivalPoint {
  hours: number;
  /** F(hours): share of all verifiable incidents verified by `hours` (1 − survival). */
  verified: number;
  /** Lower end of the 95% interval of `verified`, F(hours); in [0, 1]. */
  verifiedLo: number;
  /** Upper end of the 95% interval of `verified`, F(hours); in [0, 1]. */
  verifiedHi: number;
  /** S(hours): share of all verifiable incidents not (yet) verified by `hours`. */
  survival: number;
  /** Lower end of the 95% interval of `survival`, S(hours): 1 − `verifiedHi`. */
  survivalLo: number;
  /** Upper end of the 95% interval of `survival`, S(hours): 1 − `verifiedLo`. */
  survivalHi: number;
}

/**
 * A quantile of the time to verification over all verifiable incidents, read from the curve: `value` hours (NaN,
 * `null` in JSON, when the curve does not reach the level by its limit: see `reason`), with its 95% interval.
 */
export type SurvivalQuantile = Estimate & {
  /** The share of verifiable incidents verified (0.5 for p50). */
  level: number;
  /** Why `value` is undefined; null when it is a number. */
  reason: string | null;
};

/**
 * The restricted mean time to verification, ∫₀ᴸ S(x) dx: the mean of min(T, L) over verifiable incidents, an
 * incident never verified counting as L. Its interval stays in [0, L].
 */
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
  /** Median time to verification over all verifiable incidents, with its 95% interval. */
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

/**
 * The histogram bins whose lower edges are the curve's grid points up to `limit`: every STEP-th edge from the
 * first bin's (8 per doubling of time), and `limit` itself when it is a bin edge; ascending. Shared: not to be
 * written.
 */
export function curveEdges(limit: number): Int32Array {
  let edges = edgesByLimit.get(limit);
  if (!edges) {
    edges = gridEdges(limit);
    edgesByLimit.set(limit, edges);
  }
  return edges;
}
const edgesByLimit = new Map<number, Int32Array>();
function gridEdges(limit: number): Int32Array {
  const out: number[] = [];
  for (let i = 1; i < HIST_BINS && binLower(i) <= limit; i += STEP) out.push(i);
  const j = limit > 0 ? binOf(limit) : 0;
  if (j > 0 && binLower(j) === limit && (j - 1) % STEP !== 0) {
    out.push(j);
    out.sort((a, b) => a - b);
  }
  return Int32Array.from(out);
}

/**
 * Per-replication sums behind the curve's intervals, for one block (a sector or the whole line) of `K` edges:
 * [n, Σx, Σx²] over the replications with verifiable incidents (x, their count), then for each edge k six
 * numbers: Σy, Σy², Σx·y over the replications (y, the count verified before the edge) whose verified times
 * reach past the edge, and the same three for those whose verified times all lie before it, added at the first
 * such edge only (summed up to an edge by `curveIntervals`). Every number is a whole number, so the sums are
 * exact in any order: workers, shards and checkpoints add them as they add histogram counts.
 */
export const curveBlockWidth = (K: number): number => 3 + 6 * K;

/**
 * Add one replication's block to the curve sums at `o`: `x` verifiable incidents, verified times counted in
 * the histogram `h` at `ho`, whose non-empty bins lie in [lo, hi] (lo > hi when none). Reads bins lo…hi up to
 * the last edge, not the whole histogram: edges past the last verified time take one entry (the tail).
 */
export function addCurveSums(
  sums: Float64Array,
  o: number,
  edges: Int32Array,
  h: Float64Array,
  ho: number,
  x: number,
  lo: number,
  hi: number,
): void {
  if (!(x > 0)) return;
  sums[o]! += 1;
  sums[o + 1]! += x;
  sums[o + 2]! += x * x;
  const K = edges.length;
  if (lo > hi || K === 0) return; // nothing verified: y = 0 at every edge
  // Edges at or below lo count nothing verified before them (y = 0): start at the first edge above lo.
  let a = 0,
    b = K;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (edges[mid]! <= lo) a = mid + 1;
    else b = mid;
  }
  let k = a,
    cum = 0;
  for (let i = lo; k < K && i <= hi; i++) {
    if (edges[k] === i) {
      const p = o + 3 + 6 * k++;
      sums[p]! += cum;
      sums[p + 1]! += cum * cum;
      sums[p + 2]! += x * cum;
    }
    cum += h[ho + i]!;
  }
  if (k < K) {
    // Every verified time lies before edge k: y = cum at k and at every later edge.
    const p = o + 3 + 6 * k;
    sums[p + 3]! += cum;
    sums[p + 4]! += cum * cum;
    sums[p + 5]! += x * cum;
  }
}

/**
 * The standard error of each edge's share verified (Σy/Σx) from a block of curve sums, by the delta method over
 * replications (`ratioSeFromSums`, the formula of every ratio metric), and the replications it rests on.
 */
export function curveSpread(sums: Float64Array, o: number, K: number): { se: Float64Array; n: number } {
  const n = sums[o]!,
    sx = sums[o + 1]!,
    sxx = sums[o + 2]!;
  const se = new Float64Array(K);
  let ty = 0,
    tyy = 0,
    txy = 0;
  for (let k = 0; k < K; k++) {
    const p = o + 3 + 6 * k;
    ty += sums[p + 3]!;
    tyy += sums[p + 4]!;
    txy += sums[p + 5]!;
    se[k] = ratioSeFromSums(n, sx, sums[p]! + ty, sxx, sums[p + 1]! + tyy, sums[p + 2]! + txy);
  }
  return { se, n };
}

/** What gives the curve's points their intervals (see `timeToVerification`). */
export interface CurveIntervals {
  /** The block's curve sums (`addCurveSums`) and their offset. */
  sums: Float64Array;
  offset: number;
  /** `withinStandard`: the point at the standard is this estimate. */
  withinStandard: Estimate;
}

/**
 * Curve points at the edges of `curveEdges(limit)`, plus the standard (exact count `within`) when it is ≤
 * `limit`; with `intervals`, each with its 95% interval (NaN ends without).
 */
export function survivalCurve(
  h: Float64Array,
  offset: number,
  verifiable: number,
  limit: number,
  standard?: { hours: number; within: number },
  intervals?: CurveIntervals,
): SurvivalPoint[] {
  if (!(verifiable > 0)) return [];
  const edges = curveEdges(limit);
  const spread = intervals ? curveSpread(intervals.sums, intervals.offset, edges.length) : null;
  const raw: { hours: number; count: number; k: number; keep?: true }[] = [];
  let cum = 0,
    i = 0;
  edges.forEach((e, k) => {
    for (; i < e; i++) cum += h[offset + i]!;
    raw.push({ hours: binLower(e), count: cum, k });
  });
  if (standard && standard.hours > 0 && standard.hours <= limit) {
    const k = raw.findIndex((p) => p.hours >= standard.hours);
    const p = { hours: standard.hours, count: standard.within, k: -1, keep: true as const };
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
    // A point every replication put at 0 or 1 has no spread: its interval is the point (no count-based
    // Wilson interval, unlike `withinStandard`, whose interval the point at the standard carries).
    const e =
      p.k < 0 && intervals
        ? intervals.withinStandard
        : spread
          ? estimate(verified, spread.se[p.k]!, spread.n, SHARE)
          : null;
    const value = e && p.k < 0 ? e.value : verified;
    const lo = e ? e.lo : NaN,
      hi = e ? e.hi : NaN;
    return {
      hours: p.hours,
      verified: value,
      verifiedLo: lo,
      verifiedHi: hi,
      survival: 1 - value,
      survivalLo: 1 - hi,
      survivalHi: 1 - lo,
    };
  });
}

/** Quantile `level` of time to verification over `verifiable` incidents; NaN with a reason when not reached. */
export function survivalQuantile(
  h: Float64Array,
  offset: number,
  verifiable: number,
  level: number,
  limit: number,
): { hours: number; reason: string | null } {
  if (!(verifiable > 0)) return { hours: NaN, reason: "no verifiable incidents" };
  const reached = verifiedBy(h, offset, limit);
  if (reached < level * verifiable) {
    const pct = ((100 * reached) / verifiable).toFixed(1);
    return {
      hours: NaN,
      reason:
        `not reached by ${limit} h (the limit of follow-up): ${pct}% of verifiable incidents verified by then; ` +
        "the curve is not identified beyond it",
    };
  }
  return { hours: quantileToLimit(h, offset, verifiable, level, limit), reason: null };
}

/**
 * The time by which `level` of `verifiable` incidents were verified, read from the histogram's bins lo…hi (those
 * holding counts), or `limit` when that comes later or never: the quantile of min(T, limit). What each
 * replication contributes to the interval of a pooled quantile (a replication whose own curve does not reach the
 * level counts as the limit); the pooled quantile itself when it is reached.
 */
export function quantileToLimit(
  h: Float64Array,
  offset: number,
  verifiable: number,
  level: number,
  limit: number,
  lo = 0,
  hi = HIST_BINS - 1,
): number {
  const target = level * verifiable;
  let cum = 0;
  for (let i = lo; i <= hi; i++) {
    const c = h[offset + i]!;
    if (c > 0 && cum + c >= target) {
      if (i === 0) return 0;
      const a = binLower(i),
        b = binUpper(i);
      return Math.min(limit, a + ((target - cum) / c) * (b - a));
    }
    cum += c;
  }
  return limit;
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
  /** The drain allowance: every incident is followed at least this long; the curve stops there. */
  drainHours: number;
  /**
   * The restricted mean to the drain allowance: the ratio estimate of the tally's Σ min(T, L) over verifiable
   * incidents, its interval in [0, L].
   */
  restrictedMean: Estimate;
  /** Standard errors and replications of p50 and p90 from per-replication quantiles (sectioning). */
  quantileSpread: readonly { se: number; n: number }[];
  /** The curve sums and `withinStandard`, for the intervals of the curve's points; none without. */
  intervals?: CurveIntervals;
}

/** The levels of the time-to-verification quantiles, as `p50` and `p90`. */
export const SURVIVAL_LEVELS = [0.5, 0.9] as const;

export function timeToVerification(x: TimeToVerificationInput): TimeToVerification {
  const L = x.drainHours;
  const range = [0, L] as const;
  const quantile = (k: number): SurvivalQuantile => {
    const level = SURVIVAL_LEVELS[k]!,
      q = survivalQuantile(x.hist, x.offset, x.verifiable, level, L),
      spread = x.quantileSpread[k]!;
    return { ...estimate(q.hours, spread.se, spread.n, range), level, reason: q.reason };
  };
  return {
    limitHours: L,
    survival: survivalCurve(
      x.hist,
      x.offset,
      x.verifiable,
      L,
      { hours: x.standardHours, within: x.within },
      x.intervals,
    ),
    p50: quantile(0),
    p90: quantile(1),
    restrictedMean: { ...x.restrictedMean, limitHours: L },
  };
}

/** What `survivorshipNote` reads of a result's line or sector (`SectorMetrics` has it). */
export interface SurvivorshipView {
  response: { mean: Estimate; p50: Estimate; p90: Estimate; p95: Estimate };
  outcomes: { verified: Estimate };
  withinStandard: Estimate;
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
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  // A share over all verifiable incidents can rise too when fewer are detected and verified: the teams' queue is
  // shorter, so those that are detected are verified sooner (a saturated mission).
  const wb = base.withinStandard.value,
    wa = arm.withinStandard.value;
  const queue =
    wa > wb
      ? `; withinStandard ${pct(wb)} → ${pct(wa)} while the verified share fell: fewer incidents detected or ` +
        "verified left the teams a shorter queue, so the rest were verified sooner (the mission is short of teams)"
      : "";
  if (moved.length === 0)
    return queue ? `the verified share of verifiable incidents fell from ${pct(pb)} to ${pct(pa)}${queue}` : null;
  let note =
    `${moved.join(", ")} over verified incidents only, while the verified share of verifiable incidents fell ` +
    `from ${pct(pb)} to ${pct(pa)}: not faster verification, fewer incidents verified`;
  const rb = base.timeToVerification?.restrictedMean,
    ra = arm.timeToVerification?.restrictedMean;
  if (rb && ra && Number.isFinite(rb.value) && Number.isFinite(ra.value))
    note +=
      `; mean time to verification over all verifiable incidents (to ${ra.limitHours} h) ` +
      `${rb.value.toFixed(1)} → ${ra.value.toFixed(1)} h`;
  return note + queue;
}
