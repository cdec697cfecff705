/**
 * The tables of the engine's standard normal variates by the ziggurat method (Marsaglia & Tsang, "The
 * Ziggurat Method for Generating Random Variables", J. Stat. Softw. 5(8),
 * 2000), with 128 layers. One 32-bit draw decides about 98.8% of variates:
 * its low 7 bits pick the layer and its upper 25 bits (signed) the point in
 * it, so the layer and the point use disjoint bits (Doornik 2005's remedy
 * for the original's correlation). The rest go through the exact wedge test
 * or the exact tail (Marsaglia 1964), so the distribution is the normal's,
 * not an approximation of it; stream consumption varies with the values
 * drawn only, never with the model.
 *
 * The WebAssembly core draws with these tables (src/engine/wasm/rng.ts): lognormal durations and gamma.
 */
import { exp, log } from "./exp.js";
import { zigguratTables } from "./ziggurat.js";

const LAYERS = 128;
/** Right edge of the base layer, and the common area of every layer (for 128 layers). */
const R = 3.442619855899;
const AREA = 9.91256303526217e-3;
const SCALE = 2 ** 24; // |point| < 2^24 from the 25 signed upper bits

/** K[i]: accept the point outright when |point| < K[i]; W[i]: point → x; F[i] = exp(−x_i²/2). */
const K = new Int32Array(LAYERS),
  W = new Float64Array(LAYERS),
  F = new Float64Array(LAYERS);
zigguratTables(
  R,
  AREA,
  SCALE,
  (x) => exp(-0.5 * x * x),
  (y) => Math.sqrt(-2 * log(y)),
  K,
  W,
  F,
);
/** The tables, for the WebAssembly core (src/engine/core.ts copies them). @internal */
export const NORMAL_ZIGGURAT = { K, W, F } as const;
