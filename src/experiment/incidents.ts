/**
 * Per-incident and per-replication output, for analysis outside the library (pandas, Polars, DuckDB, R):
 * `incidentLog(scenario, options)` gives one row per incident of the measured window; `replicationRows` one
 * tidy row per replication, scope and metric. Replications depend only on (seed, replication index), so both
 * are made by running the asked replications again on the calling thread, exactly as `simulate` runs them (same
 * parsing, allocation, compiled model and streams), and reading each one from the engine's workspace. The
 * engine and the experiments are untouched: with no log asked for, nothing is recorded.
 *
 * Browser-safe: typed arrays, string dictionaries and plain objects. The Node entry writes both as CSV or Arrow
 * IPC (src/node/incident-log.ts). docs/incident-log.md documents every column.
 */
import { nightHoursBefore } from "../compile/calendar.js";
import { ENGINE, runReplication } from "../engine/replication.js";
import { createWorkspace, type Workspace } from "../engine/workspace.js";
import { CODES } from "../layout/declaration.js";
import * as L from "../layout/slots.generated.js";
import { SEVERITIES, type Scenario } from "../model/types.js";
import { RNG_ALGORITHM, replicationStreams } from "../rng/streams.js";
import { addWorkspace, createAccumulator, type Accumulator } from "../stats/accumulator.js";
import { summarizeSectors, summarizeStates, summarizeTeams } from "../stats/summarize.js";
import { VERSION } from "../version.js";
import { checkBudget, expectedIncidents } from "./budget.js";
import { RUN_DEFAULTS, resolveRunOptions, resolveSeed, show } from "./options.js";
import { prepare, resolveAllocation, scenarioOf, type Prepared, type AllocationOption } from "./run.js";

/** Options of `incidentLog` and `replicationRows`. */
export interface IncidentLogOptions {
  /** Seed of every random stream (default 1): the same as the `simulate` run the log is to explain. */
  seed?: number | string;
  /** Log replications 0 … replications − 1 (default 200, as `simulate`). Or give `from` and `to`. */
  replications?: number;
  /** Log replications from … to − 1 (whole numbers, 0 ≤ from < to); instead of `replications`. */
  from?: number;
  to?: number;
  /** Override the scenario's horizon: hours, or a unit string such as "60 d". */
  horizon?: number | string;
  /**
   * A strategy name or object, a ready allocation, or an allocation mode relative to a base placement, as
   * `simulate` takes it (default: the scenario's own, else risk-weighted).
   */
  allocation?: AllocationOption;
  /**
   * Refuse outputs larger than this many rows (default 1e7, about 1 GB): before running, from the expected
   * incidents (or the metrics per replication); and, for the log, while running, when the rows pass it.
   */
  maxRows?: number;
  /** Limits of the replications' work, as `simulate` takes them (`SimulateOptions.budget`). */
  budget?: { incidents?: number; incidentsPerReplication?: number };
  /** Cancels the log: the promise rejects with an AbortError (`signal.reason` when it is an Error). */
  signal?: AbortSignal;
}

/** Largest log by default (rows): about a gigabyte of columns. */
export const INCIDENT_LOG_MAX_ROWS = 1e7;

/** The dictionaries of the coded columns: a column's code k means the label `dictionaries[name][k]`. */
export interface IncidentDictionaries {
  /** Sector ids, in the scenario's order. */
  sector: readonly string[];
  /** "minor", "major", "critical". */
  severity: readonly string[];
  /** Detection channels, as results name them ("fixed", "uav", "satellite", "patrol", "parties"). */
  channel: readonly string[];
  /** Team unit ids of the allocation (e.g. "ua-team-1"). */
  team: readonly string[];
  /** Contributing state ids. */
  state: readonly string[];
  /** Outcomes, as results name them ("verified", "denied", "no-eligible-team", "horizon-end", …). */
  outcome: readonly string[];
}

/**
 * The log's columns, one entry per row. Times are hours, places km. Null is NaN in a Float64Array column and
 * −1 in a coded (Int32Array) column; `incidentRow` reads a row with nulls. See `IncidentRow` for what each
 * column means.
 */
export interface IncidentColumns {
  replication: Int32Array;
  time: Float64Array;
  place: Float64Array;
  sector: Int32Array;
  severity: Int32Array;
  channel: Int32Array;
  detectionDelay: Float64Array;
  reportingDelay: Float64Array;
  taskingDelay: Float64Array;
  queueWait: Float64Array;
  mobilisation: Float64Array;
  departure: Float64Array;
  nightWait: Float64Array;
  travel: Float64Array;
  overnightHalt: Float64Array;
  access: Float64Array;
  team: Int32Array;
  state: Int32Array;
  outcome: Int32Array;
  response: Float64Array;
}

/** A column's name. */
export type IncidentColumn = keyof IncidentColumns;

/**
 * One incident of the measured window (it occurred at or after the warm-up, before its end). Times are hours.
 * Null where the quantity is undefined for this incident — never a stand-in 0. For an incident a team was
 * sent to, the parts add up to its arrival: time + detectionDelay + reportingDelay + taskingDelay + queueWait +
 * mobilisation + travel + access = arrival on site (to rounding); for a verified incident that sum less `time`
 * is `response`, and the result's `responseComponents` are the means of these parts over verified incidents.
 */
export interface IncidentRow {
  /** Replication index r (its streams are (seed, r, name)): the same r as in `simulate`. */
  replication: number;
  /**
   * When the incident occurred, in hours on the replication's clock: 0 is the start of the warm-up, at
   * midnight, so the hour of day is `time mod 24`; the measured window is [warm-up, warm-up + horizon).
   */
  time: number;
  /** Where: km along the line. */
  place: number;
  /** The sector it fell in (id). */
  sector: string;
  /** "minor" (recorded if detected; never verified), "major" or "critical" (both need verification). */
  severity: string;
  /** The channel that detected it first; null when no channel detected it. */
  channel: string | null;
  /** Hours from the incident to its first detection; null when undetected. */
  detectionDelay: number | null;
  /** Hours from detection to the report reaching the mission; null unless a detected major or critical one. */
  reportingDelay: number | null;
  /**
   * Hours from the report to the incident being ready for tasking (the tasking delay); null unless a detected
   * major or critical incident. Ready for tasking = time + detectionDelay + reportingDelay + taskingDelay.
   */
  taskingDelay: number | null;
  /**
   * Hours from ready for tasking to a team being sent (0 when one was free at once); null when no team was
   * sent (not ready before the end of the drain window, no eligible team, or still waiting at its end: that
   * wait is censored, not given).
   */
  queueWait: number | null;
  /**
   * Hours from a team being sent to its departure: the cross-national coordination delay when the team's
   * state does not lead the sector, then, for a team that does not move at night, the wait for dawn; null when
   * no team was sent.
   */
  mobilisation: number | null;
  /**
   * When the team left for the incident, in hours on the replication's clock (ready for tasking + queueWait +
   * mobilisation); null when no team was sent. A team that does not move at night never leaves at night.
   */
  departure: number | null;
  /**
   * For a team that does not move at night: the hours from ready for tasking to departure that fell at night —
   * the wait for dawn (no such team is sent at night); 0 for a team that moves at night; null when none was sent.
   */
  nightWait: number | null;
  /**
   * Hours from departure to arrival at the place, overnight halts included (a team that does not move at night
   * halts at dusk and goes on at dawn); null when no team was sent.
   */
  travel: number | null;
  /**
   * Of travel, the hours the team stood still overnight (0 for a team that moves at night, or a journey by day);
   * null when no team was sent. travel − overnightHalt is the time on the move, all of it by day for such a team.
   */
  overnightHalt: number | null;
  /**
   * Hours on site from the team's arrival at the place to access (or, when access is denied, to being turned
   * away); null when no team was sent.
   */
  access: number | null;
  /** The team unit sent (its id in the allocation); null when none was sent. */
  team: string | null;
  /** The contributing state of that team; null when none was sent. */
  state: string | null;
  /**
   * How it ended: "verified" (a team got access on site by the end of the drain window), "denied" (a team
   * arrived in time and access was denied), "no-eligible-team" (no team may serve its sector), "horizon-end"
   * (detected, but no team arrived by the end of the drain window), "undetected" (any severity: no channel
   * detected it), "recorded" (a detected minor incident).
   */
  outcome: string;
  /** Hours from the incident to the team's arrival on site (access granted); null unless verified. */
  response: number | null;
}

/** A log: its columns, their dictionaries, and where it came from. */
export interface IncidentLog {
  format: "ceasefire-sim/incidents@1";
  provenance: {
    library: "ceasefire-sim";
    version: string;
    scenario: { name: string; hash: string };
    seed: string;
    rng: string;
    engine: string;
    /** Replications from … to − 1. */
    replications: { from: number; to: number };
    warmupHours: number;
    horizonHours: number;
    drainHours: number;
    strategy: string;
  };
  /** Rows: incidents of the measured window over the replications. */
  rows: number;
  columns: IncidentColumns;
  dictionaries: IncidentDictionaries;
}

/** What kind of values a column holds: hours or km (float), a whole number, or a code into a dictionary. */
export type IncidentColumnKind = "float" | "int" | "code";

/** The columns in order, with their kind, dictionary and unit: the writers' and the docs' one list. */
export const INCIDENT_COLUMNS: readonly {
  readonly name: IncidentColumn;
  readonly kind: IncidentColumnKind;
  readonly dictionary?: keyof IncidentDictionaries;
  readonly unit?: "h" | "km";
  readonly nullable: boolean;
}[] = Object.freeze([
  { name: "replication", kind: "int", nullable: false },
  { name: "time", kind: "float", unit: "h", nullable: false },
  { name: "place", kind: "float", unit: "km", nullable: false },
  { name: "sector", kind: "code", dictionary: "sector", nullable: false },
  { name: "severity", kind: "code", dictionary: "severity", nullable: false },
  { name: "channel", kind: "code", dictionary: "channel", nullable: true },
  { name: "detectionDelay", kind: "float", unit: "h", nullable: true },
  { name: "reportingDelay", kind: "float", unit: "h", nullable: true },
  { name: "taskingDelay", kind: "float", unit: "h", nullable: true },
  { name: "queueWait", kind: "float", unit: "h", nullable: true },
  { name: "mobilisation", kind: "float", unit: "h", nullable: true },
  { name: "departure", kind: "float", unit: "h", nullable: true },
  { name: "nightWait", kind: "float", unit: "h", nullable: true },
  { name: "travel", kind: "float", unit: "h", nullable: true },
  { name: "overnightHalt", kind: "float", unit: "h", nullable: true },
  { name: "access", kind: "float", unit: "h", nullable: true },
  { name: "team", kind: "code", dictionary: "team", nullable: true },
  { name: "state", kind: "code", dictionary: "state", nullable: true },
  { name: "outcome", kind: "code", dictionary: "outcome", nullable: false },
  { name: "response", kind: "float", unit: "h", nullable: true },
] as const);

/** Growable columns. */
class Builder {
  size = 0;
  cap = 1024;
  cols: IncidentColumns = Builder.alloc(1024);

  private static alloc(n: number): IncidentColumns {
    const out = {} as Record<IncidentColumn, Float64Array | Int32Array>;
    for (const c of INCIDENT_COLUMNS) out[c.name] = c.kind === "float" ? new Float64Array(n) : new Int32Array(n);
    return out as unknown as IncidentColumns;
  }

  /** Room for `more` rows. */
  reserve(more: number): void {
    if (this.size + more <= this.cap) return;
    let cap = this.cap;
    while (cap < this.size + more) cap *= 2;
    const next = Builder.alloc(cap);
    for (const c of INCIDENT_COLUMNS) (next[c.name] as Float64Array).set(this.cols[c.name].subarray(0, this.size));
    this.cols = next;
    this.cap = cap;
  }

  /** The columns cut to the rows written (copies, so the spare room is freed). */
  finish(): IncidentColumns {
    const out = {} as Record<IncidentColumn, Float64Array | Int32Array>;
    for (const c of INCIDENT_COLUMNS) out[c.name] = this.cols[c.name].slice(0, this.size);
    return out as unknown as IncidentColumns;
  }
}

const OPTION_KEYS = ["seed", "replications", "from", "to", "horizon", "allocation", "maxRows", "budget", "signal"];

const isWhole = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/** The replication range asked for. */
function rangeOf(o: IncidentLogOptions): { from: number; to: number } {
  const max = RUN_DEFAULTS.maxReplications;
  if (o.from !== undefined || o.to !== undefined) {
    if (o.replications !== undefined)
      throw new RangeError("replications and from/to: give one (from/to logs replications from … to − 1)");
    const from = o.from ?? 0;
    if (!isWhole(from) || from < 0 || from >= max)
      throw new RangeError(`from: expected a whole number from 0 to 1e9; got ${show(o.from)}`);
    if (!isWhole(o.to) || o.to <= from || o.to > max)
      throw new RangeError(`to: expected a whole number above from (${from}) and at most 1e9; got ${show(o.to)}`);
    return { from, to: o.to };
  }
  const n = o.replications ?? RUN_DEFAULTS.replications;
  if (!isWhole(n) || n < 1 || n > max)
    throw new RangeError(`replications: expected a whole number from 1 to 1e9; got ${show(n)}`);
  return { from: 0, to: n };
}

const aborted = (signal: AbortSignal): Error => {
  const r: unknown = signal.reason;
  if (r instanceof Error) return r;
  const e = new Error("the incident log was stopped");
  e.name = "AbortError";
  return e;
};

/** What a replay needs: the options checked, the scenario prepared as `simulate` prepares it. */
interface Replay {
  prepared: Prepared;
  seed: string;
  from: number;
  to: number;
  maxRows: number;
  signal: AbortSignal | null;
}

/**
 * Check a replay's options (refusing unknown keys, naming `what` takes them), then parse, budget-check,
 * allocate and compile the scenario exactly as `simulate` does. `rowsPerReplication` estimates the rows one
 * replication gives, for the `maxRows` check before anything runs.
 */
async function prepareReplay(
  scenario: unknown,
  options: IncidentLogOptions,
  what: string,
  defaultMaxRows: number,
  rowsPerReplication: (s: Scenario) => number,
): Promise<Replay> {
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new RangeError(`options: expected an object; got ${show(options)}`);
  for (const key of Object.keys(options))
    if (!OPTION_KEYS.includes(key))
      throw new RangeError(`options: unknown option ${show(key)}; ${what} takes: ${OPTION_KEYS.join(", ")}`);
  const { from, to } = rangeOf(options);
  const seed = resolveSeed(options.seed);
  const maxRows = options.maxRows ?? defaultMaxRows;
  if (!(typeof maxRows === "number" && maxRows > 0 && !Number.isNaN(maxRows)))
    throw new RangeError(`maxRows: expected a positive number; got ${show(options.maxRows)}`);
  const signal = options.signal ?? null;
  if (
    signal !== null &&
    (typeof signal !== "object" || typeof signal.aborted !== "boolean" || typeof signal.addEventListener !== "function")
  )
    throw new RangeError(`signal: expected an AbortSignal; got ${show(signal)}`);
  // The budget and horizon as simulate resolves them (one replication stands in for the count: checked below).
  const o = resolveRunOptions(
    {
      replications: 1,
      ...(options.horizon !== undefined ? { horizon: options.horizon } : {}),
      ...(options.budget !== undefined ? { budget: options.budget } : {}),
    },
    "simulate",
  );
  const parsed = scenarioOf(scenario, o.horizon);
  checkBudget(parsed, to - from, o.budget);
  const expected = rowsPerReplication(parsed) * (to - from);
  if (expected > maxRows)
    throw new RangeError(
      `maxRows: ${what} would give about ${expected.toExponential(2)} rows over ${to - from} replications, ` +
        `over the limit of ${maxRows.toExponential(2)} rows; ask for fewer replications or raise maxRows`,
    );
  const prepared = await prepare(parsed, await resolveAllocation(parsed, options.allocation));
  return { prepared, seed, from, to, maxRows, signal };
}

/**
 * Run the replay's replications in order on one workspace, calling `visit` after each (the workspace then
 * holds that replication's incidents, tally and histograms); yields now and then so that the signal can stop it.
 */
async function replay(p: Replay, visit: (r: number, ws: Workspace) => void): Promise<void> {
  const m = p.prepared.model;
  const ws = createWorkspace(m);
  let lastYield = Date.now();
  for (let r = p.from; r < p.to; r++) {
    if (p.signal?.aborted) throw aborted(p.signal);
    runReplication(m, replicationStreams(p.seed, r), ws);
    visit(r, ws);
    if (Date.now() - lastYield > 50) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastYield = Date.now();
    }
  }
  if (p.signal?.aborted) throw aborted(p.signal);
}

/** The provenance of a replay's output. */
function provenanceOf(p: Replay): IncidentLog["provenance"] {
  const s = p.prepared.scenario;
  return {
    library: "ceasefire-sim",
    version: VERSION,
    scenario: { name: s.name, hash: p.prepared.hash },
    seed: p.seed,
    rng: RNG_ALGORITHM,
    engine: ENGINE,
    replications: { from: p.from, to: p.to },
    warmupHours: s.warmup,
    horizonHours: s.horizon,
    drainHours: s.drain,
    strategy: p.prepared.allocation.strategy,
  };
}

/**
 * The incident log of replications of a scenario: one row per incident that occurred in the measured window
 * (warm-up excluded), in replication order, then time order. Given the same scenario, seed, horizon and
 * allocation as a `simulate` run, its rows are that run's incidents: counts per outcome and per sector, and
 * the mean response of verified rows, equal the result's (a test checks). Runs on the calling thread,
 * yielding now and then so that `signal` can stop it.
 *
 * @example
 * const log = await incidentLog(defaultScenario(), { seed: 7, replications: 5 });
 * log.rows; // incidents over the 5 replications
 * incidentRow(log, 0); // { replication: 0, time: 48.2, sector: "pokrovsk", outcome: "recorded", … }
 */
export async function incidentLog(scenario: unknown, options: IncidentLogOptions = {}): Promise<IncidentLog> {
  const p = await prepareReplay(
    scenario,
    options,
    "incidentLog",
    INCIDENT_LOG_MAX_ROWS,
    (s) => (expectedIncidents(s) * s.horizon) / (s.warmup + s.horizon),
  );
  const m = p.prepared.model;
  const b = new Builder();
  const tmState = m.tmState,
    tmNight = m.tmNight;
  const warmup = m.warmup;
  await replay(p, (r, ws) => {
    const n = ws.n;
    const a = ws.arrays;
    b.reserve(n);
    const c = b.cols;
    let k = b.size;
    for (let i = 0; i < n; i++) {
      const t = a.incT[i]!;
      if (t < warmup) continue;
      const sev = a.incSev[i]!;
      const det = a.incDet[i]!;
      const detected = det < Infinity;
      const verifiable = sev > 0 && detected;
      const team = a.incTeam[i]!;
      const sent = team >= 0;
      const outcome = a.incOutcome[i]!;
      c.replication[k] = r;
      c.time[k] = t;
      c.place[k] = a.incX[i]!;
      c.sector[k] = a.incSec[i]!;
      c.severity[k] = sev;
      c.channel[k] = detected ? a.incChan[i]! : -1;
      c.detectionDelay[k] = detected ? det - t : NaN;
      const report = verifiable ? a.incReport[i]! : NaN;
      c.reportingDelay[k] = report;
      c.taskingDelay[k] = verifiable ? a.incReady[i]! - det - report : NaN;
      c.queueWait[k] = sent ? a.incWait[i]! : NaN;
      c.mobilisation[k] = sent ? a.incMob[i]! : NaN;
      const ready = a.incReady[i]!,
        departure = sent ? ready + a.incWait[i]! + a.incMob[i]! : NaN;
      c.departure[k] = departure;
      // The wait's night hours, for a team that may not move at night.
      let nightWait = NaN;
      if (sent) nightWait = tmNight[team] ? 0 : nightHoursBefore(m, departure) - nightHoursBefore(m, ready);
      c.nightWait[k] = nightWait;
      c.travel[k] = sent ? a.incTravel[i]! : NaN;
      c.overnightHalt[k] = sent ? a.incHalt[i]! : NaN;
      c.access[k] = sent ? a.incAccess[i]! : NaN;
      c.team[k] = team;
      c.state[k] = sent ? tmState[team]! : -1;
      c.outcome[k] = outcome;
      c.response[k] = outcome === L.OUT_VERIFIED ? a.incArrive[i]! - t : NaN;
      k++;
    }
    b.size = k;
    if (k > p.maxRows)
      throw new RangeError(
        `maxRows: the log passed the limit of ${p.maxRows.toExponential(2)} rows at replication ${r}; ` +
          "log fewer replications or raise maxRows",
      );
  });
  return {
    format: "ceasefire-sim/incidents@1",
    provenance: provenanceOf(p),
    rows: b.size,
    columns: b.finish(),
    dictionaries: {
      sector: [...m.names.sectors],
      severity: [...SEVERITIES],
      channel: CODES.CH.map((x) => x.label),
      team: [...m.names.teams],
      state: [...m.names.states],
      outcome: CODES.OUT.map((x) => x.label),
    },
  };
}

/** Row i of a log, with labels for codes and null where a value is undefined. */
export function incidentRow(log: IncidentLog, i: number): IncidentRow {
  if (!isWhole(i) || i < 0 || i >= log.rows)
    throw new RangeError(`row: expected a whole number from 0 to ${log.rows - 1}; got ${show(i)}`);
  const out = {} as Record<string, number | string | null>;
  for (const c of INCIDENT_COLUMNS) {
    const v = log.columns[c.name][i]!;
    if (c.kind === "code") out[c.name] = v < 0 ? null : log.dictionaries[c.dictionary!][v]!;
    else out[c.name] = Number.isNaN(v) ? null : v;
  }
  return out as unknown as IncidentRow;
}

// ---------------------------------------------------------------------------------------------------------------
// Per-replication rows.

/**
 * One replication's value of one metric, as a tidy row (replication × scope × id × metric): the metrics and
 * names of `toRows(result)`, each computed from that replication alone by the same estimator as the result's
 * (a ratio Σy/Σx within the replication; a quantile from the replication's own histogram).
 */
export interface ReplicationRow {
  /** Replication index r, as in `simulate` and the incident log. */
  replication: number;
  /** "line", "sector", "state" or "team". */
  scope: "line" | "sector" | "state" | "team";
  /** "line", or the sector's, state's or team's id. */
  id: string;
  /** Dotted metric name, as `toRows` names it ("response.mean", "counts.verified", "coverage.night", …). */
  metric: string;
  /**
   * The replication's value; null where the metric is undefined in this replication (its denominator is 0:
   * a mean response when nothing was verified there, a share of detected incidents when none was detected).
   */
  value: number | null;
}

/** Per-replication rows and where they came from. */
export interface ReplicationRows {
  format: "ceasefire-sim/replications@1";
  provenance: IncidentLog["provenance"];
  rows: ReplicationRow[];
}

/** Largest number of per-replication rows by default. */
export const REPLICATION_ROWS_MAX = 1e7;

const isEstimate = (v: unknown): v is { value: number; halfWidth: number } =>
  typeof v === "object" && v !== null && Object.hasOwn(v, "value") && Object.hasOwn(v, "halfWidth");

/** The metrics of one scope and id as tidy rows of replication r (numbers and estimates' values, as toRows). */
function tidy(
  r: number,
  scope: ReplicationRow["scope"],
  id: string,
  prefix: string,
  o: Record<string, unknown>,
  out: ReplicationRow[],
): void {
  for (const [k, v] of Object.entries(o)) {
    const metric = prefix ? `${prefix}.${k}` : k;
    const value = isEstimate(v) ? v.value : typeof v === "number" ? v : undefined;
    if (value !== undefined)
      out.push({ replication: r, scope, id, metric, value: Number.isFinite(value) ? value : null });
    else if (typeof v === "object" && v !== null && !Array.isArray(v))
      tidy(r, scope, id, metric, v as Record<string, unknown>, out);
  }
}

/** The tidy rows of one replication from its accumulator (a sector's as the result has them, with lengthKm). */
function rowsOf(r: number, acc: Accumulator, p: Prepared, out: ReplicationRow[]): void {
  const m = p.model;
  const { line, sectors } = summarizeSectors(acc, m);
  tidy(r, "line", "line", "", line as unknown as Record<string, unknown>, out);
  sectors.forEach((s, i) => {
    const sec = p.scenario.sectors[i]!;
    tidy(r, "sector", sec.id, "", { lengthKm: sec.lengthKm, ...s }, out);
  });
  for (const s of summarizeStates(acc, m)) {
    const { id, ...rest } = s;
    tidy(r, "state", id, "", rest, out);
  }
  for (const t of summarizeTeams(acc, m)) {
    const { id, state: _s, asset: _a, base: _b, ...rest } = t;
    tidy(r, "team", id, "", rest, out);
  }
}

/**
 * Per-replication values of every metric of a `simulate` result, as tidy rows (replication × scope × id ×
 * metric → value), for paired analyses and one's own intervals: the replications are those of `simulate`
 * with the same scenario, seed and options, run again on the calling thread. Counts add up over replications
 * to the result's counts; a ratio metric's pooled value is Σ(value × denominator) / Σ denominator over
 * replications (the result's estimator), not the plain mean of the values (a test checks both).
 *
 * @example
 * const { rows } = await replicationRows(defaultScenario(), { seed: 7, replications: 20 });
 * rows.filter((x) => x.scope === "line" && x.metric === "response.mean"); // 20 rows, one per replication
 */
export async function replicationRows(scenario: unknown, options: IncidentLogOptions = {}): Promise<ReplicationRows> {
  let perReplication = 0;
  const p = await prepareReplay(scenario, options, "replicationRows", REPLICATION_ROWS_MAX, () => perReplication);
  // The rows one replication gives (known before running: the metrics of an empty accumulator).
  const m = p.prepared.model;
  const probe: ReplicationRow[] = [];
  rowsOf(0, createAccumulator(m), p.prepared, probe);
  perReplication = probe.length;
  if (perReplication * (p.to - p.from) > p.maxRows)
    throw new RangeError(
      `maxRows: replicationRows would give ${perReplication * (p.to - p.from)} rows over ${p.to - p.from} ` +
        `replications, over the limit of ${p.maxRows.toExponential(2)} rows; ask for fewer replications or raise ` +
        "maxRows",
    );
  const rows: ReplicationRow[] = [];
  await replay(p, (r, ws) => {
    const acc = createAccumulator(m);
    addWorkspace(acc, m, ws);
    rowsOf(r, acc, p.prepared, rows);
  });
  return { format: "ceasefire-sim/replications@1", provenance: provenanceOf(p), rows };
}
