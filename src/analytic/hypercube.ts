/**
 * Larson's hypercube queueing model: N distinguishable units serving calls
 * from A atoms (demand areas) under a fixed preference (dispatch) order —
 * the analytic reference the simulator is checked against
 * (examples/scenarios/hypercube.json), and a fast screening tool.
 *
 * Model. Calls from atom i arrive as a Poisson stream with rate λ_i; every
 * call goes to the first free unit in the atom's preference list and keeps it
 * for an exponential service time with rate μ_n (the unit's rate, whatever
 * the atom). When every unit is busy the call either waits in one FCFS queue
 * (`queue: "infinite"`, the default) and is taken by whichever unit frees
 * first, or is lost (`queue: "loss"`).
 *
 * Exact method. The state is the set of busy units, a vertex of the
 * N-dimensional unit hypercube (2^N states), plus, with the infinite queue,
 * the number waiting when all are busy. That tail is a birth–death chain
 * with birth rate λ = Σ λ_i and death rate M = Σ μ_n, and cutting between
 * "all busy, k waiting" and "all busy, k+1 waiting" shows that the 2^N
 * vertex probabilities obey the same balance equations as the loss model,
 * with the all-busy vertex carrying the whole tail: P(all busy) =
 * π_full / (1 − λ/M) after renormalisation. The 2^N balance equations are
 * solved by symmetric Gauss–Seidel sweeps (increasing, then decreasing state
 * index), started from the M/M/N level distribution spread evenly on each
 * level. Memory is 2^N · N doubles, so `method: "exact"` accepts N ≤ 16.
 *
 * Approximate method (Larson 1975). Only N unknowns, the workloads ρ_n. The
 * number of busy units is taken from the M/M/N queue (M/M/N/N for the loss
 * model) with the same λ and μ — exact when μ is equal — and the chance that
 * a particular j units are busy and a particular other unit is free is
 * approximated by Q(N, ρ, j) · ρ_1 ⋯ ρ_j · (1 − ρ_{j+1}), where Q is the
 * exact ratio of that probability to ρ^j (1 − ρ) in the symmetric M/M/N
 * system (ρ the mean utilisation):
 *   Q(N, ρ, j) = Σ_{k=j}^{N−1} P_k · C(N−j−1, k−j) / C(N, k) / (ρ^j (1 − ρ)),
 * P_k the M/M/N probability that k units are busy. The workloads solve
 *   ρ_n = (1/μ) [ Σ_i λ_i Q(N, ρ, j_i(n)) Π_{l < j_i(n)} ρ_{p_il} (1 − ρ_n) + λ P_N / N ],
 * j_i(n) the place of unit n in atom i's list (from 0), P_N = P(all busy)
 * (the last term, the queued calls shared equally, only with the infinite
 * queue). We iterate it as ρ_n ← (V_n + D) / (1 + V_n), V_n the first sum
 * divided by (1 − ρ_n), D = λ P_N / (Nμ), then rescale so Σ ρ_n = (λ/μ)(1 − lost)
 * (conservation, exact in the true model; our choice of normalisation — on
 * the test systems it roughly halves the worst error of the unrescaled
 * iteration), until no ρ_n moves by 1e-12. The
 * dispatch shares of atom i are the same products, rescaled to add up to
 * 1 − P_N per atom before the queued share is added. The approximation needs
 * equal μ. Its errors against the exact model, measured in
 * tests/hypercube.test.ts on 18 grid systems with N = 5…10 and mean loads
 * 0.5–0.8: workloads 0.6% off on average, at worst 0.013 (4% of a lightly
 * loaded unit's ρ); mean travel time within 3%; single dispatch shares within
 * 0.03. P(all busy) and the mean wait come from M/M/N and are exact.
 *
 * Preference lists may be partial: the units not listed follow in order of
 * `travel[atom][unit]` when a travel matrix is given, ties (and no matrix) by
 * unit index — the order the engine uses for `"dispatch": "fixed-preference"`.
 * So every unit can serve every atom, and calls queue (or are lost) only
 * when all N units are busy.
 *
 * Queued calls are attributed to the unit that frees first: unit n with
 * probability μ_n / M (1/N with equal μ, as in Larson's model), whatever the
 * atom. With unequal μ the exact model is still exact under this rule (a
 * queued call is served by the first unit to free, at that unit's rate).
 */

/** The hypercube model's inputs. Rates are per hour, travel times in hours. */
export interface HypercubeOptions {
  /** Call rate per atom (per hour), λ_i ≥ 0, not all zero. */
  lambda: readonly number[];
  /** Service rate per unit (per hour): one number for all units, or one per unit. */
  mu: number | readonly number[];
  /** Per atom, unit indices (from 0) in the order they are asked; units left out follow (see above). */
  preference: readonly (readonly number[])[];
  /** `"infinite"` (default): calls wait FCFS when all units are busy; `"loss"`: they are lost. */
  queue?: "infinite" | "loss";
  /** `"auto"` (default): exact for N ≤ 14 units, else Larson's approximation. */
  method?: "auto" | "exact" | "approximate";
  /** Number of units N, when `mu` is one number and not every unit is listed in some preference. */
  units?: number;
  /** Travel time (hours) from unit n to atom i, `travel[i][n]`: gives the mean travel time, orders unlisted units. */
  travel?: readonly (readonly number[])[];
  /** Home atom of each unit; gives the shares of dispatches across atom boundaries. */
  home?: readonly number[];
}

/** The hypercube model's steady state. Rates per hour, times in hours, shares in [0, 1]. */
export interface HypercubeResult {
  method: "exact" | "approximate";
  queue: "infinite" | "loss";
  /** Number of units N. */
  units: number;
  /** Completed preference lists (every unit, in dispatch order), per atom. */
  order: number[][];
  /** Busy probability ρ_n of each unit (its utilisation). */
  workload: number[];
  /** `dispatches[i][n]`: share of atom i's calls served by unit n, queued calls included (sum: 1 − lost per atom). */
  dispatches: number[][];
  /** Calls served per hour by each unit (Σ_i λ_i · dispatches[i][n]; = μ_n ρ_n). */
  callRate: number[];
  /** P(all units busy): the share of calls that wait (infinite queue) or are lost (loss). */
  pAllBusy: number;
  /** Mean wait in queue over all calls, hours (the same for every atom under FCFS); 0 with the loss model. */
  meanWait: number;
  /** Share of calls lost (loss model), else 0. */
  lost: number;
  /** Mean travel time over served calls, overall and per atom (only with `travel`). */
  meanTravel?: { overall: number; byAtom: number[] };
  /**
   * Dispatches across atom boundaries (only with `home`): `overall` and `byAtom[i]`, the share of served calls
   * taken by a unit whose home atom is another one; `byUnit[n]`, the share of unit n's calls outside its home atom.
   */
  crossArea?: { overall: number; byAtom: number[]; byUnit: number[] };
  /** Gauss–Seidel sweeps (exact) or workload iterations (approximate). */
  iterations: number;
}

/** Largest N solved exactly by `method: "auto"`, and by `method: "exact"` at all. */
const AUTO_EXACT_MAX = 14,
  EXACT_MAX = 16;
const TOLERANCE = 1e-13,
  MAX_SWEEPS = 100_000;

/**
 * Solve the hypercube model, exactly (2^N states) or by Larson's approximation.
 *
 * @example
 * // Two units, two atoms, each preferring its own unit; λ = (1, 0.5) /h, μ = 1 /h, infinite FCFS queue.
 * const h = hypercube({ lambda: [1, 0.5], mu: 1, preference: [[0, 1], [1, 0]] });
 * h.workload  // [0.7643…, 0.7357…]  (= 107/140, 103/140)
 * h.pAllBusy  // 0.6428…             (= 9/14, Erlang C for λ = 1.5, μ = 1, c = 2)
 * h.meanWait  // 1.2857… h           (= 9/7)
 */
export function hypercube(options: HypercubeOptions): HypercubeResult {
  const o = resolveOptions(options);
  const core = o.method === "exact" ? exactCore(o) : approximateCore(o);
  return finish(o, core);
}

interface Resolved {
  lambda: number[];
  lambdaTotal: number;
  mu: number[];
  muTotal: number;
  n: number;
  atoms: number;
  order: number[][];
  queue: "infinite" | "loss";
  method: "exact" | "approximate";
  travel: number[][] | null;
  home: number[] | null;
}

interface Core {
  workload: number[];
  /** Share of atom i's calls served at once (not queued) by unit n. */
  immediate: number[][];
  pAllBusy: number;
  iterations: number;
}

function fail(message: string): never {
  throw new RangeError(`hypercube: ${message}`);
}

function resolveOptions(o: HypercubeOptions): Resolved {
  const { lambda, mu, preference } = o;
  if (!Array.isArray(lambda) || lambda.length === 0) fail("lambda: expected a non-empty array of call rates per atom");
  lambda.forEach((l, i) => {
    if (!(Number.isFinite(l) && l >= 0)) fail(`lambda[${i}]: expected a finite rate >= 0; got ${l}`);
  });
  const lambdaTotal = lambda.reduce((a, b) => a + b, 0);
  if (!(lambdaTotal > 0)) fail("lambda: expected at least one atom with a positive rate");
  const atoms = lambda.length;
  if (!Array.isArray(preference) || preference.length !== atoms)
    fail(
      `preference: expected one list per atom (${atoms}); ` +
        `got ${Array.isArray(preference) ? preference.length : typeof preference}`,
    );

  // Number of units: from mu[], units, or the largest listed index.
  let n: number | undefined;
  if (Array.isArray(mu)) n = mu.length;
  else if (typeof mu !== "number") fail("mu: expected a service rate or an array of one per unit");
  if (o.units !== undefined) {
    if (!(Number.isInteger(o.units) && o.units >= 1)) fail(`units: expected a whole number >= 1; got ${o.units}`);
    if (n !== undefined && n !== o.units) fail(`units is ${o.units} but mu has ${n} entries`);
    n = o.units;
  }
  if (n === undefined) {
    let max = -1;
    for (const list of preference)
      if (Array.isArray(list)) for (const u of list) if (Number.isInteger(u)) max = Math.max(max, u);
    if (max < 0) fail("units: cannot tell the number of units; give mu as an array or the units option");
    n = max + 1;
  }
  if (n < 1) fail("mu: expected at least one unit");
  const N = n;
  const muArr = Array.isArray(mu) ? [...(mu as readonly number[])] : new Array<number>(N).fill(mu as number);
  muArr.forEach((m, k) => {
    if (!(Number.isFinite(m) && m > 0))
      fail(`mu${Array.isArray(mu) ? `[${k}]` : ""}: expected a finite service rate > 0; got ${m}`);
  });
  const muTotal = muArr.reduce((a, b) => a + b, 0);

  let travel: number[][] | null = null;
  if (o.travel !== undefined) {
    if (!Array.isArray(o.travel) || o.travel.length !== atoms) fail(`travel: expected one row per atom (${atoms})`);
    travel = o.travel.map((row, i) => {
      if (!Array.isArray(row) || row.length !== N) fail(`travel[${i}]: expected one travel time per unit (${N})`);
      return row.map((t, k) => {
        if (!(Number.isFinite(t) && t >= 0)) fail(`travel[${i}][${k}]: expected a finite time >= 0 (hours); got ${t}`);
        return t;
      });
    });
  }
  let home: number[] | null = null;
  if (o.home !== undefined) {
    if (!Array.isArray(o.home) || o.home.length !== N) fail(`home: expected one home atom per unit (${N})`);
    home = o.home.map((h, k) => {
      if (!(Number.isInteger(h) && h >= 0 && h < atoms))
        fail(`home[${k}]: expected an atom index from 0 to ${atoms - 1}; got ${h}`);
      return h;
    });
  }

  const order = preference.map((list, i) => {
    if (!Array.isArray(list)) fail(`preference[${i}]: expected an array of unit indices`);
    const seen = new Set<number>();
    list.forEach((u, j) => {
      if (!(Number.isInteger(u) && u >= 0 && u < N))
        fail(`preference[${i}][${j}]: expected a unit index from 0 to ${N - 1}; got ${u}`);
      if (seen.has(u)) fail(`preference[${i}]: unit ${u} is listed twice`);
      seen.add(u);
    });
    const rest: number[] = [];
    for (let k = 0; k < N; k++) if (!seen.has(k)) rest.push(k);
    if (travel) {
      const row = travel[i]!;
      rest.sort((p, q) => row[p]! - row[q]! || p - q);
    }
    return [...list, ...rest];
  });

  const queue = o.queue ?? "infinite";
  if (queue !== "infinite" && queue !== "loss")
    fail(`queue: expected "infinite" or "loss"; got ${JSON.stringify(queue)}`);
  if (queue === "infinite" && !(lambdaTotal < muTotal))
    fail(`the queue is unstable (λ = ${lambdaTotal} >= Σμ = ${muTotal})`);

  const requested = o.method ?? "auto";
  if (requested !== "auto" && requested !== "exact" && requested !== "approximate")
    fail(`method: expected "auto", "exact" or "approximate"; got ${JSON.stringify(requested)}`);
  const equalMu = muArr.every((m) => m === muArr[0]);
  let method: "exact" | "approximate";
  if (requested === "exact") {
    if (N > EXACT_MAX)
      fail(`method "exact": at most ${EXACT_MAX} units (2^N states); got ${N}. Use method "approximate"`);
    method = "exact";
  } else if (requested === "approximate" || N > AUTO_EXACT_MAX) {
    if (!equalMu)
      fail(
        `method "approximate" needs one service rate for all units` +
          (requested === "auto" ? ` (chosen because N = ${N} > ${AUTO_EXACT_MAX})` : ""),
      );
    method = "approximate";
  } else method = "exact";

  return { lambda: [...lambda], lambdaTotal, mu: muArr, muTotal, n: N, atoms, order, queue, method, travel, home };
}

// ---------------------------------------------------------------------------
// Exact: the 2^N balance equations.

function exactCore(o: Resolved): Core {
  const { n: N, mu, order, lambda, lambdaTotal, muTotal } = o;
  const S = 1 << N,
    full = S - 1;
  // up[b·N + u]: arrival rate that takes state b to b ∪ {u} (u the first free unit in the atom's list).
  const up = new Float64Array(S * N);
  const out = new Float64Array(S);
  for (let b = 0; b < S; b++) {
    let r = 0;
    for (let u = 0; u < N; u++) if (b & (1 << u)) r += mu[u]!;
    if (b !== full) {
      r += lambdaTotal;
      for (let i = 0; i < o.atoms; i++) up[b * N + firstFree(order[i]!, b)]! += lambda[i]!;
    }
    out[b] = r;
  }
  // Start: the M/M/N/N level distribution (mean μ), spread evenly over each level.
  const level = erlangLevels(N, lambdaTotal / (muTotal / N), false);
  const binom = binomials(N);
  const pi = new Float64Array(S);
  for (let b = 0; b < S; b++) {
    const k = popcount(b);
    pi[b] = level[k]! / binom[k]!;
  }

  const update = (b: number): number => {
    let inflow = 0;
    for (let u = 0; u < N; u++) {
      const bit = 1 << u;
      if (b & bit) inflow += up[(b ^ bit) * N + u]! * pi[b ^ bit]!;
      else inflow += mu[u]! * pi[b | bit]!;
    }
    const v = inflow / out[b]!;
    const d = Math.abs(v - pi[b]!);
    pi[b] = v;
    return d;
  };
  let sweeps = 0,
    change = Infinity;
  while (change > TOLERANCE) {
    if (++sweeps > MAX_SWEEPS)
      throw new Error(`hypercube: the exact solution did not converge in ${MAX_SWEEPS} sweeps`);
    change = 0;
    if (sweeps % 2) for (let b = 0; b < S; b++) change += update(b);
    else for (let b = S - 1; b >= 0; b--) change += update(b);
    let z = 0;
    for (let b = 0; b < S; b++) z += pi[b]!;
    for (let b = 0; b < S; b++) pi[b]! /= z;
  }
  // With the infinite queue the all-busy vertex carries the tail Σ_k (λ/M)^k.
  if (o.queue === "infinite") {
    const tail = pi[full]! / (1 - lambdaTotal / muTotal);
    const z = 1 - pi[full]! + tail;
    for (let b = 0; b < S; b++) pi[b]! /= z;
    pi[full] = tail / z;
  }
  const workload = new Array<number>(N).fill(0);
  for (let b = 0; b < S; b++) for (let u = 0; u < N; u++) if (b & (1 << u)) workload[u]! += pi[b]!;
  const immediate = order.map(() => new Array<number>(N).fill(0));
  for (let b = 0; b < full; b++) for (let i = 0; i < o.atoms; i++) immediate[i]![firstFree(order[i]!, b)]! += pi[b]!;
  return { workload, immediate, pAllBusy: pi[full]!, iterations: sweeps };
}

function firstFree(list: readonly number[], b: number): number {
  for (const u of list) if (!(b & (1 << u))) return u;
  return -1;
}

function popcount(b: number): number {
  let c = 0;
  for (; b; b &= b - 1) c++;
  return c;
}

function binomials(N: number): number[] {
  const c = [1];
  for (let k = 1; k <= N; k++) c.push((c[k - 1]! * (N - k + 1)) / k);
  return c;
}

/**
 * Distribution of the number of busy servers in M/M/N with offered load a: P_0 … P_{N−1} and, last,
 * P_N = P(all busy) (with the infinite queue, the whole tail). Computed in logs, so large N cannot overflow.
 */
function erlangLevels(N: number, a: number, infinite: boolean): number[] {
  // log t_k = k log a − log k!, shifted by the largest before exponentiating.
  const logT = [0];
  for (let k = 1; k <= N; k++) logT.push(logT[k - 1]! + Math.log(a) - Math.log(k));
  if (infinite) logT[N] = logT[N]! - Math.log(1 - a / N);
  const top = Math.max(...logT);
  const t = logT.map((x) => Math.exp(x - top));
  const z = t.reduce((p, q) => p + q, 0);
  return t.map((x) => x / z);
}

// ---------------------------------------------------------------------------
// Approximate: Larson's workload equations with the M/M/N correction factors.

/**
 * Larson's correction factors Q(N, ρ, j), j = 0 … N−1, from the M/M/N level probabilities P_k and the
 * mean utilisation ρ: Q_j = Σ_{k=j}^{N−1} P_k · C(N−j−1, k−j)/C(N, k) / (ρ^j (1 − ρ)).
 * @internal exported for tests
 */
export function correctionFactors(levels: readonly number[], rho: number): number[] {
  const N = levels.length - 1;
  const logFact = [0];
  for (let k = 1; k <= N; k++) logFact.push(logFact[k - 1]! + Math.log(k));
  const q: number[] = [];
  for (let j = 0; j < N; j++) {
    let s = 0;
    for (let k = j; k < N; k++) {
      // C(N−j−1, k−j) / C(N, k) = (N−j−1)! k! (N−k) / ((k−j)! N!)
      const logRatio = logFact[N - j - 1]! + logFact[k]! + Math.log(N - k) - logFact[k - j]! - logFact[N]!;
      s += levels[k]! * Math.exp(logRatio - j * Math.log(rho));
    }
    q.push(s / (1 - rho));
  }
  return q;
}

function approximateCore(o: Resolved): Core {
  const { n: N, order, lambda, lambdaTotal, atoms } = o;
  const mu = o.mu[0]!,
    a = lambdaTotal / mu,
    infinite = o.queue === "infinite";
  const levels = erlangLevels(N, a, infinite);
  const pAll = levels[N]!;
  const served = infinite ? 1 : 1 - pAll; // share of calls served
  const rho = (a * served) / N; // mean utilisation
  const Q = correctionFactors(levels, rho);
  const D = infinite ? (lambdaTotal * pAll) / (N * mu) : 0;
  const target = a * served; // Σ ρ_n

  let w = new Array<number>(N).fill(rho);
  let iterations = 0,
    change = Infinity;
  const V = new Array<number>(N).fill(0);
  while (change > 1e-12) {
    if (++iterations > MAX_SWEEPS)
      throw new Error(`hypercube: the approximation did not converge in ${MAX_SWEEPS} iterations`);
    V.fill(0);
    for (let i = 0; i < atoms; i++) {
      const li = lambda[i]! / mu,
        list = order[i]!;
      let prod = 1;
      for (let j = 0; j < N; j++) {
        const u = list[j]!;
        V[u]! += li * Q[j]! * prod;
        prod *= w[u]!;
      }
    }
    const next = V.map((v) => (v + D) / (1 + v));
    const s = next.reduce((p, q) => p + q, 0);
    for (let u = 0; u < N; u++) next[u] = Math.min(1, (next[u]! * target) / s);
    change = Math.max(...next.map((x, u) => Math.abs(x - w[u]!)));
    w = next;
  }
  const immediate = order.map((list) => {
    const f = new Array<number>(N).fill(0);
    let prod = 1,
      total = 0;
    for (let j = 0; j < N; j++) {
      const u = list[j]!;
      f[u] = Q[j]! * prod * (1 - w[u]!);
      total += f[u]!;
      prod *= w[u]!;
    }
    return f.map((x) => (total > 0 ? (x * (1 - pAll)) / total : 0));
  });
  return { workload: w, immediate, pAllBusy: pAll, iterations };
}

// ---------------------------------------------------------------------------
// Shared: queued calls, rates, travel and cross-area shares.

function finish(o: Resolved, c: Core): HypercubeResult {
  const { n: N, atoms, lambda, lambdaTotal, mu, muTotal } = o;
  const infinite = o.queue === "infinite";
  const dispatches = c.immediate.map((row) => row.map((x, u) => x + (infinite ? (c.pAllBusy * mu[u]!) / muTotal : 0)));
  const callRate = new Array<number>(N).fill(0);
  for (let i = 0; i < atoms; i++) for (let u = 0; u < N; u++) callRate[u]! += lambda[i]! * dispatches[i]![u]!;
  const lost = infinite ? 0 : c.pAllBusy;
  const result: HypercubeResult = {
    method: o.method,
    queue: o.queue,
    units: N,
    order: o.order,
    workload: c.workload,
    dispatches,
    callRate,
    pAllBusy: c.pAllBusy,
    meanWait: infinite ? c.pAllBusy / (muTotal - lambdaTotal) : 0,
    lost,
    iterations: c.iterations,
  };
  const servedRate = lambdaTotal * (1 - lost);
  if (o.travel) {
    const t = o.travel;
    const byAtom = dispatches.map((row, i) => weighted(row, (u) => t[i]![u]!));
    let sum = 0;
    for (let i = 0; i < atoms; i++) for (let u = 0; u < N; u++) sum += lambda[i]! * dispatches[i]![u]! * t[i]![u]!;
    result.meanTravel = { overall: servedRate > 0 ? sum / servedRate : 0, byAtom };
  }
  if (o.home) {
    const h = o.home;
    const byAtom = dispatches.map((row, i) => weighted(row, (u) => (h[u] === i ? 0 : 1)));
    let sum = 0;
    const outside = new Array<number>(N).fill(0);
    for (let i = 0; i < atoms; i++)
      for (let u = 0; u < N; u++)
        if (h[u] !== i) {
          const r = lambda[i]! * dispatches[i]![u]!;
          sum += r;
          outside[u]! += r;
        }
    result.crossArea = {
      overall: servedRate > 0 ? sum / servedRate : 0,
      byAtom,
      byUnit: outside.map((x, u) => (callRate[u]! > 0 ? x / callRate[u]! : 0)),
    };
  }
  return result;
}

/** Σ_u row[u]·g(u) / Σ_u row[u] (0 when the row is empty). */
function weighted(row: readonly number[], g: (u: number) => number): number {
  let s = 0,
    w = 0;
  row.forEach((x, u) => {
    s += x * g(u);
    w += x;
  });
  return w > 0 ? s / w : 0;
}
