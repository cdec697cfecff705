/**
 * p-center: open p sites minimising the largest (weighted) cost of any
 * demand row to its nearest open site (Hakimi 1965; Minieka 1970).
 */
import { MipBuilder, coverage, nearest, openSites, result, transpose, weightedCost } from "./common.js";
import { greedyCover } from "./cover-heuristic.js";
import { solveMip } from "./highs.js";
import { nearestTwo, transposeCost } from "./p-median-heuristic.js";
import type { LocationResult, PCenterOptions } from "./types.js";
import {
  readCost,
  readDemand,
  readFixed,
  readMethod,
  readP,
  readTimeLimit,
  requireServable,
  startClock,
  type Clock,
  type Matrix,
  readOptions,
} from "./validate.js";

const NAME = "pCenter";

/**
 * p-center on any cost matrix: choose `p` sites (`fixed` ones included)
 * minimising max_i demand[i] · cost[i][nearest open site] (unweighted with the
 * default demand of 1). `Infinity` in `cost` forbids a pair; every demand
 * row must be served. `assignment` = nearest open site; `objective` = the
 * radius.
 *
 * **Exact method**: bisection over the sorted distinct weighted costs with
 * a set-covering feasibility test (Minieka 1970, "The m-center problem",
 * SIAM Review 12; the decision version as in Daskin 1995, *Network and
 * Discrete Location*, ch. 5): radius r is feasible iff p sites cover every
 * demand with weighted cost ≤ r, tested by HiGHS as min Σ y_j over the
 * covering rows (stopped as soon as an incumbent uses ≤ p sites; a greedy
 * cover is tried first). The search interval starts at the heuristic's
 * radius above and a packing lower bound below; each feasible test lowers
 * the upper end to the radius actually achieved.
 * **Heuristic method**: greedy (smallest resulting radius) + vertex
 * interchange on (radius, then total cost); `bound` is the packing bound:
 * radius r is impossible when more than p − |fixed| demands not covered by
 * fixed sites have pairwise disjoint sets of sites within r.
 *
 * @example
 * const r = await pCenter({ cost: [[0, 4, 9], [4, 0, 5], [9, 5, 0]], p: 1 });
 * r.sites // [1]
 * r.objective // 5
 */
export async function pCenter(given: PCenterOptions): Promise<LocationResult> {
  const options = readOptions(NAME, given, ["cost", "demand", "p", "fixed", "timeLimit", "method"]);
  const matrix = readCost(NAME, options.cost);
  const { n, m } = matrix;
  const w = readDemand(NAME, options.demand, n);
  const fixed = readFixed(NAME, options.fixed, m);
  const p = readP(NAME, options.p, m, fixed.length);
  const timeLimit = readTimeLimit(NAME, options.timeLimit);
  const method = readMethod(NAME, options.method, n * m);
  requireServable(NAME, matrix);
  const clock = startClock(timeLimit);
  const wc = weightedCost(matrix, w);
  const weighted: Matrix = { n, m, c: wc };
  const isFixed = new Uint8Array(m);
  for (const j of fixed) isFixed[j] = 1;

  const values = distinctFinite(wc);
  const radiusOf = (sites: ArrayLike<number>) => centerRadius(wc, n, m, sites);
  const heuristic = centerHeuristic(wc, n, m, p, isFixed, clock);
  let best = { sites: Array.from(heuristic.sites), radius: radiusOf(heuristic.sites) };
  const packing = packingBound(weighted, values, p, isFixed, best.radius);
  const done = (bound: number, proved: boolean, solver: string): LocationResult => {
    const assignment = nearest(matrix, best.sites);
    const unserved = assignment.indexOf(-1);
    if (unserved >= 0)
      throw new RangeError(
        `${NAME}: demand row ${unserved} has infinite cost to every open site (${best.sites.join(", ")})`,
      );
    const objective = radiusOfAssignment(wc, m, assignment);
    return result(
      best.sites,
      assignment,
      objective,
      proved ? objective : Math.min(bound, objective),
      proved,
      solver,
      clock,
    );
  };
  const heuristicName = "greedy + vertex interchange; bound: disjoint-neighbourhood packing";
  if (p === m || p === fixed.length) return done(best.radius, true, "no choice: every site open or all p sites fixed");
  if (method === "heuristic") {
    if (!(best.radius < Infinity))
      throw new RangeError(
        `${NAME}: the heuristic found no ${p} sites serving every demand at finite cost; ` +
          `use method "exact" to decide whether any exist`,
      );
    return done(packing, false, heuristicName);
  }
  if (packing >= best.radius) return done(packing, true, heuristicName);

  // Bisection on values[lo..hi]: values below `lo` are proved infeasible, values[hi] is achieved.
  let lo = lowerIndex(values, packing);
  let hi = best.radius < Infinity ? lowerIndex(values, best.radius) : values.length;
  let version = "";
  let stopped = false;
  // The heuristic is often optimal: first try just below its radius (one proof may settle it), then bisect.
  let first = true;
  while (lo < hi) {
    if (clock.left() <= 0) {
      stopped = true;
      break;
    }
    const mid = hi === values.length ? values.length - 1 : first ? hi - 1 : (lo + hi) >> 1;
    first = false;
    const test = await coverTest(weighted, values[mid]!, p, isFixed, clock);
    if (test.version) version = test.version;
    if (test.sites) {
      const sites = padSites(wc, n, m, test.sites, p);
      const radius = radiusOf(sites);
      if (radius < best.radius) best = { sites, radius };
      hi = Math.min(mid, lowerIndex(values, best.radius));
    } else if (test.infeasible) {
      lo = mid + 1;
      if (hi === values.length && lo === values.length)
        throw new RangeError(
          `${NAME}: no choice of ${p} sites${fixed.length ? " (fixed ones included)" : ""} serves every demand ` +
            `at finite cost`,
        );
    } else {
      stopped = true;
      break;
    }
  }
  const solver = `highs ${version || "(not needed)"}: bisection on radius with set-covering tests`;
  const bound = lo < values.length ? values[lo]! : Infinity;
  return done(Math.max(bound, packing), !stopped && lo >= hi, solver);
}

/** Sorted distinct finite values. */
function distinctFinite(a: Float64Array): Float64Array {
  const sorted = Float64Array.from(a).sort();
  let k = 0;
  for (let t = 0; t < sorted.length; t++) {
    const v = sorted[t]!;
    if (v === Infinity) break;
    if (k === 0 || sorted[k - 1] !== v) sorted[k++] = v;
  }
  return sorted.slice(0, k);
}

/** First index with values[index] >= x. */
function lowerIndex(values: Float64Array, x: number): number {
  let lo = 0,
    hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function centerRadius(wc: Float64Array, n: number, m: number, sites: ArrayLike<number>): number {
  let radius = 0;
  for (let i = 0; i < n; i++) {
    let d = Infinity;
    for (let s = 0; s < sites.length; s++) d = Math.min(d, wc[i * m + sites[s]!]!);
    radius = Math.max(radius, d);
  }
  return radius;
}

function radiusOfAssignment(wc: Float64Array, m: number, assignment: Int32Array): number {
  let radius = 0;
  for (let i = 0; i < assignment.length; i++) radius = Math.max(radius, wc[i * m + assignment[i]!]!);
  return radius;
}

/** Adds sites (largest total-cost saving first) until there are p. */
function padSites(wc: Float64Array, n: number, m: number, sites: number[], p: number): number[] {
  const out = [...sites];
  if (out.length >= p) return out;
  const open = new Uint8Array(m);
  for (const j of out) open[j] = 1;
  const d = new Float64Array(n).fill(Infinity);
  for (let i = 0; i < n; i++) for (const j of out) d[i] = Math.min(d[i]!, wc[i * m + j]!);
  const gain = new Float64Array(m);
  while (out.length < p) {
    gain.fill(0);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        const v = wc[i * m + j]!;
        if (v < d[i]!) gain[j]! += d[i]! === Infinity ? Number.MAX_VALUE / (n + 1) : d[i]! - v;
      }
    let best = -1;
    for (let j = 0; j < m; j++) if (!open[j] && (best < 0 || gain[j]! > gain[best]!)) best = j;
    open[best] = 1;
    out.push(best);
    for (let i = 0; i < n; i++) d[i] = Math.min(d[i]!, wc[i * m + best]!);
  }
  return out;
}

/**
 * Is there a set of at most p sites (fixed ones included) within weighted
 * cost `r` of every demand? Greedy cover first; else HiGHS on
 * min Σ y_j s.t. Σ_{j: wc_ij ≤ r} y_j ≥ 1, stopped at the first incumbent with ≤ p sites.
 */
async function coverTest(
  weighted: Matrix,
  r: number,
  p: number,
  isFixed: Uint8Array,
  clock: Clock,
): Promise<{ sites?: number[]; infeasible?: boolean; version?: string }> {
  const { n, m } = weighted;
  const cov = coverage(weighted, r);
  for (let i = 0; i < n; i++) if (cov.start[i] === cov.start[i + 1]) return { infeasible: true };
  const covT = transpose(cov, n, m);
  const unit = new Float64Array(m).fill(1);
  const open = Uint8Array.from(isFixed);
  if (greedyCover(cov, covT, n, m, unit, open, p)) return { sites: collect(open) };
  const b = new MipBuilder();
  for (let j = 0; j < m; j++) b.col(1, isFixed[j] ? 1 : 0, 1, true);
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const row = cov.sites.subarray(cov.start[i]!, cov.start[i + 1]!);
    let byFixed = false;
    for (const j of row) if (isFixed[j]) byFixed = true;
    if (byFixed) continue;
    const key = row.join(",");
    if (seen.has(key)) continue;
    seen.add(key);
    b.row(row, 1, 1, Infinity);
  }
  const mip = await solveMip(b.build(), { timeLimit: Math.max(clock.left(), 1e-3), target: p + 0.5 });
  if (mip.x) {
    const sites = openSites(
      mip.x,
      Array.from({ length: m }, (_, j) => j),
    );
    if (sites.length <= p) return { sites, version: mip.version };
  }
  if (mip.kind === "infeasible" || mip.kind === "optimal" || mip.bound > p + 0.5)
    return { infeasible: true, version: mip.version };
  return { version: mip.version };
}

const collect = (open: Uint8Array): number[] => {
  const out: number[] = [];
  for (let j = 0; j < open.length; j++) if (open[j]) out.push(j);
  return out;
};

/**
 * Packing lower bound on the radius: r is infeasible when some demand
 * (not covered by a fixed site within r) has no site within r, or when more
 * than p − |fixed| such demands have pairwise disjoint site sets within r
 * (greedy packing, smallest sets first). Bisection over the values below
 * `upper`; returns the smallest value not proved infeasible.
 */
function packingBound(weighted: Matrix, values: Float64Array, p: number, isFixed: Uint8Array, upper: number): number {
  const { n, m, c } = weighted;
  let fixedCount = 0;
  for (let j = 0; j < m; j++) fixedCount += isFixed[j]!;
  const budget = p - fixedCount;
  const size = new Int32Array(n),
    used = new Uint8Array(m);
  const impossible = (r: number): boolean => {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) {
      let s = 0,
        byFixed = false;
      for (let j = 0, k = i * m; j < m; j++, k++) {
        if (c[k]! <= r) {
          if (isFixed[j]) byFixed = true;
          s++;
        }
      }
      if (byFixed) continue;
      if (s === 0) return true;
      size[i] = s;
      rows.push(i);
    }
    rows.sort((a, b) => size[a]! - size[b]! || a - b);
    used.fill(0);
    let packed = 0;
    for (const i of rows) {
      let free = true;
      for (let j = 0, k = i * m; j < m && free; j++, k++) if (c[k]! <= r && used[j]) free = false;
      if (!free) continue;
      for (let j = 0, k = i * m; j < m; j++, k++) if (c[k]! <= r) used[j] = 1;
      if (++packed > budget) return true;
    }
    return false;
  };
  let lo = 0,
    hi = Math.min(values.length, lowerIndex(values, upper));
  // Invariant: values[< lo] proved infeasible; find the first value not proved so (bisection on a monotone-ish
  // test; any proof is valid).
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (impossible(values[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo < values.length ? values[lo]! : Infinity;
}

/**
 * Greedy (each step opens the site giving the smallest radius, ties: the
 * smallest total cost) then best-improvement vertex interchange on
 * (radius, total cost), each pass O(n·m) with nearest/second-nearest costs.
 */
function centerHeuristic(
  wc: Float64Array,
  n: number,
  m: number,
  p: number,
  isFixed: Uint8Array,
  clock: Clock,
): { sites: Int32Array } {
  const open = new Uint8Array(m);
  const sites: number[] = [];
  const d1 = new Float64Array(n).fill(Infinity);
  const add = (j: number) => {
    open[j] = 1;
    sites.push(j);
    for (let i = 0; i < n; i++) d1[i] = Math.min(d1[i]!, wc[i * m + j]!);
  };
  for (let j = 0; j < m; j++) if (isFixed[j]) add(j);
  const radius = new Float64Array(m),
    sum = new Float64Array(m),
    missing = new Int32Array(m);
  while (sites.length < p) {
    radius.fill(0);
    sum.fill(0);
    missing.fill(0);
    for (let i = 0; i < n; i++) {
      const d = d1[i]!;
      for (let j = 0, k = i * m; j < m; j++, k++) {
        const v = Math.min(d, wc[k]!);
        if (v === Infinity) missing[j]!++;
        else {
          if (v > radius[j]!) radius[j] = v;
          sum[j]! += v;
        }
      }
    }
    let best = -1;
    for (let j = 0; j < m; j++) {
      if (open[j]) continue;
      if (
        best < 0 ||
        missing[j]! < missing[best]! ||
        (missing[j] === missing[best] &&
          (radius[j]! < radius[best]! || (radius[j] === radius[best] && sum[j]! < sum[best]!)))
      )
        best = j;
    }
    add(best);
  }
  const S = Int32Array.from(sites);
  if (d1.some((v) => v === Infinity) || p === m) return { sites: S };
  centerInterchange(wc, n, m, p, S, isFixed, clock);
  return { sites: S };
}

/**
 * Interchange on `S` in place: each round makes the best single swap (an open site out, a closed one in) that
 * lowers the radius, or keeps it and lowers the sum of distances; stops when none does or the clock runs out.
 */
function centerInterchange(
  wc: Float64Array,
  n: number,
  m: number,
  p: number,
  S: Int32Array,
  isFixed: Uint8Array,
  clock: Clock,
): void {
  const wcT = transposeCost(wc, n, m);
  const a1 = new Int32Array(n),
    n1 = new Float64Array(n),
    n2 = new Float64Array(n);
  const ownerMax = new Float64Array(p),
    ownerSum = new Float64Array(p),
    removedMax = new Float64Array(p),
    removedSum = new Float64Array(p),
    lost = new Int32Array(p);
  const inSet = new Uint8Array(m);
  for (const j of S) inSet[j] = 1;
  for (;;) {
    let curRadius = 0,
      curSum = 0;
    nearestTwo(wc, n, m, S, p, a1, n1, n2);
    for (let i = 0; i < n; i++) {
      curRadius = Math.max(curRadius, n1[i]!);
      curSum += n1[i]!;
    }
    if (clock.left() <= 0) break;
    let bestJ = -1,
      bestR = -1,
      bestRadius = curRadius,
      bestSum = curSum - 1e-9 * Math.max(1, curSum);
    for (let j = 0; j < m; j++) {
      if (inSet[j]) continue;
      ownerMax.fill(0);
      ownerSum.fill(0);
      removedMax.fill(0);
      removedSum.fill(0);
      lost.fill(0);
      let total = 0;
      const col = j * n;
      for (let i = 0; i < n; i++) {
        const v = wcT[col + i]!,
          r = a1[i]!;
        const keep = Math.min(n1[i]!, v),
          gone = Math.min(n2[i]!, v);
        total += keep;
        if (keep > ownerMax[r]!) ownerMax[r] = keep;
        ownerSum[r]! += keep;
        if (gone === Infinity) lost[r]!++;
        else {
          if (gone > removedMax[r]!) removedMax[r] = gone;
          removedSum[r]! += gone;
        }
      }
      // Top two of ownerMax, to get the max over the other owners.
      let top1 = -1,
        top2 = -1;
      for (let r = 0; r < p; r++) {
        if (top1 < 0 || ownerMax[r]! > ownerMax[top1]!) {
          top2 = top1;
          top1 = r;
        } else if (top2 < 0 || ownerMax[r]! > ownerMax[top2]!) top2 = r;
      }
      for (let r = 0; r < p; r++) {
        if (isFixed[S[r]!] || lost[r]! > 0) continue;
        const others = r === top1 ? (top2 >= 0 ? ownerMax[top2]! : 0) : top1 >= 0 ? ownerMax[top1]! : 0;
        const rad = Math.max(others, removedMax[r]!);
        const s = total - ownerSum[r]! + removedSum[r]!;
        if (rad < bestRadius || (rad === bestRadius && s < bestSum)) {
          bestRadius = rad;
          bestSum = s;
          bestJ = j;
          bestR = r;
        }
      }
    }
    if (bestJ < 0) break;
    inSet[S[bestR]!] = 0;
    inSet[bestJ] = 1;
    S[bestR] = bestJ;
  }
}
