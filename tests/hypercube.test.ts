import { describe, expect, it } from "vitest";
import fs from "node:fs";
import { correctionFactors, hypercube, type HypercubeResult } from "../src/analytic/hypercube.js";
import { erlangC } from "../src/analytic/erlang.js";
import { parseScenario } from "../src/model/parse.js";
import { simulate } from "../src/experiment/simulate.js";

const shipped = JSON.parse(fs.readFileSync(new URL("../examples/scenarios/hypercube.json", import.meta.url), "utf8"));

/** Erlang B (M/M/c/c loss probability) by the stable recursion. */
function erlangB(a: number, c: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

const sum = (xs: readonly number[]) => xs.reduce((p, q) => p + q, 0);

describe("hypercube: hand-solved two-unit systems", () => {
  it("infinite FCFS queue, atoms preferring their own unit", () => {
    // Units 0, 1 (μ = 1); atom 0 (λ0 = 1) asks 0 then 1, atom 1 (λ1 = 0.5) asks 1 then 0. State = busy set
    // {00, 10, 01, 11} (10: unit 0 busy) plus k waiting when both are busy. With λ = 1.5, M = 2:
    //   π00 · 1.5        = 1 · π10 + 1 · π01
    //   π10 · (1.5 + 1)  = λ0 · π00 + 1 · π11(0)      (atom 0 takes unit 0; unit 1 frees from 11)
    //   π01 · (1.5 + 1)  = λ1 · π00 + 1 · π11(0)
    //   π11(0) · 2       = 1.5 · (π10 + π01)
    // (the last: the cut between 11(k) and 11(k+1) balances, 1.5 π11(k) = 2 π11(k+1)). With π00 = 1:
    // π10 + π01 = 1.5, π11(0) = 1.125, π10 = 0.85, π01 = 0.65, and the tail Σ_k π11(k) = 1.125 / (1 − 0.75) = 4.5.
    // Total 7, so π00 = 1/7, π10 = 17/140, π01 = 13/140, P(both busy) = 9/14 (= Erlang C for λ = 1.5, μ = 1, c = 2).
    // Workloads: ρ0 = (17 + 90)/140, ρ1 = (13 + 90)/140. Dispatches: atom 0 → unit 0 when 0 is free
    // (π00 + π01 = 33/140), → unit 1 when only 1 is free (17/140), plus the queued 90/140 shared equally:
    // f00 = 78/140, f01 = 62/140; atom 1: f11 = (20 + 17 + 45)/140 = 82/140, f10 = (13 + 45)/140 = 58/140.
    // Mean wait = P / (M − λ) = 9/7 h.
    const h = hypercube({
      lambda: [1, 0.5],
      mu: 1,
      preference: [
        [0, 1],
        [1, 0],
      ],
    });
    expect(h.method).toBe("exact");
    expect(h.workload[0]).toBeCloseTo(107 / 140, 12);
    expect(h.workload[1]).toBeCloseTo(103 / 140, 12);
    expect(h.pAllBusy).toBeCloseTo(9 / 14, 12);
    expect(h.meanWait).toBeCloseTo(9 / 7, 12);
    expect(h.lost).toBe(0);
    const f = [
      [78, 62],
      [58, 82],
    ].map((r) => r.map((x) => x / 140));
    h.dispatches.forEach((row, i) => {
      row.forEach((x, n) => {
        expect(x).toBeCloseTo(f[i]![n]!, 12);
      });
    });
    expect(h.callRate[0]).toBeCloseTo(107 / 140, 12); // = μ ρ0
  });

  it("loss system (zero queue)", () => {
    // Same preferences, λ0 = 1, λ1 = 2, μ = 1; calls arriving when both are busy are lost:
    //   π00 · 3       = π10 + π01
    //   π10 · (3 + 1) = 1 · π00 + π11
    //   π01 · (3 + 1) = 2 · π00 + π11
    //   π11 · 2       = 3 · (π10 + π01)
    // With π00 = 1: π11 = 4.5, π10 = 1.375, π01 = 1.625; total 8.5: π00 = 2/17, π10 = 11/68, π01 = 13/68,
    // π11 = 9/17 (= Erlang B(2, 3)).
    const h = hypercube({
      lambda: [1, 2],
      mu: 1,
      preference: [
        [0, 1],
        [1, 0],
      ],
      queue: "loss",
    });
    expect(h.workload[0]).toBeCloseTo(47 / 68, 12);
    expect(h.workload[1]).toBeCloseTo(49 / 68, 12);
    expect(h.pAllBusy).toBeCloseTo(9 / 17, 12);
    expect(h.lost).toBeCloseTo(9 / 17, 12);
    expect(h.meanWait).toBe(0);
    // Atom 0 gets unit 0 in 00 and 01, unit 1 in 10; its calls are lost in 11.
    expect(h.dispatches[0]![0]).toBeCloseTo(2 / 17 + 13 / 68, 12);
    expect(h.dispatches[0]![1]).toBeCloseTo(11 / 68, 12);
    expect(sum(h.dispatches[0]!)).toBeCloseTo(1 - 9 / 17, 12);
  });

  it("unequal service rates, one preference order", () => {
    // μ = (1, 2), λ = 1, every call asks unit 0 first. Balance (M = 3):
    //   π00 · 1       = 1 · π10 + 2 · π01
    //   π10 · (1 + 1) = 1 · π00 + 2 · π11(0)
    //   π01 · (1 + 2) = 1 · π11(0)
    //   π11(0) · 3    = 1 · (π10 + π01)
    // With π00 = 1: π11(0) = 0.3, π10 = 0.8, π01 = 0.1, tail 0.3 / (1 − 1/3) = 0.45; total 2.35.
    // ρ0 = (0.8 + 0.45)/2.35 = 25/47, ρ1 = (0.1 + 0.45)/2.35 = 11/47, P(all busy) = 9/47, wait = (9/47)/(3 − 1) = 9/94.
    const h = hypercube({ lambda: [1], mu: [1, 2], preference: [[0, 1]] });
    expect(h.workload[0]).toBeCloseTo(25 / 47, 12);
    expect(h.workload[1]).toBeCloseTo(11 / 47, 12);
    expect(h.pAllBusy).toBeCloseTo(9 / 47, 12);
    expect(h.meanWait).toBeCloseTo(9 / 94, 12);
    // Unit 1 takes a call at once in state 10 (only unit 0 busy); queued calls go to the unit that frees first,
    // unit n with probability μ_n / M: f01 = 0.8/2.35 + (9/47)(2/3) = 22/47 = μ1 ρ1 / λ.
    expect(h.dispatches[0]![1]).toBeCloseTo(22 / 47, 12);
    expect(h.callRate[0]).toBeCloseTo(1 * (25 / 47), 12);
    expect(h.callRate[1]).toBeCloseTo(2 * (11 / 47), 12);
  });
});

describe("hypercube: M/M/N special cases", () => {
  // With one preference order for every atom the busy count is M/M/N: P(all busy) and the wait are Erlang C.
  const cases = [
    { N: 1, lambda: [0.7], mu: 1 },
    { N: 3, lambda: [0.5, 1, 0.6], mu: 1 },
    { N: 4, lambda: [3], mu: 1 },
    { N: 6, lambda: [1, 2, 0.5, 0.5], mu: 0.8 },
    { N: 10, lambda: [2, 2, 2, 2], mu: 1 },
  ];
  for (const k of cases) {
    it(`N = ${k.N}, λ = ${sum(k.lambda)}, μ = ${k.mu}: Erlang C (queue) and B (loss), exact and approximate`, () => {
      // One fixed order (reversed, to avoid the trivial one).
      const list = Array.from({ length: k.N }, (_, n) => k.N - 1 - n);
      const preference = k.lambda.map(() => list);
      const ref = erlangC({ lambda: sum(k.lambda), mu: k.mu, c: k.N });
      for (const method of ["exact", "approximate"] as const) {
        const h = hypercube({ lambda: k.lambda, mu: k.mu, preference, method });
        expect(h.pAllBusy).toBeCloseTo(ref.pWait, 10);
        expect(h.meanWait).toBeCloseTo(ref.meanWait, 10);
        expect(sum(h.workload)).toBeCloseTo(sum(k.lambda) / k.mu, 10);
        const l = hypercube({ lambda: k.lambda, mu: k.mu, preference, method, queue: "loss" });
        const B = erlangB(sum(k.lambda) / k.mu, k.N);
        expect(l.lost).toBeCloseTo(B, 10);
        expect(sum(l.workload)).toBeCloseTo((sum(k.lambda) / k.mu) * (1 - B), 10);
      }
      // The exact model with one order is the ordered-entry M/M/N: the first unit is busiest.
      const h = hypercube({ lambda: k.lambda, mu: k.mu, preference, method: "exact" });
      for (let j = 1; j < k.N; j++) expect(h.workload[list[j]!]).toBeLessThanOrEqual(h.workload[list[j - 1]!]! + 1e-12);
    });
  }
});

describe("hypercube: conservation and symmetry", () => {
  it("workloads sum to λ/μ with the infinite queue; rows of dispatches sum to 1", () => {
    const lambda = [0.3, 0.9, 0.2, 0.7, 0.4, 0.5];
    const preference = [
      [0, 1, 2, 3],
      [1, 0, 2, 3],
      [1, 2, 0, 3],
      [2, 3, 1, 0],
      [3, 2, 1, 0],
      [3, 0, 1, 2],
    ];
    for (const method of ["exact", "approximate"] as const) {
      const h = hypercube({ lambda, mu: 1.25, preference, method });
      expect(sum(h.workload)).toBeCloseTo(sum(lambda) / 1.25, 10);
      for (const row of h.dispatches) expect(sum(row)).toBeCloseTo(1, 10);
      h.callRate.forEach((r, n) => {
        expect(r).toBeCloseTo(1.25 * h.workload[n]!, method === "exact" ? 10 : 2);
      });
    }
  });

  it("a rotation-symmetric ring gives equal workloads and a circulant dispatch matrix", () => {
    const N = 6;
    const mod = (x: number) => ((x % N) + N) % N;
    const preference = Array.from({ length: N }, (_, i) => [
      i,
      mod(i + 1),
      mod(i - 1),
      mod(i + 2),
      mod(i - 2),
      mod(i + 3),
    ]);
    const h = hypercube({ lambda: new Array(N).fill(0.6), mu: 1, preference });
    for (const w of h.workload) expect(w).toBeCloseTo(0.6, 10);
    for (let i = 0; i < N; i++)
      for (let n = 0; n < N; n++) expect(h.dispatches[i]![n]).toBeCloseTo(h.dispatches[0]![mod(n - i)]!, 10);
    // Nearer units serve more: own unit > first neighbour > second neighbour > opposite unit.
    const f = h.dispatches[0]!;
    expect(f[0]).toBeGreaterThan(f[1]!);
    expect(f[1]).toBeGreaterThan(f[5]!);
    expect(f[5]).toBeGreaterThan(f[2]!);
    expect(f[2]).toBeGreaterThan(f[3]!);
  });

  it("relabelling units and atoms relabels the solution (mirror image of a line)", () => {
    const lambda = [0.4, 1.1, 0.3, 0.8, 0.6];
    const preference = [
      [0, 1, 2, 3, 4],
      [1, 0, 2, 3, 4],
      [2, 1, 3, 0, 4],
      [3, 2, 4, 1, 0],
      [4, 3, 2, 1, 0],
    ];
    const mirror = (x: number) => 4 - x;
    const a = hypercube({ lambda, mu: 1, preference });
    const b = hypercube({
      lambda: [...lambda].reverse(),
      mu: 1,
      preference: [...preference].reverse().map((l) => l.map(mirror)),
    });
    for (let n = 0; n < 5; n++) expect(b.workload[mirror(n)]).toBeCloseTo(a.workload[n]!, 12);
    for (let i = 0; i < 5; i++)
      for (let n = 0; n < 5; n++) expect(b.dispatches[mirror(i)]![mirror(n)]).toBeCloseTo(a.dispatches[i]![n]!, 12);
  });

  it("travel and cross-area outputs follow from the dispatch shares", () => {
    const h = hypercube({
      lambda: [1, 0.5],
      mu: 1,
      preference: [
        [0, 1],
        [1, 0],
      ],
      travel: [
        [0.1, 0.5],
        [0.4, 0.2],
      ],
      home: [0, 1],
    });
    // Atom 0: 78/140 by unit 0 (0.1 h), 62/140 by unit 1 (0.5 h); atom 1: 58/140 by unit 0 (0.4 h), 82/140 by
    // unit 1 (0.2 h).
    expect(h.meanTravel!.byAtom[0]).toBeCloseTo((78 * 0.1 + 62 * 0.5) / 140, 12);
    expect(h.meanTravel!.overall).toBeCloseTo(
      (1 * (78 * 0.1 + 62 * 0.5) + 0.5 * (58 * 0.4 + 82 * 0.2)) / 140 / 1.5,
      12,
    );
    expect(h.crossArea!.byAtom).toEqual([expect.closeTo(62 / 140, 12), expect.closeTo(58 / 140, 12)]);
    expect(h.crossArea!.byUnit[0]).toBeCloseTo((0.5 * 58) / (78 + 0.5 * 58), 12);
    expect(h.crossArea!.overall).toBeCloseTo((62 + 0.5 * 58) / 140 / 1.5, 12);
  });

  it("partial preference lists are completed by travel time, then unit index (as the engine does)", () => {
    const h = hypercube({
      lambda: [1, 1],
      mu: 1,
      units: 4,
      preference: [[2], []],
      travel: [
        [0.3, 0.1, 0, 0.1],
        [0, 0, 0, 0],
      ],
    });
    expect(h.order).toEqual([
      [2, 1, 3, 0],
      [0, 1, 2, 3],
    ]);
  });
});

describe("hypercube: Larson's approximation", () => {
  it("reproduces the correction factors of Larson & Odoni's worked example (N = 3, ρ = 1/2)", () => {
    // Urban Operations Research §5.5.3: Q(3, ½, 0) = 1, Q(3, ½, 1) = 0.73684, Q(3, ½, 2) = 0.63158.
    const a = 1.5,
      t = [1, a, (a * a) / 2, a ** 3 / 6 / (1 - 0.5)],
      z = sum(t);
    const q = correctionFactors(
      t.map((x) => x / z),
      0.5,
    );
    expect(q[0]).toBeCloseTo(1, 12);
    expect(q[1]).toBeCloseTo(0.73684, 5);
    expect(q[2]).toBeCloseTo(0.63158, 5);
  });

  // Units at random cells of a 6 × 6 grid of atoms (Manhattan travel, nearest first), atom weights random:
  // the approximation against the exact model for N = 5 … 10 and loads 0.5 … 0.8 per unit.
  let seed = 20260101;
  const rnd = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  function grid(N: number, rho: number) {
    const cells: [number, number][] = [];
    for (let x = 0; x < 6; x++) for (let y = 0; y < 6; y++) cells.push([x + 0.5, y + 0.5]);
    const home: number[] = [];
    while (home.length < N) {
      const c = Math.floor(rnd() * cells.length);
      if (!home.includes(c)) home.push(c);
    }
    const w = cells.map(() => 0.5 + rnd()),
      W = sum(w);
    const travel = cells.map(([x, y]) =>
      home.map((c) => (Math.abs(x - cells[c]![0]) + Math.abs(y - cells[c]![1])) / 30),
    );
    const preference = travel.map((row) => row.map((_, n) => n).sort((p, q) => row[p]! - row[q]! || p - q));
    return { lambda: w.map((x) => (x / W) * rho * N), mu: 1, preference, travel, home };
  }
  for (const queue of ["infinite", "loss"] as const) {
    it(`is within a few percent of the exact model for N = 5…10 (${queue} queue)`, () => {
      let worstAbs = 0,
        worstRel = 0,
        relSum = 0,
        count = 0,
        worstTravel = 0,
        worstCross = 0,
        worstShare = 0;
      for (let N = 5; N <= 10; N++)
        for (const rho of [0.5, 0.65, 0.8]) {
          const inst = grid(N, rho);
          const ex = hypercube({ ...inst, queue, method: "exact" }),
            ap = hypercube({ ...inst, queue, method: "approximate" });
          expect(ap.method).toBe("approximate");
          ex.workload.forEach((x, n) => {
            const d = Math.abs(ap.workload[n]! - x);
            worstAbs = Math.max(worstAbs, d);
            worstRel = Math.max(worstRel, d / x);
            relSum += d / x;
            count++;
          });
          worstTravel = Math.max(worstTravel, Math.abs(ap.meanTravel!.overall / ex.meanTravel!.overall - 1));
          worstCross = Math.max(worstCross, Math.abs(ap.crossArea!.overall - ex.crossArea!.overall));
          ex.dispatches.forEach((row, i) => {
            row.forEach((x, n) => {
              worstShare = Math.max(worstShare, Math.abs(ap.dispatches[i]![n]! - x));
            });
          });
        }
      // Measured on these 18 systems: infinite queue — worst |Δρ| 0.013, worst relative 3.9%, mean relative 0.57%,
      // mean travel 1.4%, cross-area share 0.0007, worst dispatch share |Δf| 0.029; loss — 0.013, 4.1%, 0.67%, 2.6%,
      // 0.0004, 0.027. Larson reports workload errors of about 1–2%, rarely more.
      expect(worstAbs).toBeLessThan(0.02);
      expect(worstRel).toBeLessThan(0.05);
      expect(relSum / count).toBeLessThan(0.015);
      expect(worstTravel).toBeLessThan(0.03);
      expect(worstCross).toBeLessThan(0.005);
      expect(worstShare).toBeLessThan(0.04);
    });
  }

  it("is chosen automatically above 14 units and stays conservative", () => {
    const N = 30,
      lambda = new Array(N).fill(0.7);
    const preference = Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j) => (i + j) % N));
    const h = hypercube({ lambda, mu: 1, preference });
    expect(h.method).toBe("approximate");
    expect(sum(h.workload)).toBeCloseTo(0.7 * N, 8);
    expect(h.pAllBusy).toBeCloseTo(erlangC({ lambda: 0.7 * N, mu: 1, c: N }).pWait, 10);
    for (const w of h.workload) expect(w).toBeCloseTo(0.7, 8); // the ring is symmetric
  });
});

describe("hypercube: input checks", () => {
  const ok = {
    lambda: [1, 0.5],
    mu: 1,
    preference: [
      [0, 1],
      [1, 0],
    ],
  };
  it.each([
    [{ ...ok, lambda: [] }, /lambda/],
    [{ ...ok, lambda: [1, -1] }, /lambda\[1\]/],
    [{ ...ok, lambda: [0, 0] }, /positive rate/],
    [{ ...ok, mu: 0 }, /mu/],
    [{ ...ok, mu: [1, Number.NaN] }, /mu\[1\]/],
    [{ ...ok, preference: [[0, 1]] }, /one list per atom/],
    [
      {
        ...ok,
        mu: [1, 1],
        preference: [
          [0, 2],
          [1, 0],
        ],
      },
      /preference\[0\]\[1\]/,
    ],
    [
      {
        ...ok,
        preference: [
          [0, 0],
          [1, 0],
        ],
      },
      /listed twice/,
    ],
    [{ ...ok, lambda: [1.5, 1] }, /unstable/],
    [{ ...ok, queue: "lifo" }, /queue/],
    [{ ...ok, method: "fast" }, /method/],
    [{ ...ok, travel: [[0, 1]] }, /travel/],
    [
      {
        ...ok,
        travel: [
          [0, 1],
          [0, -1],
        ],
      },
      /travel\[1\]\[1\]/,
    ],
    [{ ...ok, home: [0, 2] }, /home\[1\]/],
    [{ ...ok, mu: [1, 2], method: "approximate" }, /one service rate/],
    [{ ...ok, units: 3, mu: [1, 1] }, /units/],
    [{ lambda: [1], mu: 1, preference: [[]] }, /number of units/],
    [{ lambda: [1], mu: 1, units: 17, preference: [[]], method: "exact" }, /at most 16/],
  ])("refuses %j", (input, message) => {
    expect(() => hypercube(input as never)).toThrow(RangeError);
    expect(() => hypercube(input as never)).toThrow(message);
  });
});

// ---------------------------------------------------------------------------
// The engine against the exact model, on examples/scenarios/hypercube.json.

/** The hypercube model a scenario of that shape describes: atoms = sectors, units = bases (one team each). */
function reference(input: unknown): HypercubeResult {
  const s = parseScenario(input);
  const team = s.assets[0]!;
  if (team.kind !== "team" || team.onSite.kind !== "exponential")
    throw new Error("expected one team type with exponential on-site time");
  if (s.travel.kind !== "matrix") throw new Error("expected a travel matrix");
  return hypercube({
    lambda: s.sectors.map((x) => x.rate),
    mu: 1 / team.onSite.mean,
    units: s.bases.length,
    preference: s.coordination.preference,
    travel: s.travel.hours,
    home: s.bases.map((b) => b.sector),
    method: "exact",
  });
}

/** The shipped scenario with rates, on-site mean and preference lists changed the way its description says. */
function variant(rates: string[] | null, onSiteMean: string | null, preference: Record<string, string[]> | null) {
  const s = structuredClone(shipped);
  if (rates) {
    rates.forEach((r, i) => {
      s.sectors[i].incidents.rate = r;
    });
  }
  if (onSiteMean) s.assets[0].onSite.mean = onSiteMean;
  if (preference) Object.assign(s.coordination.preference, preference);
  return s;
}

// Every quantity (utilisation, tasks per day, cross-sector share, queued share, wait) is many comparisons per
// run, so each uses a Bonferroni-widened interval: 25 comparisons at family level 5% need t19 at 1 − 0.05/50 =
// 3.58 instead of 2.09. (At the plain 95% level, one of a run's ~25 true statements fails more often than not.)
// (Checked for bias: over seeds 1–15 the mean standardised error of every team's tasks and utilisation is within
// 1.6 standard errors of 0.)
const WIDEN = 3.58 / 2.093;

describe("simulate on examples/scenarios/hypercube.json reproduces the exact hypercube model", () => {
  it("the shipped scenario is exactly a hypercube model", () => {
    const s = parseScenario(shipped);
    expect(s.coordination.dispatch).toBe("fixed-preference");
    expect(s.coordination.queue).toBe("fifo");
    expect(s.sectors.every((x) => x.severity.major === 1 && x.access.delay === null && x.access.denial === 0)).toBe(
      true,
    );
    expect(s.regimes.length).toBe(0);
    expect(s.reporting.parties?.probability).toBe(1);
    // One team per base, and every base in its own sector, listed first by that sector.
    expect(new Set(s.bases.map((b) => b.sector)).size).toBe(s.bases.length);
    s.coordination.preference.forEach((list, i) => {
      expect([...list].sort()).toEqual(s.bases.map((b) => b.index));
      expect(s.bases[list[0]!]!.sector).toBe(i);
    });
  });

  const cases = [
    { name: "shipped rates (0.3, 0.6, 0.9, 0.5, 0.2 /h), μ = 1 /h", scenario: variant(null, null, null) },
    {
      name: "rates (1.4, 0.5, 0.4, 0.5, 1.1 /h), on-site mean 45 min (μ = 4/3 /h)",
      scenario: variant(["1.4 /h", "0.5 /h", "0.4 /h", "0.5 /h", "1.1 /h"], "45 min", null),
    },
    {
      name: "shipped rates, sector-3 asks base-1 then base-5 (the rest follow in base order)",
      scenario: variant(null, null, { "sector-3": ["base-1", "base-5"] }),
    },
  ];
  for (const k of cases) {
    it(k.name, async () => {
      const ref = reference(k.scenario);
      const r = await simulate(k.scenario, { replications: 20, seed: 2026 });
      const bases: string[] = k.scenario.bases.map((b: { id: string }) => b.id);
      expect(r.line.counts.verified).toBe(r.line.counts.incidents);
      expect(r.teams.length).toBe(bases.length);
      for (const t of r.teams) {
        const n = bases.indexOf(t.base);
        // Utilisation = workload ρ_n, within the widened CI (and the CI is tight).
        expect(Math.abs(t.utilisation.value - ref.workload[n]!)).toBeLessThanOrEqual(WIDEN * t.utilisation.halfWidth);
        expect(t.utilisation.halfWidth).toBeLessThan(0.01);
        // Tasks per day = 24 · Σ_i λ_i f_in.
        expect(Math.abs(t.tasksPerDay.value - 24 * ref.callRate[n]!)).toBeLessThanOrEqual(
          WIDEN * t.tasksPerDay.halfWidth,
        );
      }
      // The test has power: the exact workloads are spread far wider than the CIs.
      const spread = Math.max(...ref.workload) - Math.min(...ref.workload);
      expect(spread).toBeGreaterThan(5 * Math.max(...r.teams.map((t) => t.utilisation.halfWidth)));
      r.sectors.forEach((s, i) => {
        // Share of the sector's dispatches to a team based elsewhere = Σ_{n not home} f_in.
        expect(Math.abs(s.dispatch.crossSectorShare.value - ref.crossArea!.byAtom[i]!)).toBeLessThanOrEqual(
          WIDEN * s.dispatch.crossSectorShare.halfWidth,
        );
      });
      // P(all busy) = share of incidents that queued; mean wait (FCFS, every sector alike).
      expect(Math.abs(r.line.dispatch.queuedShare.value - ref.pAllBusy)).toBeLessThanOrEqual(
        WIDEN * r.line.dispatch.queuedShare.halfWidth,
      );
      expect(Math.abs(r.line.dispatch.queueWait.value - ref.meanWait)).toBeLessThanOrEqual(
        WIDEN * r.line.dispatch.queueWait.halfWidth,
      );
    });
  }

  it("the share of each sector's incidents served by each team (via cross-national shares)", async () => {
    // The result has no sector × team table, but `dispatch.crossNationalShare` of sector i is the share of its
    // dispatches to teams of states other than its lead. Giving each team its own state and making unit m's state
    // the lead of sector i reads off 1 − f_im; five runs (m = i + r mod 5) give the whole matrix.
    const ref = reference(shipped);
    const N = shipped.bases.length;
    const measured: { value: number; halfWidth: number }[][] = Array.from({ length: N }, () => []);
    for (let r = 0; r < N; r++) {
      const s = structuredClone(shipped);
      s.states = [
        s.states[0],
        ...shipped.bases.map((_: unknown, m: number) => ({
          id: `unit-${m + 1}`,
          name: `Unit ${m + 1}`,
          caveats: { nightMovement: true, maxRisk: 1 },
        })),
      ];
      s.contributions = shipped.bases.map((_: unknown, m: number) => ({
        state: `unit-${m + 1}`,
        asset: "team",
        count: 1,
      }));
      s.allocation = {
        teams: shipped.bases.map((b: { id: string }, m: number) => ({
          state: `unit-${m + 1}`,
          asset: "team",
          base: b.id,
          count: 1,
        })),
      };
      s.sectors.forEach((sec: { lead: string }, i: number) => {
        sec.lead = `unit-${((i + r) % N) + 1}`;
      });
      const res = await simulate(s, { replications: 20, seed: 2026 });
      res.sectors.forEach((sec, i) => {
        const x = sec.dispatch.crossNationalShare;
        measured[i]![(i + r) % N] = { value: 1 - x.value, halfWidth: x.halfWidth };
      });
    }
    // 25 cells, each within the Bonferroni-widened interval.
    for (let i = 0; i < N; i++)
      for (let n = 0; n < N; n++) {
        const m = measured[i]![n]!;
        expect(Math.abs(m.value - ref.dispatches[i]![n]!)).toBeLessThanOrEqual(WIDEN * m.halfWidth);
      }
  });
});
