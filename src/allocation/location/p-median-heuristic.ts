/**
 * p-median in plain JavaScript: greedy construction, Teitz–Bart vertex
 * interchange (with Whitaker's fast swap evaluation), a Lagrangian lower
 * bound, and a heuristic for the capacitated (single-source) variant.
 *
 * All functions take the weighted cost `wc[i * m + j] = demand[i] · cost[i][j]`
 * (Infinity: site j may not serve demand i).
 *
 * References: M. B. Teitz & P. Bart (1968), "Heuristic methods for estimating
 * the generalized vertex median of a weighted graph", Operations Research 16;
 * R. Whitaker (1983), "A fast algorithm for the greedy interchange for
 * large-scale clustering and median location problems", INFOR 21;
 * G. Cornuéjols, M. L. Fisher & G. L. Nemhauser (1977), "Location of bank
 * accounts to optimize float", Management Science 23 (the Lagrangian bound).
 */
import type { Clock } from "./validate.js";

/**
 * Total weighted cost of serving every demand from its nearest site in `sites` (Infinity if some demand cannot be
 * served).
 */
export function medianCost(wc: Float64Array, n: number, m: number, sites: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let s = 0; s < sites.length; s++) {
      const v = wc[i * m + sites[s]!]!;
      if (v < best) best = v;
    }
    total += best;
  }
  return total;
}

/**
 * Greedy addition: from the fixed sites, repeatedly open the site that
 * serves the most still-unserved demands, then (ties) saves the most cost.
 */
export function greedyMedian(wc: Float64Array, n: number, m: number, p: number, fixed: Int32Array): Int32Array {
  const open = new Uint8Array(m);
  const sites: number[] = [];
  const d1 = new Float64Array(n).fill(Infinity);
  const add = (j: number) => {
    open[j] = 1;
    sites.push(j);
    for (let i = 0; i < n; i++) {
      const v = wc[i * m + j]!;
      if (v < d1[i]!) d1[i] = v;
    }
  };
  for (const f of fixed) add(f);
  const gain = new Float64Array(m);
  const served = new Int32Array(m);
  while (sites.length < p) {
    gain.fill(0);
    served.fill(0);
    for (let i = 0; i < n; i++) {
      const d = d1[i]!,
        base = i * m;
      if (d === Infinity) {
        for (let j = 0; j < m; j++) if (wc[base + j]! < Infinity) served[j]!++;
      } else if (d > 0) {
        for (let j = 0; j < m; j++) {
          const v = wc[base + j]!;
          if (v < d) gain[j]! += d - v;
        }
      }
    }
    let best = -1;
    for (let j = 0; j < m; j++) {
      if (open[j]) continue;
      if (best < 0 || served[j]! > served[best]! || (served[j] === served[best] && gain[j]! > gain[best]!)) best = j;
    }
    add(best);
  }
  return Int32Array.from(sites);
}

/** Column-major copy of `wc` (site-major), for contiguous per-site scans. */
export function transposeCost(wc: Float64Array, n: number, m: number): Float64Array {
  const t = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) t[j * n + i] = wc[i * m + j]!;
  return t;
}

/**
 * For each demand i, the nearest and second-nearest of the p open `sites` by weighted cost `wc`: a1[i] is the
 * nearest one's position in `sites`, d1[i] and d2[i] the two costs (Infinity when there is none).
 */
export function nearestTwo(
  wc: Float64Array,
  n: number,
  m: number,
  sites: ArrayLike<number>,
  p: number,
  a1: Int32Array,
  d1: Float64Array,
  d2: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    let b1 = Infinity,
      b2 = Infinity,
      r1 = 0;
    for (let r = 0; r < p; r++) {
      const v = wc[i * m + sites[r]!]!;
      if (v < b1) {
        b2 = b1;
        b1 = v;
        r1 = r;
      } else if (v < b2) b2 = v;
    }
    a1[i] = r1;
    d1[i] = b1;
    d2[i] = b2;
  }
}

/**
 * Teitz–Bart vertex interchange with best-improvement passes: swap one open
 * (non-fixed) site for a closed one while the total cost decreases. Each
 * pass evaluates every swap in O(n·m) with nearest/second-nearest distances
 * (Whitaker 1983). Starts from a feasible (finite-cost) solution; stops at a
 * local optimum or when the clock runs out.
 */
export function interchange(
  wc: Float64Array,
  wcT: Float64Array,
  n: number,
  m: number,
  start: Int32Array,
  isFixed: Uint8Array,
  clock: Clock,
): { sites: Int32Array; cost: number } {
  const sites = Int32Array.from(start);
  const p = sites.length;
  const isOpen = new Uint8Array(m);
  for (const j of sites) isOpen[j] = 1;
  const a1 = new Int32Array(n),
    d1 = new Float64Array(n),
    d2 = new Float64Array(n);
  const base = new Float64Array(p),
    strand = new Int32Array(p);
  const loss = new Float64Array(p),
    rescued = new Int32Array(p);
  const refresh = (): number => {
    base.fill(0);
    strand.fill(0);
    let total = 0;
    nearestTwo(wc, n, m, sites, p, a1, d1, d2);
    for (let i = 0; i < n; i++) {
      const b1 = d1[i]!,
        b2 = d2[i]!,
        r1 = a1[i]!;
      total += b1;
      if (b2 === Infinity) strand[r1]!++;
      else base[r1]! += b2 - b1;
    }
    return total;
  };
  let cost = refresh();
  if (!(cost < Infinity)) return { sites, cost };
  for (;;) {
    if (clock.left() <= 0) break;
    let bestDelta = -1e-9 * Math.max(1, cost),
      bestJ = -1,
      bestR = -1;
    for (let j = 0; j < m; j++) {
      if (isOpen[j]) continue;
      loss.fill(0);
      rescued.fill(0);
      let gain = 0;
      const col = j * n;
      for (let i = 0; i < n; i++) {
        const v = wcT[col + i]!,
          D1 = d1[i]!,
          D2 = d2[i]!;
        if (v < D1) gain += D1 - v;
        if (v < D2) {
          const r = a1[i]!;
          if (D2 === Infinity) {
            rescued[r]!++;
            if (v > D1) loss[r]! += v - D1;
          } else loss[r]! += Math.max(v, D1) - D2;
        }
      }
      for (let r = 0; r < p; r++) {
        if (isFixed[sites[r]!] || rescued[r] !== strand[r]) continue;
        const delta = base[r]! + loss[r]! - gain;
        if (delta < bestDelta) {
          bestDelta = delta;
          bestJ = j;
          bestR = r;
        }
      }
    }
    if (bestJ < 0) break;
    isOpen[sites[bestR]!] = 0;
    isOpen[bestJ] = 1;
    sites[bestR] = bestJ;
    cost = refresh();
  }
  return { sites, cost: medianCost(wc, n, m, sites) };
}

/** Lagrangian dual state at the best multipliers found. */
export interface MedianLagrangian {
  /** Best lower bound found. */
  bound: number;
  /** ρ_j = Σ_i min(0, wc_ij − λ_i) at the best multipliers. */
  rho: Float64Array;
}

/**
 * Lagrangian bound for the (uncapacitated) p-median: relax "each demand is
 * served once" with multipliers λ; then
 * L(λ) = Σ_i λ_i + Σ_{j fixed} ρ_j + (sum of the p − |fixed| smallest ρ_j among the other sites),
 * ρ_j = Σ_i min(0, wc_ij − λ_i), a valid lower bound for every λ. The
 * multipliers follow the subgradient method with Polyak steps towards
 * `upper` (the incumbent cost). Its maximum equals the LP-relaxation bound.
 */
export function medianLagrangian(
  wc: Float64Array,
  n: number,
  m: number,
  p: number,
  isFixed: Uint8Array,
  upper: number,
  start: Float64Array,
  clock: Clock,
  maxIterations = 400,
): MedianLagrangian {
  const lambda = Float64Array.from(start);
  const rho = new Float64Array(m),
    bestRho = new Float64Array(m);
  const g = new Float64Array(n);
  const free: number[] = [];
  let fixedCount = 0;
  for (let j = 0; j < m; j++) {
    if (isFixed[j]) fixedCount++;
    else free.push(j);
  }
  const q = p - fixedCount;
  const chosen: number[] = [];
  let best = -Infinity,
    theta = 2,
    stall = 0;
  for (let it = 0; it < maxIterations; it++) {
    rho.fill(0);
    let value = 0;
    for (let i = 0; i < n; i++) {
      const li = lambda[i]!,
        b = i * m;
      value += li;
      for (let j = 0; j < m; j++) {
        const v = wc[b + j]! - li;
        if (v < 0) rho[j]! += v;
      }
    }
    chosen.length = 0;
    for (let j = 0; j < m; j++) if (isFixed[j]) chosen.push(j);
    free.sort((a, b) => rho[a]! - rho[b]! || a - b);
    for (let k = 0; k < q; k++) chosen.push(free[k]!);
    for (const j of chosen) value += rho[j]!;
    if (best === -Infinity || value > best + 1e-12 * Math.abs(best)) {
      best = value;
      bestRho.set(rho);
      stall = 0;
    } else if (++stall >= 20) {
      theta /= 2;
      stall = 0;
    }
    if (value >= upper || theta < 1e-4 || clock.left() <= 0) break;
    // Subgradient of L at λ: 1 − Σ_{j chosen} [wc_ij < λ_i].
    let norm = 0;
    for (let i = 0; i < n; i++) {
      const li = lambda[i]!,
        b = i * m;
      let count = 0;
      for (const j of chosen) if (wc[b + j]! < li) count++;
      g[i] = 1 - count;
      norm += g[i]! * g[i]!;
    }
    if (norm === 0) break; // λ is optimal: L(λ) is the LP bound
    const target = upper < Infinity ? upper : Math.abs(value) * 1.05 + 1;
    const step = (theta * (target - value)) / norm;
    for (let i = 0; i < n; i++) lambda[i]! += step * g[i]!;
  }
  return { bound: best, rho: bestRho };
}

/**
 * Sites that the Lagrangian bound proves useless or indispensable for any
 * solution costing at most `cutoff`: forcing closed site j open gives the
 * bound L − ρ_(q) + ρ_j; forcing an open one closed gives L − ρ_j + ρ_(q+1).
 * Marks `closed[j] = 1` / `forced[j] = 1`.
 */
export function lagrangianReduce(
  lag: MedianLagrangian,
  m: number,
  p: number,
  isFixed: Uint8Array,
  cutoff: number,
  closed: Uint8Array,
  forced: Uint8Array,
): void {
  const free: number[] = [];
  for (let j = 0; j < m; j++) if (!isFixed[j]) free.push(j);
  const q = p - (m - free.length);
  if (q <= 0 || q >= free.length) return;
  const { rho, bound } = lag;
  free.sort((a, b) => rho[a]! - rho[b]! || a - b);
  const lastIn = rho[free[q - 1]!]!,
    firstOut = rho[free[q]!]!;
  for (let k = 0; k < free.length; k++) {
    const j = free[k]!;
    if (k >= q) {
      if (bound - lastIn + rho[j]! > cutoff) closed[j] = 1;
    } else if (bound - rho[j]! + firstOut > cutoff) forced[j] = 1;
  }
}

/**
 * Capacitated single-source assignment for a given set of open sites:
 * demands in decreasing order of regret (second-cheapest minus cheapest
 * feasible site), each to its cheapest site with room, then single-demand
 * moves while they lower the cost. Returns null if some demand finds no room.
 */
export function capacitatedAssign(
  wc: Float64Array,
  n: number,
  m: number,
  w: Float64Array,
  capacity: Float64Array,
  sites: ArrayLike<number>,
): { assignment: Int32Array; cost: number } | null {
  const left = new Float64Array(m);
  for (let s = 0; s < sites.length; s++) left[sites[s]!] = capacity[sites[s]!]!;
  const regret = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let b1 = Infinity,
      b2 = Infinity;
    for (let s = 0; s < sites.length; s++) {
      const j = sites[s]!;
      if (w[i]! > capacity[j]!) continue;
      const v = wc[i * m + j]!;
      if (v < b1) {
        b2 = b1;
        b1 = v;
      } else if (v < b2) b2 = v;
    }
    if (b1 === Infinity) return null;
    regret[i] = b2 === Infinity ? Number.MAX_VALUE : b2 - b1;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => regret[b]! - regret[a]! || w[b]! - w[a]! || a - b,
  );
  const assignment = new Int32Array(n).fill(-1);
  for (const i of order) {
    let best = -1,
      bc = Infinity;
    for (let s = 0; s < sites.length; s++) {
      const j = sites[s]!,
        v = wc[i * m + j]!;
      if (v < bc && left[j]! >= w[i]!) {
        bc = v;
        best = j;
      }
    }
    if (best < 0) return null;
    assignment[i] = best;
    left[best]! -= w[i]!;
  }
  for (let moved = true, rounds = 0; moved && rounds < 50; rounds++) {
    moved = false;
    for (let i = 0; i < n; i++) {
      const from = assignment[i]!;
      let best = from,
        bc = wc[i * m + from]!;
      for (let s = 0; s < sites.length; s++) {
        const j = sites[s]!,
          v = wc[i * m + j]!;
        if (v < bc && left[j]! >= w[i]!) {
          bc = v;
          best = j;
        }
      }
      if (best !== from) {
        left[from]! += w[i]!;
        left[best]! -= w[i]!;
        assignment[i] = best;
        moved = true;
      }
    }
  }
  let cost = 0;
  for (let i = 0; i < n; i++) cost += wc[i * m + assignment[i]!]!;
  return { assignment, cost };
}

/**
 * Capacitated p-median heuristic: start from `start` sites (e.g. the
 * uncapacitated solution) or, if they cannot hold the demand, from the
 * fixed sites plus the largest capacities; then first-improvement swaps,
 * each evaluated by `capacitatedAssign`, until none helps or time runs out.
 */
export function capacitatedSearch(
  wc: Float64Array,
  n: number,
  m: number,
  p: number,
  w: Float64Array,
  capacity: Float64Array,
  start: Int32Array,
  isFixed: Uint8Array,
  clock: Clock,
): { sites: Int32Array; assignment: Int32Array; cost: number } | null {
  let sites = Int32Array.from(start);
  let current = capacitatedAssign(wc, n, m, w, capacity, sites);
  if (!current) {
    const free = Array.from({ length: m }, (_, j) => j)
      .filter((j) => !isFixed[j])
      .sort((a, b) => capacity[b]! - capacity[a]! || a - b);
    const chosen = Array.from({ length: m }, (_, j) => j).filter((j) => isFixed[j]);
    for (const j of free) if (chosen.length < p) chosen.push(j);
    sites = Int32Array.from(chosen);
    current = capacitatedAssign(wc, n, m, w, capacity, sites);
    if (!current) return null;
  }
  const isOpen = new Uint8Array(m);
  for (const j of sites) isOpen[j] = 1;
  for (let improved = true; improved && clock.left() > 0; ) {
    improved = false;
    for (let r = 0; r < p && !improved; r++) {
      const out = sites[r]!;
      if (isFixed[out]) continue;
      for (let j = 0; j < m && !improved; j++) {
        if (isOpen[j]) continue;
        sites[r] = j;
        const trial = capacitatedAssign(wc, n, m, w, capacity, sites);
        if (trial && trial.cost < current.cost - 1e-9 * Math.max(1, current.cost)) {
          current = trial;
          isOpen[out] = 0;
          isOpen[j] = 1;
          improved = true;
        } else sites[r] = out;
        if (clock.left() <= 0) break;
      }
    }
  }
  return { sites, assignment: current.assignment, cost: current.cost };
}
