/**
 * Many machines: a shard runs a disjoint slice of the replication range and
 * returns a partial result — per-replication records plus histogram counts,
 * with everything needed to rebuild the model (scenario input, horizon,
 * allocation). `mergeResults` adds the records back in replication order, so
 * the merged result equals a one-machine run of the same replications
 * exactly (apart from timing fields). Shards that do not fit together —
 * missing, duplicated, or from another scenario, seed, version or
 * allocation — are refused with a message saying which.
 */
import type { Allocation } from "../allocation/allocation.js";
import { parseScenario } from "../model/parse.js";
import { runReplication } from "../engine/replication.js";
import { createWorkspace } from "../engine/workspace.js";
import { RNG_ALGORITHM, replicationStreams } from "../rng/streams.js";
import {
  addHistograms,
  addRecord,
  addTouchedBins,
  createAccumulator,
  fillRecord,
  recordSize,
} from "../stats/accumulator.js";
import { VERSION } from "../version.js";
import { buildResult, resolveSeed, type Result, type SimulateOptions } from "./simulate.js";
import { pause, prepare, resolveAllocation, scenarioOf } from "./run.js";

export interface Partial {
  format: "ceasefire-sim/partial@1";
  version: string;
  scenario: { name: string; hash: string; input: unknown; horizonHours: number };
  seed: string;
  rng: string;
  allocation: Allocation;
  shard: { index: number; count: number };
  /** All replications of the run, and this shard's slice [from, to). */
  replications: { total: number; from: number; to: number };
  recordSize: number;
  /** One record per replication of the slice (NaN written as null). */
  records: (number | null)[][];
  /** Histogram counts as [bin, count] pairs. */
  respHist: [number, number][];
  detHist: [number, number][];
  wallTimeMs: number;
  startedAt: string;
}

/** The slice [from, to) of shard `index` of `count` over `total` replications. */
export function shardSlice(total: number, index: number, count: number): { from: number; to: number } {
  return { from: Math.floor((index * total) / count), to: Math.floor(((index + 1) * total) / count) };
}

const sparse = (h: Float64Array): [number, number][] => {
  const out: [number, number][] = [];
  for (let i = 0; i < h.length; i++) if (h[i] !== 0) out.push([i, h[i]!]);
  return out;
};

/**
 * Run shard `index` of `count` of a `replications`-long run.
 *
 * @example
 * const part = await runShard(defaultScenario(), { replications: 1000, seed: 1, shard: { index: 0, count: 4 } });
 */
export async function runShard(
  scenario: unknown,
  options: SimulateOptions & { shard: { index: number; count: number } },
): Promise<Partial> {
  const started = Date.now();
  const { index, count } = options.shard;
  const total = options.replications ?? 200;
  if (options.until) throw new RangeError("shard: sequential stopping (until) needs the whole run; give replications");
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`shard count: expected a whole number of at least 1; got ${count}`);
  if (!Number.isInteger(index) || index < 0 || index >= count)
    throw new RangeError(`shard index: expected a whole number from 0 to ${count - 1}; got ${index}`);
  if (!Number.isInteger(total) || total < count)
    throw new RangeError(`replications: expected a whole number of at least the shard count (${count}); got ${total}`);
  const seed = resolveSeed(options.seed);
  const s = scenarioOf(scenario, options.horizon);
  const p = await prepare(s, await resolveAllocation(s, options.allocation));
  const m = p.model,
    ws = createWorkspace(m),
    size = recordSize(m);
  const { from, to } = shardSlice(total, index, count);
  const record = new Float64Array(size);
  const records: (number | null)[][] = [];
  const respHist = new Float64Array(ws.respHist.length),
    detHist = new Float64Array(ws.detHist.length);
  let lastYield = Date.now();
  for (let r = from; r < to; r++) {
    if (options.signal?.aborted)
      throw new RangeError(
        `shard ${index}/${count} stopped after ${r - from} of ${to - from} replications; nothing written`,
      );
    runReplication(m, replicationStreams(seed, r), ws);
    fillRecord(m, ws.tally, ws.respHist, record, 0, ws.respBounds);
    records.push(Array.from(record, (v) => (Number.isNaN(v) ? null : v)));
    addTouchedBins(ws, respHist, detHist);
    if (Date.now() - lastYield > 50 || r === to - 1) {
      options.onProgress?.({ done: r + 1 - from, total: to - from });
      await pause();
      lastYield = Date.now();
    }
  }
  return {
    format: "ceasefire-sim/partial@1",
    version: VERSION,
    scenario: { name: s.name, hash: p.hash, input: s.source, horizonHours: s.horizon },
    seed,
    rng: RNG_ALGORITHM,
    allocation: p.allocation,
    shard: { index, count },
    replications: { total, from, to },
    recordSize: size,
    records,
    respHist: sparse(respHist),
    detHist: sparse(detHist),
    wallTimeMs: Date.now() - started,
    startedAt: new Date(started).toISOString(),
  };
}

/** Merge the partial results of every shard of one run into its result. */
export async function mergeResults(parts: Partial[]): Promise<Result> {
  if (!Array.isArray(parts) || parts.length === 0) throw new RangeError("merge: expected at least one partial result");
  parts.forEach((p, i) => {
    if (!p || typeof p !== "object" || p.format !== "ceasefire-sim/partial@1")
      throw new RangeError(
        `merge: part ${i + 1} is not a ceasefire-sim partial result (format ${JSON.stringify((p as { format?: unknown })?.format)})`,
      );
  });
  const first = parts[0]!;
  const same = (what: string, get: (p: Partial) => unknown) => {
    const want = JSON.stringify(get(first));
    parts.forEach((p, i) => {
      const got = JSON.stringify(get(p));
      if (got !== want)
        throw new RangeError(
          `merge: part ${i + 1} (shard ${p.shard.index}/${p.shard.count}) has a different ${what}: ${got.slice(0, 80)} vs ${want.slice(0, 80)}`,
        );
    });
  };
  same("library version", (p) => p.version);
  same("scenario hash", (p) => p.scenario.hash);
  same("horizon", (p) => p.scenario.horizonHours);
  same("seed", (p) => p.seed);
  same("RNG", (p) => p.rng);
  same("replication total", (p) => p.replications.total);
  same("shard count", (p) => p.shard.count);
  same("allocation", (p) => p.allocation);
  const count = first.shard.count,
    total = first.replications.total;
  const byIndex = new Map<number, Partial>();
  for (const p of parts) {
    if (byIndex.has(p.shard.index)) throw new RangeError(`merge: shard ${p.shard.index}/${count} is given twice`);
    byIndex.set(p.shard.index, p);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0)
    throw new RangeError(
      `merge: missing shard${missing.length > 1 ? "s" : ""} ${missing.map((i) => `${i}/${count}`).join(", ")}`,
    );
  const s0 = parseScenario(first.scenario.input);
  const s =
    s0.horizon === first.scenario.horizonHours ? s0 : Object.freeze({ ...s0, horizon: first.scenario.horizonHours });
  const p = await prepare(s, first.allocation);
  if (p.hash !== first.scenario.hash)
    throw new RangeError("merge: the scenario inside the parts does not match their hash");
  const size = recordSize(p.model);
  const acc = createAccumulator(p.model);
  const record = new Float64Array(size);
  for (let i = 0; i < count; i++) {
    const part = byIndex.get(i)!;
    const want = shardSlice(total, i, count);
    if (
      part.replications.from !== want.from ||
      part.replications.to !== want.to ||
      part.records.length !== want.to - want.from ||
      part.recordSize !== size
    )
      throw new RangeError(
        `merge: shard ${i}/${count} does not hold replications ${want.from}–${want.to - 1} of ${total}`,
      );
    for (const rec of part.records) {
      if (rec.length !== size)
        throw new RangeError(`merge: shard ${i}/${count} has a record of ${rec.length} numbers, expected ${size}`);
      for (let k = 0; k < size; k++) record[k] = rec[k] ?? NaN;
      addRecord(acc, p.model, record);
    }
    const h = (pairs: [number, number][], len: number) => {
      const a = new Float64Array(len);
      for (const [bin, c] of pairs) a[bin] = c;
      return a;
    };
    addHistograms(acc, h(part.respHist, acc.respHist.length), h(part.detHist, acc.detHist.length));
  }
  const startedAt = Math.min(...parts.map((x) => Date.parse(x.startedAt)));
  const result = buildResult(p, acc, first.seed, startedAt, true);
  result.provenance.wallTimeMs = parts.reduce((a, x) => a + x.wallTimeMs, 0);
  return result;
}
