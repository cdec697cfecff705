/**
 * The budget under attack: every kind of work a run can do (incidents, timeline events, satellite passes, memory,
 * design points and Sobol evaluations) is estimated and refused before the first replication, with the estimate.
 */
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { checkPlan, replicationCost } from "../src/experiment/budget.js";
import { resolveRunOptions } from "../src/experiment/options.js";
import { compare } from "../src/experiment/compare.js";
import { sensitivity, tornado } from "../src/experiment/sensitivity.js";
import { withdrawal } from "../src/experiment/withdrawal.js";
import { simulate } from "../src/experiment/simulate.js";
import { runShard } from "../src/experiment/shard.js";
import { sweep, sweepDesign } from "../src/experiment/sweep.js";
import { parseScenario } from "../src/model/parse.js";
import { defaultScenario } from "../src/scenarios/index.js";

const mmc = () => JSON.parse(fs.readFileSync(new URL("../examples/scenarios/mmc.json", import.meta.url), "utf8"));
const budget = resolveRunOptions({}, "simulate").budget;

/** The default scenario with the optical satellites revisiting every `revisit`. */
function satellites(revisit: string) {
  const s = defaultScenario();
  const sat = s.assets!.find((a) => a.id === "sat-eo")!;
  (sat as { revisit: string }).revisit = revisit;
  return s;
}

describe("the budget counts what a replication does", () => {
  it("satellite passes: each incident looks at window / revisit passes of each satellite", () => {
    const slow = replicationCost(parseScenario(satellites("6 h")));
    const fast = replicationCost(parseScenario(satellites("1 min")));
    expect(fast.incidents).toBe(slow.incidents);
    // The optical constellation's window is 2 days: 2881 passes per incident per satellite, not 9.
    expect(fast.passes / slow.passes).toBeGreaterThan(100);
    expect(fast.work).toBe(fast.incidents + fast.events + fast.passes);
  });

  it("a satellite revisiting every minute is refused up front, naming its passes", async () => {
    const s = satellites("1 min");
    const cost = replicationCost(parseScenario(s));
    const progress: number[] = [];
    const limit = cost.work / 2;
    await expect(
      simulate(s, {
        replications: 2,
        budget: { incidentsPerReplication: limit },
        onProgress: (p) => progress.push(p.done),
      }),
    ).rejects.toThrow(/budget: one replication would simulate about .* satellite passes .* passes\), over the limit/);
    expect(progress).toEqual([]);
    // Under the limit it runs.
    expect(cost.work).toBeLessThan(budget.incidentsPerReplication);
  });

  it("a replication needing more than the engine's 4 GiB is refused up front with the estimate", async () => {
    const s = mmc();
    s.sectors[0].incidents.rate = "40000 /h";
    const progress: number[] = [];
    await expect(
      simulate(s, {
        replications: 1,
        budget: { incidents: 1e12, incidentsPerReplication: 1e12 },
        onProgress: (p) => progress.push(p.done),
      }),
    ).rejects.toThrow(/budget: one replication would need about \d+\.\d GiB of engine memory/);
    expect(progress).toEqual([]);
  });

  it("a shard is held to the same budget", async () => {
    const s = mmc();
    s.horizon = "10000000 h";
    await expect(runShard(s, { replications: 4, shard: { index: 0, count: 2 } })).rejects.toThrow(/budget/);
  });

  it("checkPlan sums every planned replication against the total budget, and names the labelled point", () => {
    const s = parseScenario(mmc());
    const work = replicationCost(s).work;
    const limits = { incidents: 10 * work, incidentsPerReplication: 2 * work };
    expect(() => checkPlan([{ scenario: s, replications: 10 }], limits)).not.toThrow();
    expect(() =>
      checkPlan(
        [
          { scenario: s, replications: 10 },
          { scenario: s, replications: 1 },
        ],
        limits,
        "x",
      ),
    ).toThrow(/budget: x would simulate about .* in 11 replications/);
    const longer = parseScenario({ ...mmc(), horizon: "100000 h" });
    expect(() => checkPlan([{ scenario: longer, replications: 1, label: "point 3" }], limits)).toThrow(
      /budget: point 3: one replication/,
    );
  });
});

describe("designs are refused before the first simulation", () => {
  it("a grid range with 10^8 levels is refused at once, naming the parameter", () => {
    expect(() => sweepDesign({ parameters: [{ path: "horizon", min: 1, max: 2, levels: 1e8 }] })).toThrow(
      /horizon: levels: 100000000 is more than a design may have/,
    );
  });

  it("a sweep whose points exceed the budget names the point, and runs nothing", async () => {
    const progress: number[] = [];
    await expect(
      sweep(mmc(), {
        parameters: [{ path: "horizon", values: [1000, 1e7] }],
        replications: 2,
        onProgress: (p) => progress.push(p.done),
      }),
    ).rejects.toThrow(/budget: point 1 \(horizon = 10000000\): one replication/);
    expect(progress).toEqual([]);
    // Together over the total: 1,000 points of one replication each, with a total budget of a few.
    const work = replicationCost(parseScenario(mmc())).work;
    await expect(
      sweep(mmc(), {
        parameters: [{ path: "contributions[state=state,asset=team].count", min: 4, max: 1003, levels: 1000 }],
        replications: 1,
        budget: { incidents: 5 * work },
      }),
    ).rejects.toThrow(/budget: the sweep \(1000 points\) would simulate about/);
  }, 120_000);

  it("a Sobol design over the budget is refused with its number of simulations", async () => {
    const progress: number[] = [];
    await expect(
      sensitivity(mmc(), {
        metric: "response.mean",
        parameters: [
          { path: "horizon", min: 100, max: 200_000 },
          { path: "contributions[state=state,asset=team].count", min: 4, max: 8 },
        ],
        samples: 64,
        replications: 50,
        onProgress: (p) => progress.push(p.done),
      }),
    ).rejects.toThrow(/budget: the Sobol design \(256 simulations\) would simulate about/);
    expect(progress).toEqual([]);
  });

  it("compare and withdrawal count every arm", async () => {
    const work = replicationCost(parseScenario(defaultScenario())).work;
    // Room for 3 × 10 replications of one arm, not for two arms or the 1 + 4 arms of a withdrawal.
    const limits = { incidents: 30 * work };
    const progress: number[] = [];
    await expect(
      compare(defaultScenario(), ["risk-weighted", "uniform", "greedy-coverage"], {
        replications: 20,
        budget: limits,
        onProgress: (p) => progress.push(p.done),
      }),
    ).rejects.toThrow(/budget: the comparison \(3 arms\) would simulate about .* in 60 replications/);
    await expect(
      withdrawal(defaultScenario(), { replications: 10, budget: limits, onProgress: (p) => progress.push(p.done) }),
    ).rejects.toThrow(/budget: the comparison \(\d+ arms\) would simulate about/);
    expect(progress).toEqual([]);
  }, 60_000);

  it("a tornado over the budget names the costly end", async () => {
    await expect(
      tornado(mmc(), {
        metric: "response.mean",
        parameters: [{ path: "horizon", low: 100, high: 1e7 }],
        replications: 2,
      }),
    ).rejects.toThrow(/budget: horizon = 10000000: one replication/);
  });
});
