import { describe, expect, it } from "vitest";
import seedrandom from "seedrandom";
import { maxCover, pCenter, pMedian, setCover, type LocationResult } from "../src/allocation/location/index.js";
import { loadOrlib, loadSwain, orlibOptima } from "./helpers/orlib.js";

// Published OR-Library values (tests/data/README.md): p-median optima and p-center radii.
const PMED = [
  { name: "pmed1", median: 5819, center: 127 },
  { name: "pmed2", median: 4093, center: 98 },
  { name: "pmed6", median: 7824, center: 84 },
  { name: "pmed11", median: 7696, center: 59 },
];

/** Checks every result invariant that does not depend on the model. */
function checkShape(r: LocationResult, m: number, n: number) {
  expect(r.sites).toEqual([...r.sites].sort((a, b) => a - b));
  expect(new Set(r.sites).size).toBe(r.sites.length);
  for (const j of r.sites) expect(j >= 0 && j < m).toBe(true);
  expect(r.assignment).toHaveLength(n);
  for (const a of r.assignment) expect(a === -1 || r.sites.includes(a)).toBe(true);
  expect(typeof r.solver).toBe("string");
  expect(r.seconds).toBeGreaterThanOrEqual(0);
  if (r.status === "optimal") {
    expect(r.gap).toBe(0);
    expect(r.bound).toBe(r.objective);
  } else {
    expect(r.bound).toBeDefined();
    expect(r.gap).toBeCloseTo(Math.abs(r.objective - r.bound!) / Math.abs(r.objective), 12);
  }
}

describe("OR-Library p-median instances (Beasley), published optima", () => {
  const optima = orlibOptima();
  for (const { name, median } of PMED) {
    it(`pMedian ${name} = ${median}, status optimal`, async () => {
      expect(optima.get(name)).toBe(median);
      const inst = loadOrlib(name);
      const r = await pMedian({ cost: inst.cost, p: inst.p });
      checkShape(r, inst.n, inst.n);
      expect(r.status).toBe("optimal");
      expect(r.objective).toBe(median);
      expect(r.sites).toHaveLength(inst.p);
      // The objective is the assignment's cost, each demand at its nearest open site.
      let total = 0;
      inst.cost.forEach((row, i) => {
        total += row[r.assignment[i]!]!;
        expect(row[r.assignment[i]!]).toBe(Math.min(...r.sites.map((j) => row[j]!)));
      });
      expect(total).toBe(median);
    });
  }
  for (const { name, center } of PMED) {
    it(`pCenter ${name} radius = ${center}, status optimal`, async () => {
      const inst = loadOrlib(name);
      const r = await pCenter({ cost: inst.cost, p: inst.p });
      checkShape(r, inst.n, inst.n);
      expect(r.status).toBe("optimal");
      expect(r.objective).toBe(center);
      expect(r.sites).toHaveLength(inst.p);
      expect(Math.max(...inst.cost.map((row, i) => row[r.assignment[i]!]!))).toBe(center);
    });
  }

  it("pMedian heuristic on pmed6 and pmed2: feasible, never below the optimum, gap against a valid bound", async () => {
    for (const { name, median } of [PMED[2]!, PMED[1]!]) {
      const inst = loadOrlib(name);
      const r = await pMedian({ cost: inst.cost, p: inst.p, method: "heuristic" });
      checkShape(r, inst.n, inst.n);
      expect(r.objective).toBeGreaterThanOrEqual(median);
      expect(r.bound!).toBeLessThanOrEqual(median);
      expect(r.bound!).toBeGreaterThan(0.99 * median); // the Lagrangian bound is close to the LP bound here
      if (r.objective > median) expect(r.status).toBe("feasible");
    }
  });

  it("pCenter heuristic: radius never below the optimum, packing bound never above", async () => {
    for (const { name, center } of PMED) {
      const inst = loadOrlib(name);
      const r = await pCenter({ cost: inst.cost, p: inst.p, method: "heuristic" });
      checkShape(r, inst.n, inst.n);
      expect(r.objective).toBeGreaterThanOrEqual(center);
      expect(r.bound!).toBeLessThanOrEqual(center);
    }
  });

  it("a timeLimit returns the best solution so far with a valid bound and gap", async () => {
    const inst = loadOrlib("pmed6");
    const r = await pMedian({ cost: inst.cost, p: inst.p, timeLimit: 0.05 });
    checkShape(r, inst.n, inst.n);
    expect(r.objective).toBeGreaterThanOrEqual(7824);
    expect(r.bound!).toBeLessThanOrEqual(7824);
    expect(r.seconds).toBeLessThan(5);
  });

  it("at the timeLimit, HiGHS's incumbent comes back as feasible with its bound (capacitated pmed6)", async () => {
    const inst = loadOrlib("pmed6");
    const cost = inst.cost.slice(0, 100).map((row) => row.slice(0, 100));
    const timeLimit = 1.5;
    const r = await pMedian({ cost, p: 8, capacity: 14, timeLimit });
    checkShape(r, 100, 100);
    expect(r.seconds).toBeLessThan(timeLimit + 3);
    expect(r.bound!).toBeLessThanOrEqual(r.objective);
    const load = new Array<number>(100).fill(0);
    for (const j of r.assignment) load[j]!++;
    expect(Math.max(...load)).toBeLessThanOrEqual(14);
    if (r.status === "feasible") expect(r.gap!).toBeGreaterThan(0);
    // Bounds are valid both ways: no solution (here the heuristic's) beats the exact run's bound.
    const heuristic = await pMedian({ cost, p: 8, capacity: 14, method: "heuristic" });
    expect(heuristic.objective).toBeGreaterThanOrEqual(r.bound!);
    expect(heuristic.bound!).toBeLessThanOrEqual(r.objective);
  });
});

describe("Swain's 55 nodes (Church & ReVelle 1974)", () => {
  const { cost, demand } = loadSwain();
  it("total demand is 640", () => expect(demand.reduce((a, b) => a + b, 0)).toBe(640));
  for (const [radius, p, covered] of [
    [20, 1, 573],
    [20, 3, 640],
    [30, 1, 640],
  ] as const) {
    it(`maxCover S=${radius} p=${p} covers ${covered}`, async () => {
      for (const method of ["exact", "heuristic"] as const) {
        const r = await maxCover({ cost, demand, p, radius, method });
        checkShape(r, 55, 55);
        expect(r.objective).toBe(covered);
        expect(r.sites).toHaveLength(p);
        if (method === "exact") expect(r.status).toBe("optimal");
        let hit = 0;
        cost.forEach((row, i) => {
          const j = r.assignment[i]!;
          if (j < 0) return;
          expect(row[j]!).toBeLessThanOrEqual(radius);
          hit += demand[i]!;
        });
        expect(hit).toBe(covered);
      }
    });
  }
  it("setCover S=20 needs 3 sites; S=30 needs 1", async () => {
    for (const [radius, count] of [
      [20, 3],
      [30, 1],
    ] as const) {
      const r = await setCover({ cost, radius });
      checkShape(r, 55, 55);
      expect(r.status).toBe("optimal");
      expect(r.objective).toBe(count);
      expect(r.sites).toHaveLength(count);
      for (const [i, row] of cost.entries()) expect(row[r.assignment[i]!]!).toBeLessThanOrEqual(radius);
    }
  });
  it("maxCover S=10 p=5: exact beats or ties the heuristic, whose bound is an upper bound", async () => {
    const exact = await maxCover({ cost, demand, p: 5, radius: 10 });
    const heuristic = await maxCover({ cost, demand, p: 5, radius: 10, method: "heuristic" });
    expect(exact.status).toBe("optimal");
    expect(heuristic.objective).toBeLessThanOrEqual(exact.objective);
    expect(heuristic.bound!).toBeGreaterThanOrEqual(exact.objective);
    checkShape(heuristic, 55, 55);
  });
});

// ---- brute force on small seeded instances ------------------------------------------------------

interface Small {
  cost: number[][];
  demand: number[];
  fixed: number[];
  p: number;
  capacity: number[];
  radius: number;
  weights: number[];
}

/**
 * Odd seeds: 4–8 demands × 3–7 sites; even seeds: 12–20 × 9–12 (large enough that HiGHS, not only the heuristic
 * bounds, decides).
 */
function smallInstance(seed: string, k: number): Small {
  const rng = seedrandom(seed);
  const int = (a: number, b: number) => a + Math.floor(rng() * (b - a + 1));
  const n = k % 2 ? int(4, 8) : int(12, 20),
    m = k % 2 ? int(3, 7) : int(9, 12);
  const fractional = rng() < 0.3;
  const cost = Array.from({ length: n }, () =>
    Array.from({ length: m }, () =>
      rng() < 0.12 ? Infinity : fractional ? Math.round(rng() * 2000) / 100 : int(0, 15),
    ),
  );
  cost.forEach((row) => {
    if (row.every((v) => v === Infinity)) row[int(0, m - 1)] = int(0, 15);
  });
  const demand = Array.from({ length: n }, () => (k % 4 === 0 ? Math.round(rng() * 400) / 100 : int(0, 4)));
  const fixedCount = rng() < 0.5 ? 0 : int(1, Math.min(2, m));
  const fixed: number[] = [];
  while (fixed.length < fixedCount) {
    const j = int(0, m - 1);
    if (!fixed.includes(j)) fixed.push(j);
  }
  const p = int(Math.max(1, fixed.length), Math.min(m, 4));
  const total = demand.reduce((a, b) => a + b, 0);
  const capacity = Array.from({ length: m }, () => int(Math.ceil(total / (p + 1)), total));
  return {
    cost,
    demand,
    fixed,
    p,
    capacity,
    radius: int(3, 12),
    weights: Array.from({ length: m }, () => (k % 4 === 0 ? Math.round(rng() * 300) / 100 : int(0, 3))),
  };
}

/** All subsets of 0..m-1 with `size` elements (or any size when size is undefined) that contain `fixed`. */
function subsets(m: number, fixed: number[], size?: number): number[][] {
  const out: number[][] = [];
  for (let mask = 0; mask < 1 << m; mask++) {
    const s: number[] = [];
    for (let j = 0; j < m; j++) if (mask & (1 << j)) s.push(j);
    if ((size === undefined || s.length === size) && fixed.every((f) => s.includes(f))) out.push(s);
  }
  return out;
}

const weighted = (d: number, c: number) => (c === Infinity ? Infinity : d * c);

function bruteMedian({ cost, demand, fixed, p }: Small): number {
  let best = Infinity;
  for (const s of subsets(cost[0]!.length, fixed, p)) {
    const total = cost.reduce((acc, row, i) => acc + Math.min(...s.map((j) => weighted(demand[i]!, row[j]!))), 0);
    best = Math.min(best, total);
  }
  return best;
}

function bruteCapacitated({ cost, demand, fixed, p, capacity }: Small): number {
  let best = Infinity;
  const n = cost.length;
  for (const s of subsets(cost[0]!.length, fixed, p)) {
    const load = new Array<number>(capacity.length).fill(0);
    const visit = (i: number, acc: number) => {
      if (acc >= best) return;
      if (i === n) {
        best = acc;
        return;
      }
      for (const j of s) {
        const c = weighted(demand[i]!, cost[i]![j]!);
        if (c === Infinity || load[j]! + demand[i]! > capacity[j]!) continue;
        load[j]! += demand[i]!;
        visit(i + 1, acc + c);
        load[j]! -= demand[i]!;
      }
    };
    visit(0, 0);
  }
  return best;
}

function bruteCenter({ cost, demand, fixed, p }: Small): number {
  let best = Infinity;
  for (const s of subsets(cost[0]!.length, fixed, p)) {
    const radius = Math.max(...cost.map((row, i) => Math.min(...s.map((j) => weighted(demand[i]!, row[j]!)))));
    best = Math.min(best, radius);
  }
  return best;
}

function bruteMaxCover({ cost, demand, fixed, p, radius }: Small): number {
  let best = -1;
  for (const s of subsets(cost[0]!.length, fixed, p)) {
    const covered = cost.reduce((acc, row, i) => acc + (s.some((j) => row[j]! <= radius) ? demand[i]! : 0), 0);
    best = Math.max(best, covered);
  }
  return best;
}

function bruteSetCover({ cost, fixed, radius, weights }: Small): number {
  let best = Infinity;
  for (const s of subsets(cost[0]!.length, fixed)) {
    if (cost.every((row) => s.some((j) => row[j]! <= radius)))
      best = Math.min(
        best,
        s.reduce((a, j) => a + weights[j]!, 0),
      );
  }
  return best;
}

const SEEDS = Array.from({ length: 80 }, (_, k) => `location-${k}`);

/**
 * Solve exactly and check against brute force's optimum `best`: refused when infeasible (undefined), else optimal
 * and well-shaped.
 */
async function exactSolve<O>(
  solve: (o: O) => Promise<LocationResult>,
  options: O,
  inst: Small,
  best: number,
  seed: string,
): Promise<LocationResult | undefined> {
  if (best === Infinity) {
    await expect(solve(options), seed).rejects.toThrow(RangeError);
    return undefined;
  }
  const r = await solve(options);
  checkShape(r, inst.cost[0]!.length, inst.cost.length);
  expect(r.status, seed).toBe("optimal");
  return r;
}

describe("small seeded instances against brute-force enumeration", () => {
  it("pMedian (fixed sites, forbidden pairs): exact = brute force; heuristic ≥ it with a valid bound", async () => {
    for (const [k, seed] of SEEDS.entries()) {
      const inst = smallInstance(seed, k);
      const best = bruteMedian(inst);
      const options = { cost: inst.cost, demand: inst.demand, p: inst.p, fixed: inst.fixed };
      const r = await exactSolve(pMedian, options, inst, best, seed);
      if (!r) continue;
      expect(r.objective, seed).toBeCloseTo(best, 9);
      expect(r.sites, seed).toHaveLength(inst.p);
      for (const f of inst.fixed) expect(r.sites).toContain(f);
      let heuristic: LocationResult;
      try {
        heuristic = await pMedian({ ...options, method: "heuristic" });
      } catch (e) {
        expect(e, seed).toBeInstanceOf(RangeError); // the heuristic may miss a feasible set when pairs are forbidden
        continue;
      }
      checkShape(heuristic, inst.cost[0]!.length, inst.cost.length);
      expect(heuristic.objective, seed).toBeGreaterThanOrEqual(best - 1e-9);
      expect(heuristic.bound!, seed).toBeLessThanOrEqual(best + 1e-9);
    }
  });

  it("pMedian with capacity (single sourcing): exact = brute force; infeasible capacities: RangeErrors", async () => {
    for (const [k, seed] of SEEDS.entries()) {
      const inst = smallInstance(seed, k);
      const best = bruteCapacitated(inst);
      const options = { cost: inst.cost, demand: inst.demand, p: inst.p, fixed: inst.fixed, capacity: inst.capacity };
      const r = await exactSolve(pMedian, options, inst, best, seed);
      if (!r) continue;
      expect(r.objective, seed).toBeCloseTo(best, 9);
      const load = new Array<number>(inst.capacity.length).fill(0);
      r.assignment.forEach((j, i) => {
        load[j]! += inst.demand[i]!;
      });
      for (const [j, l] of load.entries()) expect(l).toBeLessThanOrEqual(inst.capacity[j]!);
      for (const f of inst.fixed) expect(r.sites).toContain(f);
      try {
        const heuristic = await pMedian({ ...options, method: "heuristic" });
        expect(heuristic.objective, seed).toBeGreaterThanOrEqual(best - 1e-9);
        expect(heuristic.bound!, seed).toBeLessThanOrEqual(best + 1e-9);
      } catch (e) {
        expect(e, seed).toBeInstanceOf(RangeError);
      }
    }
  });

  it("pCenter (weighted, fixed sites, forbidden pairs): exact = brute force; heuristic bound below it", async () => {
    for (const [k, seed] of SEEDS.entries()) {
      const inst = smallInstance(seed, k);
      const best = bruteCenter(inst);
      const options = { cost: inst.cost, demand: inst.demand, p: inst.p, fixed: inst.fixed };
      const r = await exactSolve(pCenter, options, inst, best, seed);
      if (!r) continue;
      expect(r.objective, seed).toBe(best);
      expect(r.sites, seed).toHaveLength(inst.p);
      for (const f of inst.fixed) expect(r.sites).toContain(f);
      try {
        const heuristic = await pCenter({ ...options, method: "heuristic" });
        expect(heuristic.objective, seed).toBeGreaterThanOrEqual(best);
        expect(heuristic.bound!, seed).toBeLessThanOrEqual(best);
      } catch (e) {
        expect(e, seed).toBeInstanceOf(RangeError);
      }
    }
  });

  it("maxCover: exact = brute force; heuristic ≤ it with an upper bound ≥ it", async () => {
    for (const [k, seed] of SEEDS.entries()) {
      const inst = smallInstance(seed, k);
      const best = bruteMaxCover(inst);
      const options = { cost: inst.cost, demand: inst.demand, p: inst.p, fixed: inst.fixed, radius: inst.radius };
      const r = await maxCover(options);
      checkShape(r, inst.cost[0]!.length, inst.cost.length);
      expect(r.status, seed).toBe("optimal");
      expect(r.objective, seed).toBeCloseTo(best, 9);
      expect(r.sites, seed).toHaveLength(inst.p);
      r.assignment.forEach((j, i) => {
        if (j >= 0) expect(inst.cost[i]![j]!).toBeLessThanOrEqual(inst.radius);
        else expect(r.sites.every((s) => inst.cost[i]![s]! > inst.radius)).toBe(true);
      });
      const heuristic = await maxCover({ ...options, method: "heuristic" });
      expect(heuristic.objective, seed).toBeLessThanOrEqual(best + 1e-9);
      expect(heuristic.bound!, seed).toBeGreaterThanOrEqual(best - 1e-9);
    }
  });

  it("setCover (site weights, fixed sites): exact = brute force; uncoverable rows are RangeErrors", async () => {
    for (const [k, seed] of SEEDS.entries()) {
      const inst = smallInstance(seed, k);
      const best = bruteSetCover(inst);
      const options = { cost: inst.cost, radius: inst.radius, fixed: inst.fixed, weights: inst.weights };
      if (best === Infinity) {
        await expect(setCover(options), seed).rejects.toThrow(/demand row \d+ has no site within radius/);
        continue;
      }
      const r = await setCover(options);
      checkShape(r, inst.cost[0]!.length, inst.cost.length);
      expect(r.status, seed).toBe("optimal");
      expect(r.objective, seed).toBeCloseTo(best, 9);
      for (const [i, row] of inst.cost.entries()) expect(row[r.assignment[i]!]!).toBeLessThanOrEqual(inst.radius);
      for (const f of inst.fixed) expect(r.sites).toContain(f);
      const heuristic = await setCover({ ...options, method: "heuristic" });
      expect(heuristic.objective, seed).toBeGreaterThanOrEqual(best - 1e-9);
      expect(heuristic.bound!, seed).toBeLessThanOrEqual(best + 1e-9);
    }
  });
});

describe("input validation (RangeErrors at the boundary)", () => {
  const cost = [
    [0, 4, 9],
    [4, 0, 5],
    [9, 5, 0],
  ];
  it("rejects ragged, NaN and negative matrices", async () => {
    await expect(pMedian({ cost: [[0, 1], [1]], p: 1 })).rejects.toThrow(
      "cost is ragged: row 1 has 1 entries, row 0 has 2",
    );
    await expect(pCenter({ cost: [[0, NaN]], p: 1 })).rejects.toThrow("cost[0][1] is NaN");
    await expect(maxCover({ cost: [[0, -1]], p: 1, radius: 1 })).rejects.toThrow("cost[0][1] is negative");
    await expect(setCover({ cost: [], radius: 1 })).rejects.toThrow("cost has no rows");
  });
  it("rejects p out of range and bad fixed sites", async () => {
    await expect(pMedian({ cost, p: 0 })).rejects.toThrow("p is 0; expected a whole number from 1 to 3");
    await expect(pMedian({ cost, p: 4 })).rejects.toThrow(RangeError);
    await expect(pMedian({ cost, p: 1.5 })).rejects.toThrow(RangeError);
    await expect(pCenter({ cost, p: 1, fixed: [0, 1] })).rejects.toThrow("2 sites are fixed open");
    await expect(maxCover({ cost, p: 2, radius: 1, fixed: [1, 1] })).rejects.toThrow("site 1 is listed twice");
    await expect(setCover({ cost, radius: 5, fixed: [3] })).rejects.toThrow("fixed[0] is 3");
  });
  it("rejects bad demand, radius, weights, capacity and timeLimit", async () => {
    await expect(pMedian({ cost, p: 1, demand: [1, 2] })).rejects.toThrow("demand has 2 entries; expected 3");
    await expect(pMedian({ cost, p: 1, demand: [1, -2, 1] })).rejects.toThrow("demand[1]");
    await expect(maxCover({ cost, p: 1, radius: NaN })).rejects.toThrow("radius is NaN");
    await expect(setCover({ cost, radius: 5, weights: [1, Infinity, 1] })).rejects.toThrow("weights[1]");
    await expect(pMedian({ cost, p: 1, timeLimit: 0 })).rejects.toThrow("timeLimit is 0");
    await expect(pMedian({ cost, p: 1, method: "fast" as never })).rejects.toThrow('method is "fast"');
  });
  it("names the demand row that capacities or the radius cannot serve", async () => {
    await expect(pMedian({ cost, p: 2, demand: [1, 5, 1], capacity: [4, 4, 4] })).rejects.toThrow(
      "demand row 1 (weight 5) fits no site",
    );
    await expect(pMedian({ cost, p: 1, demand: [3, 3, 3], capacity: 8 })).rejects.toThrow(
      "total demand 9 exceeds the largest capacity 1 sites can offer (8)",
    );
    await expect(
      setCover({
        cost: [
          [0, 1],
          [7, 8],
        ],
        radius: 5,
      }),
    ).rejects.toThrow("demand row 1 has no site within radius 5 (its cheapest site costs 7)");
    await expect(
      pMedian({
        cost: [
          [0, 1],
          [Infinity, Infinity],
        ],
        p: 1,
      }),
    ).rejects.toThrow("demand row 1 has infinite cost to every site");
  });
  it("coverage means cost <= radius, and an infinite cost never covers (even with radius Infinity)", async () => {
    expect((await maxCover({ cost: [[5, 6]], p: 1, radius: 5 })).objective).toBe(1);
    expect((await maxCover({ cost: [[5.000001, 6]], p: 1, radius: 5 })).assignment).toEqual([-1]);
    const inf = [
      [0, Infinity],
      [Infinity, 3],
    ];
    expect((await maxCover({ cost: inf, p: 1, radius: Infinity })).objective).toBe(1);
    expect(await setCover({ cost: inf, radius: Infinity })).toMatchObject({
      sites: [0, 1],
      objective: 2,
      assignment: [0, 1],
    });
    await expect(pMedian({ cost: inf, p: 1 })).rejects.toThrow(
      "no choice of 1 sites serves every demand at finite cost",
    );
    expect(await pMedian({ cost: inf, p: 2 })).toMatchObject({ sites: [0, 1], objective: 3, status: "optimal" });
  });
  it("the TSDoc examples hold", async () => {
    expect(await pMedian({ cost, p: 1 })).toMatchObject({ sites: [1], objective: 9, status: "optimal" });
    expect(await pCenter({ cost, p: 1 })).toMatchObject({ sites: [1], objective: 5 });
    expect(await maxCover({ cost, demand: [1, 1, 3], p: 1, radius: 4 })).toMatchObject({
      sites: [2],
      objective: 3,
      assignment: [-1, -1, 2],
    });
    expect(await setCover({ cost, radius: 5 })).toMatchObject({ sites: [1], objective: 1 });
  });
});
