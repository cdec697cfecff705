/**
 * Shared types of the location models (`pMedian`, `pCenter`, `maxCover`,
 * `setCover`). Every model works on a cost matrix `cost[i][j]`: row `i` is a
 * demand point, column `j` a candidate site.
 */

/** A dense cost matrix, demand rows × candidate-site columns. Rows may be plain arrays or typed arrays. */
export type CostMatrix = ReadonlyArray<ArrayLike<number>>;

/**
 * How to solve:
 * - `"exact"`: integer programming with HiGHS (WebAssembly), proved optimal
 *   unless `timeLimit` stops it first;
 * - `"heuristic"`: fast construction + local search in plain JavaScript, with
 *   a valid bound and gap;
 * - `"auto"` (default): `"exact"` up to {@link EXACT_CELL_LIMIT} matrix cells,
 *   `"heuristic"` beyond.
 */
export type LocationMethod = "auto" | "exact" | "heuristic";

/** Matrices with more cells than this (demand rows × sites) use the heuristic under `method: "auto"`. */
export const EXACT_CELL_LIMIT = 5_000_000;

/**
 * The result of every location model.
 *
 * `status` is `"optimal"` only when optimality is proved (then `gap` is 0 and
 * `bound` equals `objective`). Otherwise it is `"feasible"`: a valid solution
 * with a proved `bound` (lower for minimising models, upper for `maxCover`)
 * and `gap = |objective − bound| / |objective|` (0 when both are 0, Infinity
 * when only the objective is 0).
 */
export interface LocationResult {
  /** Open sites (column indices into `cost`), ascending. */
  sites: number[];
  /**
   * Site serving each demand row (a column index into `cost`): the nearest
   * open site, or the one chosen by the capacitated assignment; `-1` when the
   * demand is not covered (`maxCover` only).
   */
  assignment: number[];
  /** Objective value, recomputed from `sites` and `assignment` (see each model). */
  objective: number;
  status: "optimal" | "feasible";
  /** Relative gap between `objective` and `bound`. */
  gap?: number;
  /** Proved bound on the optimal objective. */
  bound?: number;
  /** What produced the solution, e.g. `"highs 1.15.1: radius formulation (Elloumi 2010)"`. */
  solver: string;
  /** Wall-clock seconds spent, including loading HiGHS on first use. */
  seconds: number;
}

/** Options every model accepts. */
export interface LocationCommonOptions {
  /** Demand × site costs: non-negative numbers; `Infinity` marks a site that can never serve (or cover) a demand. */
  cost: CostMatrix;
  /** Sites forced open (column indices, distinct). They count towards `p`. */
  fixed?: readonly number[];
  /**
   * Time budget in seconds for the whole call (default: none). When it runs
   * out, the best solution found so far is returned with status `"feasible"`,
   * its `bound` and `gap`.
   */
  timeLimit?: number;
  /** Solution method (default `"auto"`). */
  method?: LocationMethod;
}

/** Options of `pMedian`. */
export interface PMedianOptions extends LocationCommonOptions {
  /** Demand weight per row (default 1 each): finite and non-negative. */
  demand?: readonly number[];
  /** Number of sites to open (1 ≤ p ≤ number of sites), fixed sites included. */
  p: number;
  /**
   * Site capacity: one number for every site, or one per site (finite or
   * Infinity, non-negative). The demand weights assigned to an open site may
   * not exceed its capacity; each demand row is served whole by one site
   * (single sourcing), which need not be its nearest.
   */
  capacity?: number | readonly number[];
}

/** Options of `pCenter`. */
export interface PCenterOptions extends LocationCommonOptions {
  /** Demand weight per row (default 1 each): the radius is max over rows of weight × cost. */
  demand?: readonly number[];
  /** Number of sites to open (1 ≤ p ≤ number of sites), fixed sites included. */
  p: number;
}

/** Options of `maxCover`. */
export interface MaxCoverOptions extends LocationCommonOptions {
  /** Demand weight per row (default 1 each): finite and non-negative. */
  demand?: readonly number[];
  /** Number of sites to open (1 ≤ p ≤ number of sites), fixed sites included. */
  p: number;
  /** Service radius: a site covers a demand row when `cost <= radius`. */
  radius: number;
}

/** Options of `setCover`. */
export interface SetCoverOptions extends LocationCommonOptions {
  /** Service radius: a site covers a demand row when `cost <= radius`. */
  radius: number;
  /** Cost of opening each site (default 1 each, i.e. minimise the number of sites): finite and non-negative. */
  weights?: readonly number[];
}
