import { beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import { simulate, type Result } from "../src/experiment/simulate.js";
import { incidentLog } from "../src/experiment/incidents.js";
import { defaultScenario } from "../src/scenarios/index.js";
import { HIST_BINS } from "../src/layout/histogram.js";
import { binLower, binOf } from "../src/stats/histogram.js";
import { tQuantile } from "../src/stats/estimate.js";
import { normalQuantile } from "../src/rng/normal-quantile.js";
import { ratioAdd, ratioEstimate, RATIO_WIDTH } from "../src/stats/moments.js";
import { estimate, SHARE } from "../src/stats/estimate.js";
import {
  addCurveSums,
  curveBlockWidth,
  curveEdges,
  curveSpread,
  quantileToLimit,
  survivalCurve,
  survivalQuantile,
  survivorshipNote,
  verifiedBy,
  type SurvivalPoint,
  type TimeToVerification,
} from "../src/stats/survival.js";
import type { SectorMetrics } from "../src/stats/summarize.js";

const mmc = JSON.parse(fs.readFileSync(new URL("../examples/scenarios/mmc.json", import.meta.url), "utf8"));
/** Erlang C for λ = 3, μ = 1, c = 4: P(wait > 0) = 27/53, and P(wait > x) = C e^{−(cμ − λ) x} = C e^{−x}. */
const C = 27 / 53;
const cdf = (x: number) => 1 - C * Math.exp(-x);

/** Share verified by `hours` read from the curve: the last point at or before it (flat stretches keep ends). */
function verifiedAt(curve: SurvivalPoint[], hours: number): number {
  let v = 0;
  for (const p of curve) if (p.hours <= hours) v = p.verified;
  return v;
}

/** Checks every curve must pass: non-increasing survival, in [0, 1], stops at the limit, exact at the standard. */
function checkCurve(t: TimeToVerification, m: SectorMetrics, standard: number) {
  const s = t.survival;
  expect(s.length).toBeGreaterThan(1);
  for (let k = 0; k < s.length; k++) {
    expect(s[k]!.survival).toBeGreaterThanOrEqual(0);
    expect(s[k]!.survival).toBeLessThanOrEqual(1);
    expect(s[k]!.verified + s[k]!.survival).toBeCloseTo(1, 12);
    expect(s[k]!.hours).toBeLessThanOrEqual(t.limitHours);
    if (k > 0) {
      expect(s[k]!.hours).toBeGreaterThan(s[k - 1]!.hours);
      // Non-increasing, to rounding: the point at the standard is withinStandard's ratio estimate (ΣY/ΣX as
      // the estimator computes it), the others counts over the total; equal shares may differ in the last bit.
      expect(s[k]!.survival).toBeLessThanOrEqual(s[k - 1]!.survival + 1e-15);
    }
  }
  // Intervals: each point's F interval holds F and stays in [0, 1]; S's is its mirror (1 − F's ends).
  for (const p of s) {
    expect(p.verifiedLo).toBeGreaterThanOrEqual(0);
    expect(p.verifiedHi).toBeLessThanOrEqual(1);
    expect(p.verifiedLo).toBeLessThanOrEqual(p.verified);
    expect(p.verifiedHi).toBeGreaterThanOrEqual(p.verified);
    expect(p.survivalLo).toBe(1 - p.verifiedHi);
    expect(p.survivalHi).toBe(1 - p.verifiedLo);
  }
  // What is verified by the limit cannot exceed what is verified at all.
  expect(s.at(-1)!.verified).toBeLessThanOrEqual(m.outcomes.verified.value + 1e-12);
  const atStandard = s.find((p) => p.hours === standard);
  expect(atStandard, "a point at the standard").toBeDefined();
  expect(atStandard!.survival).toBeCloseTo(1 - m.withinStandard.value, 12);
  // The point at the standard is withinStandard: the same estimate and interval, to the last bit.
  expect(atStandard!.verified).toBe(m.withinStandard.value);
  expect(atStandard!.verifiedLo).toBe(m.withinStandard.lo);
  expect(atStandard!.verifiedHi).toBe(m.withinStandard.hi);
  // Restricted mean in [0, L], its interval too.
  const rm = t.restrictedMean;
  expect(rm.value).toBeGreaterThanOrEqual(0);
  expect(rm.value).toBeLessThanOrEqual(rm.limitHours);
  expect(rm.lo).toBeGreaterThanOrEqual(0);
  expect(rm.hi).toBeLessThanOrEqual(rm.limitHours);
  expect(rm.lo).toBeLessThanOrEqual(rm.value);
  expect(rm.hi).toBeGreaterThanOrEqual(rm.value);
}

describe("survival functions on a known histogram", () => {
  // 10 verifiable incidents: 2 at time 0, 3 at 1 h, 1 at 10 h, 4 never verified (or verified after the limit).
  const h = new Float64Array(HIST_BINS);
  h[0] = 2;
  h[binOf(1)] = 3;
  h[binOf(10)] = 1;
  const N = 10;

  it("counts verified by x at bin edges, and reads quantiles off the curve", () => {
    expect(verifiedBy(h, 0, 0)).toBe(2);
    expect(verifiedBy(h, 0, 1)).toBe(2); // times < 1 h at the edge 1 h
    expect(verifiedBy(h, 0, 2)).toBe(5);
    expect(verifiedBy(h, 0, 72)).toBe(6);
    expect(survivalQuantile(h, 0, N, 0.2, 72)).toEqual({ hours: 0, reason: null });
    const p50 = survivalQuantile(h, 0, N, 0.5, 72);
    expect(p50.hours).toBeGreaterThanOrEqual(1);
    expect(p50.hours).toBeLessThanOrEqual(binLower(binOf(1) + 1));
    // 60% verified by the limit: p90 is not a number, and says why.
    const p90 = survivalQuantile(h, 0, N, 0.9, 72);
    expect(p90.hours).toBeNaN();
    expect(p90.reason).toMatch(/not reached by 72 h.*60\.0%/);
    expect(JSON.parse(JSON.stringify(p90)).hours).toBeNull();
    // Below 10 h, the one at 10 h is not verified yet: p55 needs it.
    expect(survivalQuantile(h, 0, N, 0.55, 5).hours).toBeNaN();
  });

  it("a replication's quantile of min(T, L): the curve's quantile, or the limit when not reached by it", () => {
    expect(quantileToLimit(h, 0, N, 0.2, 72)).toBe(0);
    expect(quantileToLimit(h, 0, N, 0.5, 72)).toBe(survivalQuantile(h, 0, N, 0.5, 72).hours);
    // Reading only the bins that hold counts gives the same.
    expect(quantileToLimit(h, 0, N, 0.5, 72, 0, binOf(10))).toBe(quantileToLimit(h, 0, N, 0.5, 72));
    expect(quantileToLimit(h, 0, N, 0.9, 72)).toBe(72);
    expect(quantileToLimit(h, 0, N, 0.55, 5)).toBe(5);
  });

  it("the curve keeps flat stretches by their ends and puts the standard in exactly", () => {
    const c = survivalCurve(h, 0, N, 72, { hours: 24, within: 6 });
    expect(c[0]!.hours).toBe(2 ** -12);
    expect(c[0]!.verified).toBeCloseTo(0.2, 12);
    expect(c.at(-1)!.hours).toBe(72);
    expect(c.at(-1)!.survival).toBeCloseTo(0.4, 12);
    expect(c.find((p) => p.hours === 24)!.verified).toBeCloseTo(0.6, 12);
    expect(c.length).toBeLessThan(20);
    for (const x of [0.5, 1, 2, 4, 8, 16, 32, 64]) expect(verifiedAt(c, x) * N).toBeCloseTo(verifiedBy(h, 0, x), 9);
    // A standard beyond the limit is not a point of the curve: it is not identified there.
    expect(survivalCurve(h, 0, N, 72, { hours: 96, within: 6 }).some((p) => p.hours === 96)).toBe(false);
  });
});

describe("the curve's interval sums on known replications", () => {
  // Three replications of 10, 8 and 5 verifiable incidents with verified times drawn by hand (bin 0 is time 0).
  const reps = [
    { x: 10, times: [0, 0, 0.3, 1, 1, 1, 10] },
    { x: 8, times: [0.2, 0.2, 5, 40] },
    { x: 5, times: [] as number[] },
  ];
  const limit = 72,
    edges = curveEdges(limit),
    K = edges.length;
  const hists = reps.map((r) => {
    const h = new Float64Array(HIST_BINS);
    for (const t of r.times) h[binOf(t)]! += 1;
    return h;
  });
  const bounds = (h: Float64Array) => {
    let lo = HIST_BINS,
      hi = -1;
    h.forEach((c, i) => {
      if (c > 0) [lo, hi] = [Math.min(lo, i), Math.max(hi, i)];
    });
    return [lo, hi] as const;
  };

  it("edges: every 8th bin edge up to the limit, and the limit itself when it is a bin edge", () => {
    expect(edges[0]).toBe(1);
    expect(binLower(edges[1]!)).toBe(2 ** -12 * (1 + 1 / 8));
    expect(binLower(edges[K - 1]!)).toBe(72);
    for (let k = 1; k < K; k++) expect(edges[k]!).toBeGreaterThan(edges[k - 1]!);
    // 70 h is a bin edge (2^6 · (1 + 6/64)) between two grid edges: it is added.
    const e70 = curveEdges(70);
    expect(binLower(e70.at(-1)!)).toBe(70);
    expect(binLower(e70.at(-2)!)).toBeLessThan(70);
    expect(curveEdges(0)).toHaveLength(0);
  });

  it("the sums give, at every edge, the delta-method SE of Σy/Σx over replications (as ratioEstimate does)", () => {
    const w = curveBlockWidth(K);
    const sums = new Float64Array(w),
      full = new Float64Array(w);
    reps.forEach((r, i) => {
      const [lo, hi] = bounds(hists[i]!);
      addCurveSums(sums, 0, edges, hists[i]!, 0, r.x, lo, hi);
      addCurveSums(full, 0, edges, hists[i]!, 0, r.x, 0, HIST_BINS - 1); // every bin read, no tail entries
    });
    // Laid out differently (tail entries or not), the same totals at every edge: the same standard errors.
    expect(Array.from(sums)).not.toEqual(Array.from(full));
    expect(Array.from(curveSpread(sums, 0, K).se)).toEqual(Array.from(curveSpread(full, 0, K).se));
    expect([sums[0], sums[1], sums[2]]).toEqual([3, 23, 100 + 64 + 25]);
    const { se, n } = curveSpread(sums, 0, K);
    expect(n).toBe(3);
    edges.forEach((e, k) => {
      // The reference: each replication's count verified before the edge, into the moments of a ratio metric.
      const m = new Float64Array(RATIO_WIDTH);
      reps.forEach((r, i) => {
        ratioAdd(m, 0, r.x, verifiedBy(hists[i]!, 0, binLower(e)));
      });
      const ref = ratioEstimate(m, 0);
      const refSe = ref.halfWidth / 4.302653; // t with 2 degrees of freedom
      if (refSe === 0) expect(se[k]).toBe(0);
      else expect(se[k]! / refSe).toBeCloseTo(1, 9);
    });
  });

  it("the curve's points take their intervals from the sums; no spread gives the point; one replication none", () => {
    const pooled = new Float64Array(HIST_BINS);
    for (const h of hists) for (let i = 0; i < HIST_BINS; i++) pooled[i]! += h[i]!;
    const w = curveBlockWidth(K),
      sums = new Float64Array(w);
    reps.forEach((r, i) => {
      addCurveSums(sums, 0, edges, hists[i]!, 0, r.x, ...bounds(hists[i]!));
    });
    const within = estimate(0.4, 0.1, 3, SHARE);
    const c = survivalCurve(
      pooled,
      0,
      23,
      limit,
      { hours: 24, within: 9 },
      { sums, offset: 0, withinStandard: within },
    );
    const { se } = curveSpread(sums, 0, K);
    for (const p of c) {
      if (p.hours === 24) {
        expect([p.verified, p.verifiedLo, p.verifiedHi]).toEqual([within.value, within.lo, within.hi]);
        continue;
      }
      const k = edges.findIndex((e) => binLower(e) === p.hours);
      const e = estimate(p.verified, se[k]!, 3, SHARE);
      expect([p.verifiedLo, p.verifiedHi]).toEqual([e.lo, e.hi]);
    }
    // Before the first verified time nothing is verified in any replication: F = 0, the interval [0, 0]. (Bin 0
    // counts as time 0, so the first edge already counts the two at time 0: the curve starts at 2/23.)
    expect(c[0]!.verified).toBeCloseTo(2 / 23, 15);
    expect(c[0]!.verifiedLo).toBeLessThan(c[0]!.verified);
    // Point masses: two replications verifying all their incidents at 0.5 h (4 and 6 of them). Every replication
    // has F = 0 before 0.5 h and F = 1 after: each point's interval is the point itself.
    const mass = new Float64Array(w),
      both = new Float64Array(HIST_BINS);
    for (const x of [4, 6]) {
      const h = new Float64Array(HIST_BINS);
      h[binOf(0.5)] = x;
      both[binOf(0.5)]! += x;
      addCurveSums(mass, 0, edges, h, 0, x, binOf(0.5), binOf(0.5));
    }
    const cm = survivalCurve(both, 0, 10, limit, undefined, { sums: mass, offset: 0, withinStandard: within });
    expect(cm.map((p) => p.verified)).toEqual([0, 0, 1, 1]);
    for (const p of cm) expect([p.verifiedLo, p.verifiedHi]).toEqual([p.verified, p.verified]);
    // One replication: no interval (NaN; null in JSON).
    const one = new Float64Array(w);
    addCurveSums(one, 0, edges, hists[0]!, 0, 10, ...bounds(hists[0]!));
    const c1 = survivalCurve(hists[0]!, 0, 10, limit, undefined, { sums: one, offset: 0, withinStandard: within });
    expect(c1[1]!.verifiedLo).toBeNaN();
    expect(JSON.parse(JSON.stringify(c1[1]!)).verifiedHi).toBeNull();
  });
});

describe("M/M/c (examples/scenarios/mmc.json): the curve is the Erlang C waiting-time distribution", () => {
  // Ten runs with distinct seeds give ten independent estimates of each curve point; their mean's 95% t
  // interval, widened for 9 comparisons (Bonferroni: t9 at 1 − 0.05/18), must hold the analytic value.
  const T = tQuantile(1 - 0.05 / 18, 9, normalQuantile);
  const points = [0.125, 0.25, 0.5, 1, 2, 4];
  let runs: Result[];
  beforeAll(async () => {
    runs = [];
    for (let seed = 1; seed <= 10; seed++) runs.push(await simulate(mmc, { replications: 2, seed }));
  });
  const ci = (xs: number[]) => {
    const n = xs.length,
      mean = xs.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    return { mean, hw: (T * sd) / Math.sqrt(n) };
  };

  it("P(verified by x) matches 1 − C e^{−x}; p50, p90 and the restricted mean match too", () => {
    for (const r of runs) {
      checkCurve(r.line.timeToVerification, r.line, 1);
      expect(r.line.counts.verified).toBe(r.line.counts.verifiable);
    }
    for (const x of points) {
      const { mean, hw } = ci(runs.map((r) => verifiedAt(r.line.timeToVerification.survival, x)));
      expect(Math.abs(mean - cdf(x)), `x = ${x} h: ${mean} ± ${hw} vs ${cdf(x)}`).toBeLessThanOrEqual(hw);
      expect(hw).toBeLessThan(0.03); // not vague
    }
    const p50 = ci(runs.map((r) => r.line.timeToVerification.p50.value));
    const p90 = ci(runs.map((r) => r.line.timeToVerification.p90.value));
    expect(Math.abs(p50.mean - Math.log(C / 0.5))).toBeLessThanOrEqual(p50.hw);
    expect(Math.abs(p90.mean - Math.log(C / 0.1))).toBeLessThanOrEqual(p90.hw);
    // Everything is verified within the limit (72 h): the restricted mean is the mean wait, C = 0.509 h.
    const rm = ci(runs.map((r) => r.line.timeToVerification.restrictedMean.value));
    expect(Math.abs(rm.mean - C)).toBeLessThanOrEqual(rm.hw);
    for (const r of runs)
      expect(r.line.timeToVerification.restrictedMean.value).toBeCloseTo(r.line.response.mean.value, 2);
  });

  it("one run's intervals hold the mean wait (restricted mean) and 1 − C/e (the curve at 1 h)", async () => {
    const r = await simulate(mmc, { replications: 10, seed: 2026 });
    const rm = r.line.timeToVerification.restrictedMean;
    expect(rm.limitHours).toBe(72);
    expect(rm.lo).toBeLessThanOrEqual(C);
    expect(rm.hi).toBeGreaterThanOrEqual(C);
    expect(r.line.withinStandard.lo).toBeLessThanOrEqual(cdf(1));
    expect(r.line.withinStandard.hi).toBeGreaterThanOrEqual(cdf(1));
    expect(verifiedAt(r.line.timeToVerification.survival, 1)).toBeCloseTo(r.line.withinStandard.value, 12);
  });

  it("matches the incident log exactly: share of verifiable incidents verified with time < x", async () => {
    const log = await incidentLog(mmc, { replications: 2, seed: 5 });
    const r = await simulate(mmc, { replications: 2, seed: 5 });
    const verified = log.dictionaries.outcome.indexOf("verified");
    const minor = log.dictionaries.severity.indexOf("minor");
    const times: number[] = [];
    let verifiable = 0;
    for (let i = 0; i < log.rows; i++) {
      if (log.columns.severity[i] === minor) continue;
      verifiable++;
      if (log.columns.outcome[i] === verified) times.push(log.columns.response[i]!);
    }
    expect(verifiable).toBe(r.line.counts.verifiable);
    for (const p of r.line.timeToVerification.survival) {
      if (p.hours === 1) continue; // the standard: times ≤ 1 h, checked below
      expect(p.verified * verifiable).toBeCloseTo(times.filter((t) => t < p.hours).length, 6);
    }
    const within = times.filter((t) => t <= 1).length;
    expect(verifiedAt(r.line.timeToVerification.survival, 1) * verifiable).toBeCloseTo(within, 6);
  });

  it("intervals of p50, p90, the restricted mean and the curve hold the Erlang C values ~95% of the time", async () => {
    // 40 runs of 10 replications (distinct seeds): each interval should miss about 2 of 40 times.
    const truth = { p50: Math.log(C / 0.5), p90: Math.log(C / 0.1), restrictedMean: C };
    const held = { p50: 0, p90: 0, restrictedMean: 0 };
    // The curve's points at these hours (bin edges, so exact counts of times < x): F(x) = 1 − C e^{−x}.
    const xs = [0.125, 0.5, 2, 4];
    const heldCurve = xs.map(() => 0);
    const runs = 40;
    for (let seed = 101; seed < 101 + runs; seed++) {
      const t = (await simulate(mmc, { replications: 10, seed })).line.timeToVerification;
      xs.forEach((x, i) => {
        const p = t.survival.find((q) => q.hours === x)!;
        if (p.verifiedLo <= cdf(x) && cdf(x) <= p.verifiedHi) heldCurve[i]!++;
        // The same interval read for S(x): it holds C e^{−x} exactly when F's holds F(x).
        expect(p.survivalLo <= 1 - cdf(x) && 1 - cdf(x) <= p.survivalHi).toBe(
          p.verifiedLo <= cdf(x) && cdf(x) <= p.verifiedHi,
        );
      });
      for (const k of ["p50", "p90", "restrictedMean"] as const) {
        expect(t[k].lo).toBeLessThanOrEqual(t[k].value);
        expect(t[k].hi).toBeGreaterThanOrEqual(t[k].value);
        expect(t[k].lo).toBeGreaterThanOrEqual(0);
        expect(t[k].hi).toBeLessThanOrEqual(t.limitHours);
        if (t[k].lo <= truth[k] && truth[k] <= t[k].hi) held[k]++;
      }
    }
    for (const k of ["p50", "p90", "restrictedMean"] as const) expect(held[k] / runs, k).toBeGreaterThanOrEqual(0.85);
    xs.forEach((x, i) => {
      expect(heldCurve[i]! / runs, `F(${x} h)`).toBeGreaterThanOrEqual(0.85);
    });
  });

  it("at 2 replications every point's interval is inside [0, 1]; where no replication varies, the point", () => {
    for (const r of runs) {
      const t = r.line.timeToVerification;
      checkCurve(t, r.line, 1);
      for (const p of t.survival) {
        expect(Number.isFinite(p.verifiedLo) && Number.isFinite(p.verifiedHi)).toBe(true);
        expect(p.verifiedLo).toBeGreaterThanOrEqual(0);
        expect(p.verifiedHi).toBeLessThanOrEqual(1);
      }
      // Everything is verified well within 72 h in both replications: F(72 h) = 1 with the interval [1, 1].
      const last = t.survival.at(-1)!;
      expect([last.hours, last.verified, last.verifiedLo, last.verifiedHi]).toEqual([72, 1, 1, 1]);
    }
  });
});

describe("the restricted mean is exact: the mean of min(T, L) over verifiable incidents of the incident log", () => {
  it.each([
    ["M/M/c", 0],
    ["M/M/c with 30% of access denied", 0.3],
  ])("%s", async (_name, denial) => {
    const s = structuredClone(mmc);
    s.sectors[0].access.denial = denial;
    const log = await incidentLog(s, { replications: 3, seed: 8 });
    const r = await simulate(s, { replications: 3, seed: 8 });
    const L = r.line.timeToVerification.limitHours;
    const verified = log.dictionaries.outcome.indexOf("verified"),
      minor = log.dictionaries.severity.indexOf("minor");
    let sum = 0,
      n = 0;
    for (let i = 0; i < log.rows; i++) {
      if (log.columns.severity[i] === minor) continue;
      n++;
      sum += log.columns.outcome[i] === verified ? Math.min(log.columns.response[i]!, L) : L;
    }
    expect(r.line.timeToVerification.restrictedMean.value).toBeCloseTo(sum / n, 9);
    expect(r.line.timeToVerification.restrictedMean.value).toBeGreaterThan(denial * L * 0.9);
  });
});

describe("access denial: never verified is not left out", () => {
  let base: Result, denied: Result;
  beforeAll(async () => {
    const s = structuredClone(mmc);
    s.sectors[0].access.denial = 0.3;
    base = await simulate(mmc, { replications: 10, seed: 11 });
    denied = await simulate(s, { replications: 10, seed: 11 });
  });

  it("the curve levels off near 0.7, p90 is not reached, the restricted mean grows, response.mean does not", () => {
    const t = denied.line.timeToVerification;
    checkCurve(t, denied.line, 1);
    const plateau = t.survival.at(-1)!.verified;
    expect(plateau).toBeGreaterThan(0.67);
    expect(plateau).toBeLessThan(0.73);
    // Flat over the last half of the limit: nothing more is verified after 36 h.
    expect(plateau - verifiedAt(t.survival, 36)).toBeLessThan(1e-3);
    expect(t.p50.reason).toBeNull();
    expect(t.p90.value).toBeNaN();
    expect(t.p90.lo).toBeNaN();
    expect(t.p90.reason).toMatch(/not reached/);
    expect(JSON.parse(JSON.stringify(denied.line)).timeToVerification.p90.value).toBeNull();
    // Restricted mean ≈ 0.3 · 72 h plus the verified ones' waits: far above the base, beyond both intervals.
    const rb = base.line.timeToVerification.restrictedMean,
      rd = t.restrictedMean;
    expect(rd.lo).toBeGreaterThan(rb.hi);
    expect(rd.value).toBeGreaterThan(0.27 * 72);
    // The conditional mean (verified incidents only) does not grow: teams turned away are free sooner.
    expect(denied.line.response.mean.value).toBeLessThanOrEqual(base.line.response.mean.hi);
    // And the helper says so when read against the base.
    const note = survivorshipNote(base.line, denied.line);
    if (denied.line.response.mean.value < base.line.response.mean.value)
      expect(note).toMatch(/verified incidents only/);
  });
});

describe("the default scenario", () => {
  let base: Result;
  beforeAll(async () => {
    base = await simulate(defaultScenario(), { replications: 6, seed: 3 });
  });

  it("at 2 replications each sector's curve has intervals in [0, 1], withinStandard's at the standard", async () => {
    const r = await simulate(defaultScenario(), { replications: 2, seed: 4 });
    const std = r.provenance.responseStandardHours;
    for (const m of [r.line, ...r.sectors]) {
      checkCurve(m.timeToVerification, m, std);
      for (const p of m.timeToVerification.survival) {
        expect(Number.isFinite(p.verifiedLo) && Number.isFinite(p.verifiedHi)).toBe(true);
        expect(p.verifiedLo).toBeGreaterThanOrEqual(0);
        expect(p.verifiedHi).toBeLessThanOrEqual(1);
      }
    }
  });

  it("curves of the line and every sector: non-increasing, in [0, 1], 1 − withinStandard at the standard", () => {
    const std = base.provenance.responseStandardHours;
    expect(std).toBeLessThanOrEqual(base.provenance.drainHours);
    checkCurve(base.line.timeToVerification, base.line, std);
    for (const s of base.sectors) checkCurve(s.timeToVerification, s, std);
    expect(base.line.timeToVerification.limitHours).toBe(base.provenance.drainHours);
    // The headline share is over all verifiable incidents: within / verifiable of the counts.
    const c = base.line.counts;
    expect(base.line.withinStandard.value).toBeLessThanOrEqual(c.verified / c.verifiable);
    expect(survivorshipNote(base.line, base.line)).toBeNull();
  });

  it("withdrawing any state never makes the restricted mean or withinStandard better beyond their CIs", async () => {
    const s = defaultScenario() as unknown as { contributions: { state: string; count: number }[] };
    const states = [...new Set(s.contributions.filter((c) => c.count > 0).map((c) => c.state))];
    expect(states.length).toBeGreaterThan(5);
    const half = (e: { lo: number; hi: number }) => (e.hi - e.lo) / 2;
    let notes = 0;
    for (const id of states) {
      const arm = structuredClone(s);
      arm.contributions = arm.contributions.filter((c) => c.state !== id);
      const r = await simulate(arm, { replications: 6, seed: 3 });
      const rb = base.line.timeToVerification.restrictedMean,
        ra = r.line.timeToVerification.restrictedMean;
      const tol = Math.hypot(half(rb), half(ra));
      expect(ra.value - rb.value, `${id}: restricted mean`).toBeGreaterThanOrEqual(-tol);
      const wb = base.line.withinStandard,
        wa = r.line.withinStandard;
      expect(wa.value - wb.value, `${id}: withinStandard`).toBeLessThanOrEqual(Math.hypot(half(wb), half(wa)));
      const note = survivorshipNote(base.line, r.line);
      if (
        r.line.outcomes.verified.value < base.line.outcomes.verified.value &&
        r.line.response.mean.value < base.line.response.mean.value
      ) {
        expect(note, id).toMatch(/over verified incidents only/);
        notes++;
      } else if (!(r.line.outcomes.verified.value < base.line.outcomes.verified.value)) expect(note, id).toBeNull();
    }
    // Withdrawing the US (the only UAV and satellite provider) drops verifications and speeds the conditional
    // mean: the case the note is for.
    expect(notes).toBeGreaterThan(0);
  });
});
