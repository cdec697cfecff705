/**
 * Covering heuristics shared by `setCover` and `pCenter`: Chvátal's greedy
 * set cover, redundant-site removal and the Lagrangian lower bound of the
 * set covering problem.
 *
 * References: V. Chvátal (1979), "A greedy heuristic for the set-covering
 * problem", Math. Oper. Res. 4(3); J. E. Beasley (1990), "A Lagrangian
 * heuristic for set-covering problems", Naval Res. Logistics 37.
 */
import type { Coverage } from "./common.js";
import type { Clock } from "./validate.js";

/**
 * Greedy cover: from the open sites in `open`, repeatedly open the site with
 * the most still-uncovered demands per unit opening cost (a zero-cost site
 * that covers anything first; ties: lowest index). Demands with `skip[i]` set
 * need no cover. Stops after `limit` sites in total (returns false) or when
 * everything is covered (returns true). Mutates `open`.
 */
export function greedyCover(
  cov: Coverage,
  covT: Coverage,
  n: number,
  m: number,
  f: Float64Array,
  open: Uint8Array,
  limit: number,
  skip?: Uint8Array,
): boolean {
  const covered = new Uint8Array(n);
  let left = 0,
    count = 0;
  for (let j = 0; j < m; j++) if (open[j]) count++;
  for (let i = 0; i < n; i++) {
    if (skip?.[i]) {
      covered[i] = 1;
      continue;
    }
    for (let t = cov.start[i]!; t < cov.start[i + 1]! && !covered[i]; t++) if (open[cov.sites[t]!]) covered[i] = 1;
    if (!covered[i]) left++;
  }
  const gain = new Int32Array(m);
  for (let j = 0; j < m; j++)
    for (let t = covT.start[j]!; t < covT.start[j + 1]!; t++) if (!covered[covT.sites[t]!]) gain[j]!++;
  while (left > 0) {
    if (count >= limit) return false;
    let best = -1,
      score = 0;
    for (let j = 0; j < m; j++) {
      if (open[j] || gain[j] === 0) continue;
      const s = f[j]! > 0 ? gain[j]! / f[j]! : Infinity;
      if (best < 0 || s > score) {
        best = j;
        score = s;
      }
    }
    if (best < 0) return false;
    open[best] = 1;
    count++;
    for (let t = covT.start[best]!; t < covT.start[best + 1]!; t++) {
      const i = covT.sites[t]!;
      if (covered[i]) continue;
      covered[i] = 1;
      left--;
      for (let u = cov.start[i]!; u < cov.start[i + 1]!; u++) gain[cov.sites[u]!]!--;
    }
  }
  return true;
}

/**
 * Closes open, non-fixed sites whose demands all have another open site
 * covering them, most expensive first (ties: highest index). Mutates `open`.
 */
export function dropRedundant(
  cov: Coverage,
  covT: Coverage,
  n: number,
  m: number,
  f: Float64Array,
  open: Uint8Array,
  isFixed: Uint8Array,
  skip?: Uint8Array,
): void {
  const count = new Int32Array(n);
  for (let i = 0; i < n; i++)
    for (let t = cov.start[i]!; t < cov.start[i + 1]!; t++) if (open[cov.sites[t]!]) count[i]!++;
  const order: number[] = [];
  for (let j = 0; j < m; j++) if (open[j] && !isFixed[j]) order.push(j);
  order.sort((a, b) => f[b]! - f[a]! || b - a);
  for (const j of order) {
    let needed = false;
    for (let t = covT.start[j]!; t < covT.start[j + 1]! && !needed; t++) {
      const i = covT.sites[t]!;
      needed = !skip?.[i] && count[i] === 1;
    }
    if (needed) continue;
    open[j] = 0;
    for (let t = covT.start[j]!; t < covT.start[j + 1]!; t++) count[covT.sites[t]!]!--;
  }
}

/**
 * Lagrangian lower bound of min Σ f_j y_j s.t. every demand i not in `skip`
 * is covered (relaxing the cover rows with λ ≥ 0):
 * L(λ) = Σ_{fixed} f_j + Σ_i λ_i + Σ_{j not fixed} min(0, f_j − Σ_{i ∈ N_j} λ_i),
 * maximised by subgradient steps towards `upper`. Valid for every λ ≥ 0.
 */
export function coverLagrangian(
  cov: Coverage,
  covT: Coverage,
  n: number,
  m: number,
  f: Float64Array,
  isFixed: Uint8Array,
  skip: Uint8Array,
  upper: number,
  clock: Clock,
  maxIterations = 300,
): number {
  const lambda = new Float64Array(n);
  const size = new Int32Array(m);
  for (let j = 0; j < m; j++)
    for (let t = covT.start[j]!; t < covT.start[j + 1]!; t++) if (!skip[covT.sites[t]!]) size[j]!++;
  for (let i = 0; i < n; i++) {
    if (skip[i]) continue;
    let best = Infinity;
    for (let t = cov.start[i]!; t < cov.start[i + 1]!; t++) {
      const j = cov.sites[t]!;
      best = Math.min(best, f[j]! / Math.max(1, size[j]!));
    }
    lambda[i] = best < Infinity ? best : 0;
  }
  let fixedCost = 0;
  for (let j = 0; j < m; j++) if (isFixed[j]) fixedCost += f[j]!;
  const reduced = new Float64Array(m);
  const g = new Float64Array(n);
  let best = -Infinity,
    theta = 2,
    stall = 0;
  for (let it = 0; it < maxIterations; it++) {
    let value = fixedCost;
    for (let i = 0; i < n; i++) value += lambda[i]!;
    for (let j = 0; j < m; j++) {
      if (isFixed[j]) continue;
      let s = f[j]!;
      for (let t = covT.start[j]!; t < covT.start[j + 1]!; t++) s -= lambda[covT.sites[t]!]!;
      reduced[j] = s;
      if (s < 0) value += s;
    }
    if (best === -Infinity || value > best + 1e-12 * Math.abs(best)) {
      best = value;
      stall = 0;
    } else if (++stall >= 20) {
      theta /= 2;
      stall = 0;
    }
    if (value >= upper || theta < 1e-4 || clock.left() <= 0) break;
    let norm = 0;
    for (let i = 0; i < n; i++) {
      if (skip[i]) {
        g[i] = 0;
        continue;
      }
      let c = 0;
      for (let t = cov.start[i]!; t < cov.start[i + 1]!; t++) {
        const j = cov.sites[t]!;
        if (!isFixed[j] && reduced[j]! < 0) c++;
      }
      g[i] = 1 - c;
      // λ stays ≥ 0: no push below zero.
      if (lambda[i] === 0 && g[i]! < 0) g[i] = 0;
      norm += g[i]! * g[i]!;
    }
    if (norm === 0) break;
    const step = (theta * ((upper < Infinity ? upper : value * 1.05 + 1) - value)) / norm;
    for (let i = 0; i < n; i++) lambda[i] = Math.max(0, lambda[i]! + step * g[i]!);
  }
  return best;
}
