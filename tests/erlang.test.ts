import { describe, expect, it } from "vitest";
import fs from "node:fs";
import { erlangC } from "../src/analytic/erlang.js";
import { simulate } from "../src/experiment/simulate.js";
import { normalQuantile } from "../src/rng/normal-quantile.js";
import { t975, tQuantile } from "../src/stats/estimate.js";

const mmc = JSON.parse(fs.readFileSync(new URL("../examples/scenarios/mmc.json", import.meta.url), "utf8"));

/** The shipped M/M/c scenario with λ, μ and c changed the way its description tells a reader to. */
function mmcScenario(lambda: number, mu: number, c: number, horizonHours: number) {
  const s = structuredClone(mmc);
  s.sectors[0].incidents.rate = `${lambda} /h`;
  s.assets[0].onSite.mean = `${1 / mu} h`;
  s.contributions[0].count = c;
  s.horizon = `${horizonHours} h`;
  return s;
}

describe("erlangC", () => {
  it("matches closed forms: M/M/1 and the c = 4 textbook case", () => {
    // M/M/1: P(wait) = ρ, E[Wq] = ρ / (μ − λ).
    const m1 = erlangC({ lambda: 0.8, mu: 1, c: 1 });
    expect(m1.pWait).toBeCloseTo(0.8, 12);
    expect(m1.meanWait).toBeCloseTo(4, 12);
    // λ = 3, μ = 1, c = 4: C = (81/24 · 4) / (1 + 3 + 9/2 + 27/6 + 81/24 · 4) = 27/53.
    const m4 = erlangC({ lambda: 3, mu: 1, c: 4 });
    expect(m4.pWait).toBeCloseTo(27 / 53, 12);
    expect(m4.meanWait).toBeCloseTo(27 / 53, 12);
    expect(m4.waitExceeds(1)).toBeCloseTo((27 / 53) * Math.exp(-1), 12);
    // Published value: c = 10, a = 8 erlangs → C ≈ 0.4092 (Erlang C tables; 1 − 0.5908).
    expect(erlangC({ lambda: 8, mu: 1, c: 10 }).pWait).toBeCloseTo(0.40918, 4);
  });

  it("refuses unstable or meaningless queues", () => {
    expect(() => erlangC({ lambda: 4, mu: 1, c: 4 })).toThrow(/unstable/);
    expect(() => erlangC({ lambda: 1, mu: 1, c: 1.5 })).toThrow(RangeError);
  });
});

describe("simulate on examples/scenarios/mmc.json reproduces Erlang C", () => {
  // Several (λ, μ, c), each estimate within its confidence interval. There are 16 comparisons (4 cases × 4
  // quantities), so each uses the library's 95% interval widened to family level 95% (Bonferroni: t19 at
  // 1 − 0.05/32 instead of 0.975); at the plain 95% level one of 16 true statements would fail about every
  // other seed. Seeds are fixed, so the test is exact; the CI widths are also bounded so a broken estimator
  // cannot pass by being vague.
  const WIDEN = tQuantile(1 - 0.05 / 32, 19, normalQuantile) / t975(19);
  const cases = [
    { lambda: 3, mu: 1, c: 4, horizon: 2000 },
    { lambda: 0.7, mu: 1, c: 1, horizon: 6000 },
    { lambda: 5, mu: 0.5, c: 12, horizon: 1500 },
    { lambda: 1.5, mu: 2, c: 2, horizon: 3000 },
  ];
  for (const k of cases) {
    it(`λ=${k.lambda}/h, μ=${k.mu}/h, c=${k.c}`, async () => {
      const ref = erlangC(k);
      const r = await simulate(mmcScenario(k.lambda, k.mu, k.c, k.horizon), { replications: 20, seed: 2026 });
      const L = r.line;
      // Every incident is verified; response = queue wait.
      expect(L.counts.verified).toBe(L.counts.incidents);
      const pWait = L.dispatch.queuedShare,
        wait = L.response.mean;
      expect(Math.abs(pWait.value - ref.pWait)).toBeLessThanOrEqual(WIDEN * pWait.halfWidth);
      expect(Math.abs(wait.value - ref.meanWait)).toBeLessThanOrEqual(WIDEN * wait.halfWidth);
      expect(pWait.halfWidth).toBeLessThan(0.05);
      expect(wait.halfWidth / ref.meanWait).toBeLessThan(0.2);
      // Share verified within the 1 h standard = P(Wq <= 1 h).
      expect(Math.abs(L.withinStandard.value - (1 - ref.waitExceeds(1)))).toBeLessThanOrEqual(
        WIDEN * L.withinStandard.halfWidth,
      );
      // Utilisation: busy share of the c teams = ρ.
      const util = r.states[0]!.utilisation;
      expect(Math.abs(util.value - ref.utilisation)).toBeLessThanOrEqual(WIDEN * util.halfWidth);
    });
  }
});

describe("with gamma on-site times the M/M/1 becomes an M/G/1, and its mean wait is Pollaczek–Khinchine's", () => {
  // E[Wq] = λ·E[S²] / (2(1 − ρ)), with E[S²] = mean²·(1 + cv²) for a gamma on-site time of that mean and cv.
  // Three cases (shape 4, 1 and 0.44: the last takes the sampler's boost), each at family level 95%.
  const WIDEN = tQuantile(1 - 0.05 / 6, 19, normalQuantile) / t975(19);
  const cases = [
    { lambda: 0.5, mean: 1, cv: 0.5 },
    { lambda: 0.6, mean: 1, cv: 1 },
    { lambda: 0.4, mean: 1.5, cv: 1.5 },
  ];
  for (const k of cases) {
    it(`λ=${k.lambda}/h, on-site gamma with mean ${k.mean} h and cv ${k.cv}`, async () => {
      const s = mmcScenario(k.lambda, 1 / k.mean, 1, 6000);
      s.assets[0].onSite = { dist: "gamma", mean: `${k.mean} h`, cv: k.cv };
      const rho = k.lambda * k.mean;
      const ref = (k.lambda * k.mean * k.mean * (1 + k.cv * k.cv)) / (2 * (1 - rho));
      const r = await simulate(s, { replications: 20, seed: 2026 });
      const wait = r.line.response.mean;
      expect(Math.abs(wait.value - ref)).toBeLessThanOrEqual(WIDEN * wait.halfWidth);
      expect(wait.halfWidth / ref).toBeLessThan(0.15);
      // The queue is busy a share ρ of the time.
      const util = r.states[0]!.utilisation;
      expect(Math.abs(util.value - rho)).toBeLessThanOrEqual(WIDEN * util.halfWidth);
      expect(r.provenance.engine).toBe("wasm-core");
    });
  }
});
