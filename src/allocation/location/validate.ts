/**
 * Boundary checks of the location models: every user input is checked once
 * here and turned into flat typed arrays; the solvers behind trust them.
 * Every problem throws a RangeError that names the model and the input path.
 */
import { EXACT_CELL_LIMIT, type CostMatrix, type LocationMethod } from "./types.js";

/** A validated cost matrix, row-major: `c[i * m + j]` is the cost of serving demand `i` from site `j`. */
export interface Matrix {
  /** Demand rows. */
  n: number;
  /** Candidate sites (columns). */
  m: number;
  c: Float64Array;
}

function fail(model: string, message: string): never {
  throw new RangeError(`${model}: ${message}`);
}

const show = (v: unknown): string => (typeof v === "number" ? String(v) : (JSON.stringify(v) ?? String(v)));

/**
 * The options object of a model: a plain object whose own keys are all `known` (a misspelt option is refused
 * with the known ones, not ignored). Only own properties are read from it afterwards.
 */
export function readOptions<T extends object>(model: string, options: T, known: readonly (keyof T & string)[]): T {
  if (typeof options !== "object" || options === null || Array.isArray(options))
    fail(model, `expected an options object { ${known.join(", ")} }; got ${show(options)}`);
  for (const key of Object.keys(options))
    if (!(known as readonly string[]).includes(key))
      fail(model, `unknown option ${JSON.stringify(key)}; known: ${known.join(", ")}`);
  // A copy with own properties only, so an option missing here is undefined even under an inherited name.
  const own = Object.create(null) as T;
  for (const key of known) if (Object.hasOwn(options, key)) own[key] = options[key];
  return own;
}

export function readCost(model: string, cost: CostMatrix): Matrix {
  if (!Array.isArray(cost)) fail(model, "cost must be an array of rows (demand × site)");
  const n = cost.length;
  if (n === 0) fail(model, "cost has no rows; expected at least one demand row");
  const first = cost[0];
  const m = first === null || first === undefined ? 0 : first.length;
  if (!(m > 0)) fail(model, "cost[0] has no columns; expected at least one candidate site");
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const row = cost[i];
    if (row === null || row === undefined || typeof row !== "object" || typeof row.length !== "number")
      fail(model, `cost[${i}] is not an array`);
    if (row!.length !== m) fail(model, `cost is ragged: row ${i} has ${row!.length} entries, row 0 has ${m}`);
    for (let j = 0; j < m; j++) {
      const v = row![j];
      if (typeof v !== "number" || Number.isNaN(v))
        fail(
          model,
          `cost[${i}][${j}] is ${show(v)}; expected a non-negative number ` +
            `(Infinity marks a site that can never serve this demand)`,
        );
      if (v! < 0) fail(model, `cost[${i}][${j}] is negative (${v})`);
      c[i * m + j] = v!;
    }
  }
  return { n, m, c };
}

export function readDemand(model: string, demand: readonly number[] | undefined, n: number): Float64Array {
  const w = new Float64Array(n).fill(1);
  if (demand === undefined) return w;
  if (!Array.isArray(demand)) fail(model, "demand must be an array of weights, one per cost row");
  if (demand.length !== n) fail(model, `demand has ${demand.length} entries; expected ${n} (one per cost row)`);
  for (let i = 0; i < n; i++) {
    const v = demand[i];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
      fail(model, `demand[${i}] is ${show(v)}; expected a finite non-negative number`);
    w[i] = v!;
  }
  return w;
}

export function readFixed(model: string, fixed: readonly number[] | undefined, m: number): Int32Array {
  if (fixed === undefined) return new Int32Array(0);
  if (!Array.isArray(fixed)) fail(model, "fixed must be an array of site (column) indices");
  const seen = new Uint8Array(m);
  const out = new Int32Array(fixed.length);
  fixed.forEach((j, k) => {
    if (typeof j !== "number" || !Number.isInteger(j) || j < 0 || j >= m)
      fail(model, `fixed[${k}] is ${show(j)}; expected a site index from 0 to ${m - 1}`);
    if (seen[j]) fail(model, `fixed[${k}]: site ${j} is listed twice`);
    seen[j] = 1;
    out[k] = j;
  });
  return out.sort();
}

export function readP(model: string, p: unknown, m: number, fixedCount: number): number {
  if (typeof p !== "number" || !Number.isInteger(p) || p < 1 || p > m)
    fail(model, `p is ${show(p)}; expected a whole number from 1 to ${m} (the number of sites)`);
  if ((p as number) < fixedCount)
    fail(model, `p is ${p} but ${fixedCount} sites are fixed open; p must be at least the number of fixed sites`);
  return p as number;
}

export function readRadius(model: string, radius: unknown): number {
  if (typeof radius !== "number" || Number.isNaN(radius) || radius < 0)
    fail(
      model,
      `radius is ${show(radius)}; expected a non-negative number (a site covers a demand when cost <= radius)`,
    );
  return radius as number;
}

export function readTimeLimit(model: string, timeLimit: unknown): number {
  if (timeLimit === undefined) return Infinity;
  if (typeof timeLimit !== "number" || Number.isNaN(timeLimit) || timeLimit <= 0)
    fail(model, `timeLimit is ${show(timeLimit)}; expected a positive number of seconds`);
  return timeLimit as number;
}

/** Resolves `method` to "exact" or "heuristic" (auto: exact up to EXACT_CELL_LIMIT cells). */
export function readMethod(model: string, method: unknown, cells: number): "exact" | "heuristic" {
  const m = (method ?? "auto") as LocationMethod;
  if (m !== "auto" && m !== "exact" && m !== "heuristic")
    fail(model, `method is ${show(method)}; expected "auto", "exact" or "heuristic"`);
  if (m === "auto") return cells > EXACT_CELL_LIMIT ? "heuristic" : "exact";
  return m;
}

export function readCapacity(model: string, capacity: number | readonly number[], m: number): Float64Array {
  const q = new Float64Array(m);
  if (typeof capacity === "number") {
    if (Number.isNaN(capacity) || capacity < 0)
      fail(model, `capacity is ${show(capacity)}; expected a non-negative number or one per site`);
    return q.fill(capacity);
  }
  if (!Array.isArray(capacity)) fail(model, "capacity must be a number or an array with one capacity per site");
  if (capacity.length !== m) fail(model, `capacity has ${capacity.length} entries; expected ${m} (one per site)`);
  for (let j = 0; j < m; j++) {
    const v = capacity[j];
    if (typeof v !== "number" || Number.isNaN(v) || v < 0)
      fail(model, `capacity[${j}] is ${show(v)}; expected a non-negative number`);
    q[j] = v!;
  }
  return q;
}

export function readWeights(model: string, weights: readonly number[] | undefined, m: number): Float64Array {
  const f = new Float64Array(m).fill(1);
  if (weights === undefined) return f;
  if (!Array.isArray(weights)) fail(model, "weights must be an array with one opening cost per site");
  if (weights.length !== m) fail(model, `weights has ${weights.length} entries; expected ${m} (one per site)`);
  for (let j = 0; j < m; j++) {
    const v = weights[j];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
      fail(model, `weights[${j}] is ${show(v)}; expected a finite non-negative number`);
    f[j] = v!;
  }
  return f;
}

/** Every demand row must have at least one site with finite cost. */
export function requireServable(model: string, { n, m, c }: Matrix): void {
  for (let i = 0; i < n; i++) {
    let ok = false;
    for (let j = 0; j < m && !ok; j++) ok = c[i * m + j]! < Infinity;
    if (!ok) fail(model, `demand row ${i} has infinite cost to every site, so no choice of sites can serve it`);
  }
}

/** Wall-clock budget of one call (performance.now exists in browsers and Node). */
export interface Clock {
  /** Seconds since the call started. */
  elapsed(): number;
  /** Seconds left of the time limit (Infinity without one). */
  left(): number;
}

export function startClock(timeLimit: number): Clock {
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  return { elapsed, left: () => timeLimit - elapsed() };
}
