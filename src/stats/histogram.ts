/** Reading and filling the fixed-layout histograms of `src/layout/histogram.ts`. */
import { HIST_BINS, HIST_MIN, HIST_OCTAVES, HIST_SUB } from "../layout/histogram.js";

// binOf reads the exponent and the top six mantissa bits of the IEEE-754 double directly: for v ≥ MIN the
// octave is the binary exponent of v / MIN and the sub-bin is floor((mantissa − 1) · 64), both exact.
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // little-endian: high word at index 1
const MIN_EXP = 1023 - 12; // biased exponent of HIST_MIN
const SUB_SHIFT = 20 - Math.log2(HIST_SUB); // HIST_SUB is a power of two

/** Bin index of a duration v ≥ 0 (hours). */
export function binOf(v: number): number {
  if (v < HIST_MIN) return 0;
  F64[0] = v;
  const hi = U32[HI]!;
  const e = (hi >>> 20) - MIN_EXP;
  if (e >= HIST_OCTAVES) return HIST_BINS - 1;
  return 1 + e * HIST_SUB + ((hi >>> SUB_SHIFT) & (HIST_SUB - 1));
}

/** Lower edge of bin i (hours). */
export function binLower(i: number): number {
  if (i <= 0) return 0;
  const e = Math.floor((i - 1) / HIST_SUB);
  const s = (i - 1) % HIST_SUB;
  return HIST_MIN * 2 ** e * (1 + s / HIST_SUB);
}

/** Upper edge of bin i (hours). */
export function binUpper(i: number): number {
  return i === 0 ? HIST_MIN : binLower(i + 1);
}

/**
 * Quantile q ∈ [0, 1] of the histogram stored at `h[offset .. offset + HIST_BINS)` holding `total` values;
 * NaN when empty. Bins outside [lo, hi], when given, must be empty (the scan skips them).
 *
 * Bin 0 ([0, HIST_MIN), under a second) is read as the point 0, so a quantile of all-zero times is 0. `mean`,
 * when given, is the exact mean of the values: when they all fall in one bin, every quantile is that mean
 * (within the bin), so a quantile of a point mass is exactly that point. Otherwise the value interpolates
 * linearly within its bin.
 */
export function histQuantile(
  h: Float64Array,
  offset: number,
  total: number,
  q: number,
  lo = 0,
  hi = HIST_BINS - 1,
  mean = NaN,
): number {
  if (!(total > 0)) return NaN;
  const target = q * total;
  let cum = 0;
  for (let i = Math.max(0, lo); i <= Math.min(hi, HIST_BINS - 1); i++) {
    const c = h[offset + i]!;
    if (c > 0 && cum + c >= target) {
      if (i === 0) return 0;
      const lo = binLower(i),
        hi = binUpper(i);
      if (c >= total && Number.isFinite(mean)) return Math.min(hi, Math.max(lo, mean));
      return lo + ((target - cum) / c) * (hi - lo);
    }
    cum += c;
  }
  return binLower(HIST_BINS - 1);
}
