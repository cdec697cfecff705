/**
 * Many machines: a shard runs a disjoint slice of the replication range and
 * returns a partial result — per-replication records plus histogram counts and curve sums,
 * with everything needed to rebuild the model (scenario input, horizon,
 * allocation) and a digest of its content. `mergeResults` checks each part
 * (see ./integrity.ts: format, fields, version, RNG, engine, digest, values)
 * and adds the records back in replication order, so the merged result equals
 * a one-machine run of the same replications exactly (apart from timing
 * fields). Parts that do not check out, or do not fit together — missing,
 * duplicated, or from another scenario, seed, version or allocation — are
 * refused with a message naming the part and saying what is wrong.
 */
import type { Allocation } from "../allocation/allocation.js";
import { parseScenario } from "../model/parse.js";
import { ENGINE } from "../engine/replication.js";
import { RNG_ALGORITHM } from "../rng/streams.js";
import { addHistograms, addRecord, addSums, createAccumulator, curveSize, recordSize } from "../stats/accumulator.js";
import { VERSION } from "../version.js";
import { buildResult, type Result, type SimulateOptions } from "./simulate.js";
import { checkBudget } from "./budget.js";
import { IntegrityError, PARTIAL_FORMAT, checkPartFits, sealPart, shardSlice, verifyPart } from "./integrity.js";
import { resolveRunOptions } from "./options.js";
import { prepare, resolveAllocation, scenarioOf, type Prepared } from "./run.js";
import { runToTarget, withSession } from "./runner.js";

export { shardSlice };

/** A shard's partial result: per-replication records and histogram counts, with what rebuilds the model. */
export interface Partial {
  format: "ceasefire-sim/partial@3";
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
  /**
   * The slice's sums at the survival curve's edges (the accumulator's `curve`: whole numbers) as [index, sum]
   * pairs, the non-zero ones: what the curve's intervals need beyond the records.
   */
  curve: [number, number][];
  wallTimeMs: number;
  startedAt: string;
  /**
   * "sha256:" and the SHA-256 of the part's canonical JSON without this field and the timing fields
   * (`wallTimeMs`, `startedAt`): any edit or corruption of the content is refused by `mergeResults`.
   */
  digest: string;
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
  const body: Omit<Partial, "digest"> = {
    format: PARTIAL_FORMAT,
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
    curve: sparse(acc.curve),
    wallTimeMs: Date.now() - started,
    startedAt: new Date(started).toISOString(),
  };
  return sealPart(body);
}

/** The model the parts ran, rebuilt from the first: a scenario or allocation that does not build is refused. */
async function partsModel(first: Partial, name: string): Promise<Prepared> {
  let p: Prepared;
  try {
    const s0 = parseScenario(first.scenario.input);
    const h = first.scenario.horizonHours;
    p = await prepare(s0.horizon === h ? s0 : Object.freeze({ ...s0, horizon: h }), first.allocation);
  } catch (e) {
    throw new IntegrityError(name, `its scenario and allocation do not build a model: ${(e as Error).message}`);
  }
  if (p.hash !== first.scenario.hash)
    throw new IntegrityError(name, "the scenario inside it does not match its scenario hash");
  return p;
}

/** Options of `mergeResults`. */
export interface MergeOptions {
  /** What to call each part in messages (file names, say), in the order of `parts`; default "part 1", "part 2"… */
  names?: readonly string[];
}

/**
 * Merge the partial results of every shard of one run into its result. Each part is checked first (see
 * ./integrity.ts), then against the others and the model; one that does not check out is refused with an
 * `IntegrityError` naming it (`options.names`, or "part N") and saying what is wrong.
 *
 * @example
 * const result = await mergeResults(parts, { names: ["parts/0.json", "parts/1.json"] });
 */
export async function mergeResults(parts: Partial[], options: MergeOptions = {}): Promise<Result> {
  if (!Array.isArray(parts) || parts.length === 0) throw new RangeError("merge: expected at least one partial result");
  const names = parts.map((_, i) => options.names?.[i] ?? `part ${i + 1}`);
  for (let i = 0; i < parts.length; i++) await verifyPart(parts[i], names[i]);
  const first = parts[0]!;
  const same = (what: string, get: (p: Partial) => unknown) => {
    const want = JSON.stringify(get(first));
    parts.forEach((p, i) => {
      const got = JSON.stringify(get(p));
      if (got !== want)
        throw new IntegrityError(
          `${names[i]} (shard ${p.shard.index}/${p.shard.count})`,
          `has a different ${what} from ${names[0]}: ${got.slice(0, 80)} vs ${want.slice(0, 80)}`,
        );
    });
  };
  same("scenario hash", (p) => p.scenario.hash);
  same("horizon", (p) => p.scenario.horizonHours);
  same("seed", (p) => p.seed);
  same("replication total", (p) => p.replications.total);
  same("shard count", (p) => p.shard.count);
  same("allocation", (p) => p.allocation);
  const count = first.shard.count;
  const byIndex = new Map<number, number>();
  parts.forEach((p, i) => {
    const twice = byIndex.get(p.shard.index);
    if (twice !== undefined)
      throw new RangeError(`merge: shard ${p.shard.index}/${count} is given twice (${names[twice]} and ${names[i]})`);
    byIndex.set(p.shard.index, i);
  });
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0)
    throw new RangeError(
      `merge: missing shard${missing.length > 1 ? "s" : ""} ${missing.map((i) => `${i}/${count}`).join(", ")}`,
    );
  const p = await partsModel(first, names[0]!);
  const size = recordSize(p.model);
  const acc = createAccumulator(p.model);
  const record = new Float64Array(size);
  for (let i = 0; i < count; i++) {
    const at = byIndex.get(i)!;
    const part = parts[at]!;
    checkPartFits(part, p.model, size, curveSize(p.model), names[at]);
    for (const rec of part.records) {
      for (let k = 0; k < size; k++) record[k] = rec[k] ?? NaN;
      addRecord(acc, p.model, record);
    }
    const h = (pairs: [number, number][], len: number) => {
      const a = new Float64Array(len);
      for (const [bin, c] of pairs) a[bin] = c;
      return a;
    };
    addHistograms(acc, h(part.respHist, acc.respHist.length), h(part.detHist, acc.detHist.length));
    addSums(acc.curve, h(part.curve, acc.curve.length));
  }
  const startedAt = Math.min(...parts.map((x) => Date.parse(x.startedAt)));
  const result = buildResult(p, acc, first.seed, startedAt, true);
  result.provenance.wallTimeMs = parts.reduce((a, x) => a + x.wallTimeMs, 0);
  return result;
}
