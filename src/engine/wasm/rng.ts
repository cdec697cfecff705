// AssemblyScript. The core's random draws: seedrandom's xor4096 generator (Brent's xorgens with a Weyl
// sequence) stepped over a state in linear memory, the normal and exponential ziggurats over the host's tables
// (src/rng/normal.ts, src/rng/exponential.ts), and the duration samplers over compiled distribution rows, with
// the core's own exp and log (./exp.ts). A generator's state is 130 words: X[0..128), then the index i (byte
// 512) and the Weyl word w (byte 516); the host copies each stream's state in before a phase and out after it.
// Every draw takes its numbers from its stream in a fixed order, so a stream's state decides every value.
import { bindExp, exp, log } from "./exp";
import * as L from "../../layout/slots.generated";
import { addr, f64At, i32At } from "./memory";

const WEYL: i32 = 0x61c88647;
const TWO_TO_MINUS_32: f64 = 2.3283064365386963e-10;

/** The xor4096 recurrence at the step's new index i: X[i] becomes a mix of itself and X[(i + 33) & 127]. */
@inline function mix(r: usize, i: i32): i32 {
  let v = load<i32>(r + (<usize>((i + 33) & 127) << 2));
  let t = load<i32>(r + (<usize>i << 2));
  v ^= v << 13;
  t ^= t << 17;
  v ^= <i32>(<u32>v >>> 15);
  t ^= <i32>(<u32>t >>> 12);
  v ^= t;
  store<i32>(r + (<usize>i << 2), v);
  return v;
}

/** The generator's output from the mixed word v and the Weyl word w. */
@inline function output(v: i32, w: i32): i32 {
  return v + (w ^ <i32>(<u32>w >>> 16));
}

/** The next raw 32-bit output of the generator whose state is at r: one step (the Weyl word, the index, X[i]). */
@inline export function int32(r: usize): i32 {
  const w = load<i32>(r, 516) + WEYL;
  store<i32>(r, w, 516);
  const i = (load<i32>(r, 512) + 1) & 127;
  store<i32>(r, i, 512);
  return output(mix(r, i), w);
}

/** The next uniform on [0, 1): the output as unsigned, times 2^-32 (exact), so 32-bit resolution. */
@inline export function next(r: usize): f64 {
  return <f64><u32>int32(r) * TWO_TO_MINUS_32;
}

// The ziggurat tables' addresses, read from the table of addresses once per phase (bindTables).
let normK: usize = 0, normW: usize = 0, normF: usize = 0;
let expK: usize = 0, expW: usize = 0, expF: usize = 0, distValues: usize = 0;

/** Read the ziggurats' and the empirical values' addresses: call at the start of a phase. */
export function bindTables(): void {
  bindExp();
  normK = addr(L.A_NORM_K); normW = addr(L.A_NORM_W); normF = addr(L.A_NORM_F);
  expK = addr(L.A_EXP_K); expW = addr(L.A_EXP_W); expF = addr(L.A_EXP_F);
  distValues = addr(L.A_DIST_VALUES);
}

/**
 * An incident's uniforms (INCIDENT_UNIFORMS of them, src/layout/declaration.ts) from the generator at r into
 * out[0..) (doubles), the same as that many `next(r)`: the step's index and Weyl word stay in registers between
 * the draws instead of going through memory each time.
 */
@inline export function incidentUniforms(r: usize, out: usize): void {
  let i = load<i32>(r, 512), w = load<i32>(r, 516);
  for (let k = 0; k < L.INCIDENT_UNIFORMS; k++) {
    w += WEYL;
    i = (i + 1) & 127;
    store<f64>(out + (<usize>k << 3), <f64><u32>output(mix(r, i), w) * TWO_TO_MINUS_32);
  }
  store<i32>(r, i, 512);
  store<i32>(r, w, 516);
}

const NORM_R: f64 = 3.442619855899;
const EXP_R: f64 = 7.697117470131487;

/**
 * A standard normal variate by the ziggurat (128 layers): one 32-bit output, its low 7 bits the layer and its
 * upper 25 bits (signed) the point, accepted outright about 98.8% of the time; the rest in normalRare.
 */
@inline export function normal(r: usize): f64 {
  const j = int32(r);
  const i = j & 127, h = j >> 7;
  if (abs<i32>(h) < i32At(normK, i)) return <f64>h * f64At(normW, i);
  return normalRare(r, i, h);
}

/** The normal ziggurat's wedge test, its tail beyond NORM_R (Marsaglia 1964), and its redraws. */
function normalRare(r: usize, i: i32, h: i32): f64 {
  const K = normK, W = normW, F = normF;
  for (;;) {
    const x = <f64>h * f64At(W, i);
    if (abs<i32>(h) < i32At(K, i)) return x;
    if (i == 0) {
      let a: f64, b: f64;
      do {
        a = -log(1 - next(r)) / NORM_R;
        b = -log(1 - next(r));
      } while (b + b < a * a);
      return h > 0 ? NORM_R + a : -NORM_R - a;
    }
    if (f64At(F, i) + next(r) * (f64At(F, i - 1) - f64At(F, i)) < exp(-0.5 * x * x)) return x;
    const j = int32(r);
    i = j & 127;
    h = j >> 7;
  }
  return 0;
}

/**
 * A standard exponential variate (mean 1) by the ziggurat (256 layers): one 32-bit output, its low 8 bits the
 * layer and its upper 24 bits the point, accepted outright about 98.9% of the time; the rest in
 * exponentialRare. Cheaper than −log(1 − U), which costs a logarithm each.
 */
@inline export function exponential(r: usize): f64 {
  const j = int32(r);
  const i = j & 255, h = <u32>j >>> 8;
  if (<f64>h < f64At(expK, i)) return <f64>h * f64At(expW, i);
  return exponentialRare(r, i, h);
}

/** The exponential ziggurat's wedge test, its tail (EXP_R plus a fresh exponential: memoryless), redraws. */
function exponentialRare(r: usize, i: i32, h: u32): f64 {
  const K = expK, W = expW, F = expF;
  for (;;) {
    if (i == 0) return EXP_R - log(1 - next(r));
    const x = <f64>h * f64At(W, i);
    if (f64At(F, i) + next(r) * (f64At(F, i - 1) - f64At(F, i)) < exp(-x)) return x;
    const j = int32(r);
    i = j & 255;
    h = <u32>j >>> 8;
    if (<f64>h < f64At(K, i)) return <f64>h * f64At(W, i);
  }
  return 0;
}

/**
 * A draw from distribution row `row` of the table at `dist` (DIST_WIDTH numbers a row: the kind's code, then
 * its parameters, in hours). Lognormal, the common kind, is exp(μ + σZ) here, small enough to inline; the
 * other kinds are a call.
 */
@inline export function sample(dist: usize, row: i32, r: usize): f64 {
  const o = row * L.DIST_WIDTH;
  if (f64At(dist, o) == <f64>L.DIST_LOGNORMAL) return exp(f64At(dist, o + 1) + f64At(dist, o + 2) * normal(r));
  return other(dist, o, r);
}

/**
 * A draw of every kind but lognormal, from the row at offset `o`: fixed (its value), exponential (mean), uniform
 * (a, b), triangular (a, mode, b; by inversion), gamma (shape, scale) and empirical (its values' offset in
 * A_DIST_VALUES and their count; each equally likely).
 */
export function other(dist: usize, o: i32, r: usize): f64 {
  const kind = <i32>f64At(dist, o);
  if (kind == L.DIST_FIXED) return f64At(dist, o + 1);
  if (kind == L.DIST_EXP) return exponential(r) * f64At(dist, o + 1);
  if (kind == L.DIST_UNIFORM) {
    const a = f64At(dist, o + 1);
    return a + (f64At(dist, o + 2) - a) * next(r);
  }
  if (kind == L.DIST_TRIANGULAR) {
    const a = f64At(dist, o + 1), c = f64At(dist, o + 2), b = f64At(dist, o + 3), u = next(r);
    const f = (c - a) / (b - a);
    return u < f ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
  }
  if (kind == L.DIST_GAMMA) return gamma(f64At(dist, o + 1), r) * f64At(dist, o + 2);
  if (kind == L.DIST_EMPIRICAL) {
    return f64At(distValues, <i32>(f64At(dist, o + 1) + Math.floor(next(r) * f64At(dist, o + 2))));
  }
  return 0;
}

/** A uniform on the open interval (0, 1). */
@inline function uniformOpen(r: usize): f64 {
  let u = next(r);
  while (u == 0) u = next(r);
  return u;
}

/**
 * A Gamma(shape, 1) variate by Marsaglia and Tsang's method (ACM TOMS 26(3), 2000) over the normal ziggurat;
 * shape < 1 by their boost, Gamma(shape + 1) · U^(1/shape).
 */
function gamma(shape: f64, r: usize): f64 {
  let boost: f64 = 1;
  if (shape < 1) {
    boost = exp(log(uniformOpen(r)) / shape);
    shape += 1;
  }
  const d = shape - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: f64 = 0, v: f64 = 0;
    do {
      x = normal(r);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = uniformOpen(r), x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2 || log(u) < 0.5 * x2 + d * (1 - v + log(v))) return d * v * boost;
  }
  return 0;
}
