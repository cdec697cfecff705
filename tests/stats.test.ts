import { describe, expect, expectTypeOf, it } from "vitest";
import type { Channel as DeclaredChannel } from "../src/compile/compile.js";
import type { Channel } from "../src/model/types.js";
import { binLower, binOf, binUpper, histQuantile } from "../src/stats/histogram.js";
import { HIST_BINS, HIST_MIN } from "../src/layout/histogram.js";
import {
  ratioAdd,
  ratioEstimate,
  ratioMerge,
  RATIO_WIDTH,
  welfordAdd,
  welfordMerge,
  welfordSe,
} from "../src/stats/moments.js";
import { t975 } from "../src/stats/estimate.js";
import { normalQuantile } from "../src/rng/normal-quantile.js";
import { stream } from "../src/rng/streams.js";

describe("histogram layout", () => {
  it("bins contain their values and are at most 1/64 of their lower edge wide", () => {
    for (const v of [0, 1e-9, HIST_MIN, 0.0011, 0.5, 1, 1.5, 2, 3.999, 24, 1000, 12345.6]) {
      const i = binOf(v);
      expect(binLower(i)).toBeLessThanOrEqual(v);
      expect(v).toBeLessThan(binUpper(i));
      if (i > 0) expect((binUpper(i) - binLower(i)) / binLower(i)).toBeLessThanOrEqual(1 / 64 + 1e-12);
    }
    expect(binOf(1e12)).toBe(HIST_BINS - 1);
    for (let i = 1; i < HIST_BINS - 1; i++) expect(binOf(binLower(i))).toBe(i);
  });

  it("quantiles of an exponential sample are within a bin width of the exact ones", () => {
    const h = new Float64Array(HIST_BINS);
    const rng = stream(1, 0, "test");
    const n = 200_000;
    for (let i = 0; i < n; i++) h[binOf(-2 * Math.log(1 - rng.next()))]! += 1;
    for (const q of [0.1, 0.5, 0.9, 0.99]) {
      const exact = -2 * Math.log(1 - q);
      expect(Math.abs(histQuantile(h, 0, n, q) / exact - 1)).toBeLessThan(0.02);
    }
    expect(histQuantile(h, 0, 0, 0.5)).toBeNaN();
  });
});

describe("ratio moments", () => {
  const xs = [10, 12, 9, 11, 14, 8, 10, 13];
  const ys = [5.1, 6.3, 4.2, 5.9, 7.7, 3.8, 5.0, 6.8];
  it("estimate Σy/Σx with the delta-method CI, as computed directly", () => {
    const a = new Float64Array(RATIO_WIDTH);
    for (const [i, x] of xs.entries()) ratioAdd(a, 0, x, ys[i]!);
    const n = xs.length,
      mx = xs.reduce((p, q) => p + q) / n,
      my = ys.reduce((p, q) => p + q) / n,
      R = my / mx;
    const s2 = xs.reduce((acc, x, i) => acc + (ys[i]! - R * x) ** 2, 0) / (n - 1);
    const se = Math.sqrt(s2 / n) / mx;
    const e = ratioEstimate(a, 0);
    expect(e.value).toBeCloseTo(R, 14);
    expect(e.halfWidth).toBeCloseTo(t975(n - 1) * se, 12);
    expect(e.n).toBe(n);
  });
  it("merging two halves equals adding all (Chan et al.)", () => {
    const all = new Float64Array(RATIO_WIDTH),
      a = new Float64Array(RATIO_WIDTH),
      b = new Float64Array(RATIO_WIDTH);
    xs.forEach((x, i) => {
      ratioAdd(all, 0, x, ys[i]!);
      ratioAdd(i < 3 ? a : b, 0, x, ys[i]!);
    });
    ratioMerge(a, b, 0);
    for (let k = 0; k < RATIO_WIDTH; k++) expect(a[k]).toBeCloseTo(all[k]!, 10);
    const w = new Float64Array(3),
      w1 = new Float64Array(3),
      w2 = new Float64Array(3);
    ys.forEach((y, i) => {
      welfordAdd(w, 0, y);
      welfordAdd(i % 2 ? w1 : w2, 0, y);
    });
    welfordMerge(w1, w2, 0);
    expect(welfordSe(w1, 0)).toBeCloseTo(welfordSe(w, 0), 12);
  });
  it("t quantiles match published values", () => {
    expect(t975(1)).toBeCloseTo(12.706, 3);
    expect(t975(19)).toBeCloseTo(2.093, 3);
    expect(t975(60)).toBeCloseTo(2.0003, 3);
    expect(t975(120)).toBeCloseTo(1.9799, 3);
  });
});

describe("normalQuantile", () => {
  it("normalQuantile matches tabulated values", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 8);
  });
});

describe("Channel", () => {
  // A type test (tsc checks it): the public channel names are the declared channel codes' labels.
  it("equals the labels of the declared channel codes", () => {
    expectTypeOf<Channel>().toEqualTypeOf<DeclaredChannel>();
  });
});
