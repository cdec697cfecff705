/**
 * The tables of the engine's standard exponential variates (mean 1) by the ziggurat method (Marsaglia &
 * Tsang, "The Ziggurat Method for Generating Random Variables", J. Stat.
 * Softw. 5(8), 2000), with 256 layers. One 32-bit draw decides about 98.9% of
 * variates: its low 8 bits pick the layer and its upper 24 bits the point in
 * it (disjoint bits, as for `normal.ts`). The rest go through the exact wedge
 * test or the exact tail (the memoryless property: beyond the base strip's
 * edge R the variate is R plus a fresh exponential), so the distribution is
 * exact; stream consumption varies with the values drawn only, never with the
 * model.
 *
 * The WebAssembly core draws incident gaps and exponential durations with these tables
 * (src/engine/wasm/rng.ts) instead of −ln(1 − U), which costs a logarithm each.
 */
import { exp, log } from "./exp.js";
import { zigguratTables } from "./ziggurat.js";

const LAYERS = 256;
/** Right edge of the base layer, and the common area of every layer (for 256 layers). */
const R = 7.697117470131487;
const AREA = 3.949659822581572e-3;
const SCALE = 2 ** 24; // point in [0, 2^24) from the upper 24 bits

/** K[i]: accept the point outright when point < K[i]; W[i]: point → x; F[i] = exp(−x_i). */
const K = new Float64Array(LAYERS),
  W = new Float64Array(LAYERS),
  F = new Float64Array(LAYERS);
zigguratTables(
  R,
  AREA,
  SCALE,
  (x) => exp(-x),
  (y) => -log(y),
  K,
  W,
  F,
);
/** The tables, for the WebAssembly core (src/engine/core.ts copies them). @internal */
export const EXPONENTIAL_ZIGGURAT = { K, W, F } as const;
