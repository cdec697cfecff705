/**
 * optimize: the least amount of a resource that meets a target with 95% confidence. On the M/M/c example
 * (λ = 3/h, μ = 1/h, response standard 1 h) withinStandard is P(wait ≤ 1 h) = 1 − C(c)·e^{−(c − 3)}, from
 * Erlang C: 0.8126 at c = 4, 0.9680 at c = 5, 0.9951 at c = 6. So the least c for ≥ 0.9 is 5 and for ≥ 0.99
 * is 6; the search must find them, state its interval, and keep the frontier on common random numbers.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { optimize, parseTarget } from "../src/experiment/optimize.js";
import { simulate } from "../src/experiment/simulate.js";
import { main } from "../src/cli/main.js";
import { captureIo } from "./helpers/io.js";

const mmc = () => JSON.parse(readFileSync(new URL("../examples/scenarios/mmc.json", import.meta.url), "utf8"));

/** P(wait ≤ t) of M/M/c with offered load a (Erlang C). */
function withinErlang(c: number, a: number, t: number): number {
  let sum = 0,
    term = 1;
  for (let k = 0; k < c; k++) {
    if (k > 0) term *= a / k;
    sum += term;
  }
  const last = ((term * a) / c) * (c / (c - a));
  return 1 - (last / (sum + last)) * Math.exp(-(c - a) * t);
}

describe("optimize on the M/M/c example", () => {
  for (const target of [0.9, 0.99]) {
    it(`withinStandard >= ${target}: the least c Erlang C gives`, async () => {
      const erlang = [4, 5, 6, 7, 8].find((c) => withinErlang(c, 3, 1) >= target)!;
      const o = await optimize(mmc(), { target: `withinStandard>=${target}`, vary: "teams", max: 8, replications: 10 });
      expect(o.answer).toBe(erlang);
      expect(o.current).toBe(4);
      const at = o.frontier.find((p) => p.amount === erlang)!;
      expect(at.meets).toBe("yes");
      expect(at.estimate!.lo).toBeGreaterThanOrEqual(target);
      expect(o.statement).toMatch(new RegExp(`^${erlang} \\(teams\\) is the least amount meeting withinStandard >= `));
      // The amount below is on the answer's replications and falls short.
      const below = o.frontier.find((p) => p.amount === erlang - 1)!;
      expect(below.replications).toBe(at.replications);
      expect(below.estimate!.value).toBeLessThan(target);
      // Each frontier point is exactly simulate's estimate at that amount with the same seed and replications.
      const s = mmc();
      s.contributions[0].count = erlang;
      const direct = await simulate(s, { replications: at.replications });
      expect(at.estimate).toEqual(direct.line.withinStandard);
      // The frontier rises with c (common random numbers keep the order).
      const sorted = o.frontier.filter((p) => p.estimate && p.replications === 10);
      for (let k = 1; k < sorted.length; k++)
        expect(sorted[k]!.estimate!.value).toBeGreaterThanOrEqual(sorted[k - 1]!.estimate!.value);
    });
  }

  it("a target no amount reaches is answered with null and what bounds it", async () => {
    const s = mmc();
    s.sectors[0].access = { ...(s.sectors[0].access ?? {}), denial: 0.3 };
    const o = await optimize(s, { target: "withinStandard>=0.9", vary: "teams", max: 8, replications: 4 });
    expect(o.answer).toBeNull();
    expect(o.unreachable!.ceiling!).toBeLessThan(0.8);
    expect(o.statement).toMatch(/is not met with 95% confidence by any amount of teams from 1 to 8/);
    expect(o.statement).toMatch(/denied access 3\d\.\d%/);
  });

  it("bad targets and resources are refused by name", async () => {
    expect(() => parseTarget("withinStandard>0.9")).toThrow(/^target: expected METRIC>=VALUE/);
    expect(() => parseTarget("nothing>=1")).toThrow(/cannot compare "nothing"/);
    expect(() => parseTarget("withinStandard>=1.5")).toThrow(/is a share: expected a value between 0 and 1/);
    expect(parseTarget("withinStandard >= 90%")).toEqual({ metric: "withinStandard", op: ">=", value: 0.9 });
    await expect(optimize(mmc(), { target: "withinStandard>=0.9", vary: "teams:xx" })).rejects.toThrow(
      /vary: "teams:xx": no team contribution of state "xx"/,
    );
    await expect(optimize(mmc(), { target: "withinStandard>=0.9", vary: "horizon" })).rejects.toThrow(
      /vary: expected "teams", "teams:STATE" or a whole-number parameter path/,
    );
  });
});

describe("ceasefire-sim optimize", () => {
  it("answers with a frontier and a confidence statement; --json is the library's result", async () => {
    const c = captureIo();
    const args = ["optimize", "examples/scenarios/mmc.json", "--target", "withinStandard>=0.9", "--vary", "teams"];
    expect(await main([...args, "--max", "8", "-r", "10", "-q"], c.io)).toBe(0);
    expect(c.out.stdout).toMatch(/the least teams meeting withinStandard >= 90\.0% \(today 4; tried 1–8/);
    expect(c.out.stdout).toMatch(/^5 \(teams\) is the least amount meeting/m);
    expect(c.out.stdout).toMatch(/^ +5 +\d+ +9\d\.\d% +\[9\d\.\d%, (9\d\.\d|100\.0)%\] +yes$/m);
    const j = captureIo();
    expect(await main([...args, "--max", "8", "-r", "10", "-q", "--json"], j.io)).toBe(0);
    expect(JSON.parse(j.out.stdout).answer).toBe(5);
    const bad = captureIo();
    expect(await main(["optimize", "--vary", "teams"], bad.io)).toBe(2);
    expect(bad.out.stderr).toContain("--target is required");
  });
});
