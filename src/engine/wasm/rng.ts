// AssemblyScript. The core's random draws, each exactly the JavaScript engine's (src/rng/): seedrandom's
// xor4096 step over a state in linear memory, the normal and exponential ziggurats over the host's tables, and
// the duration samplers over compiled distribution rows, with the engine's own exp (./exp.ts). Same draws in
// the same order, so the same numbers.
import { bindExp, exp, log } from "./exp";
import { A_EXP_F, A_EXP_K, A_EXP_W, A_NORM_F, A_NORM_K, A_NORM_W, A_DIST_VALUES } from "./layout";


@inline export function addr(slot: i32): usize { return <usize>load<i32>(<usize>slot << 2); }
@inline export function f64At(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline export function i32At(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }
@inline export function u8At(base: usize, i: i32): i32 { return <i32>load<u8>(base + <usize>i); }
@inline export function setF64(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }
@inline export function setI32(base: usize, i: i32, v: i32): void { store<i32>(base + (<usize>i << 2), v); }
@inline export function setU8(base: usize, i: i32, v: i32): void { store<u8>(base + <usize>i, <u8>v); }

const WEYL: i32 = 0x61c88647;
const TWO_TO_MINUS_32: f64 = 2.3283064365386963e-10;

/**
 * The xor4096 recurrence at the step's new index i: X[i] becomes a mix of itself and X[i + 33] (mod 128), the
 * word `Rng.int32` calls X[(old index + 34) & 127]; returns it.
 */
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

/** The next raw 32-bit output of the generator whose state is at r (Rng.int32). */
@inline export function int32(r: usize): i32 {
  const w = load<i32>(r, 516) + WEYL;
  store<i32>(r, w, 516);
  const i = (load<i32>(r, 512) + 1) & 127;
  store<i32>(r, i, 512);
  return output(mix(r, i), w);
}

/** The next uniform on [0, 1) (Rng.next). */
@inline export function next(r: usize): f64 {
  return <f64><u32>int32(r) * TWO_TO_MINUS_32;
}

// The ziggurat tables' addresses, read from the table of addresses once per phase (bindTables).
let normK: usize = 0, normW: usize = 0, normF: usize = 0, expK: usize = 0, expW: usize = 0, expF: usize = 0, distValues: usize = 0;

/** Read the ziggurats' and the empirical values' addresses: call at the start of a phase. */
export function bindTables(): void {
  bindExp();
  normK = addr(A_NORM_K); normW = addr(A_NORM_W); normF = addr(A_NORM_F);
  expK = addr(A_EXP_K); expW = addr(A_EXP_W); expF = addr(A_EXP_F);
  distValues = addr(A_DIST_VALUES);
}

/**
 * Seven uniforms from the generator at r into out[0..7) (doubles), the same as seven `next(r)`: the step's index
 * and Weyl word stay in registers between the draws instead of going through memory each time.
 */
@inline export function uniforms7(r: usize, out: usize): void {
  let i = load<i32>(r, 512), w = load<i32>(r, 516);
  for (let k = 0; k < 7; k++) {
    w += WEYL;
    i = (i + 1) & 127;
    store<f64>(out + (<usize>k << 3), <f64><u32>output(mix(r, i), w) * TWO_TO_MINUS_32);
  }
  store<i32>(r, i, 512);
  store<i32>(r, w, 516);
}

const NORM_R: f64 = 3.442619855899;
const EXP_R: f64 = 7.697117470131487;

/** A standard normal variate (normalInto). */
@inline export function normal(r: usize): f64 {
  const j = int32(r);
  const i = j & 127, h = j >> 7;
  if (abs<i32>(h) < i32At(normK, i)) return <f64>h * f64At(normW, i);
  return normalRare(r, i, h);
}

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

/** A standard exponential variate (exponentialInto). */
@inline export function exponential(r: usize): f64 {
  const j = int32(r);
  const i = j & 255, h = <u32>j >>> 8;
  if (<f64>h < f64At(expK, i)) return <f64>h * f64At(expW, i);
  return exponentialRare(r, i, h);
}

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

// Distribution kinds and row width, as src/rng/samplers.ts (the host refuses gamma rows: see ../core.ts).
export const DIST_NONE = 0, DIST_FIXED = 1, DIST_EXP = 2, DIST_LOGNORMAL = 3, DIST_UNIFORM = 4, DIST_TRIANGULAR = 5, DIST_EMPIRICAL = 7;

/** A draw from distribution row `row` of the table at `dist` (sampleInto). */
@inline export function sample(dist: usize, row: i32, r: usize): f64 {
  const o = row * 4;
  if (f64At(dist, o) == <f64>DIST_LOGNORMAL) return exp(f64At(dist, o + 1) + f64At(dist, o + 2) * normal(r));
  return other(dist, o, r);
}

/** Every kind but lognormal (otherInto). */
export function other(dist: usize, o: i32, r: usize): f64 {
  const kind = <i32>f64At(dist, o);
  if (kind == DIST_FIXED) return f64At(dist, o + 1);
  if (kind == DIST_EXP) return exponential(r) * f64At(dist, o + 1);
  if (kind == DIST_UNIFORM) {
    const a = f64At(dist, o + 1);
    return a + (f64At(dist, o + 2) - a) * next(r);
  }
  if (kind == DIST_TRIANGULAR) {
    const a = f64At(dist, o + 1), c = f64At(dist, o + 2), b = f64At(dist, o + 3), u = next(r);
    const f = (c - a) / (b - a);
    return u < f ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
  }
  if (kind == DIST_EMPIRICAL) return f64At(distValues, <i32>(f64At(dist, o + 1) + Math.floor(next(r) * f64At(dist, o + 2))));
  return 0;
}
