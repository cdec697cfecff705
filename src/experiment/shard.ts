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
import { ENGINE } from "../engine/replication.js";
import { RNG_ALGORITHM } from "../rng/streams.js";
import { addHistograms, addRecord, createAccumulator, recordSize } from "../stats/accumulator.js";
import { VERSION } from "../version.js";
import { buildResult, type Result, type SimulateOptions } from "./simulate.js";
import { checkBudget } from "./budget.js";
import { resolveRunOptions } from "./options.js";
import { prepare, resolveAllocation, scenarioOf } from "./run.js";
import { runToTarget, withSession } from "./runner.js";

/** A shard's partial result: per-replication records and histogram counts, with what rebuilds the model. */
export interface Partial {
  format: "ceasefire-sim/partial@1";
  version: string;
  scenario: { name: string; hash: string; input: unknown; horizonHours: number };
  seed: string;
  rng: string;
  /** The engine that ran the replications (provenance's `engine`). */
  engine: string;
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
  options: Omit<SimulateOptions, "until" | "checkpoint"> & { shard: { index: number; count: number } },
): Promise<Partial> {
  const started = Date.now();
  const o = resolveRunOptions(options, "shard");
  const { index, count } = o.shard!;
  const total = o.replications!;
  const s = scenarioOf(scenario, o.horizon);
  const { from, to } = shardSlice(total, index, count);
  checkBudget(s, to - from, o.budget);
  const p = await prepare(s, await resolveAllocation(s, options.allocation));
  const size = recordSize(p.model);
  const records: (number | null)[][] = [];
  const acc = await withSession(o, async (session) => {
    const batch = session.batch([p], from);
    const out = await runToTarget(batch, o, {
      total: to,
      onReplication: (_r, rec, at) => {
        const row = new Array<number | null>(size);
        for (let k = 0; k < size; k++) {
          const v = rec[at + k]!;
          row[k] = Number.isNaN(v) ? null : v;
        }
        records.push(row);
      },
      onProgress: ({ done }) => session.progress({ done: done - from, total: to - from }),
    });
    if (!out.complete) {
      session.throwIfFailed();
      throw new RangeError(
        `shard ${index}/${count} stopped after ${batch.done - from} of ${to - from} replications; nothing written`,
      );
    }
    return batch.accs[0]!;
  });
  return {
    format: "ceasefire-sim/partial@1",
    version: VERSION,
    scenario: { name: s.name, hash: p.hash, input: s.source, horizonHours: s.horizon },
    seed: o.seed,
    rng: RNG_ALGORITHM,
    engine: ENGINE,
    allocation: p.allocation,
    shard: { index, count },
    replications: { total, from, to },
    recordSize: size,
    records,
    respHist: sparse(acc.respHist),
    detHist: sparse(acc.detHist),
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
        `merge: part ${i + 1} is not a ceasefire-sim partial result (format ` +
          `${JSON.stringify((p as { format?: unknown })?.format)})`,
      );
  });
  const first = parts[0]!;
  const same = (what: string, get: (p: Partial) => unknown) => {
    const want = JSON.stringify(get(first));
    parts.forEach((p, i) => {
      const got = JSON.stringify(get(p));
      if (got !== want)
        throw new RangeError(
          `merge: part ${i + 1} (shard ${p.shard.index}/${p.shard.count}) has a different ${what}: ` +
            `${got.slice(0, 80)} vs ${want.slice(0, 80)}`,
        );
    });
  };
  same("library version", (p) => p.version);
  same("scenario hash", (p) => p.scenario.hash);
  same("horizon", (p) => p.scenario.horizonHours);
  same("seed", (p) => p.seed);
  same("RNG", (p) => p.rng);
  same("engine", (p) => p.engine);
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
