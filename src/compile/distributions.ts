/**
 * Distributions compiled as rows of a Float64Array (`DIST_WIDTH` numbers each: kind code, then parameters,
 * all in hours), as the engine samples them.
 */
import type { Distribution } from "../model/types.js";
import {
  DIST_EMPIRICAL,
  DIST_EXP,
  DIST_FIXED,
  DIST_GAMMA,
  DIST_LOGNORMAL,
  DIST_TRIANGULAR,
  DIST_UNIFORM,
  DIST_WIDTH,
} from "../layout/slots.generated.js";

/** Write distribution `d` into row `row` of `table`; empirical values are appended to `values`. */
export function writeDist(table: Float64Array, row: number, d: Distribution | null, values: number[]): void {
  const o = row * DIST_WIDTH;
  table.fill(0, o, o + DIST_WIDTH);
  if (!d) return;
  switch (d.kind) {
    case "fixed":
      table[o] = DIST_FIXED;
      table[o + 1] = d.value;
      break;
    case "exponential":
      table[o] = DIST_EXP;
      table[o + 1] = d.mean;
      break;
    case "lognormal":
      table[o] = DIST_LOGNORMAL;
      table[o + 1] = d.mu;
      table[o + 2] = d.sigma;
      break;
    case "uniform":
      table[o] = DIST_UNIFORM;
      table[o + 1] = d.min;
      table[o + 2] = d.max;
      break;
    case "triangular":
      table[o] = DIST_TRIANGULAR;
      table[o + 1] = d.min;
      table[o + 2] = d.mode;
      table[o + 3] = d.max;
      break;
    case "gamma":
      table[o] = DIST_GAMMA;
      table[o + 1] = d.shape;
      table[o + 2] = d.scale;
      break;
    case "empirical":
      table[o] = DIST_EMPIRICAL;
      table[o + 1] = values.length;
      table[o + 2] = d.values.length;
      values.push(...d.values);
      break;
  }
}
