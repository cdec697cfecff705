/**
 * Integrity of what a run leaves on disk and reads back: checkpoints and shard parts. Each carries a digest,
 * the SHA-256 of its canonical JSON (`contentDigest`), covering everything in it but the digest and the timing
 * fields (`wallTimeMs`, `startedAt`): so the same shard digests the same on any machine, and the digest binds
 * the scenario hash, seed, library version, RNG algorithm and engine it records. Before one is used it is
 * checked, in this order, and refused with an `IntegrityError` naming it ("checkpoint", "part 2", or the file
 * name a caller gives) and saying what is wrong:
 *
 * 1. its format: an older format (no digest) is refused as written by an older version;
 * 2. its shape: every field present with its type and no other field, so no TypeError can escape later;
 * 3. the library version, RNG algorithm and engine: they must be this library's;
 * 4. the digest: an edit or corruption of the content changes it;
 * 5. its values: counts whole and not negative, numbers finite, histogram bins listed once; then, against the
 *    model, sizes, bins in range, the whole line equal to the sum of its sectors, histogram totals equal to
 *    the counts they tally, the curve sums' verifiable incidents equal to the tally's, and no replication
 *    record repeated.
 *
 * The digest catches corruption and edits made without recomputing it; it is not a signature (anyone can
 * recompute it), which is why the value checks run as well.
 */
import { CODES } from "../layout/declaration.js";
import { HIST_BINS } from "../layout/histogram.js";
import * as F from "../layout/slots.generated.js";
import { tallySize, teamBlock } from "../layout/tally.js";
import { contentDigest } from "../model/hash.js";
import { ENGINE } from "../engine/replication.js";
import { RNG_ALGORITHM } from "../rng/streams.js";
import { RATIO_WIDTH, WELFORD_WIDTH } from "../stats/moments.js";
import { VERSION } from "../version.js";
import type { Checkpoint } from "./options.js";

/** The format of checkpoints this version writes and reads. */
export const CHECKPOINT_FORMAT = "ceasefire-sim/checkpoint@3";
/** The format of shard parts (partial results) this version writes and reads. */
export const PARTIAL_FORMAT = "ceasefire-sim/partial@3";

/**
 * A checkpoint or shard part refused: `subject` names it ("checkpoint", "part 2", or a file name),
 * `detail` says what is wrong. A RangeError, as every refused input of the library.
 */
export class IntegrityError extends RangeError {
  override readonly name = "IntegrityError";
  constructor(
    readonly subject: string,
    readonly detail: string,
  ) {
    super(`${subject}: ${detail}`);
  }
}

type Bad = (detail: string) => never;
const refuser =
  (subject: string): Bad =>
  (detail) => {
    throw new IntegrityError(subject, detail);
  };

/** The slice [from, to) of shard `index` of `count` over `total` replications. */
export function shardSlice(total: number, index: number, count: number): { from: number; to: number } {
  return { from: Math.floor((index * total) / count), to: Math.floor(((index + 1) * total) / count) };
}

/** A value as a message shows it. */
function shown(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}

const at = (path: string, key: string | number) =>
  typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`;

/** `o` as an object holding exactly `keys`. */
function record(o: unknown, path: string, keys: readonly string[], bad: Bad): Record<string, unknown> {
  if (typeof o !== "object" || o === null || Array.isArray(o))
    bad(`${path === "" ? "it" : path}: expected an object, got ${shown(o)}`);
  const r = o as Record<string, unknown>;
  for (const k of keys) if (!Object.hasOwn(r, k)) bad(`field ${at(path, k)} is missing`);
  for (const k of Object.keys(r)) if (!keys.includes(k)) bad(`unexpected field ${at(path, k)}`);
  return r;
}

function text(v: unknown, path: string, bad: Bad): string {
  if (typeof v !== "string") bad(`${path}: expected a string, got ${shown(v)}`);
  return v as string;
}

function whole(v: unknown, path: string, min: number, bad: Bad): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min)
    bad(`${path}: expected a whole number of at least ${min}, got ${shown(v)}`);
  return v as number;
}

function finite(v: unknown, path: string, bad: Bad, nonNegative = true): number {
  if (typeof v !== "number" || !Number.isFinite(v) || (nonNegative && v < 0))
    bad(`${path}: expected a finite number${nonNegative ? " of at least 0" : ""}, got ${shown(v)}`);
  return v as number;
}

function list(v: unknown, path: string, bad: Bad): unknown[] {
  if (!Array.isArray(v)) bad(`${path}: expected a list, got ${shown(v)}`);
  return v as unknown[];
}

/** A list of numbers (null standing for NaN where `nulls`). */
function numbers(v: unknown, path: string, bad: Bad, o: { nulls: boolean; nonNegative: boolean }): void {
  const a = list(v, path, bad);
  for (let i = 0; i < a.length; i++) if (a[i] !== null || !o.nulls) finite(a[i], at(path, i), bad, o.nonNegative);
}

/**
 * A sparse histogram: [bin, count] pairs, bins ascending and listed once, counts whole and positive; or, with
 * `names` ["index", "sum"], sparse whole-number sums (the curve sums) held the same way.
 */
function histogram(v: unknown, path: string, bad: Bad, names: readonly [string, string] = ["bin", "count"]): void {
  const a = list(v, path, bad);
  const [bn, cn] = names;
  let last = -1;
  for (let i = 0; i < a.length; i++) {
    const pair = a[i];
    if (!Array.isArray(pair) || pair.length !== 2)
      bad(`${at(path, i)}: expected a [${bn}, ${cn}] pair, got ${shown(pair)}`);
    const [bin, count] = pair as unknown[];
    whole(bin, `${at(path, i)} ${bn}`, 0, bad);
    if (typeof count !== "number" || !Number.isInteger(count) || count < 1)
      bad(`${at(path, i)}: the ${cn} of ${bn} ${bin} must be a whole number of at least 1, got ${shown(count)}`);
    if ((bin as number) === last) bad(`${path}: ${bn} ${bin} is listed twice`);
    if ((bin as number) < last)
      bad(`${path}: ${bn === "bin" ? "bins" : "indices"} are not in ascending order (${bin} after ${last})`);
    last = bin as number;
  }
}

/** Refuse an object of another format, or of an older one. */
function format(o: unknown, want: string, what: string, redo: string, bad: Bad): void {
  const f = typeof o === "object" && o !== null && !Array.isArray(o) ? (o as { format?: unknown }).format : undefined;
  if (f === want) return;
  const family = want.slice(0, want.indexOf("@") + 1);
  if (typeof f === "string" && f.startsWith(family)) {
    const older = Number(f.slice(family.length)) < Number(want.slice(family.length));
    bad(
      `format ${f} is from ${older ? "an older" : "another"} version of ceasefire-sim (this version reads ` +
        `${want}, which carries a digest of its content): ${redo}`,
    );
  }
  bad(`not a ceasefire-sim ${what} (format ${f === undefined ? "missing" : shown(f)})`);
}

/** Refuse what another library version, RNG or engine wrote. */
function sameLibrary(o: Record<string, unknown>, bad: Bad): void {
  const is = (field: string, what: string, mine: string) => {
    if (o[field] !== mine)
      bad(`has a different ${what}: ${shown(o[field])}, but this is ${JSON.stringify(mine)} (field ${field})`);
  };
  is("version", "library version", VERSION);
  is("rng", "RNG", RNG_ALGORITHM);
  is("engine", "engine", ENGINE);
}

/** What the digest covers: everything but the digest and the timing fields. */
function digested(o: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const k of Object.keys(o)) if (k !== "digest" && k !== "wallTimeMs" && k !== "startedAt") body[k] = o[k];
  return body;
}

async function checkDigest(o: Record<string, unknown>, bad: Bad): Promise<void> {
  const d = text(o.digest, "digest", bad);
  if (!/^sha256:[0-9a-f]{64}$/.test(d)) bad(`digest: expected "sha256:" and 64 hex digits, got ${shown(d)}`);
  const actual = await contentDigest(digested(o));
  if (actual !== d)
    bad(
      `its digest does not match its content: it was edited or corrupted after it was written ` +
        `(recorded ${d.slice(0, 19)}…, content ${actual.slice(0, 19)}…)`,
    );
}

/** Add a digest to a checkpoint's content. @internal */
export async function sealCheckpoint(body: Omit<Checkpoint, "digest">): Promise<Checkpoint> {
  return { ...body, digest: await contentDigest(digested(body as unknown as Record<string, unknown>)) };
}

/** Add a digest to a shard part's content. @internal */
export async function sealPart<T extends object>(body: T): Promise<T & { digest: string }> {
  return { ...body, digest: await contentDigest(digested(body as Record<string, unknown>)) };
}

const CHECKPOINT_KEYS = [
  "format",
  "version",
  "engine",
  "scenario",
  "seed",
  "rng",
  "allocation",
  "done",
  "total",
  "accumulator",
  "digest",
] as const;
const ACCUMULATOR_KEYS = ["replications", "sums", "ratios", "quantiles", "respHist", "detHist", "curve"] as const;
const SUMS = ["index", "sum"] as const;

/** Moments laid out `width` numbers apiece, each starting with its count: whole, from 0 to `n`. */
function moments(a: (number | null)[], path: string, width: number, n: number, bad: Bad): void {
  if (a.length % width !== 0) bad(`${path}: ${a.length} numbers is not a whole number of ${width}-number moments`);
  for (let o = 0; o < a.length; o += width) {
    const c = a[o];
    if (typeof c !== "number" || !Number.isInteger(c) || c < 0 || c > n)
      bad(`${at(path, o)}: a count of replications must be a whole number from 0 to ${n}, got ${shown(c)}`);
  }
}

/**
 * Check a checkpoint on its own — format, shape, library version, RNG, engine, digest and values — and return
 * it typed; an `IntegrityError` naming `name` says what is wrong. `simulate` also checks it against the model.
 *
 * @example
 * const resume = await verifyCheckpoint(JSON.parse(text), "run.ckpt.json");
 */
export async function verifyCheckpoint(c: unknown, name = "checkpoint"): Promise<Checkpoint> {
  const bad = refuser(name);
  format(c, CHECKPOINT_FORMAT, "checkpoint", "start the run again without it", bad);
  const o = record(c, "", CHECKPOINT_KEYS, bad);
  for (const k of ["format", "version", "engine", "seed", "rng"] as const) text(o[k], k, bad);
  const s = record(o.scenario, "scenario", ["name", "hash", "horizonHours"], bad);
  text(s.name, "scenario.name", bad);
  text(s.hash, "scenario.hash", bad);
  finite(s.horizonHours, "scenario.horizonHours", bad);
  record(o.allocation, "allocation", Object.keys(o.allocation ?? {}), bad);
  const done = whole(o.done, "done", 0, bad);
  whole(o.total, "total", 1, bad);
  const a = record(o.accumulator, "accumulator", ACCUMULATOR_KEYS, bad);
  whole(a.replications, "accumulator.replications", 0, bad);
  numbers(a.sums, "accumulator.sums", bad, { nulls: false, nonNegative: true });
  numbers(a.ratios, "accumulator.ratios", bad, { nulls: true, nonNegative: false });
  numbers(a.quantiles, "accumulator.quantiles", bad, { nulls: true, nonNegative: false });
  histogram(a.respHist, "accumulator.respHist", bad);
  histogram(a.detHist, "accumulator.detHist", bad);
  histogram(a.curve, "accumulator.curve", bad, SUMS);
  sameLibrary(o, bad);
  await checkDigest(o, bad);
  if (a.replications !== done)
    bad(`accumulator.replications (${a.replications}) differs from done (${done}): the replications it holds`);
  moments(a.ratios as (number | null)[], "accumulator.ratios", RATIO_WIDTH, done, bad);
  moments(a.quantiles as (number | null)[], "accumulator.quantiles", WELFORD_WIDTH, done, bad);
  return c as Checkpoint;
}

/** The tally fields that count incidents or tasks (the others are hours). */
const SECTOR_COUNTS: readonly number[] = [
  F.F_INC,
  F.F_DET,
  F.F_VERIFIABLE,
  F.F_VERIFIED,
  F.F_WITHIN,
  F.F_UNDET,
  F.F_DENIED,
  F.F_NO_TEAM,
  F.F_HORIZON_END,
  F.F_MINOR_RECORDED,
  F.F_DISPATCH,
  F.F_QUEUED,
  F.F_CROSS_SECTOR,
  F.F_CROSS_NATIONAL,
  ...CODES.CH.map((_, code) => F.F_CH + code),
  F.F_CRITICAL,
];

/** The size of a model, as checks against it need it. */
export interface ModelSize {
  nSectors: number;
  nTeams: number;
  nStates: number;
}

/**
 * Check a tally (a record's, or summed over replications) at `offset` of `t`: every number present, counts
 * whole, and the whole line's counts equal to the sum of its sectors' (exact: they are whole numbers).
 */
function tally(t: readonly (number | null)[], offset: number, m: ModelSize, path: string, bad: Bad): void {
  const n = tallySize(m.nSectors, m.nTeams, m.nStates);
  for (let i = 0; i < n; i++)
    if (t[offset + i] === null) bad(`${at(path, offset + i)}: a tally number is missing (null)`);
  const line = m.nSectors * F.SECTOR_FIELDS;
  for (const f of SECTOR_COUNTS) {
    let sum = 0;
    for (let b = 0; b <= m.nSectors; b++) {
      const v = t[offset + b * F.SECTOR_FIELDS + f]!;
      if (!Number.isInteger(v)) bad(`${at(path, offset + b * F.SECTOR_FIELDS + f)}: a count must be whole, got ${v}`);
      if (b < m.nSectors) sum += v;
    }
    if (t[offset + line + f] !== sum)
      bad(
        `${at(path, offset + line + f)}: the whole line's count (${t[offset + line + f]}) is not the sum of its ` +
          `sectors' (${sum})`,
      );
  }
  for (let k = 0; k < m.nTeams; k++) {
    const i = offset + teamBlock(m.nSectors, k) + F.T_TASKS;
    if (!Number.isInteger(t[i])) bad(`${at(path, i)}: a count of tasks must be whole, got ${t[i]}`);
  }
}

/** Histogram totals per block (each sector, then the whole line); bins checked in range. */
function blockTotals(h: [number, number][], m: ModelSize, path: string, bad: Bad): number[] {
  const blocks = m.nSectors + 1;
  const totals = new Array<number>(blocks).fill(0);
  for (const [bin, count] of h) {
    if (bin >= blocks * HIST_BINS) bad(`${path}: bin ${bin} is beyond the model's ${blocks * HIST_BINS} bins`);
    totals[Math.floor(bin / HIST_BINS)]! += count;
  }
  return totals;
}

/** Refuse histograms whose totals are not the counts they tally (verified incidents, detections). */
function histogramsMatch(
  respHist: [number, number][],
  detHist: [number, number][],
  counts: (b: number, field: number) => number,
  m: ModelSize,
  path: string,
  bad: Bad,
): void {
  for (const [h, field, what, name] of [
    [respHist, F.F_VERIFIED, "verified incidents", "respHist"],
    [detHist, F.F_DET, "detections", "detHist"],
  ] as const) {
    const totals = blockTotals(h, m, at(path, name), bad);
    for (let b = 0; b <= m.nSectors; b++) {
      const want = counts(b, field);
      if (totals[b] !== want)
        bad(
          `${at(path, name)}: ${b < m.nSectors ? `sector ${b + 1}` : "the whole line"} counts ${totals[b]}, ` +
            `but its ${what} number ${want}`,
        );
    }
  }
}

/**
 * Check a verified checkpoint's accumulator against the model it is to resume (sizes of `acc`): sizes, bins,
 * counts, the whole line against its sectors and the histograms against the counts. @internal
 */
export function checkCheckpointFits(
  c: Checkpoint,
  m: ModelSize,
  sizes: { sums: number; ratios: number; quantiles: number; curve: number },
  name = "checkpoint",
): void {
  const bad = refuser(name);
  const a = c.accumulator;
  for (const k of ["sums", "ratios", "quantiles"] as const)
    if (a[k].length !== sizes[k])
      bad(`accumulator.${k} holds ${a[k].length} numbers; this model has ${sizes[k]}: it belongs to another model`);
  tally(a.sums, 0, m, "accumulator.sums", bad);
  histogramsMatch(a.respHist, a.detHist, (b, f) => a.sums[b * F.SECTOR_FIELDS + f]!, m, "accumulator", bad);
  curveMatches(a.curve, sizes.curve, m, (b) => a.sums[b * F.SECTOR_FIELDS + F.F_VERIFIABLE]!, "accumulator", bad);
}

/**
 * Refuse curve sums (src/stats/survival.ts, `addCurveSums`) of another size than the model's, or whose Σx per
 * block (verifiable incidents) is not the tally's count.
 */
function curveMatches(
  curve: [number, number][],
  size: number,
  m: ModelSize,
  verifiable: (b: number) => number,
  path: string,
  bad: Bad,
): void {
  const width = size / (m.nSectors + 1);
  const sx = new Array<number>(m.nSectors + 1).fill(0);
  for (const [i, v] of curve) {
    if (i >= size) bad(`${at(path, "curve")}: index ${i} is beyond the model's ${size} curve sums`);
    if (i % width === 1) sx[(i - 1) / width] = v;
  }
  for (let b = 0; b <= m.nSectors; b++)
    if (sx[b] !== verifiable(b))
      bad(
        `${at(path, "curve")}: ${b < m.nSectors ? `sector ${b + 1}` : "the whole line"} sums ${sx[b]} verifiable ` +
          `incidents, but its count is ${verifiable(b)}`,
      );
}

const PART_KEYS = [
  "format",
  "version",
  "scenario",
  "seed",
  "rng",
  "engine",
  "allocation",
  "shard",
  "replications",
  "recordSize",
  "records",
  "respHist",
  "detHist",
  "curve",
  "wallTimeMs",
  "startedAt",
  "digest",
] as const;

/**
 * Check a shard part on its own — format, shape, library version, RNG, engine, digest and values; an
 * `IntegrityError` naming `name` says what is wrong. `mergeResults` also checks it against the model and the
 * other parts.
 *
 * @example
 * await verifyPart(JSON.parse(text), "parts/2.json");
 */
export async function verifyPart(p: unknown, name = "part"): Promise<void> {
  const bad = refuser(name);
  format(p, PARTIAL_FORMAT, "partial result", "run the shard again with this version", bad);
  const o = record(p, "", PART_KEYS, bad);
  for (const k of ["format", "version", "seed", "rng", "engine", "startedAt"] as const) text(o[k], k, bad);
  const s = record(o.scenario, "scenario", ["name", "hash", "input", "horizonHours"], bad);
  text(s.name, "scenario.name", bad);
  text(s.hash, "scenario.hash", bad);
  finite(s.horizonHours, "scenario.horizonHours", bad);
  record(o.allocation, "allocation", Object.keys(o.allocation ?? {}), bad);
  const sh = record(o.shard, "shard", ["index", "count"], bad);
  const count = whole(sh.count, "shard.count", 1, bad);
  const index = whole(sh.index, "shard.index", 0, bad);
  const r = record(o.replications, "replications", ["total", "from", "to"], bad);
  const total = whole(r.total, "replications.total", 1, bad);
  whole(r.from, "replications.from", 0, bad);
  whole(r.to, "replications.to", 0, bad);
  const size = whole(o.recordSize, "recordSize", 1, bad);
  const records = list(o.records, "records", bad);
  for (let i = 0; i < records.length; i++) {
    const rec = list(records[i], `records[${i}]`, bad);
    if (rec.length !== size) bad(`records[${i}]: ${rec.length} numbers, but recordSize is ${size}`);
    numbers(rec, `records[${i}]`, bad, { nulls: true, nonNegative: true });
  }
  histogram(o.respHist, "respHist", bad);
  histogram(o.detHist, "detHist", bad);
  histogram(o.curve, "curve", bad, SUMS);
  finite(o.wallTimeMs, "wallTimeMs", bad);
  if (Number.isNaN(Date.parse(o.startedAt as string))) bad(`startedAt: expected a date, got ${shown(o.startedAt)}`);
  sameLibrary(o, bad);
  await checkDigest(o, bad);
  if (index >= count) bad(`shard.index (${index}) must be less than shard.count (${count})`);
  if (count > total) bad(`shard.count (${count}) exceeds replications.total (${total})`);
  const want = shardSlice(total, index, count);
  if (r.from !== want.from || r.to !== want.to)
    bad(
      `replications ${r.from}–${(r.to as number) - 1} are not shard ${index}/${count}'s slice ` +
        `${want.from}–${want.to - 1} of ${total}`,
    );
  if (records.length !== want.to - want.from)
    bad(`holds ${records.length} records for the ${want.to - want.from} replications ${want.from}–${want.to - 1}`);
}

/**
 * Check a verified part's records and histograms against the model: record size, every tally number present,
 * counts whole, the whole line against its sectors, the histograms against the counts, and no record repeated
 * (a replication with verified incidents sums durations drawn from continuous distributions — response
 * times, travel from random places — so two equal to the last bit are one record copied). @internal
 */
export function checkPartFits(
  part: {
    recordSize: number;
    records: (number | null)[][];
    respHist: [number, number][];
    detHist: [number, number][];
    curve: [number, number][];
  },
  m: ModelSize,
  size: number,
  curveSize: number,
  name = "part",
): void {
  const bad = refuser(name);
  if (part.recordSize !== size)
    bad(`recordSize is ${part.recordSize}; this model's records hold ${size} numbers: it belongs to another model`);
  const line = m.nSectors * F.SECTOR_FIELDS;
  const seen = new Map<string, number>();
  part.records.forEach((rec, i) => {
    tally(rec, 0, m, `records[${i}]`, bad);
    if (rec[line + F.F_VERIFIED]! > 0) {
      const key = rec.join(",");
      const first = seen.get(key);
      if (first !== undefined) bad(`records[${i}] repeats records[${first}]: a replication's record was duplicated`);
      seen.set(key, i);
    }
  });
  const counts = (b: number, f: number) => {
    let v = 0;
    for (const rec of part.records) v += rec[b * F.SECTOR_FIELDS + f]!;
    return v;
  };
  histogramsMatch(part.respHist, part.detHist, counts, m, "", bad);
  curveMatches(part.curve, curveSize, m, (b) => counts(b, F.F_VERIFIABLE), "", bad);
}
