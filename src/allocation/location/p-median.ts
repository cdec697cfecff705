/**
 * p-median: open p sites minimising the total weighted cost of serving every
 * demand row from its nearest open site (Hakimi 1964; ReVelle & Swain 1970).
 */
import type { ModelData } from "highs";
import { MipBuilder, integral, nearest, openSites, result, weightedCost } from "./common.js";
import { solveMip } from "./highs.js";
import {
  capacitatedAssign,
  capacitatedSearch,
  greedyMedian,
  interchange,
  lagrangianReduce,
  medianCost,
  medianLagrangian,
  transposeCost,
} from "./p-median-heuristic.js";
import type { LocationResult, PMedianOptions } from "./types.js";
import {
  readCapacity,
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

const NAME = "pMedian";

/**
 * p-median on any cost matrix: choose `p` sites (columns of `cost`, `fixed`
 * ones included) minimising Σ_i demand[i] · cost[i][site serving i].
 * Without `capacity` every demand goes to its nearest open site; with it,
 * each demand row is served whole by one open site whose capacity holds the
 * demand weights assigned to it (capacitated p-median, single sourcing).
 * `Infinity` in `cost` forbids a pair; every demand must be served.
 *
 * **Exact method** (HiGHS): the radius formulation of S. Elloumi (2010), "A
 * tighter formulation of the p-median problem", J. Comb. Optim. 19(1):69–83.
 * Per demand i, with the distinct weighted costs D_i^1 < … < D_i^K and
 * z_i^k = 1 when i's nearest open site costs ≥ D_i^k,
 * min Σ_i (D_i^1 + Σ_{k≥2} (D_i^k − D_i^{k−1}) z_i^k) s.t. Σ_j y_j = p,
 * z_i^k ≥ 1 − Σ_{j: c_ij < D_i^k} y_j, y binary, z ≥ 0. Implemented with:
 * - the standard size reduction of this formulation: levels above U_i, the
 *   (m − p + 1)-th smallest cost of row i (and above the cost of any fixed
 *   site), are dropped — some site that close is always open;
 * - the constraints in chained form z_i^k ≥ z_i^{k−1} − Σ_{j: c_ij = D_i^{k−1}} y_j
 *   (z_i^1 ≡ 1): same LP bound, O(n·m) instead of O(n·m²) nonzeros;
 * - an incumbent from greedy + Teitz–Bart interchange, passed to HiGHS as a
 *   MIP start;
 * - reduced-cost fixing before the MIP: sites whose Lagrangian or LP reduced
 *   cost proves they cannot appear in a better solution are removed, others
 *   forced open, and the model is rebuilt on the remaining sites (levels
 *   merge, so it shrinks far more than by fixing alone).
 * On OR-Library pmed1, 2, 6, 11 this takes about 0.03–3 s (pmed6 the
 * slowest), several times less than either full formulation (this one or
 * the textbook x_ij ≤ y_j) given to HiGHS directly, and one to two orders of
 * magnitude less than CBC on them (bench/location.mjs).
 *
 * The capacitated variant uses the assignment formulation (x_ij binary,
 * Σ_j x_ij = 1, Σ_i demand_i x_ij ≤ capacity_j y_j, x_ij ≤ y_j), started from
 * a capacitated heuristic.
 *
 * **Heuristic method**: greedy + Teitz–Bart interchange (Whitaker's fast
 * swap evaluation; with capacity, swaps evaluated by a regret assignment);
 * `bound` is the Lagrangian relaxation bound (subgradient; without the
 * capacities when they are given, so it is valid but looser).
 *
 * @example
 * const r = await pMedian({ cost: [[0, 4, 9], [4, 0, 5], [9, 5, 0]], p: 1 });
 * r.sites // [1]
 * r.objective // 9
 * r.status // "optimal"
 */
export async function pMedian(given: PMedianOptions): Promise<LocationResult> {
  const options = readOptions(NAME, given, ["cost", "demand", "p", "capacity", "fixed", "timeLimit", "method"]);
  const matrix = readCost(NAME, options.cost);
  const { n, m } = matrix;
  const w = readDemand(NAME, options.demand, n);
  const fixed = readFixed(NAME, options.fixed, m);
  const p = readP(NAME, options.p, m, fixed.length);
  const timeLimit = readTimeLimit(NAME, options.timeLimit);
  const method = readMethod(NAME, options.method, n * m);
  const capacity = options.capacity === undefined ? null : readCapacity(NAME, options.capacity, m);
  requireServable(NAME, matrix);
  const clock = startClock(timeLimit);
  const wc = weightedCost(matrix, w);
  const isFixed = new Uint8Array(m);
  for (const j of fixed) isFixed[j] = 1;
  if (capacity) {
    checkCapacity(matrix, w, capacity, p, isFixed);
    return capacitated(matrix, wc, w, capacity, p, fixed, isFixed, method, clock);
  }
  if (p === m || p === fixed.length) {
    const sites = p === m ? Array.from({ length: m }, (_, j) => j) : Array.from(fixed);
    return finish(matrix, wc, sites, 0, true, "no choice: every site open or all p sites fixed", clock);
  }

  // Incumbent: greedy + interchange.
  const wcT = transposeCost(wc, n, m);
  let incumbent = interchange(wc, wcT, n, m, greedyMedian(wc, n, m, p, fixed), isFixed, clock);
  const upper = incumbent.cost;
  // Each subgradient step costs O(n·m): cap the work at about 5e8 cell visits (400 steps up to 1.25e6 cells).
  const steps = Math.max(30, Math.min(400, Math.floor(5e8 / (n * m))));
  const lag = medianLagrangian(
    wc,
    n,
    m,
    p,
    isFixed,
    upper,
    initialMultipliers(wc, n, m, incumbent.sites),
    clock,
    steps,
  );
  // With integral costs, objectives are integers: bounds round up and a better solution is at least 1 better.
  const step = integral(wc) ? 1 : 0;
  const roundUp = (x: number) => (step === 1 ? Math.ceil(x - 1e-9) : x);
  const heuristicName = "greedy + Teitz–Bart interchange; bound: Lagrangian relaxation";
  if (method === "heuristic") {
    if (!(upper < Infinity))
      throw new RangeError(
        `${NAME}: the heuristic found no ${p} sites serving every demand at finite cost; ` +
          `use method "exact" to decide whether any exist`,
      );
    return finish(matrix, wc, incumbent.sites, roundUp(lag.bound), false, heuristicName, clock);
  }

  const cutoff = upper - step + 1e-7 * Math.max(1, Math.abs(upper));
  let lower = lag.bound;
  const done = (bound: number, proved: boolean, solver: string) =>
    finish(matrix, wc, incumbent.sites, roundUp(bound), proved, solver, clock);
  const solverName = (version: string) =>
    `highs ${version}: radius formulation (Elloumi 2010) with reduced-cost fixing`;
  if (lower > cutoff) return done(upper, true, `${heuristicName} (optimal: bound meets incumbent)`);

  // Reduce by the Lagrangian bound, then by the LP relaxation's reduced costs.
  const closed = new Uint8Array(m),
    forced = Uint8Array.from(isFixed);
  if (upper < Infinity) lagrangianReduce(lag, m, p, isFixed, cutoff, closed, forced);
  let candidates = siteList(m, closed);
  let model = buildRadius(wc, n, m, p, candidates, forced);
  if (!model) return done(upper, true, `${heuristicName} (optimal: no better solution left)`);
  let version = "";
  if (upper < Infinity && clock.left() > 0) {
    const lp = await solveMip(model.data, { timeLimit: clock.left(), relax: true });
    version = lp.version;
    if (lp.kind === "optimal" && lp.x && lp.reducedCost) {
      lower = Math.max(lower, lp.objective);
      if (lower > cutoff) return done(upper, true, solverName(version));
      let changed = false;
      for (let t = 0; t < candidates.length; t++) {
        const j = candidates[t]!,
          d = lp.reducedCost[t]!,
          v = lp.x[t]!;
        if (forced[j]) continue;
        if (v < 1e-9 && lp.objective + d > cutoff) {
          closed[j] = 1;
          changed = true;
        } else if (v > 1 - 1e-9 && lp.objective - d > cutoff) {
          forced[j] = 1;
          changed = true;
        }
      }
      if (changed) {
        candidates = siteList(m, closed);
        model = buildRadius(wc, n, m, p, candidates, forced);
        if (!model) return done(upper, true, solverName(version));
      }
    }
  }
  if (clock.left() <= 0) return done(lower, false, solverName(version || "(not reached)"));
  const start = startVector(model, wc, m, candidates, incumbent.sites, forced);
  const mip = await solveMip(model.data, { timeLimit: clock.left(), start: start ?? undefined });
  version = mip.version;
  if (mip.x) {
    const sites = openSites(mip.x, candidates);
    const cost = medianCost(wc, n, m, sites);
    if (cost < incumbent.cost) incumbent = { sites: Int32Array.from(sites), cost };
  }
  if (!(incumbent.cost < Infinity)) {
    if (mip.kind === "infeasible")
      throw new RangeError(
        `${NAME}: no choice of ${p} sites${fixed.length ? " (fixed ones included)" : ""} serves every demand ` +
          `at finite cost`,
      );
    throw new Error(`${NAME}: HiGHS stopped without a feasible solution (${mip.kind}); try a longer timeLimit`);
  }
  if (mip.kind === "optimal" || mip.kind === "infeasible") return done(incumbent.cost, true, solverName(version));
  return done(Math.max(lower, Math.min(upper, mip.bound)), false, solverName(version));
}

function finish(
  matrix: Matrix,
  wc: Float64Array,
  sites: ArrayLike<number>,
  bound: number,
  proved: boolean,
  solver: string,
  clock: Clock,
): LocationResult {
  const list = Array.from(sites);
  const assignment = nearest(matrix, list);
  const unserved = assignment.indexOf(-1);
  if (unserved >= 0)
    throw new RangeError(`${NAME}: demand row ${unserved} has infinite cost to every open site (${list.join(", ")})`);
  let objective = 0;
  for (let i = 0; i < matrix.n; i++) objective += wc[i * matrix.m + assignment[i]!]!;
  return result(list, assignment, objective, proved ? objective : Math.min(bound, objective), proved, solver, clock);
}

const siteList = (m: number, closed: Uint8Array): Int32Array => {
  const out: number[] = [];
  for (let j = 0; j < m; j++) if (!closed[j]) out.push(j);
  return Int32Array.from(out);
};

/** λ_i = the incumbent's cost for demand i (a good start for the subgradient method). */
function initialMultipliers(wc: Float64Array, n: number, m: number, sites: Int32Array): Float64Array {
  const lambda = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = Infinity,
      any = Infinity;
    for (const j of sites) best = Math.min(best, wc[i * m + j]!);
    if (best === Infinity) for (let j = 0; j < m; j++) any = Math.min(any, wc[i * m + j]!);
    lambda[i] = best < Infinity ? best : any;
  }
  return lambda;
}

/** The radius model on a subset of candidate sites, with the data needed to write a MIP start. */
interface RadiusModel {
  data: ModelData;
  /** Per demand: z columns and their level values, CSR by demand. */
  levelStart: Int32Array;
  levelCol: Int32Array;
  levelValue: Float64Array;
}

/**
 * Elloumi's radius formulation (chained form) over `candidates` (y column t
 * is site candidates[t]); `forced` sites have y fixed to 1. Null when some
 * demand has no candidate at finite cost (no solution in this subspace).
 */
function buildRadius(
  wc: Float64Array,
  n: number,
  m: number,
  p: number,
  candidates: Int32Array,
  forced: Uint8Array,
): RadiusModel | null {
  const q = candidates.length;
  if (q < p) return null;
  const b = new MipBuilder();
  const forcedList: number[] = [];
  for (let t = 0; t < q; t++) {
    const j = candidates[t]!;
    b.col(0, forced[j] ? 1 : 0, 1, true);
    if (forced[j]) forcedList.push(j);
  }
  b.row(
    Array.from({ length: q }, (_, t) => t),
    1,
    p,
    p,
  );
  const key = new Float64Array(q);
  const order = new Int32Array(q);
  const levelStart = new Int32Array(n + 1);
  const levelCol: number[] = [];
  const levelValue: number[] = [];
  const group: number[] = [];
  const rowIndex: number[] = [];
  const rowValue: number[] = [];
  for (let i = 0; i < n; i++) {
    levelStart[i] = levelCol.length;
    const base = i * m;
    for (let t = 0; t < q; t++) {
      const v = wc[base + candidates[t]!]!;
      key[t] = v === Infinity ? Number.MAX_VALUE : v;
      order[t] = t;
    }
    order.sort((x, y) => key[x]! - key[y]! || x - y);
    if (key[order[0]!] === Number.MAX_VALUE) return null;
    // Some site among the q − p + 1 cheapest is open, and every forced site is.
    let upper = wc[base + candidates[order[q - p]!]!]!;
    for (const f of forcedList) upper = Math.min(upper, wc[base + f]!);
    let previous = -1; // z column of the previous level; -1: level 1, where z ≡ 1
    let value = key[order[0]!]!;
    b.offset += value;
    group.length = 0;
    let k = 0;
    for (; k < q; k++) {
      const t = order[k]!,
        v = key[t]!;
      if (v === Number.MAX_VALUE || v > upper) break;
      if (v !== value) {
        // New level v: z ≥ z_prev − Σ_{sites at the previous level} y.
        const z = b.col(v - value, 0, Infinity, false);
        rowIndex.length = 0;
        rowValue.length = 0;
        rowIndex.push(z);
        rowValue.push(1);
        if (previous >= 0) {
          rowIndex.push(previous);
          rowValue.push(-1);
        }
        for (const g of group) {
          rowIndex.push(g);
          rowValue.push(1);
        }
        b.row(rowIndex, rowValue, previous >= 0 ? 0 : 1, Infinity);
        levelCol.push(z);
        levelValue.push(v);
        previous = z;
        value = v;
        group.length = 0;
      }
      group.push(t);
    }
    if (upper === Infinity && k < q) {
      // Some candidates cannot serve i and none is guaranteed open: the cost must stay finite.
      rowIndex.length = 0;
      rowValue.length = 0;
      if (previous >= 0) {
        rowIndex.push(previous);
        rowValue.push(-1);
      }
      for (const g of group) {
        rowIndex.push(g);
        rowValue.push(1);
      }
      b.row(rowIndex, rowValue, previous >= 0 ? 0 : 1, Infinity);
    }
  }
  levelStart[n] = levelCol.length;
  return {
    data: b.build(),
    levelStart,
    levelCol: Int32Array.from(levelCol),
    levelValue: Float64Array.from(levelValue),
  };
}

/** MIP start from a solution, or null if it uses a removed site or misses a forced one. */
function startVector(
  model: RadiusModel,
  wc: Float64Array,
  m: number,
  candidates: Int32Array,
  sites: Int32Array,
  forced: Uint8Array,
): Float64Array | null {
  const x = new Float64Array(model.data.numCols);
  const column = new Map<number, number>();
  for (let t = 0; t < candidates.length; t++) column.set(candidates[t]!, t);
  const open = new Set<number>();
  for (const j of sites) {
    const t = column.get(j);
    if (t === undefined) return null;
    x[t] = 1;
    open.add(j);
  }
  for (const j of candidates) if (forced[j] && !open.has(j)) return null;
  const n = model.levelStart.length - 1;
  for (let i = 0; i < n; i++) {
    let d = Infinity;
    for (const j of sites) d = Math.min(d, wc[i * m + j]!);
    for (let k = model.levelStart[i]!; k < model.levelStart[i + 1]!; k++)
      x[model.levelCol[k]!] = d >= model.levelValue[k]! ? 1 : 0;
  }
  return x;
}

/** Capacity checks that name the problem: a demand too large for every site, or too little total capacity. */
function checkCapacity(
  { n, m, c }: Matrix,
  w: Float64Array,
  capacity: Float64Array,
  p: number,
  isFixed: Uint8Array,
): void {
  for (let i = 0; i < n; i++) {
    let ok = false;
    for (let j = 0; j < m && !ok; j++) ok = c[i * m + j]! < Infinity && capacity[j]! >= w[i]!;
    if (!ok)
      throw new RangeError(
        `${NAME}: demand row ${i} (weight ${w[i]}) fits no site it can reach: ` +
          `every site with finite cost has capacity below ${w[i]}`,
      );
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += w[i]!;
  const free: number[] = [];
  let room = 0,
    fixedCount = 0;
  for (let j = 0; j < m; j++) {
    if (isFixed[j]) {
      room += capacity[j]!;
      fixedCount++;
    } else free.push(capacity[j]!);
  }
  free.sort((a, b) => b - a);
  for (let k = 0; k < p - fixedCount; k++) room += free[k]!;
  if (room < total)
    throw new RangeError(`${NAME}: total demand ${total} exceeds the largest capacity ${p} sites can offer (${room})`);
}

/**
 * The capacitated p-median's assignment formulation: y_j (columns 0..m-1), then x_ij for the pairs a demand may
 * use (finite cost, weight within the site's capacity), with `pairI`/`pairJ` naming each x column's pair.
 */
function assignmentModel(
  wc: Float64Array,
  w: Float64Array,
  capacity: Float64Array,
  n: number,
  m: number,
  p: number,
  isFixed: Uint8Array,
): { b: MipBuilder; pairI: number[]; pairJ: number[] } {
  const b = new MipBuilder();
  for (let j = 0; j < m; j++) b.col(0, isFixed[j] ? 1 : 0, 1, true);
  b.row(
    Array.from({ length: m }, (_, j) => j),
    1,
    p,
    p,
  );
  const pairI: number[] = [],
    pairJ: number[] = [];
  const bySite: number[][] = Array.from({ length: m }, () => []);
  const weightBySite: number[][] = Array.from({ length: m }, () => []);
  for (let i = 0; i < n; i++) {
    const cols: number[] = [];
    for (let j = 0; j < m; j++) {
      const v = wc[i * m + j]!;
      if (v === Infinity || w[i]! > capacity[j]!) continue;
      const x = b.col(v, 0, 1, true);
      pairI.push(i);
      pairJ.push(j);
      cols.push(x);
      b.row([x, j], [1, -1], -Infinity, 0);
      if (w[i]! > 0) {
        bySite[j]!.push(x);
        weightBySite[j]!.push(w[i]!);
      }
    }
    b.row(cols, 1, 1, 1);
  }
  for (let j = 0; j < m; j++) {
    if (capacity[j] === Infinity || bySite[j]!.length === 0) continue;
    b.row([...bySite[j]!, j], [...weightBySite[j]!, -capacity[j]!], -Infinity, 0);
  }
  return { b, pairI, pairJ };
}

/**
 * The sites and assignment of a MIP solution; zero-weight demands (which take no capacity) go to their nearest
 * open site, and a capacitated reassignment of the same sites is kept when it costs less.
 */
function readAssignment(
  x: Float64Array,
  matrix: Matrix,
  wc: Float64Array,
  w: Float64Array,
  capacity: Float64Array,
  pairI: readonly number[],
  pairJ: readonly number[],
): { sites: number[]; assignment: Int32Array; cost: number } {
  const { n, m } = matrix;
  const sites = openSites(
    x,
    Array.from({ length: m }, (_, j) => j),
  );
  const assignment = new Int32Array(n).fill(-1);
  for (let t = 0; t < pairI.length; t++) if (x[m + t]! > 0.5) assignment[pairI[t]!] = pairJ[t]!;
  const near = nearest(matrix, sites);
  for (let i = 0; i < n; i++) if (w[i] === 0) assignment[i] = near[i]!;
  const polished = capacitatedAssign(wc, n, m, w, capacity, sites);
  let cost = 0;
  for (let i = 0; i < n; i++) cost += wc[i * m + assignment[i]!]!;
  return polished && polished.cost < cost
    ? { sites, assignment: polished.assignment, cost: polished.cost }
    : { sites, assignment, cost };
}

async function capacitated(
  matrix: Matrix,
  wc: Float64Array,
  w: Float64Array,
  capacity: Float64Array,
  p: number,
  fixed: Int32Array,
  isFixed: Uint8Array,
  method: "exact" | "heuristic",
  clock: Clock,
): Promise<LocationResult> {
  const { n, m } = matrix;
  const wcT = transposeCost(wc, n, m);
  const uncapacitated =
    p === fixed.length
      ? { sites: fixed, cost: medianCost(wc, n, m, fixed) }
      : interchange(wc, wcT, n, m, greedyMedian(wc, n, m, p, fixed), isFixed, clock);
  // The uncapacitated problem is a relaxation: its Lagrangian bound (aimed at its incumbent's cost) is valid here.
  const lag =
    p > fixed.length && p < m
      ? medianLagrangian(
          wc,
          n,
          m,
          p,
          isFixed,
          uncapacitated.cost,
          initialMultipliers(wc, n, m, uncapacitated.sites),
          clock,
          Math.max(30, Math.min(400, Math.floor(5e8 / (n * m)))),
        ).bound
      : uncapacitated.cost;
  const heuristic = capacitatedSearch(wc, n, m, p, w, capacity, uncapacitated.sites, isFixed, clock);
  const heuristicName =
    "capacitated greedy + interchange with regret assignment; bound: uncapacitated Lagrangian relaxation";
  const done = (
    sites: ArrayLike<number>,
    assignment: Int32Array,
    bound: number,
    proved: boolean,
    solver: string,
  ): LocationResult => {
    let objective = 0;
    for (let i = 0; i < n; i++) objective += wc[i * m + assignment[i]!]!;
    return result(
      Array.from(sites),
      assignment,
      objective,
      proved ? objective : Math.min(bound, objective),
      proved,
      solver,
      clock,
    );
  };
  const lower = Number.isFinite(lag) ? (integral(wc) ? Math.ceil(lag - 1e-9) : lag) : 0;
  if (method === "heuristic") {
    if (!heuristic)
      throw new RangeError(
        `${NAME}: the heuristic found no ${p} sites whose capacities hold every demand; ` +
          `use method "exact" to decide whether any exist`,
      );
    return done(heuristic.sites, heuristic.assignment, lower, false, heuristicName);
  }
  const { b, pairI, pairJ } = assignmentModel(wc, w, capacity, n, m, p, isFixed);
  let start: Float64Array | undefined;
  if (heuristic) {
    start = new Float64Array(b.cols);
    for (const j of heuristic.sites) start[j] = 1;
    for (let t = 0; t < pairI.length; t++) if (heuristic.assignment[pairI[t]!] === pairJ[t]) start[m + t] = 1;
  }
  const mip = await solveMip(b.build(), { timeLimit: Math.max(clock.left(), 1e-3), start });
  const solver = `highs ${mip.version}: capacitated assignment formulation`;
  let best = heuristic
    ? { sites: Array.from(heuristic.sites), assignment: heuristic.assignment, cost: heuristic.cost }
    : null;
  if (mip.x) {
    const candidate = readAssignment(mip.x, matrix, wc, w, capacity, pairI, pairJ);
    if (!best || candidate.cost < best.cost) best = candidate;
  }
  if (!best) {
    if (mip.kind === "infeasible")
      throw new RangeError(
        `${NAME}: no choice of ${p} sites${fixed.length ? " (fixed ones included)" : ""} can serve every demand ` +
          `within the capacities`,
      );
    throw new Error(`${NAME}: HiGHS stopped without a feasible solution (${mip.kind}); try a longer timeLimit`);
  }
  if (mip.kind === "optimal") return done(best.sites, best.assignment, best.cost, true, solver);
  return done(best.sites, best.assignment, Math.max(lower, mip.bound), false, solver);
}
