/**
 * Samplers for the duration distributions of the scenario format. The hot
 * loop stores distributions compiled as rows of a Float64Array
 * (`DIST_WIDTH` numbers each: kind code, then parameters, all in hours) and
 * samples them with `sampleDist`, which allocates nothing.
 */
import type { Distribution } from "../model/types.js";
import { exp } from "./exp.js";
import { exponentialInto } from "./exponential.js";
import { normalInto } from "./normal.js";
import type { Rng } from "./streams.js";

export const DIST_NONE = 0, DIST_FIXED = 1, DIST_EXP = 2, DIST_LOGNORMAL = 3, DIST_UNIFORM = 4, DIST_TRIANGULAR = 5, DIST_GAMMA = 6, DIST_EMPIRICAL = 7;
/** Numbers per compiled distribution row: [kind, p1, p2, p3]. Empirical rows point into a shared values array: p1 = offset, p2 = count. */
export const DIST_WIDTH = 4;

/** Mean of a distribution, hours (0 for none). */
export function distMean(d: Distribution | null): number {
  if (!d) return 0;
  switch (d.kind) {
    case "fixed": return d.value;
    case "exponential": return d.mean;
    case "lognormal": return Math.exp(d.mu + (d.sigma * d.sigma) / 2);
    case "uniform": return (d.min + d.max) / 2;
    case "triangular": return (d.min + d.mode + d.max) / 3;
    case "gamma": return d.mean;
    case "empirical": return d.values.reduce((a, b) => a + b, 0) / d.values.length;
  }
}

/** Write distribution `d` into row `row` of `table`; empirical values are appended to `values`. */
export function writeDist(table: Float64Array, row: number, d: Distribution | null, values: number[]): void {
  const o = row * DIST_WIDTH;
  table.fill(0, o, o + DIST_WIDTH);
  if (!d) return;
  switch (d.kind) {
    case "fixed": table[o] = DIST_FIXED; table[o + 1] = d.value; break;
    case "exponential": table[o] = DIST_EXP; table[o + 1] = d.mean; break;
    case "lognormal": table[o] = DIST_LOGNORMAL; table[o + 1] = d.mu; table[o + 2] = d.sigma; break;
    case "uniform": table[o] = DIST_UNIFORM; table[o + 1] = d.min; table[o + 2] = d.max; break;
    case "triangular": table[o] = DIST_TRIANGULAR; table[o + 1] = d.min; table[o + 2] = d.mode; table[o + 3] = d.max; break;
    case "gamma": table[o] = DIST_GAMMA; table[o + 1] = d.shape; table[o + 2] = d.scale; break;
    case "empirical": table[o] = DIST_EMPIRICAL; table[o + 1] = values.length; table[o + 2] = d.values.length; values.push(...d.values); break;
  }
}

/** Draw from compiled distribution row `row`. Consumes one uniform for every kind but lognormal and exponential (ziggurats: one, rarely more) and gamma (Marsaglia–Tsang, ≥ 2). */
export function sampleDist(table: Float64Array, values: Float64Array, row: number, rng: Rng): number {
  sampleInto(table, values, row, rng, OTHER, 0);
  return OTHER[0]!;
}

/**
 * `sampleDist` writing its draw to out[k]. The engine uses this form: a double returned by a call the
 * compiler does not inline arrives boxed (a heap allocation per draw), a double stored in a Float64Array
 * never is. Lognormal, the common kind, comes first and small so that it inlines.
 */
export function sampleInto(table: Float64Array, values: Float64Array, row: number, rng: Rng, out: Float64Array, k: number): void {
  const o = row * DIST_WIDTH;
  if (table[o] === DIST_LOGNORMAL) {
    normalInto(rng, out, k);
    out[k] = exp(table[o + 1]! + table[o + 2]! * out[k]!);
  } else otherInto(table, values, o, rng, out, k);
}

/**
 * Draw one value from each row of rows[0..n), in order, consuming the stream exactly as `sampleDist` would
 * row by row; the least value goes to out[0], its index is returned (the first on a tie). Lognormal draws
 * compete on the log scale (μ + σZ; exp is monotone) and only their least is exponentiated; other kinds
 * compete as drawn. The engine's first detection among several detecting sensors.
 */
export function leastOf(table: Float64Array, values: Float64Array, rows: Int32Array, n: number, rng: Rng, out: Float64Array): number {
  let bestLog = Infinity, whoLog = -1, best = Infinity, who = -1;
  for (let r = 0; r < n; r++) {
    const o = rows[r]! * DIST_WIDTH;
    if (table[o] === DIST_LOGNORMAL) {
      normalInto(rng, out, 0);
      const l = table[o + 1]! + table[o + 2]! * out[0]!;
      whoLog = l < bestLog ? r : whoLog;
      bestLog = Math.min(bestLog, l);
    } else {
      otherInto(table, values, o, rng, out, 0);
      const v = out[0]!;
      who = v < best ? r : who;
      best = Math.min(best, v);
    }
  }
  const e = exp(bestLog);
  if (whoLog >= 0 && (who < 0 || e < best || (e === best && whoLog < who))) {
    out[0] = e;
    return whoLog;
  }
  out[0] = best;
  return who;
}

const OTHER = new Float64Array(1);

/** Every kind but lognormal, into out[k]. */
function otherInto(table: Float64Array, values: Float64Array, o: number, rng: Rng, out: Float64Array, k: number): void {
  switch (table[o]) {
    case DIST_FIXED: out[k] = table[o + 1]!; break;
    case DIST_EXP: exponentialInto(rng, out, k); out[k]! *= table[o + 1]!; break;
    case DIST_UNIFORM: { const a = table[o + 1]!; out[k] = a + (table[o + 2]! - a) * rng.next(); break; }
    case DIST_TRIANGULAR: {
      const a = table[o + 1]!, c = table[o + 2]!, b = table[o + 3]!, u = rng.next();
      const f = (c - a) / (b - a);
      out[k] = u < f ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
      break;
    }
    case DIST_GAMMA: out[k] = gamma(table[o + 1]!, rng) * table[o + 2]!; break;
    case DIST_EMPIRICAL: out[k] = values[table[o + 1]! + Math.floor(rng.next() * table[o + 2]!)]!; break;
    default: out[k] = 0;
  }
}

/** A uniform on the open interval (0, 1). */
function uniformOpen(rng: Rng): number {
  let u = rng.next();
  while (u === 0) u = rng.next();
  return u;
}

/**
 * Standard normal quantile by Acklam's rational approximation (relative
 * error below 1.15e-9 over (0, 1)); one uniform per normal draw keeps
 * stream consumption fixed.
 */
export function normalQuantile(p: number): number {
  const a1 = -3.969683028665376e1, a2 = 2.209460984245205e2, a3 = -2.759285104469687e2, a4 = 1.38357751867269e2, a5 = -3.066479806614716e1, a6 = 2.506628277459239;
  const b1 = -5.447609879822406e1, b2 = 1.615858368580409e2, b3 = -1.556989798598866e2, b4 = 6.680131188771972e1, b5 = -1.328068155288572e1;
  const c1 = -7.784894002430293e-3, c2 = -3.223964580411365e-1, c3 = -2.400758277161838, c4 = -2.549732539343734, c5 = 4.374664141464968, c6 = 2.938163982698783;
  const d1 = 7.784695709041462e-3, d2 = 3.224671290700398e-1, d3 = 2.445134137142996, d4 = 3.754408661907416;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
  }
  if (p <= 1 - 0.02425) {
    const q = p - 0.5, r = q * q;
    return ((((((a1 * r + a2) * r + a3) * r + a4) * r + a5) * r + a6) * q) / (((((b1 * r + b2) * r + b3) * r + b4) * r + b5) * r + 1);
  }
  const q = Math.sqrt(-2 * Math.log(1 - p));
  return -(((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 via the boost u^(1/shape). */
function gamma(shape: number, rng: Rng): number {
  if (shape < 1) return gamma(shape + 1, rng) * Math.pow(uniformOpen(rng), 1 / shape);
  const d = shape - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = normalQuantile(uniformOpen(rng));
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = uniformOpen(rng);
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}
