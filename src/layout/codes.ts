/** Distribution kinds as the compiled model stores them. */
export const DIST_NONE = 0,
  DIST_FIXED = 1,
  DIST_EXP = 2,
  DIST_LOGNORMAL = 3,
  DIST_UNIFORM = 4,
  DIST_TRIANGULAR = 5,
  DIST_GAMMA = 6,
  DIST_EMPIRICAL = 7;
/** Numbers per compiled distribution row: [kind, p1, p2, p3]. Empirical rows point into a shared values array: p1 = offset, p2 = count. */
export const DIST_WIDTH = 4;
