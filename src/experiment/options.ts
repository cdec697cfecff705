/**
 * Run options, resolved in one place: `resolveRunOptions` turns what a caller gives (replications, seed,
 * horizon, workers, chunk, onProgress, signal, until, budget, checkpoint, shard) into a complete frozen
 * object. Every experiment and the CLI call it; the defaults, minimums and error messages below are the only
 * ones. A bad value is refused with a RangeError naming the option, what was expected and what was given; so is
 * a key that is neither a run option nor one of the experiment's own (`EXPERIMENTS[name].keys`), naming the
 * known ones: a misspelt option is never ignored in silence.
 */
import type { Allocation } from "../allocation/allocation.js";
import { belowMinimum, MIN_HORIZON } from "../model/limits.js";
import { parseQuantity } from "../model/units.js";
import type { Executor } from "./kernel.js";

/** The experiments that run replications (each resolves its options with its name). */
export type ExperimentName =
  | "simulate"
  | "shard"
  | "compare"
  | "withdrawal"
  | "sweep"
  | "tornado"
  | "sensitivity"
  | "optimize";

/** What an experiment's `replications` means and allows. */
export interface ExperimentRules {
  /** Default number of replications. */
  readonly replications: number;
  /** Fewest replications accepted. */
  readonly minReplications: number;
  /** Why the minimum or the default differ from the common ones (in messages and docs). */
  readonly why: string | null;
  /** What one replication count covers, for messages. */
  readonly per: string;
  /** Whether sequential stopping (`until`) applies. */
  readonly until: boolean;
  /** Whether checkpoints apply. */
  readonly checkpoint: boolean;
  /**
   * The experiment's own option keys, besides the run options (`RUN_OPTION_KEYS`): any other key is refused,
   * naming it and the known ones.
   */
  readonly keys: readonly string[];
}

/**
 * The defaults and limits shared by every experiment. One replications default (200) and one minimum (1);
 * the experiments that need others say so in `EXPERIMENTS`, with the reason.
 */
export const RUN_DEFAULTS = Object.freeze({
  replications: 200,
  minReplications: 1,
  maxReplications: 1e9,
  seed: 1,
  /** Worker threads when none are asked for: the calling thread. */
  workers: 1,
  maxWorkers: 256,
  /** The CLI's --workers default: all cores ("auto") for experiments of at least this many replications in
   * all, else 1 (starting threads costs more than it saves on small runs). */
  cliAutoWorkersFrom: 200,
  until: Object.freeze({ minReplications: 10, maxReplications: 10_000, leastMinReplications: 2 }),
  budget: Object.freeze({ incidents: 5e9, incidentsPerReplication: 2e7 }),
  checkpointEvery: 50,
});

const rules = (r: Partial<ExperimentRules> & { per: string; keys: readonly string[] }): ExperimentRules =>
  Object.freeze({
    replications: RUN_DEFAULTS.replications,
    minReplications: RUN_DEFAULTS.minReplications,
    why: null,
    until: true,
    checkpoint: false,
    ...r,
    keys: Object.freeze([...r.keys]),
  });

/** Per experiment: its replications default and minimum, and which options apply. */
export const EXPERIMENTS: Readonly<Record<ExperimentName, ExperimentRules>> = Object.freeze({
  simulate: rules({ per: "run", checkpoint: true, keys: ["allocation", "log"] }),
  shard: rules({ per: "run", until: false, keys: ["allocation"] }),
  compare: rules({
    per: "strategy",
    minReplications: 2,
    why: "paired CIs need two replications",
    // strategy: every what-if arm's allocation (compareScenarios).
    keys: ["metrics", "baseline", "strategy"],
  }),
  withdrawal: rules({
    per: "variant",
    minReplications: 2,
    why: "paired CIs need two replications",
    keys: ["metrics", "strategy", "rankBy", "states", "replan"],
  }),
  sweep: rules({ per: "design point", keys: ["parameters", "design", "points", "metrics", "allocation"] }),
  tornado: rules({ per: "run", until: false, keys: ["parameters", "metric", "allocation"] }),
  sensitivity: rules({
    per: "evaluation",
    replications: 10,
    until: false,
    why: "each of the N·(d+2) evaluations is a simulation: more samples beat more replications per evaluation",
    keys: ["parameters", "metric", "samples", "bootstrap", "confidence", "allocation"],
  }),
  optimize: rules({
    per: "amount",
    replications: 20,
    minReplications: 2,
    why: "the search runs many amounts; replications double where the decision is close (to maxReplications)",
    until: false,
    keys: ["target", "vary", "min", "max", "maxReplications", "strategy"],
  }),
});

/**
 * The keys of `RunOptions`, which every experiment understands (those that do not apply to it, such as
 * `checkpoint` outside `simulate`, are refused by `resolveRunOptions` with the reason).
 */
export const RUN_OPTION_KEYS: readonly string[] = Object.freeze([
  "replications",
  "seed",
  "horizon",
  "workers",
  "chunk",
  "onProgress",
  "signal",
  "until",
  "budget",
  "checkpoint",
  "shard",
]);

/** Progress of a run: `done` of `total` (replications, points, runs or evaluations, as the experiment says). */
export interface Progress {
  done: number;
  total: number;
}

/** Sequential stopping: run until a metric's 95% CI is as narrow as asked. */
export interface Until {
  /** Whole-line metric path, e.g. "response.mean", "withinStandard", "coverage.overall". */
  metric: string;
  /** Target half-width relative to the estimate (e.g. 0.02 for ±2%)… */
  relHalfWidth?: number;
  /** …or absolute, in the metric's units. */
  halfWidth?: number;
  /** Replications before the first check (default 10, at least 2). */
  minReplications?: number;
  /** Stop here even if the target is not met (default 10000). */
  maxReplications?: number;
}

/** `Until` with its defaults applied. */
export interface ResolvedUntil {
  readonly metric: string;
  readonly relHalfWidth: number | null;
  readonly halfWidth: number | null;
  readonly minReplications: number;
  readonly maxReplications: number;
}

/** A run's state after its first `done` replications: enough to continue to exactly the uninterrupted result. */
export interface Checkpoint {
  format: "ceasefire-sim/checkpoint@3";
  version: string;
  /** The engine that ran the replications (provenance's `engine`). */
  engine: string;
  scenario: { name: string; hash: string; horizonHours: number };
  seed: string;
  rng: string;
  allocation: Allocation;
  /** Replications done, and the batch target at that point. */
  done: number;
  total: number;
  accumulator: {
    replications: number;
    sums: (number | null)[];
    ratios: (number | null)[];
    quantiles: (number | null)[];
    respHist: [number, number][];
    detHist: [number, number][];
    /** The accumulator's curve sums as [index, sum] pairs, the non-zero ones. */
    curve: [number, number][];
  };
  /**
   * "sha256:" and the SHA-256 of the checkpoint's canonical JSON without this field: any edit or corruption
   * is refused on resume, as are fields that are missing, of the wrong type or impossible.
   */
  digest: string;
}

/** Checkpoint options of `simulate`. */
export interface CheckpointOptions {
  /** Save after every this many replications (default 50). */
  every?: number;
  save?: (c: Checkpoint) => void | Promise<void>;
  /** Continue from this saved state. */
  resume?: Checkpoint;
}

/** Worker threads (honoured by `ceasefire-sim/node`; the browser-safe library runs on the calling thread). */
export interface WorkerOptions {
  /** Worker threads: a whole number from 1 to 256, or "auto" for all cores (default 1: the calling thread). */
  workers?: number | "auto";
  /**
   * Replications per message to a worker: a whole number from 1 to 1e9 (default: about 1/16 of a worker's
   * share, 4 to 64). Any other value is refused before a worker starts.
   */
  chunk?: number;
}

/** Every option `resolveRunOptions` understands; each experiment's options extend the ones it takes. */
export interface RunOptions extends WorkerOptions {
  /** Independent replications (default: `EXPERIMENTS[experiment].replications`). */
  replications?: number;
  /**
   * Seed of every random stream (default 1): a string, or a number within ±(2^53 − 1) (larger ones cannot be
   * held exactly and are refused; give them as strings). Same version + scenario + seed ⇒ same result.
   */
  seed?: number | string;
  /** Override the scenario's horizon: hours, or a unit string such as "60 d" (at least 1 h). */
  horizon?: number | string;
  /**
   * Called as the run advances; if it throws (or returns a promise that rejects), the run stops and its promise
   * rejects with that error, on the calling thread and on worker threads alike.
   */
  onProgress?: (p: Progress) => void;
  /** Cancels the run. */
  signal?: AbortSignal;
  /** Sequential stopping (instead of `replications`). */
  until?: Until;
  /**
   * Refuse runs larger than this, before they start: `incidents` over all replications (default 5e9, about
   * hours on one core) and `incidentsPerReplication` (default 2e7, about 1.5 GB of buffers).
   */
  budget?: { incidents?: number; incidentsPerReplication?: number };
  /** Save the run's state every `every` replications (`save`), and/or continue from a saved state (`resume`). */
  checkpoint?: CheckpointOptions;
  /** Run shard `index` (0-based) of `count` of the replications. */
  shard?: { index: number; count: number };
}

/**
 * Where replications can run: how many cores "auto" means, and a pool of worker threads (null: the calling
 * thread only). The library's is `CALLING_THREAD`; `ceasefire-sim/node` passes its own under `RUNTIME`.
 * @internal
 */
export interface Runtime {
  cores(): number;
  pool: ((workers: number) => Executor) | null;
}

/** The key under which an entry point passes its `Runtime` in an options object. @internal */
export const RUNTIME: unique symbol = Symbol.for("ceasefire-sim.runtime");

/** The browser-safe library's runtime: the calling thread only. */
export const CALLING_THREAD: Runtime = Object.freeze({ cores: () => 1, pool: null });

/** Options with a runtime attached (see `RUNTIME`). @internal */
export type WithRuntime<T> = T & { [RUNTIME]?: Runtime };

/** The options with a runtime attached, for an entry point's wrappers. @internal */
export function withRuntime<T extends object>(options: T | undefined, runtime: Runtime): WithRuntime<T> {
  return { ...(options ?? ({} as T)), [RUNTIME]: runtime };
}

/** Every run option resolved: defaults applied, values checked; frozen. */
export interface ResolvedRunOptions {
  readonly experiment: ExperimentName;
  /** Replications to run; null with sequential stopping (`until`). */
  readonly replications: number | null;
  readonly seed: string;
  /** Horizon override in hours, or null. */
  readonly horizon: number | null;
  /** Threads: 1 is the calling thread. */
  readonly workers: number;
  /** Replications per task, or null for the runner's choice. */
  readonly chunk: number | null;
  readonly onProgress: ((p: Progress) => void) | null;
  readonly signal: AbortSignal | null;
  readonly until: ResolvedUntil | null;
  readonly budget: { readonly incidents: number; readonly incidentsPerReplication: number };
  readonly checkpoint: {
    readonly every: number;
    readonly save: ((c: Checkpoint) => void | Promise<void>) | null;
    readonly resume: Checkpoint | null;
  } | null;
  readonly shard: { readonly index: number; readonly count: number } | null;
  /** Where the replications run (the calling thread, or a worker pool from `ceasefire-sim/node`). @internal */
  readonly runtime: Runtime;
}

/** Longest string a message quotes whole; a longer one is cut, with its length. */
const SHOW_CHARS = 60;

/** A value as messages show it: strings quoted (a long one cut, with its length), numbers as they are. */
export function show(v: unknown): string {
  if (typeof v === "string")
    return v.length <= SHOW_CHARS
      ? JSON.stringify(v)
      : `${JSON.stringify(v.slice(0, SHOW_CHARS))}… (${v.length} characters)`;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint" || v == null) return String(v);
  if (typeof v === "function") return "a function";
  if (typeof v === "symbol") return v.toString();
  if (Array.isArray(v)) return "a list";
  return "an object";
}

const isWhole = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/**
 * Refuse keys of `o` outside `known` (own string keys; symbol keys such as `RUNTIME` are an entry point's):
 * a misspelt option would otherwise be ignored in silence.
 */
function refuseUnknownKeys(o: object, where: string, known: readonly string[], whose = "known"): void {
  for (const key of Object.keys(o))
    if (!known.includes(key))
      throw new RangeError(
        `${where}: unknown option ${show(key)}; ${whose}: ${known.length > 0 ? known.join(", ") : "(none)"}`,
      );
}
const fail = (name: string, expected: string, got: unknown): never => {
  throw new RangeError(`${name}: expected ${expected}; got ${show(got)}`);
};

/**
 * The seed as every stream takes it (default 1): a string as it is, or a number that is held exactly — at most
 * 2^53 − 1 (`Number.MAX_SAFE_INTEGER`) in size. Larger numbers are refused, not rounded: 2^53 + 1 reads as
 * 2^53 in JavaScript, so two seeds would silently share one stream; give such a seed as a string ("9007199254740993").
 */
export function resolveSeed(seed: unknown): string {
  const v = seed ?? RUN_DEFAULTS.seed;
  if (typeof v === "string") return v;
  if (typeof v === "bigint")
    fail("seed", `a number within ±${Number.MAX_SAFE_INTEGER} or a string (give a BigInt seed as a string)`, v);
  if (!(typeof v === "number" && Number.isFinite(v))) fail("seed", "a finite number or a string", v);
  if (Math.abs(v as number) > Number.MAX_SAFE_INTEGER)
    fail(
      "seed",
      `a number within ±${Number.MAX_SAFE_INTEGER} (2^53 − 1), which is held exactly, or a string ` +
        "(larger numbers are rounded by JavaScript before they arrive, so two seeds could share a stream)",
      v,
    );
  return String(v);
}

/**
 * A horizon override in hours: a finite number of at least `MIN_HORIZON` (1 h, the scenario's own minimum), or
 * a duration string such as "60 d". A shorter one ("1e-300 h") would leave no measured window, and every
 * metric over it undefined.
 */
export function resolveHorizon(horizon: unknown): number {
  let hours: number;
  if (typeof horizon === "number") hours = horizon;
  else if (typeof horizon === "string") {
    const r = parseQuantity(horizon, "duration");
    if (!r.ok) throw new RangeError(`horizon: ${r.message}`);
    hours = r.value;
  } else return fail("horizon", 'a number of hours or a duration such as "60 d"', horizon);
  if (!(hours > 0 && Number.isFinite(hours))) fail("horizon", "a positive duration", horizon);
  if (belowMinimum(hours, MIN_HORIZON)) fail("horizon", `a duration of at least ${MIN_HORIZON.text}`, horizon);
  return hours;
}

/** `Until` with its defaults applied; RangeError naming the field otherwise. */
export function resolveUntil(u: Until): ResolvedUntil {
  if (typeof u !== "object" || u === null)
    fail("until", "an object { metric, relHalfWidth or halfWidth, minReplications?, maxReplications? }", u);
  refuseUnknownKeys(u, "until", ["metric", "relHalfWidth", "halfWidth", "minReplications", "maxReplications"]);
  if (typeof u.metric !== "string") fail("until.metric", 'a metric name such as "response.mean"', u.metric);
  const rel = u.relHalfWidth ?? null,
    abs = u.halfWidth ?? null;
  if ((rel === null) === (abs === null)) throw new RangeError("until: give exactly one of relHalfWidth and halfWidth");
  if (rel !== null && !(typeof rel === "number" && rel > 0 && rel < 1))
    fail("until.relHalfWidth", "a number between 0 and 1", rel);
  if (abs !== null && !(typeof abs === "number" && abs > 0 && Number.isFinite(abs)))
    fail("until.halfWidth", "a positive number", abs);
  const d = RUN_DEFAULTS.until;
  const min = u.minReplications ?? d.minReplications,
    max = u.maxReplications ?? Math.max(min, d.maxReplications);
  if (!isWhole(min) || min < d.leastMinReplications || min > RUN_DEFAULTS.maxReplications)
    fail("until.minReplications", `a whole number from ${d.leastMinReplications} to 1e9`, min);
  if (!isWhole(max) || max < min || max > RUN_DEFAULTS.maxReplications)
    fail("until.maxReplications", `a whole number from minReplications (${min}) to 1e9`, max);
  return Object.freeze({
    metric: u.metric,
    relHalfWidth: rel,
    halfWidth: abs,
    minReplications: min,
    maxReplications: max,
  });
}

/** Workers as a thread count: "auto" is every core the runtime has; refused above what the runtime offers. */
function resolveWorkers(w: unknown, runtime: Runtime): number {
  if (w === undefined) return RUN_DEFAULTS.workers;
  if (w === "auto") return Math.max(1, Math.min(RUN_DEFAULTS.maxWorkers, Math.floor(runtime.cores())));
  if (!isWhole(w) || w < 1 || w > RUN_DEFAULTS.maxWorkers)
    return fail("workers", `a whole number from 1 to ${RUN_DEFAULTS.maxWorkers} or "auto"`, w);
  if (w > 1 && runtime.pool === null)
    fail(
      "workers",
      '1 or "auto": the browser-safe library runs on the calling thread ' +
        '(worker threads come with "ceasefire-sim/node")',
      w,
    );
  return w;
}

/**
 * Resolve the run options of an experiment: defaults from `RUN_DEFAULTS` and `EXPERIMENTS`, every value
 * checked (RangeError naming the option, what was expected and what was given), the result frozen.
 *
 * @example
 * resolveRunOptions({ replications: 50 }, "compare").seed; // "1"
 * resolveRunOptions({ replications: 1 }, "compare");
 * // RangeError: replications: expected a whole number from 2 to 1e9 (paired CIs need two replications); got 1
 * resolveRunOptions({ chunk: 0 }); // RangeError: chunk: expected a whole number from 1 to 1e9 …; got 0
 */
export function resolveRunOptions(
  options: RunOptions = {},
  experiment: ExperimentName = "simulate",
): ResolvedRunOptions {
  const rule =
    typeof experiment === "string" && Object.hasOwn(EXPERIMENTS, experiment) ? EXPERIMENTS[experiment] : null;
  if (!rule)
    throw new RangeError(`experiment: expected one of ${Object.keys(EXPERIMENTS).join(", ")}; got ${show(experiment)}`);
  if (typeof options !== "object" || options === null || Array.isArray(options)) fail("options", "an object", options);
  refuseUnknownKeys(options, "options", [...RUN_OPTION_KEYS, ...rule.keys], `${experiment} takes`);
  const o = options as WithRuntime<RunOptions>;
  const runtime = o[RUNTIME] ?? CALLING_THREAD;

  let until: ResolvedUntil | null = null;
  if (o.until !== undefined) {
    if (!rule.until)
      throw new RangeError(
        `until: sequential stopping does not apply to ${experiment} ` +
          `(it runs a fixed number of replications per ${rule.per}); give replications`,
      );
    if (o.replications !== undefined)
      throw new RangeError(
        "replications and until: give one (until runs between its minReplications and maxReplications)",
      );
    until = resolveUntil(o.until);
  }
  let replications: number | null = null;
  if (!until) {
    const n = o.replications ?? rule.replications;
    if (!isWhole(n) || n < rule.minReplications || n > RUN_DEFAULTS.maxReplications) {
      const why = rule.minReplications > RUN_DEFAULTS.minReplications && rule.why ? ` (${rule.why})` : "";
      fail("replications", `a whole number from ${rule.minReplications} to 1e9${why}`, n);
    }
    replications = n;
  }

  const seed = resolveSeed(o.seed);
  const horizon = o.horizon === undefined ? null : resolveHorizon(o.horizon);
  const workers = resolveWorkers(o.workers, runtime);
  let chunk: number | null = null;
  if (o.chunk !== undefined) {
    if (!isWhole(o.chunk) || o.chunk < 1 || o.chunk > RUN_DEFAULTS.maxReplications)
      fail("chunk", "a whole number from 1 to 1e9 (replications per task)", o.chunk);
    chunk = o.chunk;
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== "function")
    fail("onProgress", "a function ({ done, total }) => void", o.onProgress);
  const signal = o.signal ?? null;
  if (
    signal !== null &&
    (typeof signal !== "object" || typeof signal.aborted !== "boolean" || typeof signal.addEventListener !== "function")
  )
    fail("signal", "an AbortSignal", signal);

  const b = o.budget ?? {};
  if (typeof b !== "object" || b === null) fail("budget", "an object { incidents?, incidentsPerReplication? }", b);
  refuseUnknownKeys(b, "budget", ["incidents", "incidentsPerReplication"]);
  const budgetValue = (key: "incidents" | "incidentsPerReplication") => {
    const v = b[key] ?? RUN_DEFAULTS.budget[key];
    if (!(typeof v === "number" && v > 0 && !Number.isNaN(v))) fail(`budget.${key}`, "a positive number", v);
    return v;
  };
  const budget = Object.freeze({
    incidents: budgetValue("incidents"),
    incidentsPerReplication: budgetValue("incidentsPerReplication"),
  });

  let checkpoint: ResolvedRunOptions["checkpoint"] = null;
  if (o.checkpoint !== undefined) {
    const c = o.checkpoint;
    if (!rule.checkpoint) throw new RangeError(`checkpoint: checkpoints apply to simulate, not to ${experiment}`);
    if (typeof c !== "object" || c === null) fail("checkpoint", "an object { every?, save?, resume? }", c);
    refuseUnknownKeys(c, "checkpoint", ["every", "save", "resume"]);
    const every = c.every ?? RUN_DEFAULTS.checkpointEvery;
    if (!isWhole(every) || every < 1) fail("checkpoint.every", "a whole number of at least 1", every);
    if (c.save !== undefined && typeof c.save !== "function") fail("checkpoint.save", "a function", c.save);
    if (c.resume !== undefined && (typeof c.resume !== "object" || c.resume === null))
      fail("checkpoint.resume", "a saved checkpoint", c.resume);
    checkpoint = Object.freeze({ every, save: c.save ?? null, resume: c.resume ?? null });
  }

  let shard: ResolvedRunOptions["shard"] = null;
  if (o.shard !== undefined) {
    if (experiment !== "shard") throw new RangeError(`shard: a shard is run by runShard, not by ${experiment}`);
    const s = o.shard;
    if (typeof s !== "object" || s === null) fail("shard", "an object { index, count }", s);
    refuseUnknownKeys(s, "shard", ["index", "count"]);
    if (!isWhole(s.count) || s.count < 1) fail("shard.count", "a whole number of at least 1", s.count);
    if (!isWhole(s.index) || s.index < 0 || s.index >= s.count)
      fail("shard.index", `a whole number from 0 to ${s.count - 1}`, s.index);
    if (replications! < s.count)
      fail("replications", `a whole number of at least the shard count (${s.count})`, replications);
    shard = Object.freeze({ index: s.index, count: s.count });
  } else if (experiment === "shard") throw new RangeError("shard: expected { index, count }; got undefined");

  return Object.freeze({
    experiment,
    replications,
    seed,
    horizon,
    workers,
    chunk,
    onProgress: o.onProgress ?? null,
    signal,
    until,
    budget,
    checkpoint,
    shard,
    runtime,
  });
}

/**
 * The CLI's checkpoint cadence for `run --checkpoint` on a run of `replications`: about 20 saves, at most
 * one per 10 replications.
 */
export function cliCheckpointEvery(replications: number): number {
  return Math.max(10, Math.ceil(replications / 20));
}

/** The CLI's default for --workers on an experiment of `total` replications in all (see `RUN_DEFAULTS`). */
export function cliDefaultWorkers(total: number): number | "auto" {
  return total >= RUN_DEFAULTS.cliAutoWorkersFrom ? "auto" : RUN_DEFAULTS.workers;
}
