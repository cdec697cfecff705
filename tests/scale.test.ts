import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { defaultScenario } from "../src/scenarios/index.js";
import { simulate as simulateOne, type Result } from "../src/experiment/simulate.js";
import { runShard, mergeResults, shardSlice } from "../src/experiment/shard.js";
import { simulate } from "../src/node/parallel.js"; // runs dist/worker.js (npm test builds first)

const strip = (r: Result) => {
  const { wallTimeMs: _w, startedAt: _s, ...p } = r.provenance;
  return { ...r, provenance: p };
};

describe("worker threads", () => {
  it("results are identical for 1, 2 and 4 workers (and any chunking)", async () => {
    const opts = { replications: 24, seed: 5 };
    const one = await simulateOne(defaultScenario(), opts);
    const two = await simulate(defaultScenario(), { ...opts, workers: 2 });
    const four = await simulate(defaultScenario(), { ...opts, workers: 4, chunk: 1 });
    expect(strip(two)).toEqual(strip(one));
    expect(strip(four)).toEqual(strip(one));
  });
  it("sequential stopping gives the same replications and result with workers", async () => {
    const until = { metric: "detection.probability", relHalfWidth: 0.003, minReplications: 5, maxReplications: 60 };
    const one = await simulateOne(defaultScenario(), { seed: 2, until });
    const two = await simulate(defaultScenario(), { seed: 2, until, workers: 2 });
    expect(strip(two)).toEqual(strip(one));
  });
  it("an abort stops the pool with a consistent partial result", async () => {
    const ac = new AbortController();
    const err = await simulate(defaultScenario(), {
      replications: 5000,
      seed: 1,
      workers: 2,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.done >= 4) ac.abort();
      },
    }).then(
      () => null,
      (e) => e,
    );
    expect(err?.name).toBe("AbortError");
    const n = err.partial.provenance.replications;
    expect(n).toBeGreaterThanOrEqual(4);
    expect(n).toBeLessThan(5000);
    // The partial equals a one-thread run of the same number of replications.
    expect({ ...strip(err.partial), provenance: { ...strip(err.partial).provenance, complete: true } }).toEqual(
      strip(await simulateOne(defaultScenario(), { replications: n, seed: 1 })),
    );
  });
  it("refuses a bad worker count", async () => {
    await expect(simulate(defaultScenario(), { workers: 0 })).rejects.toThrow(/workers/);
  });
});

describe("shards", () => {
  it("slices partition the replications", () => {
    const parts = [0, 1, 2].map((i) => shardSlice(10, i, 3));
    expect(parts).toEqual([
      { from: 0, to: 3 },
      { from: 3, to: 6 },
      { from: 6, to: 10 },
    ]);
  });
  it("4 shards merged equal one run exactly; missing, duplicated and mismatched shards are refused", async () => {
    const opts = { replications: 18, seed: 8 };
    const parts = await Promise.all(
      [0, 1, 2, 3].map((index) => runShard(defaultScenario(), { ...opts, shard: { index, count: 4 } })),
    );
    // Through JSON, as files would carry them.
    const viaJson = parts.map((p) => JSON.parse(JSON.stringify(p)));
    const merged = await mergeResults([viaJson[2], viaJson[0], viaJson[3], viaJson[1]]);
    const one = await simulateOne(defaultScenario(), opts);
    expect(strip(merged)).toEqual(strip(one));
    // The survival curve's intervals come from sums the parts carry beside their records: the same to the bit.
    for (const [a, b] of [[merged.line, one.line], ...merged.sectors.map((s, i) => [s, one.sectors[i]!] as const)]) {
      expect(a.timeToVerification.survival).toEqual(b.timeToVerification.survival);
      expect(a.timeToVerification.survival.some((p) => p.verifiedLo < p.verified)).toBe(true);
    }
    await expect(mergeResults(viaJson.slice(0, 3))).rejects.toThrow("missing shard 3/4");
    await expect(mergeResults([...viaJson, viaJson[1]])).rejects.toThrow("shard 1/4 is given twice");
    const other = await runShard(defaultScenario(), { ...opts, seed: 9, shard: { index: 1, count: 4 } });
    await expect(mergeResults([viaJson[0], other, viaJson[2], viaJson[3]])).rejects.toThrow(/different seed/);
    await expect(mergeResults([{ ...viaJson[0], version: "0.0.1" }, ...viaJson.slice(1)])).rejects.toThrow(
      /different library version/,
    );
    await expect(mergeResults([{ format: "nope" } as never])).rejects.toThrow(/not a ceasefire-sim partial result/);
  });
  it("examples/cluster/local-demo.sh runs shards as processes and merges them to the one-process result", () => {
    const out = execFileSync("bash", ["examples/cluster/local-demo.sh", "16"], {
      cwd: new URL("..", import.meta.url),
      encoding: "utf8",
    });
    expect(out).toContain("identical to the one-process run");
  });
});
