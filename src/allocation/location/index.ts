// Location models on any cost matrix (demand rows × candidate sites), solved exactly with HiGHS or heuristically.
export { pMedian } from "./p-median.js";
export { pCenter } from "./p-center.js";
export { maxCover } from "./max-cover.js";
export { setCover } from "./set-cover.js";
export { EXACT_CELL_LIMIT } from "./types.js";
export type {
  CostMatrix,
  LocationMethod,
  LocationResult,
  LocationCommonOptions,
  PMedianOptions,
  PCenterOptions,
  MaxCoverOptions,
  SetCoverOptions,
} from "./types.js";
