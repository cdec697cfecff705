/**
 * Samplers for the duration distributions of the scenario format. The hot
 * loop stores distributions compiled as rows of a Float64Array
 * (`DIST_WIDTH` numbers each: kind code, then parameters, all in hours) and
 * samples them with `sampleDist`, which allocates nothing.
 */
import {
  DIST_EMPIRICAL,
  DIST_EXP,
  DIST_FIXED,
  DIST_GAMMA,
  DIST_LOGNORMAL,
  DIST_TRIANGULAR,
  DIST_UNIFORM,
  DIST_WIDTH,
} from "../layout/codes.js";
import { normalQuantile } from "./normal-quantile.js";
import { exp } from "./exp.js";
import { exponentialInto } from "./exponential.js";
import { normalInto } from "./normal.js";
import type { Rng } from "./streams.js";

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
export function sampleInto(
  table: Float64Array,
  values: Float64Array,
  row: number,
  rng: Rng,
  out: Float64Array,
  k: number,
): void {
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
export function leastOf(
  table: Float64Array,
  values: Float64Array,
  rows: Int32Array,
  n: number,
  rng: Rng,
  out: Float64Array,
): number {
  let bestLog = Infinity,
    whoLog = -1,
    best = Infinity,
    who = -1;
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
    case DIST_FIXED:
      out[k] = table[o + 1]!;
      break;
    case DIST_EXP:
      exponentialInto(rng, out, k);
      out[k]! *= table[o + 1]!;
      break;
    case DIST_UNIFORM: {
      const a = table[o + 1]!;
      out[k] = a + (table[o + 2]! - a) * rng.next();
      break;
    }
    case DIST_TRIANGULAR: {
      const a = table[o + 1]!,
        c = table[o + 2]!,
        b = table[o + 3]!,
        u = rng.next();
      const f = (c - a) / (b - a);
      out[k] = u < f ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
      break;
    }
    case DIST_GAMMA:
      out[k] = gamma(table[o + 1]!, rng) * table[o + 2]!;
      break;
    case DIST_EMPIRICAL:
      out[k] = values[table[o + 1]! + Math.floor(rng.next() * table[o + 2]!)]!;
      break;
    default:
      out[k] = 0;
  }
}

/** A uniform on the open interval (0, 1). */
function uniformOpen(rng: Rng): number {
  let u = rng.next();
  while (u === 0) u = rng.next();
  return u;
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 via the boost u^(1/shape). */
function gamma(shape: number, rng: Rng): number {
  if (shape < 1) return gamma(shape + 1, rng) * Math.pow(uniformOpen(rng), 1 / shape);
  const d = shape - 1 / 3,
    c = 1 / Math.sqrt(9 * d);
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
