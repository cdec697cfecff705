import { describe, expect, it } from "vitest";
import seedrandom from "seedrandom";
import { exp, log } from "../src/rng/exp.js";
import { Rng, replicationStreams, stream, STREAMS } from "../src/rng/streams.js";

describe("Rng: seedrandom's xor4096 sequence, stepped over an Int32Array", () => {
  it("draws exactly the numbers seedrandom.xor4096 draws, for string and integer seeds", () => {
    for (const seed of [
      "1\u241f0\u241fincidents",
      "x",
      "a long seed string that is longer than one hundred and twenty-eight characters ".repeat(3),
      42,
      -7,
    ]) {
      const ours = new Rng(seed),
        ref = seedrandom.xor4096(seed as string);
      for (let i = 0; i < 20_000; i++) expect(ours.next()).toBe(ref());
      const ours32 = new Rng(seed),
        ref32 = seedrandom.xor4096(seed as string);
      for (let i = 0; i < 2_000; i++) expect(ours32.int32()).toBe(ref32.int32());
    }
  });

  it("next() is int32() read as unsigned over 2^32, in [0, 1)", () => {
    const a = new Rng("same"),
      b = new Rng("same");
    for (let i = 0; i < 10_000; i++) {
      const u = a.next();
      expect(u).toBe((b.int32() >>> 0) / 2 ** 32);
      expect(u >= 0 && u < 1).toBe(true);
    }
  });

  it("replicationStreams gives the four named streams of stream(seed, r, name)", () => {
    const s = replicationStreams(5, 3);
    expect(Object.keys(s)).toEqual([...STREAMS]);
    for (const name of STREAMS) expect(s[name].next()).toBe(stream(5, 3, name).next());
    expect(stream(1, 23, "x").next()).not.toBe(stream(12, 3, "x").next());
  });
});

/**
 * How far f is from ref, in units in the last place, at 10^6 arguments spread over each range (a fixed Weyl
 * sequence, so the test is the same every run): the largest distance, and the share of arguments where the two
 * agree exactly.
 */
function ulpsApart(
  f: (x: number) => number,
  ref: (x: number) => number,
  ranges: readonly (readonly [number, number])[],
): { worst: bigint; same: number } {
  const v = new Float64Array(2),
    bits = new BigInt64Array(v.buffer);
  let worst = 0n,
    same = 0,
    n = 0,
    u = 0.5;
  for (const [lo, hi] of ranges) {
    for (let i = 0; i < 1_000_000; i++) {
      u = (u + 0.6180339887498949) % 1;
      const x = lo + (hi - lo) * u;
      v[0] = f(x);
      v[1] = ref(x);
      const d = bits[0]! > bits[1]! ? bits[0]! - bits[1]! : bits[1]! - bits[0]!;
      if (d > worst) worst = d;
      if (d === 0n) same++;
      n++;
    }
  }
  return { worst, same: same / n };
}

describe("exp(): the engine's own exponential function", () => {
  it("gives the correctly rounded value at arguments whose exp is known to 50 digits", () => {
    // Reference values: Python's decimal module at 50 digits, rounded to the nearest double.
    const known: [number, number][] = [
      [1, Math.E],
      [-1, 0.36787944117144233],
      [0.5, 1.6487212707001282],
      [10, 22026.465794806718],
      [-10, 4.5399929762484854e-5],
      [100, 2.6881171418161356e43],
      [-100, 3.720075976020836e-44],
      [700, 1.0142320547350045e304],
      [-700, 9.85967654375977e-305],
      [0.001, 1.0010005001667084],
      [3.5, 33.11545195869231],
      [-0.25, 0.7788007830714049],
    ];
    for (const [x, e] of known) expect([x, exp(x)]).toEqual([x, e]);
  });

  it("stays within 2 ulp of Math.exp over 3·10^6 arguments (each within 1 ulp of e^x), and handles the edges", () => {
    const { worst } = ulpsApart(exp, Math.exp, [
      [-1, 1],
      [-30, 30],
      [-745, 709.7],
    ]);
    expect(worst).toBeLessThanOrEqual(2n);
    expect([exp(0), exp(-0), exp(Infinity), exp(-Infinity), exp(NaN), exp(710), exp(-746)]).toEqual([
      1,
      1,
      Infinity,
      0,
      NaN,
      Infinity,
      0,
    ]);
    expect(exp(-745.1)).toBe(5e-324);
    expect(exp(709.78)).toBeCloseTo(Math.exp(709.78), -295);
  });
});

describe("log(): the engine's own logarithm", () => {
  it("stays within 3 ulp of Math.log over 6·10^6 arguments from subnormal to huge, and handles the edges", () => {
    const { worst, same } = ulpsApart(log, Math.log, [
      [1e-300, 1e-290],
      [1e-10, 1],
      [0.5, 2],
      [0.999, 1.001],
      [1, 1e6],
      [1e300, 1.7e308],
    ]);
    expect(worst).toBeLessThanOrEqual(3n);
    expect(same).toBeGreaterThan(0.8);
    expect([log(1), log(0), log(-1), log(NaN), log(Infinity), log(5e-324)]).toEqual([
      0,
      -Infinity,
      NaN,
      NaN,
      Infinity,
      Math.log(5e-324),
    ]);
    expect(log(2)).toBe(Math.LN2);
    expect(exp(log(7.5))).toBeCloseTo(7.5, 14);
  });
});
