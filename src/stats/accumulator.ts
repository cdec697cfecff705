/**
 * The run accumulator: everything a run keeps across replications, in flat
 * Float64Arrays of fixed size — so memory does not grow with replications,
 * and accumulators from workers or shards merge by `mergeAccumulators`.
 *
 * - `sums`: tallies summed over replications;
 * - `ratios`: mergeable co-moments of each ratio metric (see moments.ts);
 * - `respHist`, `detHist`: pooled histograms per sector + whole line;
 * - `quantiles`: Welford moments of per-replication quantiles (for CIs);
 * - `curve`: per-replication sums at the survival curve's edges, per sector + whole line (for its CIs).
 */
import type { CompiledModel } from "../compile/compile.js";
import { HIST_BINS } from "../layout/histogram.js";
import { histQuantile } from "./histogram.js";
import { RATIO_WIDTH, WELFORD_WIDTH, ratioAdd, ratioMerge, welfordAdd, welfordMerge } from "./moments.js";
import { CODES } from "../layout/declaration.js";
import * as F from "../layout/slots.generated.js";
import { stateBlock, tallySize, teamBlock } from "../layout/tally.js";
import type { Workspace } from "../engine/workspace.js";
import { NON_NEGATIVE, SHARE, type Range } from "./estimate.js";
import { addCurveSums, curveBlockWidth, curveEdges, quantileToLimit, SURVIVAL_LEVELS } from "./survival.js";

/** Ratio metrics computed for every sector and the whole line: y / x, with x a list of tally fields or the window. */
export const SECTOR_METRICS = [
  {
    name: "incidentsPerDay",
    path: "incidentsPerDay",
    better: "none",
    x: "window",
    y: [F.F_INC],
    scale: 24,
    range: NON_NEGATIVE,
  },
  {
    name: "verifiablePerDay",
    path: "verifiablePerDay",
    better: "none",
    x: "window",
    y: [F.F_VERIFIABLE],
    scale: 24,
    range: NON_NEGATIVE,
  },
  {
    name: "detectionProbability",
    path: "detection.probability",
    better: "higher",
    x: [F.F_INC],
    y: [F.F_DET],
    range: SHARE,
    counted: true,
  },
  {
    name: "detectionLatency",
    path: "detection.latency.mean",
    better: "lower",
    x: [F.F_DET],
    y: [F.F_DET_LAT],
    range: NON_NEGATIVE,
  },
  {
    name: "verifiedShare",
    path: "outcomes.verified",
    better: "higher",
    x: [F.F_VERIFIABLE],
    y: [F.F_VERIFIED],
    range: SHARE,
    counted: true,
  },
  {
    name: "withinStandard",
    path: "withinStandard",
    better: "higher",
    x: [F.F_VERIFIABLE],
    y: [F.F_WITHIN],
    range: SHARE,
    counted: true,
  },
  {
    name: "responseMean",
    path: "response.mean",
    better: "lower",
    x: [F.F_VERIFIED],
    y: [F.F_RESP],
    range: NON_NEGATIVE,
  },
  {
    name: "restrictedMean",
    path: "timeToVerification.restrictedMean",
    better: "lower",
    x: [F.F_VERIFIABLE],
    y: [F.F_RESTRICTED],
    // At most the follow-up limit too, which depends on the scenario: summarize keeps it in [0, limit].
    range: NON_NEGATIVE,
  },
  {
    name: "undetected",
    path: "outcomes.undetected",
    better: "lower",
    x: [F.F_VERIFIABLE],
    y: [F.F_UNDET],
    range: SHARE,
    counted: true,
  },
  {
    name: "denied",
    path: "outcomes.denied",
    better: "lower",
    x: [F.F_VERIFIABLE],
    y: [F.F_DENIED],
    range: SHARE,
    counted: true,
  },
  {
    name: "noEligibleTeam",
    path: "outcomes.noEligibleTeam",
    better: "lower",
    x: [F.F_VERIFIABLE],
    y: [F.F_NO_TEAM],
    range: SHARE,
    counted: true,
  },
  {
    name: "horizonEnd",
    path: "outcomes.horizonEnd",
    better: "lower",
    x: [F.F_VERIFIABLE],
    y: [F.F_HORIZON_END],
    range: SHARE,
    counted: true,
  },
  {
    name: "minorRecorded",
    path: "minorRecorded",
    better: "higher",
    x: "minor",
    y: [F.F_MINOR_RECORDED],
    range: SHARE,
    counted: true,
  },
  {
    name: "queuedShare",
    path: "dispatch.queuedShare",
    better: "lower",
    x: [F.F_DISPATCH],
    y: [F.F_QUEUED],
    range: SHARE,
    counted: true,
  },
  {
    name: "queueWait",
    path: "dispatch.queueWait",
    better: "lower",
    x: [F.F_DISPATCH],
    y: [F.F_WAIT],
    range: NON_NEGATIVE,
  },
  {
    name: "crossSectorShare",
    path: "dispatch.crossSectorShare",
    better: "lower",
    x: [F.F_DISPATCH],
    y: [F.F_CROSS_SECTOR],
    range: SHARE,
    counted: true,
  },
  {
    name: "crossNationalShare",
    path: "dispatch.crossNationalShare",
    better: "lower",
    x: [F.F_DISPATCH],
    y: [F.F_CROSS_NATIONAL],
    range: SHARE,
    counted: true,
  },
  // Share of detections made first by each channel, one metric per channel code (src/layout/declaration.ts).
  ...CODES.CH.map((c, code) => ({
    name: `channel.${c.label}` as const,
    path: `detection.byChannel.${c.label}` as const,
    better: "none" as const,
    x: [F.F_DET],
    y: [F.F_CH + code],
    range: SHARE,
    counted: true as const,
  })),
  {
    name: "coverage",
    path: "coverage.overall",
    better: "higher",
    x: [F.F_EXP_DAY, F.F_EXP_NIGHT],
    y: [F.F_COV],
    range: SHARE,
  },
  { name: "coverageDay", path: "coverage.day", better: "higher", x: [F.F_EXP_DAY], y: [F.F_COV_DAY], range: SHARE },
  {
    name: "coverageNight",
    path: "coverage.night",
    better: "higher",
    x: [F.F_EXP_NIGHT],
    y: [F.F_COV_NIGHT],
    range: SHARE,
  },
  {
    name: "coverage2",
    path: "coverage.atLeastTwo",
    better: "higher",
    x: [F.F_EXP_DAY, F.F_EXP_NIGHT],
    y: [F.F_COV2],
    range: SHARE,
  },
  // Effective coverage: line-km-hours weighted by the watching sensors' probability of detecting a reference
  // incident, over the sector's severity mix, then per severity (one set per SEV code).
  {
    name: "effective",
    path: "coverage.effective.overall",
    better: "higher",
    x: [F.F_EXP_DAY, F.F_EXP_NIGHT],
    y: [F.F_EFF_DAY, F.F_EFF_NIGHT],
    range: SHARE,
  },
  {
    name: "effectiveDay",
    path: "coverage.effective.day",
    better: "higher",
    x: [F.F_EXP_DAY],
    y: [F.F_EFF_DAY],
    range: SHARE,
  },
  {
    name: "effectiveNight",
    path: "coverage.effective.night",
    better: "higher",
    x: [F.F_EXP_NIGHT],
    y: [F.F_EFF_NIGHT],
    range: SHARE,
  },
  ...CODES.SEV.flatMap((v, code) => [
    {
      name: `effective.${v.label}` as const,
      path: `coverage.effective.bySeverity.${v.label}.overall` as const,
      better: "higher" as const,
      x: [F.F_EXP_DAY, F.F_EXP_NIGHT],
      y: [F.F_EFF_DAY_SEV + code, F.F_EFF_NIGHT_SEV + code],
      range: SHARE,
    },
    {
      name: `effectiveDay.${v.label}` as const,
      path: `coverage.effective.bySeverity.${v.label}.day` as const,
      better: "higher" as const,
      x: [F.F_EXP_DAY],
      y: [F.F_EFF_DAY_SEV + code],
      range: SHARE,
    },
    {
      name: `effectiveNight.${v.label}` as const,
      path: `coverage.effective.bySeverity.${v.label}.night` as const,
      better: "higher" as const,
      x: [F.F_EXP_NIGHT],
      y: [F.F_EFF_NIGHT_SEV + code],
      range: SHARE,
    },
  ]),
  {
    name: "component.detection",
    path: "responseComponents.detection",
    better: "lower",
    x: [F.F_VERIFIED],
    y: [F.F_T_DETECT],
    range: NON_NEGATIVE,
  },
  {
    name: "component.tasking",
    path: "responseComponents.tasking",
    better: "lower",
    x: [F.F_VERIFIED],
    y: [F.F_T_TASK],
    range: NON_NEGATIVE,
  },
  {
    name: "component.queue",
    path: "responseComponents.queue",
    better: "lower",
    x: [F.F_VERIFIED],
    y: [F.F_T_WAIT],
    range: NON_NEGATIVE,
  },
  {
    name: "component.mobilisation",
    path: "responseComponents.mobilisation",
    better: "lower",
    x: [F.F_VERIFIED],
    y: [F.F_T_MOBILISE],
    range: NON_NEGATIVE,
  },
  {
    name: "component.travel",
    path: "responseComponents.travel",
    better: "lower",
    x: [F.F_VERIFIED],
    y: [F.F_T_TRAVEL],
    range: NON_NEGATIVE,
  },
  {
    name: "component.access",
    path: "responseComponents.access",
    better: "lower",
    x: [F.F_VERIFIED],
    y: [F.F_T_ACCESS],
    range: NON_NEGATIVE,
  },
] as const satisfies readonly {
  name: string;
  path: string;
  better: "lower" | "higher" | "none";
  x: "window" | "minor" | readonly number[];
  y: readonly number[];
  scale?: number;
  /** The values the metric can take (its interval stays inside: see estimate.ts). */
  range: Range;
  /** A share of counted events (incidents, detections, dispatches): at 0 or 1 its interval uses the count. */
  counted?: true;
}[];

/** One replication's value of a whole-line ratio metric from its tally (NaN when the denominator is 0). */
export function replicationValue(
  def: (typeof SECTOR_METRICS)[number],
  tally: Float64Array,
  nSectors: number,
  window: number,
): number {
  const o = nSectors * F.SECTOR_FIELDS;
  const x = field(tally, o, def.x, window);
  return x > 0 ? (field(tally, o, def.y, window) / x) * ("scale" in def ? def.scale : 1) : NaN;
}

/** Ratio metrics of each team, in the order of their moments (`ratioOffsets().team`): y / x over the window. */
export const TEAM_METRICS = [
  { name: "utilisation", range: SHARE },
  { name: "tasksPerDay", range: NON_NEGATIVE, scale: 24 },
  { name: "availability", range: SHARE },
  /** Share of the window on patrol (patrol windows, less the busy hours in them). */
  { name: "patrolShare", range: SHARE },
] as const satisfies readonly { name: string; range: Range; scale?: number; counted?: true }[];
/**
 * Ratio metrics of each contributing state, in the order of their moments (`ratioOffsets().state`), with
 * their place in `StateMetrics` (`path`). The burden
 * in hours per day of the window (y / window × 24), summed over the state's units: team-hours tasked (busy,
 * from tasking until back at base), of which travelling; team-hours on patrol (not busy, not unavailable);
 * hours its fixed sensors worked and its UAVs were on station. Docs: docs/estimands.md, "Burden".
 */
export const STATE_METRICS = [
  { name: "utilisation", path: "utilisation", range: SHARE },
  { name: "taskShare", path: "taskShare", range: SHARE, counted: true },
  { name: "tasksPerDay", path: "tasksPerDay", range: NON_NEGATIVE, scale: 24 },
  { name: "taskedHoursPerDay", path: "hoursPerDay.tasked", range: NON_NEGATIVE, scale: 24 },
  { name: "travelHoursPerDay", path: "hoursPerDay.travelling", range: NON_NEGATIVE, scale: 24 },
  { name: "patrolHoursPerDay", path: "hoursPerDay.patrolling", range: NON_NEGATIVE, scale: 24 },
  { name: "sensorHoursPerDay", path: "hoursPerDay.sensors", range: NON_NEGATIVE, scale: 24 },
  { name: "uavHoursPerDay", path: "hoursPerDay.uavs", range: NON_NEGATIVE, scale: 24 },
] as const satisfies readonly { name: string; path: string; range: Range; scale?: number; counted?: true }[];

/** The index of a state metric in `STATE_METRICS` (its moments' place: `ratioOffsets().state(s, k)`). */
export function stateMetric(name: (typeof STATE_METRICS)[number]["name"]): number {
  return STATE_METRICS.findIndex((d) => d.name === name);
}
/** Response-time quantiles tracked per sector + whole line, with per-replication moments for CIs. */
export const RESPONSE_QUANTILES = [0.5, 0.9, 0.95] as const;
/**
 * The quantile metrics of every sector and the whole line. `record`: each replication record carries the
 * replication's own value (for the interval, by sectioning) — `"response"` the quantile of verified incidents'
 * response times, `"survival"` the quantile of min(T, limit) over all verifiable incidents (the limit when its
 * curve does not reach the level, so the range is [0, limit], narrowed in summarize); detection-latency
 * quantiles are point values without a record.
 */
export const QUANTILE_METRICS = [
  ...RESPONSE_QUANTILES.map((q) => ({
    path: `response.p${Math.round(100 * q)}`,
    q,
    range: NON_NEGATIVE,
    record: "response" as const,
  })),
  ...SURVIVAL_LEVELS.map((q) => ({
    path: `timeToVerification.p${Math.round(100 * q)}`,
    q,
    range: NON_NEGATIVE,
    record: "survival" as const,
  })),
  { path: "detection.latency.p50", q: 0.5, range: NON_NEGATIVE, record: null },
  { path: "detection.latency.p90", q: 0.9, range: NON_NEGATIVE, record: null },
] as const satisfies readonly { path: string; q: number; range: Range; record: "response" | "survival" | null }[];
/** The quantile metrics a replication record carries, in the record's order (per sector + whole line). */
export const RECORD_QUANTILES = QUANTILE_METRICS.filter((d) => d.record !== null);

export interface Accumulator {
  format: "ceasefire-sim/accumulator@1";
  nSectors: number;
  nTeams: number;
  nStates: number;
  replications: number;
  sums: Float64Array;
  ratios: Float64Array;
  respHist: Float64Array;
  detHist: Float64Array;
  quantiles: Float64Array;
  /**
   * Sums over replications behind the intervals of the time-to-verification curve, `curveSize(m)` numbers:
   * per sector + whole line, a block of `addCurveSums` (src/stats/survival.ts); whole numbers, added exactly.
   */
  curve: Float64Array;
}

export function ratioOffsets(nSectors: number, nTeams: number) {
  const sector = (b: number, k: number) => (b * SECTOR_METRICS.length + k) * RATIO_WIDTH;
  const teamBase = (nSectors + 1) * SECTOR_METRICS.length;
  const team = (t: number, k: number) => (teamBase + t * TEAM_METRICS.length + k) * RATIO_WIDTH;
  const stateBase = teamBase + nTeams * TEAM_METRICS.length;
  const state = (s: number, k: number) => (stateBase + s * STATE_METRICS.length + k) * RATIO_WIDTH;
  return { sector, team, state, stateBase };
}

export function createAccumulator(m: CompiledModel): Accumulator {
  const S = m.nSectors;
  const nRatios = (S + 1) * SECTOR_METRICS.length + m.nTeams * TEAM_METRICS.length + m.nStates * STATE_METRICS.length;
  return {
    format: "ceasefire-sim/accumulator@1",
    nSectors: S,
    nTeams: m.nTeams,
    nStates: m.nStates,
    replications: 0,
    sums: new Float64Array(tallySize(S, m.nTeams, m.nStates)),
    ratios: new Float64Array(nRatios * RATIO_WIDTH),
    respHist: new Float64Array((S + 1) * HIST_BINS),
    detHist: new Float64Array((S + 1) * HIST_BINS),
    quantiles: new Float64Array((S + 1) * RECORD_QUANTILES.length * WELFORD_WIDTH),
    curve: new Float64Array(curveSize(m)),
  };
}

/** The follow-up limit of a model's time-to-verification curve (the drain allowance, hours). */
export const curveLimit = (m: CompiledModel): number => m.drainEnd - m.end;

/** Numbers of an accumulator's `curve`: one block per sector + whole line. */
export function curveSize(m: CompiledModel): number {
  return (m.nSectors + 1) * curveBlockWidth(curveEdges(curveLimit(m)).length);
}

/**
 * Add one replication's sums at the survival curve's edges into `curve` (an accumulator's, or a worker's
 * running sums), every sector + the whole line, from its tally (the whole-line block completed: after
 * `fillRecord`) and its histogram of verified times (bins in `bounds` per block when given).
 */
export function addCurve(
  m: CompiledModel,
  tally: Float64Array,
  respHist: Float64Array,
  curve: Float64Array,
  bounds?: Int32Array,
): void {
  const edges = curveEdges(curveLimit(m)),
    w = curveBlockWidth(edges.length);
  for (let b = 0; b <= m.nSectors; b++) {
    const lo = bounds ? bounds[2 * b]! : 0,
      hi = bounds ? bounds[2 * b + 1]! : HIST_BINS - 1;
    addCurveSums(curve, b * w, edges, respHist, b * HIST_BINS, tally[b * F.SECTOR_FIELDS + F.F_VERIFIABLE]!, lo, hi);
  }
}

/** Add whole-number sums (curve sums) of `b` into the first `b.length` of `a` (none: nothing): exact in any order. */
export function addSums(a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < b.length; i++) a[i]! += b[i]!;
}

function field(
  t: Float64Array | Float64Array,
  o: number,
  fields: "window" | "minor" | readonly number[],
  window: number,
): number {
  if (fields === "window") return window;
  if (fields === "minor") return t[o + F.F_INC]! - t[o + F.F_VERIFIABLE]!;
  let v = 0;
  for (const f of fields) v += t[o + f]!;
  return v;
}

/** Numbers in a replication record: its tally, then its `RECORD_QUANTILES` per sector + whole line. */
export function recordSize(m: CompiledModel): number {
  return tallySize(m.nSectors, m.nTeams, m.nStates) + (m.nSectors + 1) * RECORD_QUANTILES.length;
}

/**
 * Fill `record` (at `offset`) with one replication's results: its tally with the whole-line block completed,
 * then its `RECORD_QUANTILES` (a response quantile is NaN where nothing was verified, a time-to-verification one
 * where nothing was verifiable). Records are what workers and shards send;
 * adding them in replication order makes results identical however the replications were split.
 */
export function fillRecord(
  m: CompiledModel,
  tally: Float64Array,
  respHist: Float64Array,
  record: Float64Array,
  offset = 0,
  bounds?: Int32Array,
): void {
  const S = m.nSectors,
    line = S * F.SECTOR_FIELDS,
    n = tallySize(S, m.nTeams, m.nStates);
  for (let f = 0; f < F.SECTOR_FIELDS; f++) {
    let v = 0;
    for (let s = 0; s < S; s++) v += tally[s * F.SECTOR_FIELDS + f]!;
    tally[line + f] = v;
  }
  record.set(tally.subarray(0, n), offset);
  let o = offset + n;
  const limit = curveLimit(m);
  for (let b = 0; b <= S; b++) {
    const verified = tally[b * F.SECTOR_FIELDS + F.F_VERIFIED]!,
      verifiable = tally[b * F.SECTOR_FIELDS + F.F_VERIFIABLE]!,
      mean = tally[b * F.SECTOR_FIELDS + F.F_RESP]! / verified;
    const lo = bounds ? bounds[2 * b]! : 0,
      hi = bounds ? bounds[2 * b + 1]! : HIST_BINS - 1;
    for (const d of RECORD_QUANTILES) {
      const h = b * HIST_BINS;
      if (d.record === "survival")
        record[o++] = verifiable > 0 ? quantileToLimit(respHist, h, verifiable, d.q, limit, lo, hi) : NaN;
      else record[o++] = verified > 0 ? histQuantile(respHist, h, verified, d.q, lo, hi, mean) : NaN;
    }
  }
}

/** Add histogram counts. They are whole numbers, so sums are exact in any order. */
export function addHistograms(acc: Accumulator, respHist: Float64Array, detHist: Float64Array): void {
  for (let i = 0; i < respHist.length; i++) acc.respHist[i]! += respHist[i]!;
  for (let i = 0; i < detHist.length; i++) acc.detHist[i]! += detHist[i]!;
}

/**
 * Add the histogram bins the replication in `ws` touched to `respHist` and `detHist` (an accumulator's, or a
 * worker's running counts): the same sums as adding every bin, reading a few hundred instead of all.
 */
export function addTouchedBins(ws: Workspace, respHist: Float64Array, detHist: Float64Array): void {
  for (let q = 0; q < ws.nRespTouched; q++) {
    const i = ws.respTouched[q]!;
    respHist[i]! += ws.respHist[i]!;
  }
  for (let q = 0; q < ws.nDetTouched; q++) {
    const i = ws.detTouched[q]!;
    detHist[i]! += ws.detHist[i]!;
  }
}

/** `addReplication` for the replication just run in workspace `ws`, reading only the histogram bins it touched. */
export function addWorkspace(acc: Accumulator, m: CompiledModel, ws: Workspace): void {
  const size = recordSize(m);
  if (scratch.length < size) scratch = new Float64Array(size);
  fillRecord(m, ws.tally, ws.respHist, scratch, 0, ws.respBounds);
  addRecord(acc, m, scratch);
  addTouchedBins(ws, acc.respHist, acc.detHist);
  addCurve(m, ws.tally, ws.respHist, acc.curve, ws.respBounds);
}

let scratch = new Float64Array(0);

/**
 * Fold one replication (tally and histograms, from a workspace) into the accumulator, reading every histogram
 * bin. Right after `runReplication`, `addWorkspace(acc, m, ws)` gives the same sums faster.
 */
export function addReplication(
  acc: Accumulator,
  m: CompiledModel,
  tally: Float64Array,
  respHist: Float64Array,
  detHist: Float64Array,
): void {
  const size = recordSize(m);
  if (scratch.length < size) scratch = new Float64Array(size);
  fillRecord(m, tally, respHist, scratch);
  addRecord(acc, m, scratch);
  addHistograms(acc, respHist, detHist);
  addCurve(m, tally, respHist, acc.curve);
}

/** Fold one replication record (see `fillRecord`) into the accumulator; call in replication order. */
export function addRecord(acc: Accumulator, m: CompiledModel, record: Float64Array, offset = 0): void {
  const S = m.nSectors,
    W = m.end - m.warmup,
    n = tallySize(S, m.nTeams, m.nStates);
  const tally = record.subarray(offset, offset + n);
  for (let i = 0; i < n; i++) acc.sums[i]! += tally[i]!;
  const off = ratioOffsets(S, m.nTeams);
  let qo = offset + n;
  for (let b = 0; b <= S; b++) {
    const o = b * F.SECTOR_FIELDS;
    for (let k = 0; k < SECTOR_METRICS.length; k++) {
      const def = SECTOR_METRICS[k]!;
      const x = field(tally, o, def.x, W),
        y = field(tally, o, def.y, W);
      if (x > 0) ratioAdd(acc.ratios, off.sector(b, k), x, y);
    }
    for (let k = 0; k < RECORD_QUANTILES.length; k++) {
      const v = record[qo++]!;
      if (!Number.isNaN(v)) welfordAdd(acc.quantiles, (b * RECORD_QUANTILES.length + k) * WELFORD_WIDTH, v);
    }
  }
  const ns = m.nStates;
  const state = new Float64Array(5 * ns); // busy, tasks, teams, travel, patrol per state
  let tasks = 0;
  for (let k = 0; k < m.nTeams; k++) {
    const o = teamBlock(S, k);
    const busy = tally[o + F.T_BUSY]!,
      nt = tally[o + F.T_TASKS]!,
      down = tally[o + F.T_DOWN]!,
      patrol = tally[o + F.T_PATROL]!;
    ratioAdd(acc.ratios, off.team(k, 0), W, busy);
    ratioAdd(acc.ratios, off.team(k, 1), W, nt);
    ratioAdd(acc.ratios, off.team(k, 2), W, W - down);
    ratioAdd(acc.ratios, off.team(k, 3), W, patrol);
    const st = m.tmState[k]!;
    state[st]! += busy;
    state[ns + st]! += nt;
    state[2 * ns + st]! += 1;
    state[3 * ns + st]! += tally[o + F.T_TRAVEL]!;
    state[4 * ns + st]! += patrol;
    tasks += nt;
  }
  for (let s = 0; s < ns; s++) {
    // Utilisation is a share of the state's team-hours: undefined without teams. Tasks per day are a rate over
    // the window: 0 for a state without teams; so are the burden's hours per day.
    if (state[2 * ns + s]! > 0) ratioAdd(acc.ratios, off.state(s, 0), state[2 * ns + s]! * W, state[s]!);
    ratioAdd(acc.ratios, off.state(s, 2), W, state[ns + s]!);
    if (tasks > 0) ratioAdd(acc.ratios, off.state(s, 1), tasks, state[ns + s]!);
    const o = stateBlock(S, m.nTeams, s);
    ratioAdd(acc.ratios, off.state(s, 3), W, state[s]!);
    ratioAdd(acc.ratios, off.state(s, 4), W, state[3 * ns + s]!);
    ratioAdd(acc.ratios, off.state(s, 5), W, state[4 * ns + s]!);
    ratioAdd(acc.ratios, off.state(s, 6), W, tally[o + F.ST_FIXED_HOURS]!);
    ratioAdd(acc.ratios, off.state(s, 7), W, tally[o + F.ST_UAV_HOURS]!);
  }
  acc.replications += 1;
}

/** Merge accumulator b into a (same model). Order-independent up to floating-point rounding. */
export function mergeAccumulators(a: Accumulator, b: Accumulator): void {
  if (a.sums.length !== b.sums.length || a.ratios.length !== b.ratios.length || a.curve.length !== b.curve.length)
    throw new RangeError("mergeAccumulators: accumulators of different models");
  for (let i = 0; i < a.sums.length; i++) a.sums[i]! += b.sums[i]!;
  for (let i = 0; i < a.respHist.length; i++) a.respHist[i]! += b.respHist[i]!;
  for (let i = 0; i < a.detHist.length; i++) a.detHist[i]! += b.detHist[i]!;
  addSums(a.curve, b.curve);
  for (let o = 0; o < a.ratios.length; o += RATIO_WIDTH) ratioMerge(a.ratios, b.ratios, o);
  for (let o = 0; o < a.quantiles.length; o += WELFORD_WIDTH) welfordMerge(a.quantiles, b.quantiles, o);
  a.replications += b.replications;
}
