/**
 * Location set covering (Toregas, Swain, ReVelle & Bergman 1971, "The
 * location of emergency service facilities", Operations Research 19): the
 * cheapest set of sites such that every demand is covered.
 */
import { MipBuilder, coverage, nearest, openSites, result, transpose, type Coverage } from "./common.js";
import { coverLagrangian, dropRedundant, greedyCover } from "./cover-heuristic.js";
import { solveMip } from "./highs.js";
import type { LocationResult, SetCoverOptions } from "./types.js";
import {
  readCost,
  readFixed,
  readMethod,
  readRadius,
  readTimeLimit,
  readWeights,
  startClock,
  readOptions,
} from "./validate.js";

const NAME = "setCover";

/**
 * Location set covering on any cost matrix: open the sites of least total
 * `weights` (default 1 each: the fewest sites) such that every demand row
 * has an open site with `cost[i][j] <= radius` (coverage includes equality).
 * `fixed` sites are open and counted in the objective.
 *
 * `objective` = Σ weights of the open sites. `assignment` = each demand's
 * nearest open site. A demand row with no site within `radius` is a
 * RangeError naming the row.
 *
 * **Exact method**: the LSCP integer program min Σ_j f_j y_j s.t.
 * Σ_{j: c_ij ≤ radius} y_j ≥ 1 for every demand not already covered by a
 * fixed site (identical rows merged), solved by HiGHS from a greedy start;
 * redundant zero-cost sites are closed afterwards.
 * **Heuristic method**: Chvátal's greedy + redundant-site removal; `bound`
 * is the Lagrangian relaxation of the cover rows (subgradient), rounded up
 * when all weights are integers.
 *
 * @example
 * const r = await setCover({ cost: [[0, 4, 9], [4, 0, 5], [9, 5, 0]], radius: 5 });
 * r.sites // [1]
 * r.objective // 1
 */
export async function setCover(given: SetCoverOptions): Promise<LocationResult> {
  const options = readOptions(NAME, given, ["cost", "radius", "weights", "fixed", "timeLimit", "method"]);
  const matrix = readCost(NAME, options.cost);
  const { n, m, c } = matrix;
  const radius = readRadius(NAME, options.radius);
  const f = readWeights(NAME, options.weights, m);
  const fixed = readFixed(NAME, options.fixed, m);
  const timeLimit = readTimeLimit(NAME, options.timeLimit);
  const method = readMethod(NAME, options.method, n * m);
  const cov = coverage(matrix, radius);
  for (let i = 0; i < n; i++) {
    if (cov.start[i] !== cov.start[i + 1]) continue;
    let cheapest = Infinity;
    for (let j = 0; j < m; j++) cheapest = Math.min(cheapest, c[i * m + j]!);
    throw new RangeError(
      `${NAME}: demand row ${i} has no site within radius ${radius} (its cheapest site costs ${cheapest}), ` +
        `so no set of sites covers it`,
    );
  }
  const clock = startClock(timeLimit);
  const covT = transpose(cov, n, m);
  const isFixed = new Uint8Array(m);
  for (const j of fixed) isFixed[j] = 1;
  const skip = coveredBy(cov, n, isFixed);
  const open = Uint8Array.from(isFixed);
  greedyCover(cov, covT, n, m, f, open, m, skip);
  dropRedundant(cov, covT, n, m, f, open, isFixed, skip);
  const cost = (o: Uint8Array) => {
    let s = 0;
    for (let j = 0; j < m; j++) if (o[j]) s += f[j]!;
    return s;
  };
  const upper = cost(open);
  const wholeWeights = f.every((v) => Number.isInteger(v));
  const lagrangian = coverLagrangian(cov, covT, n, m, f, isFixed, skip, upper, clock);
  const lower = wholeWeights ? Math.ceil(lagrangian - 1e-9) : lagrangian;
  const done = (o: Uint8Array, bound: number, proved: boolean, solver: string): LocationResult => {
    const sites: number[] = [];
    for (let j = 0; j < m; j++) if (o[j]) sites.push(j);
    const objective = cost(o);
    return result(
      sites,
      nearest(matrix, sites),
      objective,
      proved ? objective : Math.min(bound, objective),
      proved,
      solver,
      clock,
    );
  };
  const heuristicName = "greedy (Chvátal) + redundancy removal; bound: Lagrangian relaxation";
  if (method === "heuristic" || lower >= upper) return done(open, lower, lower >= upper, heuristicName);

  const b = new MipBuilder();
  for (let j = 0; j < m; j++) b.col(f[j]!, isFixed[j] ? 1 : 0, 1, true);
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (skip[i]) continue;
    const row = cov.sites.subarray(cov.start[i]!, cov.start[i + 1]!);
    const key = row.join(",");
    if (seen.has(key)) continue;
    seen.add(key);
    b.row(row, 1, 1, Infinity);
  }
  const start = new Float64Array(m);
  for (let j = 0; j < m; j++) start[j] = open[j]!;
  const mip = await solveMip(b.build(), { timeLimit: Math.max(clock.left(), 1e-3), start });
  const solver = `highs ${mip.version}: set covering integer program (LSCP)`;
  let best = open;
  if (mip.x) {
    const chosen = new Uint8Array(m);
    for (const j of openSites(
      mip.x,
      Array.from({ length: m }, (_, j) => j),
    ))
      chosen[j] = 1;
    dropRedundant(cov, covT, n, m, f, chosen, isFixed, skip);
    if (cost(chosen) <= cost(best)) best = chosen;
  }
  if (mip.kind === "optimal") return done(best, cost(best), true, solver);
  return done(best, Math.max(lower, wholeWeights ? Math.ceil(mip.bound - 1e-9) : mip.bound), false, solver);
}

/** Demands already covered by a fixed site. */
export function coveredBy(cov: Coverage, n: number, isOpen: Uint8Array): Uint8Array {
  const skip = new Uint8Array(n);
  for (let i = 0; i < n; i++)
    for (let t = cov.start[i]!; t < cov.start[i + 1]! && !skip[i]; t++) if (isOpen[cov.sites[t]!]) skip[i] = 1;
  return skip;
}
