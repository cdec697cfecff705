/**
 * Maximal covering location (R. Church & C. ReVelle 1974, "The maximal
 * covering location problem", Papers of the Regional Science Association
 * 32): open p sites covering the most demand weight within a radius.
 */
import { MipBuilder, coverage, nearest, openSites, result, transpose, type Coverage } from "./common.js";
import { solveMip } from "./highs.js";
import { coveredBy } from "./set-cover.js";
import type { LocationResult, MaxCoverOptions } from "./types.js";
import {
  readCost,
  readDemand,
  readFixed,
  readMethod,
  readP,
  readRadius,
  readTimeLimit,
  startClock,
  type Clock,
  readOptions,
} from "./validate.js";

const NAME = "maxCover";

/**
 * Maximal covering on any cost matrix: open `p` sites (`fixed` ones
 * included) maximising the total `demand` weight of rows that have an open
 * site with `cost[i][j] <= radius` (coverage includes equality).
 *
 * `objective` = covered demand weight. `assignment[i]` = the nearest open
 * site of a covered row, -1 for an uncovered one.
 *
 * **Exact method**: Church & ReVelle's integer program
 * max Σ_i w_i u_i s.t. u_i ≤ Σ_{j: c_ij ≤ radius} y_j, Σ_j y_j = p, y binary,
 * 0 ≤ u ≤ 1 (u integral at the optimum), with rows of identical coverage
 * merged (weights summed) and rows covered by fixed sites removed; solved by
 * HiGHS from the heuristic's solution.
 * **Heuristic method**: greedy + one-for-one site interchange; `bound` is
 * the Lagrangian relaxation of the coverage rows (subgradient; an upper
 * bound).
 *
 * @example
 * const r = await maxCover({ cost: [[0, 4, 9], [4, 0, 5], [9, 5, 0]], demand: [1, 1, 3], p: 1, radius: 4 });
 * r.sites // [2]
 * r.objective // 3
 * r.assignment // [-1, -1, 2]
 */
export async function maxCover(given: MaxCoverOptions): Promise<LocationResult> {
  const options = readOptions(NAME, given, ["cost", "demand", "p", "radius", "fixed", "timeLimit", "method"]);
  const matrix = readCost(NAME, options.cost);
  const { n, m } = matrix;
  const w = readDemand(NAME, options.demand, n);
  const fixed = readFixed(NAME, options.fixed, m);
  const p = readP(NAME, options.p, m, fixed.length);
  const radius = readRadius(NAME, options.radius);
  const timeLimit = readTimeLimit(NAME, options.timeLimit);
  const method = readMethod(NAME, options.method, n * m);
  const clock = startClock(timeLimit);
  const cov = coverage(matrix, radius);
  const covT = transpose(cov, n, m);
  const isFixed = new Uint8Array(m);
  for (const j of fixed) isFixed[j] = 1;

  const heuristic = greedyInterchange(cov, covT, n, m, w, p, isFixed, clock);
  const relaxed = coverLagrangianUpper(cov, covT, n, m, w, p, isFixed, heuristic.value, clock);
  const wholeWeights = w.every((v) => Number.isInteger(v));
  const upper = wholeWeights ? Math.floor(relaxed + 1e-9) : relaxed;
  const done = (sites: readonly number[], bound: number, proved: boolean, solver: string): LocationResult => {
    const near = nearest(matrix, sites);
    const open = new Uint8Array(m);
    for (const j of sites) open[j] = 1;
    const hit = coveredBy(cov, n, open);
    let objective = 0;
    for (let i = 0; i < n; i++) {
      if (hit[i]) objective += w[i]!;
      else near[i] = -1;
    }
    return result(sites, near, objective, proved ? objective : Math.max(bound, objective), proved, solver, clock);
  };
  const heuristicName = "greedy + interchange; bound: Lagrangian relaxation";
  if (method === "heuristic" || upper <= heuristic.value)
    return done(heuristic.sites, upper, upper <= heuristic.value, heuristicName);

  // MCLP over demands not covered by fixed sites, identical coverage rows merged.
  const skip = coveredBy(cov, n, isFixed);
  let base = 0;
  const merged = new Map<string, { sites: Int32Array; weight: number }>();
  for (let i = 0; i < n; i++) {
    if (skip[i]) {
      base += w[i]!;
      continue;
    }
    if (w[i] === 0 || cov.start[i] === cov.start[i + 1]) continue;
    const sites = cov.sites.subarray(cov.start[i]!, cov.start[i + 1]!);
    const key = sites.join(",");
    const entry = merged.get(key);
    if (entry) entry.weight += w[i]!;
    else merged.set(key, { sites, weight: w[i]! });
  }
  const b = new MipBuilder();
  for (let j = 0; j < m; j++) b.col(0, isFixed[j] ? 1 : 0, 1, true);
  b.row(
    Array.from({ length: m }, (_, j) => j),
    1,
    p,
    p,
  );
  b.offset = -base;
  const start = new Float64Array(m + merged.size);
  for (const j of heuristic.sites) start[j] = 1;
  for (const { sites, weight } of merged.values()) {
    const u = b.col(-weight, 0, 1, false);
    b.row([u, ...sites], [1, ...new Array<number>(sites.length).fill(-1)], -Infinity, 0);
    for (const j of sites) if (start[j] === 1) start[u] = 1;
  }
  const mip = await solveMip(b.build(), { timeLimit: Math.max(clock.left(), 1e-3), start });
  const solver = `highs ${mip.version}: maximal covering integer program (MCLP)`;
  let best = { sites: heuristic.sites, value: heuristic.value };
  if (mip.x) {
    const sites = openSites(
      mip.x,
      Array.from({ length: m }, (_, j) => j),
    );
    const value = coveredWeight(cov, n, m, w, sites);
    if (value > best.value) best = { sites, value };
  }
  if (mip.kind === "optimal") return done(best.sites, best.value, true, solver);
  return done(best.sites, Math.min(upper, wholeWeights ? Math.floor(-mip.bound + 1e-9) : -mip.bound), false, solver);
}

function coveredWeight(cov: Coverage, n: number, m: number, w: Float64Array, sites: readonly number[]): number {
  const open = new Uint8Array(m);
  for (const j of sites) open[j] = 1;
  const hit = coveredBy(cov, n, open);
  let s = 0;
  for (let i = 0; i < n; i++) if (hit[i]) s += w[i]!;
  return s;
}

/**
 * Greedy (most newly covered weight first) then best-improvement
 * one-for-one interchange, evaluated per candidate in O(its coverage + p)
 * with coverage counts and each singly-covered demand's covering site.
 */
function greedyInterchange(
  cov: Coverage,
  covT: Coverage,
  n: number,
  m: number,
  w: Float64Array,
  p: number,
  isFixed: Uint8Array,
  clock: Clock,
): { sites: number[]; value: number } {
  const open = new Uint8Array(m);
  const sites: number[] = [];
  const count = new Int32Array(n);
  const openSite = (j: number) => {
    open[j] = 1;
    sites.push(j);
    for (let t = covT.start[j]!; t < covT.start[j + 1]!; t++) count[covT.sites[t]!]!++;
  };
  for (let j = 0; j < m; j++) if (isFixed[j]) openSite(j);
  while (sites.length < p) {
    let best = -1,
      gain = -1;
    for (let j = 0; j < m; j++) {
      if (open[j]) continue;
      let g = 0;
      for (let t = covT.start[j]!; t < covT.start[j + 1]!; t++) {
        const i = covT.sites[t]!;
        if (count[i] === 0) g += w[i]!;
      }
      if (g > gain) {
        gain = g;
        best = j;
      }
    }
    openSite(best);
  }
  const position = new Int32Array(m).fill(-1);
  const sole = new Int32Array(n);
  const soleLoss = new Float64Array(p),
    back = new Float64Array(p);
  for (;;) {
    if (clock.left() <= 0) break;
    sites.forEach((j, r) => {
      position[j] = r;
    });
    soleLoss.fill(0);
    for (let i = 0; i < n; i++) {
      sole[i] = -1;
      if (count[i] !== 1) continue;
      for (let t = cov.start[i]!; t < cov.start[i + 1]!; t++) {
        const j = cov.sites[t]!;
        if (open[j]) {
          sole[i] = position[j]!;
          soleLoss[position[j]!]! += w[i]!;
          break;
        }
      }
    }
    let bestDelta = 1e-12,
      bestJ = -1,
      bestR = -1;
    for (let j = 0; j < m; j++) {
      if (open[j]) continue;
      back.fill(0);
      let gain = 0;
      for (let t = covT.start[j]!; t < covT.start[j + 1]!; t++) {
        const i = covT.sites[t]!;
        if (count[i] === 0) gain += w[i]!;
        else if (count[i] === 1) back[sole[i]!]! += w[i]!;
      }
      for (let r = 0; r < p; r++) {
        if (isFixed[sites[r]!]) continue;
        const delta = gain - soleLoss[r]! + back[r]!;
        if (delta > bestDelta) {
          bestDelta = delta;
          bestJ = j;
          bestR = r;
        }
      }
    }
    if (bestJ < 0) break;
    const out = sites[bestR]!;
    open[out] = 0;
    position[out] = -1;
    for (let t = covT.start[out]!; t < covT.start[out + 1]!; t++) count[covT.sites[t]!]!--;
    open[bestJ] = 1;
    sites[bestR] = bestJ;
    for (let t = covT.start[bestJ]!; t < covT.start[bestJ + 1]!; t++) count[covT.sites[t]!]!++;
  }
  return { sites, value: coveredWeight(cov, n, m, w, sites) };
}

/**
 * Lagrangian upper bound: relax u_i ≤ Σ_{j covers i} y_j with λ_i ∈ [0, w_i]:
 * L(λ) = (weight covered by fixed sites) + Σ_i max(0, w_i − λ_i) + (sum of the
 * p − |fixed| largest Σ_{i ∈ N_j} λ_i over the other sites), minimised by
 * subgradient steps towards `lower` (the heuristic's value).
 */
function coverLagrangianUpper(
  cov: Coverage,
  covT: Coverage,
  n: number,
  m: number,
  w: Float64Array,
  p: number,
  isFixed: Uint8Array,
  lower: number,
  clock: Clock,
  maxIterations = 300,
): number {
  const skip = coveredBy(cov, n, isFixed);
  let base = 0,
    coverable = 0;
  const active = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (skip[i]) base += w[i]!;
    else if (cov.start[i] !== cov.start[i + 1] && w[i]! > 0) {
      active[i] = 1;
      coverable += w[i]!;
    }
  }
  const free: number[] = [];
  for (let j = 0; j < m; j++) if (!isFixed[j]) free.push(j);
  const q = p - (m - free.length);
  const lambda = new Float64Array(n);
  for (let i = 0; i < n; i++) if (active[i]) lambda[i] = w[i]! / 2;
  const score = new Float64Array(m),
    g = new Float64Array(n),
    chosen = new Uint8Array(m);
  let best = base + coverable,
    theta = 2,
    stall = 0;
  for (let it = 0; it < maxIterations; it++) {
    let value = base;
    for (let i = 0; i < n; i++) if (active[i]) value += Math.max(0, w[i]! - lambda[i]!);
    for (const j of free) {
      let s = 0;
      for (let t = covT.start[j]!; t < covT.start[j + 1]!; t++) s += lambda[covT.sites[t]!]!;
      score[j] = s;
    }
    free.sort((a, b) => score[b]! - score[a]! || a - b);
    chosen.fill(0);
    for (let k = 0; k < q; k++) {
      chosen[free[k]!] = 1;
      value += score[free[k]!]!;
    }
    if (value < best - 1e-12 * Math.abs(best)) {
      best = value;
      stall = 0;
    } else if (++stall >= 20) {
      theta /= 2;
      stall = 0;
    }
    if (value <= lower || theta < 1e-4 || clock.left() <= 0) break;
    let norm = 0;
    for (let i = 0; i < n; i++) {
      if (!active[i]) continue;
      let c = 0;
      for (let t = cov.start[i]!; t < cov.start[i + 1]!; t++) if (chosen[cov.sites[t]!]) c++;
      let gi = c - (lambda[i]! < w[i]! ? 1 : 0); // ∂L/∂λ_i
      if ((lambda[i] === 0 && gi > 0) || (lambda[i] === w[i] && gi < 0)) gi = 0;
      g[i] = gi;
      norm += gi * gi;
    }
    if (norm === 0) break;
    const step = (theta * (value - lower)) / norm;
    for (let i = 0; i < n; i++) if (active[i]) lambda[i] = Math.min(w[i]!, Math.max(0, lambda[i]! - step * g[i]!));
  }
  return best;
}
