/**
 * Helpers shared by the location models: weighted costs, nearest-site
 * assignment, coverage lists, a small sparse MIP builder and the result
 * assembly (objective, bound, gap, timing).
 */
import type { ModelData } from "highs";
import type { LocationResult } from "./types.js";
import type { Clock, Matrix } from "./validate.js";

/** `w[i] · c[i][j]`, with Infinity kept (0 · Infinity is Infinity: the pair stays forbidden). */
export function weightedCost({ n, m, c }: Matrix, w: Float64Array): Float64Array {
  const wc = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const wi = w[i]!;
    for (let j = 0, k = i * m; j < m; j++, k++) {
      const v = c[k]!;
      wc[k] = v === Infinity ? Infinity : wi * v;
    }
  }
  return wc;
}

/** True when every finite entry is an integer (then objectives are integral and bounds may be rounded). */
export function integral(values: Float64Array): boolean {
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (v !== Infinity && !Number.isInteger(v)) return false;
  }
  return true;
}

/** Nearest open site per demand row by raw cost (ties: lowest site index), -1 if every open site has infinite cost. */
export function nearest({ n, m, c }: Matrix, sites: readonly number[]): Int32Array {
  const a = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (const j of sites) {
      const v = c[i * m + j]!;
      if (v < best || (v === best && a[i]! >= 0 && j < a[i]!)) {
        best = v;
        a[i] = v < Infinity ? j : -1;
      }
    }
  }
  return a;
}

/** Sorted copy of a site list. */
export const sortedSites = (sites: Iterable<number>): number[] => Array.from(sites).sort((a, b) => a - b);

/**
 * Coverage lists as CSR: `sites[start[i] .. start[i+1])` are the sites with
 * `cost[i][j] <= radius` (and finite cost).
 */
export interface Coverage {
  start: Int32Array;
  sites: Int32Array;
}

export function coverage({ n, m, c }: Matrix, radius: number): Coverage {
  // An infinite cost never covers, even with radius Infinity.
  if (radius === Infinity) radius = Number.MAX_VALUE;
  const start = new Int32Array(n + 1);
  let nnz = 0;
  for (let k = 0; k < n * m; k++) if (c[k]! <= radius) nnz++;
  const sites = new Int32Array(nnz);
  let t = 0;
  for (let i = 0; i < n; i++) {
    start[i] = t;
    for (let j = 0, k = i * m; j < m; j++, k++) if (c[k]! <= radius) sites[t++] = j;
  }
  start[n] = t;
  return { start, sites };
}

/** Transpose of a coverage: demands covered by each site. */
export function transpose(cov: Coverage, n: number, m: number): Coverage {
  const start = new Int32Array(m + 1);
  for (let t = 0; t < cov.sites.length; t++) start[cov.sites[t]! + 1]!++;
  for (let j = 0; j < m; j++) start[j + 1]! += start[j]!;
  const fill = start.slice(0, m);
  const demands = new Int32Array(cov.sites.length);
  for (let i = 0; i < n; i++)
    for (let t = cov.start[i]!; t < cov.start[i + 1]!; t++) demands[fill[cov.sites[t]!]!++] = i;
  return { start, sites: demands };
}

/**
 * Minimal sparse MIP builder (rows in CSR), for models that minimise.
 * Columns are binary or continuous; rows are `lower <= a·x <= upper`.
 */
export class MipBuilder {
  readonly cost: number[] = [];
  readonly lower: number[] = [];
  readonly upper: number[] = [];
  readonly integer: (0 | 1)[] = [];
  readonly rowLower: number[] = [];
  readonly rowUpper: number[] = [];
  readonly starts: number[] = [0];
  readonly index: number[] = [];
  readonly value: number[] = [];
  offset = 0;

  /** Adds a column and returns its index. */
  col(cost: number, lower: number, upper: number, integer: boolean): number {
    this.cost.push(cost);
    this.lower.push(lower);
    this.upper.push(upper);
    this.integer.push(integer ? 1 : 0);
    return this.cost.length - 1;
  }

  /** Adds a row `lower <= Σ value·x[index] <= upper`. */
  row(index: ArrayLike<number>, value: ArrayLike<number> | number, lower: number, upper: number): void {
    for (let k = 0; k < index.length; k++) {
      this.index.push(index[k]!);
      this.value.push(typeof value === "number" ? value : value[k]!);
    }
    this.starts.push(this.index.length);
    this.rowLower.push(lower);
    this.rowUpper.push(upper);
  }

  get cols(): number {
    return this.cost.length;
  }

  build(): ModelData {
    const numCols = this.cost.length,
      numRows = this.rowLower.length;
    return {
      numCols,
      numRows,
      offset: this.offset,
      colCost: this.cost,
      colLower: this.lower,
      colUpper: this.upper,
      integrality: this.integer,
      rowLower: this.rowLower,
      rowUpper: this.rowUpper,
      matrix: { format: "csr", numRows, numCols, starts: this.starts, indices: this.index, values: this.value },
    };
  }
}

/** Relative gap |objective − bound| / |objective| (0 when equal, Infinity when only the objective is 0). */
export function relativeGap(objective: number, bound: number): number {
  if (objective === bound) return 0;
  if (objective === 0) return Infinity;
  return Math.abs(objective - bound) / Math.abs(objective);
}

/** Assembles a LocationResult. A bound that closes the gap (within rounding) makes the result optimal. */
export function result(
  sites: readonly number[],
  assignment: Int32Array,
  objective: number,
  bound: number,
  proved: boolean,
  solver: string,
  clock: Clock,
): LocationResult {
  const closed = proved || Math.abs(objective - bound) <= 1e-9 * Math.max(1, Math.abs(objective));
  return {
    sites: sortedSites(sites),
    assignment: Array.from(assignment),
    objective,
    status: closed ? "optimal" : "feasible",
    gap: closed ? 0 : relativeGap(objective, bound),
    bound: closed ? objective : bound,
    solver,
    seconds: clock.elapsed(),
  };
}

/** Open sites from a MIP solution whose first `m` columns are the site binaries. */
export function openSites(x: Float64Array, siteOfColumn: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let t = 0; t < siteOfColumn.length; t++) if (x[t]! > 0.5) out.push(siteOfColumn[t]!);
  return out;
}
