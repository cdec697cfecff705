/**
 * Property-based tests (fast-check, fixed seed):
 *
 * 1. Valid scenarios — random but well-formed JSON scenarios (1–6 sectors, 0–3
 *    regimes, 1–4 states with caveats, 0–4 asset types of every kind with every
 *    kind of distribution, 0–3 bases, contributions, circuity or a full travel
 *    matrix, every dispatch and queue mode, strategies and explicit
 *    allocations). `simulate` must not throw (apart from documented allocation
 *    refusals, which must be `ScenarioError`s with paths), and the result must
 *    be consistent: counts partition, shares in [0, 1], and a NaN appears only
 *    where its denominator is zero (value) or fewer than two replications
 *    contributed (interval) — nowhere else — and becomes `null` in JSON.
 * 2. Invalid inputs — valid scenarios with random mutations: `parseScenario`
 *    must throw a `ScenarioError` (issues with array paths and non-empty
 *    messages), never anything else, quickly, without polluting prototypes.
 */
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseScenario } from "../src/model/parse.js";
import { ScenarioError, formatPath } from "../src/model/errors.js";
import { parseQuantity, type Dimension } from "../src/model/units.js";
import { simulate, type Result } from "../src/experiment/simulate.js";
import type { Estimate } from "../src/stats/estimate.js";

const SEED = 20260127;
fc.configureGlobal({ seed: SEED });

/** Number of simulated cases (costly) and parsed cases (cheap). */
const SIM_RUNS = 500;
const PARSE_RUNS = 4000;

// biome-ignore lint/suspicious/noExplicitAny: the cases generate and mutate scenario JSON freely, wrong types included
type Json = any;
type G = fc.GeneratorValue;
type Path = (string | number)[];

// ---------------------------------------------------------------------------
// Generators of valid pieces (plain JSON with unit strings).

const int = (g: G, min: number, max: number): number => g(fc.integer, { min, max });
const bool = (g: G): boolean => g(fc.boolean);
const pick = <T>(g: G, xs: readonly T[]): T => xs[int(g, 0, xs.length - 1)]!;
/** A probability with two decimals, often exactly 0 or 1. */
const prob = (g: G): number => pick(g, [0, 1, int(g, 0, 100) / 100, int(g, 0, 100) / 100]);
const round3 = (v: number) => Math.floor(v * 1000) / 1000;

/**
 * A duration unit string in s, min, h or d, of at most `maxHours` and at least `minHours` (or strictly positive
 * with `positive`). Mean durations of timelines (regimes, outages, downtime, sorties, revisits) get a floor of
 * minutes: at a fraction of a second they are valid but cost millions of events per replication.
 */
function duration(g: G, maxHours = 24, positive = false, minHours = 0): string {
  const unit = pick(g, ["s", "min", "h", "d"] as const);
  const perHour = { s: 3600, min: 60, h: 1, d: 1 / 24 }[unit];
  const hundredths = Math.max(1, Math.round(maxHours * perHour * 100));
  const lo = Math.min(hundredths, Math.max(positive ? 1 : 0, Math.ceil(minHours * perHour * 100)));
  const v = int(g, lo, hundredths) / 100;
  return `${v} ${unit}`;
}

/** Any of the distribution forms a duration accepts. */
function distribution(g: G, maxHours = 12): Json {
  switch (int(g, 0, 6)) {
    case 0:
      return duration(g, maxHours);
    case 1:
      return { dist: "exponential", mean: duration(g, maxHours) };
    case 2: {
      const median = int(g, 1, 600);
      return { dist: "lognormal", median: `${median} min`, p95: `${median + int(g, 1, 600)} min` };
    }
    case 3: {
      const min = int(g, 0, 300);
      return { dist: "uniform", min: `${min} min`, max: `${min + int(g, 0, 300)} min` };
    }
    case 4: {
      const min = int(g, 0, 300),
        mode = min + int(g, 0, 300);
      return { dist: "triangular", min: `${min} min`, mode: `${mode} min`, max: `${mode + int(g, 1, 300)} min` };
    }
    case 5:
      return { dist: "gamma", mean: duration(g, maxHours, true), cv: int(g, 1, 1000) / 100 };
    default:
      return { dist: "empirical", values: Array.from({ length: int(g, 1, 5) }, () => duration(g, maxHours)) };
  }
}

/** A length in km as a bare number or a unit string ("12.5 km", "800 m"); returns the JSON value and its km. */
function length(g: G, minKm: number, maxKm: number): { json: Json; km: number } {
  const km = int(g, Math.round(minKm * 10), Math.round(maxKm * 10)) / 10;
  const form = int(g, 0, 2);
  return { json: form === 0 ? km : form === 1 ? `${km} km` : `${Math.round(km * 1000)} m`, km };
}

function detection(g: G): Json {
  return bool(g) ? prob(g) : { day: prob(g), night: prob(g) };
}

function subset<T>(g: G, xs: readonly T[]): T[] {
  return xs.filter(() => bool(g));
}

const SEVERITIES = ["minor", "major", "critical"] as const;
const STRATEGIES = [
  "risk-weighted",
  "uniform",
  "proportional",
  "lead-nation",
  "greedy-coverage",
  "p-median",
  "max-cover",
] as const;

interface Generated {
  scenario: Json;
  /** Why a documented allocation refusal may legitimately happen (null: none may). */
  mayRefuse: string | null;
}

/** A valid scenario, built with fast-check's generator helper. */
function validScenario(g: G): Generated {
  let mayRefuse: string | null = null;
  const nStates = int(g, 1, 4);
  const stateIds = Array.from({ length: nStates }, (_, i) => `st-${i}`);
  const nSectors = int(g, 1, 6);
  const sectorIds = Array.from({ length: nSectors }, (_, i) => `sec.${i}`);

  const sectors: Json[] = [];
  let lineKm = 0;
  for (const id of sectorIds) {
    const len = length(g, 1, 250);
    lineKm += len.km;
    const w = [int(g, 0, 10), int(g, 0, 10), int(g, 0, 10)];
    if (w[0]! + w[1]! + w[2]! === 0) w[int(g, 0, 2)] = 1;
    const tot = w[0]! + w[1]! + w[2]!;
    const sector: Json = {
      id,
      lengthKm: len.json,
      lead: pick(g, stateIds),
      incidents: {
        rate: bool(g) ? `${int(g, 0, 400) / 10} /d` : `${int(g, 0, 20) / 10} /h`,
        severity: { minor: w[0]! / tot, major: w[1]! / tot, critical: w[2]! / tot },
      },
    };
    if (bool(g)) sector.incidents.nightShare = prob(g);
    if (bool(g)) {
      sector.incidents.hotspots = Array.from({ length: int(g, 0, 2) }, () => {
        const a = int(g, 0, 999) / 1000,
          b = a + int(g, 1, 1000 - Math.round(a * 1000)) / 1000;
        return {
          from: round3(a * len.km),
          to: Math.min(len.km, Math.max(round3(a * len.km) + 0.001, round3(b * len.km))),
          share: int(g, 0, 50) / 100,
        };
      }).filter((h) => h.to > h.from && h.to <= len.km);
    }
    if (bool(g)) {
      sector.access = {};
      if (bool(g)) sector.access.delay = distribution(g, 6);
      if (bool(g)) sector.access.denial = prob(g);
    }
    if (bool(g)) sector.priority = int(g, 1, 100) / 10;
    if (bool(g)) sector.risk = prob(g);
    if (bool(g)) sector.name = `Sector ${id}`;
    sectors.push(sector);
  }

  const nRegimes = int(g, 0, 3);
  const regimeIds = Array.from({ length: nRegimes }, (_, i) => `reg${i}`);
  const regimes = regimeIds.map((id, i) => {
    const r: Json = { id, multiplier: int(g, 0, 50) / 10, meanDuration: duration(g, 96, true, 0.5) };
    if (nRegimes >= 2 && bool(g)) {
      const others = regimeIds.filter((_, j) => j !== i);
      if (others.length === 1) r.next = { [others[0]!]: 1 };
      else {
        const p = int(g, 0, 10) / 10;
        r.next = { [others[0]!]: p, [others[1]!]: 1 - p };
      }
    }
    return r;
  });

  const roles = ["lead", "contributor", "host", "party"] as const;
  const states = stateIds.map((id) => {
    const st: Json = { id, name: `State ${id}` };
    if (bool(g)) st.role = pick(g, roles);
    if (bool(g)) {
      st.caveats = {};
      if (bool(g)) st.caveats.allowedSectors = subset(g, sectorIds);
      if (bool(g)) st.caveats.excludedSectors = subset(g, sectorIds);
      if (bool(g)) st.caveats.nightMovement = bool(g);
      if (bool(g)) st.caveats.maxRisk = prob(g);
    }
    return st;
  });

  const nAssets = int(g, 0, 4);
  const assets: Json[] = [];
  for (let i = 0; i < nAssets; i++) {
    // The first asset type is usually a team, so that most cases dispatch and verify.
    const kind = i === 0 && int(g, 0, 3) > 0 ? "team" : pick(g, ["team", "fixed", "uav", "satellite"] as const);
    const id = `${kind}-${i}`;
    let a: Json;
    if (kind === "team") {
      a = { id, kind, speed: bool(g) ? `${int(g, 5, 120)} km/h` : `${int(g, 2, 40)} m/s`, onSite: distribution(g, 12) };
      if (bool(g)) a.nightCapable = bool(g);
      if (bool(g)) a.availability = { share: int(g, 1, 10) / 10, downtime: duration(g, 72, true, 0.5) };
      if (bool(g)) a.patrol = bool(g) ? { detection: prob(g) } : { detection: prob(g), latency: distribution(g, 4) };
      if (bool(g)) a.personnel = int(g, 0, 12);
    } else if (kind === "fixed") {
      a = { id, kind, coverKm: length(g, 0.5, 80).json, detection: detection(g) };
      if (bool(g)) a.latency = distribution(g, 2);
      if (bool(g))
        a.outages = {
          mtbf: duration(g, 480, true, 1),
          repair: { dist: "exponential", mean: duration(g, 48, true, 1 / 60) },
        };
    } else if (kind === "uav") {
      a = {
        id,
        kind,
        coverKm: length(g, 1, 100).json,
        speed: `${int(g, 40, 300)} km/h`,
        endurance: duration(g, 24, true, 0.5),
        turnaround: duration(g, 6),
        detection: detection(g),
      };
      if (bool(g)) a.latency = distribution(g, 2);
      if (bool(g)) a.jamming = { probability: prob(g), factor: prob(g) };
    } else {
      a = { id, kind, revisit: duration(g, 48, true, 0.25), detection: detection(g) };
      if (bool(g)) a.latency = distribution(g, 6);
      if (bool(g)) {
        const sees = subset(g, SEVERITIES);
        a.sees = sees.length > 0 ? sees : ["major"];
      }
      if (bool(g)) a.window = duration(g, 48, true);
    }
    if (bool(g)) a.name = `Asset ${i}`;
    assets.push(a);
  }

  const contributions: Json[] = [];
  for (const st of stateIds)
    for (const a of assets) if (int(g, 0, 2) > 0) contributions.push({ state: st, asset: a.id, count: int(g, 0, 4) });
  const teamAsset = new Set(assets.filter((a) => a.kind === "team").map((a) => a.id as string));
  const totalTeams = contributions.filter((c) => teamAsset.has(c.asset)).reduce((s, c) => s + (c.count as number), 0);

  // Geometry (lon/lat bases) sometimes; otherwise bases at { x, offsetKm }.
  const geometry = bool(g) && int(g, 0, 3) === 0;
  let nBases = int(g, 0, 3);
  const shortfall = int(g, 0, 9) === 0; // 10%: bases may hold fewer teams than contributed (a documented refusal)
  if (!shortfall && totalTeams > 0 && nBases === 0) nBases = 1;
  const baseIds = Array.from({ length: nBases }, (_, i) => `base_${i}`);
  const bases = baseIds.map((id) => {
    const b: Json = { id };
    if (geometry) b.location = { lon: 30 + int(g, 0, 1000) / 1000, lat: 48 + int(g, 0, 1000) / 1000 };
    else {
      const x = round3((lineKm * int(g, 0, 1000)) / 1000);
      b.location = { x: bool(g) ? x : `${x} km` };
      if (bool(g)) b.location.offsetKm = int(g, 0, 800) / 10;
    }
    if (bool(g)) b.capacity = int(g, 0, 20);
    if (bool(g)) b.state = pick(g, stateIds);
    return b;
  });
  const capacity = bases.reduce((s, b) => s + (b.capacity ?? 1_000_000), 0);
  if (totalTeams > 0 && capacity < totalTeams) {
    if (shortfall) mayRefuse = `bases hold ${capacity} teams, ${totalTeams} contributed`;
    else delete bases[bases.length - 1].capacity;
  }

  const scenario: Json = {
    format: "ceasefire-sim/scenario@1",
    name: `prop-${int(g, 0, 1e6)}`,
    horizon: duration(g, 720, true, 1),
    sectors,
    states,
  };
  if (bool(g)) scenario.warmup = duration(g, 24);
  if (bool(g)) scenario.drain = duration(g, 72);
  // Whole hours and quarter-hours only: other values (e.g. "18.2 h", "1202 min") hang the engine — a bug reported
  // separately (tests/edge-cases.test.ts, "daylight not a whole number of quarter-hours").
  if (bool(g)) scenario.daylight = { dawn: `${int(g, 1, 11)} h`, dusk: `${int(g, 13 * 4, 23 * 4) * 15} min` };
  if (geometry)
    scenario.line = {
      geometry: {
        type: "LineString",
        coordinates: [
          [30, 48],
          [30.5, 48.4],
          [31, 48.9],
        ],
      },
    };
  else if (bool(g)) scenario.line = { lengthKm: Math.round(lineKm * 10) / 10 };
  if (regimes.length > 0 || bool(g)) scenario.regimes = regimes;
  if (assets.length > 0 || bool(g)) scenario.assets = assets;
  if (bases.length > 0 || bool(g)) scenario.bases = bases;
  if (contributions.length > 0 || bool(g)) scenario.contributions = contributions;

  // The parties' reports (the cheapest detection channel) are usually present, so that most cases detect something.
  if (int(g, 0, 3) > 0) {
    scenario.reporting = {};
    if (bool(g)) scenario.reporting.latency = distribution(g, 2);
    if (int(g, 0, 4) > 0)
      scenario.reporting.parties = bool(g)
        ? { probability: prob(g) }
        : { probability: prob(g), latency: distribution(g, 6) };
  }
  const dispatch = pick(g, ["nearest-available", "earliest-arrival", "fixed-preference", undefined]);
  scenario.coordination = { lead: pick(g, stateIds) };
  if (dispatch) scenario.coordination.dispatch = dispatch;
  if (dispatch === "fixed-preference" && bases.length > 0 && bool(g))
    scenario.coordination.preference = Object.fromEntries(
      subset(g, sectorIds).map((s) => [s, g(fc.shuffledSubarray, baseIds)]),
    );
  if (bool(g)) scenario.coordination.tasking = distribution(g, 3);
  if (bool(g)) scenario.coordination.crossNational = distribution(g, 3);
  if (bool(g)) scenario.coordination.queue = pick(g, ["fifo", "fifo-critical-first"]);
  if (bool(g)) scenario.coordination.retaskFromField = bool(g);

  const travel = int(g, 0, 2);
  if (travel === 1) scenario.travel = { circuity: 1 + int(g, 0, 90) / 10 };
  else if (travel === 2)
    scenario.travel = {
      hours: Object.fromEntries(
        sectorIds.map((s) => [s, Object.fromEntries(baseIds.map((b) => [b, duration(g, 12)]))]),
      ),
    };
  if (bool(g)) scenario.standards = { response: duration(g, 72, true) };

  // Allocation: none (risk-weighted), a strategy, or explicit placements.
  const alloc = int(g, 0, 3);
  if (alloc === 1) scenario.allocation = { strategy: pick(g, STRATEGIES) };
  else if (alloc === 2 && !shortfall) {
    const left = bases.map((b) => (b.capacity as number | undefined) ?? 1_000_000);
    const teams: Json[] = [];
    const sensors: Json[] = [];
    for (const c of contributions) {
      const asset = assets.find((a) => a.id === c.asset)!;
      let n = int(g, 0, c.count as number); // some units may stay idle
      if (asset.kind === "team") {
        for (let b = 0; b < bases.length && n > 0; b++) {
          const k = Math.min(n, left[b]!, int(g, 0, n));
          if (k > 0) {
            teams.push({ state: c.state, asset: c.asset, base: baseIds[b], count: k });
            left[b]! -= k;
            n -= k;
          }
        }
      } else if (n > 0 && (asset.kind !== "uav" || bases.length > 0)) {
        const p: Json = { state: c.state, asset: c.asset, count: n };
        const where = int(g, 0, 2);
        if (where === 1) p.sector = pick(g, sectorIds);
        else if (where === 2) {
          const a = round3((lineKm * int(g, 0, 900)) / 1000);
          p.from = a;
          p.to = Math.min(round3(lineKm), round3(a + (lineKm - a) * (int(g, 1, 1000) / 1000)));
          if (!(p.to > p.from)) {
            delete p.from;
            delete p.to;
          }
        }
        if (asset.kind === "uav") {
          mayRefuse ??= "an explicit UAV placement may be out of reach of its base (validateAllocation refuses it)";
          if (bool(g)) p.base = pick(g, baseIds);
        }
        sensors.push(p);
      }
    }
    scenario.allocation = { teams, sensors };
  }
  if (bool(g)) scenario.notes = "generated";
  return { scenario, mayRefuse };
}

const validScenarioArb: fc.Arbitrary<Generated> = fc.gen().map((g) => validScenario(g));

// ---------------------------------------------------------------------------
// Result checks.

function isEstimate(v: unknown): v is Estimate {
  return typeof v === "object" && v !== null && "value" in v && "halfWidth" in v && "n" in v;
}

/** Every path whose value is NaN or ±Infinity. */
function nonFinitePaths(
  v: unknown,
  path: Path = [],
  out: { path: Path; value: number }[] = [],
): { path: Path; value: number }[] {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) out.push({ path, value: v });
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => {
      nonFinitePaths(x, [...path, i], out);
    });
  } else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) nonFinitePaths(x, [...path, k], out);
  return out;
}

function nullPaths(v: unknown, path: Path = [], out: string[] = []): string[] {
  if (v === null) out.push(formatPath(path));
  else if (Array.isArray(v)) {
    v.forEach((x, i) => {
      nullPaths(x, [...path, i], out);
    });
  } else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) nullPaths(x, [...path, k], out);
  return out;
}

function get(o: unknown, path: Path): unknown {
  let v = o;
  for (const k of path) v = (v as Record<string | number, unknown>)[k];
  return v;
}

/** Pattern of a path with indices replaced by [*], for the NaN census. */
const pattern = (path: Path) => formatPath(path.map((k) => (typeof k === "number" ? 0 : k))).replace(/\[0\]/g, "[*]");

type Counts = Result["line"]["counts"];
/** The count that is the denominator of a block metric (whole-line or sector), by metric path. */
function denominatorOf(metric: string, c: Counts): number {
  if (metric.startsWith("incidentsPerDay") || metric.startsWith("verifiablePerDay") || metric.startsWith("coverage."))
    return 1; // window × km > 0
  if (metric.startsWith("detection.probability")) return c.incidents;
  if (metric.startsWith("detection.")) return c.detected;
  if (metric.startsWith("response.") || metric.startsWith("responseComponents.")) return c.verified;
  if (metric.startsWith("outcomes.") || metric.startsWith("withinStandard") || metric.startsWith("timeToVerification."))
    return c.verifiable;
  if (metric.startsWith("minorRecorded")) return c.minor;
  if (metric.startsWith("dispatch.")) return c.dispatches;
  throw new Error(`no denominator known for ${metric}`);
}

const SHARES = [
  "detection.probability",
  "detection.byChannel.fixed",
  "detection.byChannel.uav",
  "detection.byChannel.satellite",
  "detection.byChannel.patrol",
  "detection.byChannel.parties",
  "outcomes.verified",
  "outcomes.undetected",
  "outcomes.denied",
  "outcomes.noEligibleTeam",
  "outcomes.horizonEnd",
  "withinStandard",
  "minorRecorded",
  "dispatch.queuedShare",
  "dispatch.crossSectorShare",
  "dispatch.crossNationalShare",
  "coverage.overall",
  "coverage.day",
  "coverage.night",
  "coverage.atLeastTwo",
];
const NON_NEGATIVE = [
  "incidentsPerDay",
  "verifiablePerDay",
  "detection.latency.mean",
  "response.mean",
  "response.p50",
  "response.p90",
  "response.p95",
  "responseComponents.detection",
  "responseComponents.tasking",
  "responseComponents.queue",
  "responseComponents.mobilisation",
  "responseComponents.travel",
  "responseComponents.access",
  "dispatch.queueWait",
];
const EPS = 1e-9;
const estAt = (block: unknown, metric: string) => get(block, metric.split(".")) as Estimate;

/** NaN census over all simulated results: path pattern → cases with a NaN there. */
const nanCensus = new Map<string, number>();
const stats = {
  simulated: 0,
  refused: 0,
  refusals: new Map<string, number>(),
  withIncidents: 0,
  withVerified: 0,
  withTeams: 0,
  withSensors: 0,
  maxMs: 0,
  outcomes: { denied: 0, noEligibleTeam: 0, horizonEnd: 0, undetected: 0 },
};

/** Assert every invariant of a result; returns problems found (empty when consistent). */
function checkResult(r: Result): string[] {
  const problems: string[] = [];
  const fail = (what: string) => problems.push(what);
  if (r.provenance.replications !== 2) fail(`provenance.replications = ${r.provenance.replications}`);
  if (r.provenance.horizonHours !== 48) fail(`provenance.horizonHours = ${r.provenance.horizonHours}`);

  const blocks: [string, Result["line"]][] = [
    ["line", r.line],
    ...r.sectors.map((s, i): [string, Result["line"]] => [`sectors[${i}]`, s]),
  ];
  for (const [where, b] of blocks) {
    const c = b.counts;
    if (c.minor + c.verifiable !== c.incidents)
      fail(`${where}.counts: minor ${c.minor} + verifiable ${c.verifiable} != incidents ${c.incidents}`);
    const outcomes = c.verified + c.undetected + c.denied + c.noEligibleTeam + c.horizonEnd;
    if (outcomes !== c.verifiable)
      fail(
        `${where}.counts: verified+undetected+denied+noEligibleTeam+horizonEnd = ${outcomes} ` +
          `!= verifiable ${c.verifiable}`,
      );
    if (c.detected > c.incidents) fail(`${where}.counts: detected ${c.detected} > incidents ${c.incidents}`);
    if (c.minorRecorded > c.minor) fail(`${where}.counts: minorRecorded ${c.minorRecorded} > minor ${c.minor}`);
    if (c.dispatches < c.verified + c.denied)
      fail(`${where}.counts: dispatches ${c.dispatches} < verified + denied ${c.verified + c.denied}`);
    if (c.dispatches > c.verifiable - c.undetected - c.noEligibleTeam)
      fail(`${where}.counts: dispatches ${c.dispatches} > detected verifiable with eligible teams`);
    for (const [k, v] of Object.entries(c)) if (!(Number.isInteger(v) && v >= 0)) fail(`${where}.counts.${k} = ${v}`);

    // Every estimate: NaN value exactly when its denominator is 0; NaN interval exactly when n < 2.
    const walk = (o: Record<string, unknown>, prefix: string) => {
      for (const [k, v] of Object.entries(o)) {
        const name = prefix ? `${prefix}.${k}` : k;
        if (name === "counts") continue;
        if (isEstimate(v)) {
          const d = denominatorOf(name, c);
          if ((v.n === 0) !== (d === 0)) fail(`${where}.${name}: n = ${v.n} but its denominator (counts) is ${d}`);
          if (v.n > 2) fail(`${where}.${name}: n = ${v.n} > replications`);
          // A time-to-verification quantile the curve does not reach is undefined, and says why (its reason).
          const unreached = typeof (v as { reason?: unknown }).reason === "string";
          if (v.n === 0 || unreached) {
            if (![v.value, v.lo, v.hi, v.halfWidth].every(Number.isNaN))
              fail(`${where}.${name}: n = ${v.n}${unreached ? ", not reached," : ""} but ${JSON.stringify(v)}`);
          } else {
            if (!Number.isFinite(v.value)) fail(`${where}.${name}.value = ${v.value} with n = ${v.n}`);
            if (
              v.n >= 2 &&
              !(Number.isFinite(v.halfWidth) && v.halfWidth >= 0 && v.lo <= v.value + EPS && v.value <= v.hi + EPS)
            )
              fail(`${where}.${name}: interval ${JSON.stringify(v)} with n = ${v.n}`);
            if (v.n === 1 && ![v.lo, v.hi, v.halfWidth].every(Number.isNaN))
              fail(`${where}.${name}: n = 1 but a finite interval ${JSON.stringify(v)}`);
          }
        } else if (typeof v === "number" && name.startsWith("detection.latency.")) {
          // detection.latency.p50 / p90: plain numbers, NaN exactly when nothing was detected.
          if (Number.isNaN(v) !== (c.detected === 0)) fail(`${where}.${name} = ${v} with ${c.detected} detected`);
        } else if (v && typeof v === "object") walk(v as Record<string, unknown>, name);
      }
    };
    walk(b as unknown as Record<string, unknown>, "");

    for (const m of SHARES) {
      const e = estAt(b, m);
      if (!Number.isNaN(e.value) && !(e.value >= -EPS && e.value <= 1 + EPS))
        fail(`${where}.${m} = ${e.value} outside [0, 1]`);
    }
    for (const m of NON_NEGATIVE) {
      const e = estAt(b, m);
      if (!Number.isNaN(e.value) && !(e.value >= -EPS)) fail(`${where}.${m} = ${e.value} < 0`);
    }
    if (c.verifiable > 0) {
      const sum = SHARES.filter((m) => m.startsWith("outcomes.")).reduce((s, m) => s + estAt(b, m).value, 0);
      if (Math.abs(sum - 1) > 1e-9) fail(`${where}.outcomes sum to ${sum}`);
      if (b.withinStandard.value > b.outcomes.verified.value + EPS)
        fail(`${where}: withinStandard ${b.withinStandard.value} > verified ${b.outcomes.verified.value}`);
    }
    if (c.detected > 0) {
      const sum = SHARES.filter((m) => m.startsWith("detection.byChannel.")).reduce((s, m) => s + estAt(b, m).value, 0);
      if (Math.abs(sum - 1) > 1e-9) fail(`${where}.detection.byChannel sum to ${sum}`);
    }
    if (c.verified > 0) {
      const rc = b.responseComponents;
      const sum =
        rc.detection.value +
        rc.tasking.value +
        rc.queue.value +
        rc.mobilisation.value +
        rc.travel.value +
        rc.access.value;
      if (Math.abs(sum - b.response.mean.value) > 1e-6 * Math.max(1, b.response.mean.value))
        fail(`${where}: response components sum to ${sum}, response.mean is ${b.response.mean.value}`);
      if (!(b.response.p50.value <= b.response.p90.value + EPS && b.response.p90.value <= b.response.p95.value + EPS))
        fail(`${where}: response quantiles not ordered`);
    }
    const cov = b.coverage;
    if (cov.atLeastTwo.value > cov.overall.value + EPS)
      fail(`${where}: coverage.atLeastTwo ${cov.atLeastTwo.value} > overall ${cov.overall.value}`);
    if (
      cov.overall.value < Math.min(cov.day.value, cov.night.value) - EPS ||
      cov.overall.value > Math.max(cov.day.value, cov.night.value) + EPS
    )
      fail(
        `${where}: coverage.overall ${cov.overall.value} not between day ${cov.day.value} and night ${cov.night.value}`,
      );
  }
  // The line is the sum of its sectors.
  for (const k of Object.keys(r.line.counts) as (keyof Counts)[]) {
    const sum = r.sectors.reduce((s, x) => s + x.counts[k], 0);
    if (sum !== r.line.counts[k]) fail(`line.counts.${k} = ${r.line.counts[k]} but the sectors add up to ${sum}`);
  }

  // Teams and states.
  r.teams.forEach((t, i) => {
    for (const [k, e] of [
      ["utilisation", t.utilisation],
      ["availability", t.availability],
    ] as const)
      if (!(e.value >= -EPS && e.value <= 1 + EPS && e.n === 2)) fail(`teams[${i}].${k} = ${JSON.stringify(e)}`);
    if (!(t.tasksPerDay.value >= 0 && t.tasksPerDay.n === 2))
      fail(`teams[${i}].tasksPerDay = ${JSON.stringify(t.tasksPerDay)}`);
  });
  const dispatches = r.line.counts.dispatches;
  let taskShareSum = 0,
    teamShareSum = 0;
  r.states.forEach((s, i) => {
    if (!(s.assetShare >= 0 && s.assetShare <= 1)) fail(`states[${i}].assetShare = ${s.assetShare}`);
    if (!(s.teamShare >= 0 && s.teamShare <= 1)) fail(`states[${i}].teamShare = ${s.teamShare}`);
    teamShareSum += s.teamShare;
    // Utilisation is undefined without teams (NaN, n = 0); tasks per day are then 0, over every replication.
    const u = s.utilisation;
    if ((u.n === 0) !== (s.teams === 0)) fail(`states[${i}].utilisation: n = ${u.n} with ${s.teams} teams`);
    if (u.n === 0 && !Number.isNaN(u.value)) fail(`states[${i}].utilisation = ${u.value} without teams`);
    if (!(s.tasksPerDay.value >= 0 && s.tasksPerDay.n === 2))
      fail(`states[${i}].tasksPerDay = ${JSON.stringify(s.tasksPerDay)}`);
    if (s.teams === 0 && s.tasksPerDay.value !== 0)
      fail(`states[${i}].tasksPerDay = ${s.tasksPerDay.value} without teams`);
    if (s.teams > 0 && !(s.utilisation.value >= -EPS && s.utilisation.value <= 1 + EPS))
      fail(`states[${i}].utilisation = ${s.utilisation.value}`);
    if ((s.taskShare.n === 0) !== (dispatches === 0))
      fail(`states[${i}].taskShare: n = ${s.taskShare.n} with ${dispatches} dispatches`);
    if (s.taskShare.n > 0) {
      if (!(s.taskShare.value >= -EPS && s.taskShare.value <= 1 + EPS))
        fail(`states[${i}].taskShare = ${s.taskShare.value}`);
      taskShareSum += s.taskShare.value;
    }
  });
  if (dispatches > 0 && Math.abs(taskShareSum - 1) > 1e-9) fail(`states' taskShare sum to ${taskShareSum}`);
  if (r.teams.length > 0 && Math.abs(teamShareSum - 1) > 1e-9) fail(`states' teamShare sum to ${teamShareSum}`);
  if (r.allocation.teams !== r.teams.length) fail(`allocation.teams ${r.allocation.teams} != teams ${r.teams.length}`);
  if (!(Number.isFinite(r.allocation.longestUnwatchedKm) && r.allocation.longestUnwatchedKm >= 0))
    fail(`allocation.longestUnwatchedKm = ${r.allocation.longestUnwatchedKm}`);

  // No NaN other than the ones explained above; no ±Infinity anywhere.
  const bad = nonFinitePaths(r);
  for (const { path, value } of bad) {
    if (Number.isNaN(value)) nanCensus.set(pattern(path), (nanCensus.get(pattern(path)) ?? 0) + 1);
    else fail(`${formatPath(path)} = ${value}`);
    const top = path[0];
    const explained =
      top === "line" ||
      top === "sectors" ||
      (top === "states" && ["utilisation", "taskShare"].includes(String(path[2])));
    if (!explained) fail(`unexpected NaN at ${formatPath(path)}`);
  }
  // JSON carries NaN as null, exactly there and nowhere else — but for a quantile of the time to verification's
  // `reason`, which is null (by type) exactly when its value is a number.
  const json = JSON.parse(JSON.stringify(r));
  const nulls = nullPaths(json).filter((p) => {
    if (!/timeToVerification\.p(50|90)\.reason$/.test(p)) return true;
    const value = get(
      json,
      [
        ...p
          .replace(/\.reason$/, "")
          .split(/[.[\]]+/)
          .filter(Boolean),
      ]
        .map((k) => (/^\d+$/.test(k) ? Number(k) : k))
        .concat("value"),
    );
    if (typeof value !== "number") fail(`${p} is null but its value is ${value}`);
    return false;
  });
  const nans = bad.map((b) => formatPath(b.path));
  if (nulls.join("\n") !== nans.join("\n"))
    fail(
      `JSON nulls differ from NaN paths: ${nulls
        .filter((p) => !nans.includes(p))
        .slice(0, 3)
        .join(", ")}`,
    );
  return problems;
}

function expectWellFormedError(e: unknown): asserts e is ScenarioError {
  if (!(e instanceof ScenarioError))
    throw new Error(
      `expected a ScenarioError, got ${(e as Error)?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack}`,
    );
  expect(e.issues.length).toBeGreaterThan(0);
  const bad = e.issues.filter(
    (i) =>
      !Array.isArray(i.path) ||
      !i.path.every((k) => typeof k === "string" || typeof k === "number") ||
      typeof i.message !== "string" ||
      i.message.trim() === "",
  );
  expect(bad).toEqual([]);
}

describe("valid random scenarios", () => {
  it(`the generator only makes valid scenarios (${PARSE_RUNS / 2} cases)`, () => {
    fc.assert(
      fc.property(validScenarioArb, ({ scenario, mayRefuse }) => {
        try {
          parseScenario(scenario);
        } catch (e) {
          // A case the generator cannot rule out (an explicit UAV stretch out of reach, bases too small) may be
          // refused, as a ScenarioError at its path only.
          if (mayRefuse !== null && e instanceof ScenarioError) return;
          throw new Error(`generated scenario refused: ${(e as Error).message}\n${JSON.stringify(scenario)}`);
        }
      }),
      { numRuns: PARSE_RUNS / 2 },
    );
  });

  it(`simulate(s, 2 replications, 48 h) never throws and its results are consistent (${SIM_RUNS} cases)`, async () => {
    const t0 = Date.now();
    await fc.assert(
      fc.asyncProperty(
        validScenarioArb,
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        async ({ scenario, mayRefuse }, seed) => {
          const c0 = Date.now();
          let r: Result;
          try {
            r = await simulate(scenario, { replications: 2, seed, horizon: "48 h" });
          } catch (e) {
            expectWellFormedError(e);
            if (mayRefuse === null)
              throw new Error(
                `simulate refused a scenario without a documented reason: ${e.message}\n${JSON.stringify(scenario)}`,
              );
            const key = e.issues.map((i) => formatPath(i.path).replace(/\d+/g, "*")).join(", ");
            stats.refused++;
            stats.refusals.set(key, (stats.refusals.get(key) ?? 0) + 1);
            return;
          }
          stats.simulated++;
          stats.maxMs = Math.max(stats.maxMs, Date.now() - c0);
          if (r.line.counts.incidents > 0) stats.withIncidents++;
          if (r.line.counts.verified > 0) stats.withVerified++;
          for (const k of ["denied", "noEligibleTeam", "horizonEnd", "undetected"] as const)
            if (r.line.counts[k] > 0) stats.outcomes[k]++;
          if (r.teams.length > 0) stats.withTeams++;
          if (r.allocation.sensors.fixed + r.allocation.sensors.uav + r.allocation.sensors.satellite > 0)
            stats.withSensors++;
          const problems = checkResult(r);
          if (problems.length > 0)
            throw new Error(
              `inconsistent result:\n  ${problems.slice(0, 12).join("\n  ")}\n` +
                `scenario: ${JSON.stringify(scenario)}\nseed: ${seed}`,
            );
        },
      ),
      { numRuns: SIM_RUNS },
    );
    // The property must not be vacuous: most cases simulate, many with incidents, teams and verifications.
    expect(stats.simulated).toBeGreaterThan(SIM_RUNS * 0.8);
    expect(stats.withIncidents).toBeGreaterThan(SIM_RUNS * 0.5);
    expect(stats.withVerified).toBeGreaterThan(SIM_RUNS * 0.2);
    expect(Date.now() - t0).toBeLessThan(60_000);
  }, 120_000);
});

afterAll(() => {
  if (stats.simulated === 0) return;
  const census = [...nanCensus.entries()].sort((a, b) => b[1] - a[1]);
  const refusals = [...stats.refusals.entries()].map(([k, n]) => `${k}: ${n}`).join("; ");
  const o = stats.outcomes;
  console.log(
    `properties: ${stats.simulated} simulated, ${stats.refused} documented refusals (${refusals}); ` +
      `${stats.withIncidents} with incidents, ${stats.withVerified} with verifications, ` +
      `${stats.withTeams} with teams, ${stats.withSensors} with sensors; ` +
      `cases with denied ${o.denied}, no eligible team ${o.noEligibleTeam}, horizon end ${o.horizonEnd}, ` +
      `undetected ${o.undetected}; slowest case ${stats.maxMs} ms\n` +
      "NaN census (path pattern: cases), each explained by a zero denominator or n < 2:\n  " +
      census.map(([p, n]) => `${p}: ${n}`).join("\n  "),
  );
});

// ---------------------------------------------------------------------------
// Invalid inputs: mutations of valid scenarios.

/** Every node of a JSON tree with its path (root excluded). */
function nodes(v: Json, path: Path = [], out: { path: Path; value: Json }[] = []): { path: Path; value: Json }[] {
  if (Array.isArray(v))
    v.forEach((x, i) => {
      out.push({ path: [...path, i], value: x });
      nodes(x, [...path, i], out);
    });
  else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v)) {
      out.push({ path: [...path, k], value: x });
      nodes(x, [...path, k], out);
    }
  return out;
}

function setAt(root: Json, path: Path, value: Json): void {
  const parent = get(root, path.slice(0, -1)) as Json;
  Object.defineProperty(parent, path[path.length - 1]!, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
function deleteAt(root: Json, path: Path): void {
  const parent = get(root, path.slice(0, -1)) as Json;
  const k = path[path.length - 1]!;
  if (Array.isArray(parent) && typeof k === "number") parent.splice(k, 1);
  else delete parent[k];
}

const DIMS: Dimension[] = ["duration", "length", "speed", "rate"];
const WRONG: Record<Dimension, string[]> = {
  duration: ["40 km", "40 km/h", "3 /d", "40 kg", "2 h^2"],
  length: ["40 km/h", "2 h", "3 /d", "40 m^2"],
  speed: ["40 km", "2 h", "3 /d", "40 m/s^2"],
  rate: ["40 km", "40 km/h", "2 h", "3 km/d"],
};
/** Dimension of a unit string in the scenario, if it is one. */
function dimensionOf(v: unknown): Dimension | null {
  if (typeof v !== "string" || !/^-?[0-9.]/.test(v)) return null;
  for (const d of DIMS) if (parseQuantity(v, d).ok) return d;
  return null;
}

const fstr = (p: Path) => formatPath(p);
const REQUIRED: RegExp[] = [
  /^(format|name|horizon|sectors|states|coordination)$/,
  /^sectors\[\d+\]\.(id|lengthKm|incidents|lead)$/,
  /^sectors\[\d+\]\.incidents\.(rate|severity)$/,
  /\.severity\.(minor|major|critical)$/,
  /^regimes\[\d+\]\.(id|multiplier|meanDuration)$/,
  /^states\[\d+\]\.(id|name)$/,
  /^assets\[\d+\]\.(id|kind|speed|onSite|coverKm|detection|endurance|turnaround|revisit)$/,
  /^bases\[\d+\]\.(id|location)$/,
  /^bases\[\d+\]\.location\.(x|lon|lat)$/,
  /^contributions\[\d+\]\.(state|asset|count)$/,
  /^coordination\.lead$/,
  /^allocation\.teams\[\d+\]\.(state|asset|base|count)$/,
  /^allocation\.sensors\[\d+\]\.(state|asset|count)$/,
  /\.(dist|mean|median|p95|min|max|mode|cv|values)$/,
  /\.(day|night)$/,
  /\.(mtbf|repair)$/,
  /\.patrol\.detection$/,
  /\.jamming\.(probability|factor)$/,
  /\.availability\.(share|downtime)$/,
  /^reporting\.parties\.probability$/,
  /^daylight\.(dawn|dusk)$/,
  /^travel\.(circuity|hours)$/,
  /^travel\.hours\.[^.]+(\.[^.]+)?$/,
  /^standards\.response$/,
  /^line\.geometry\.(type|coordinates)$/,
];
/** `(a|b|…)` of the alternatives' sources, between `before` and `after`. */
const alternatives = (parts: RegExp[], before: string, after: string) =>
  new RegExp(`${before}(${parts.map((r) => r.source).join("|")})${after}`);
const PROBABILITY = alternatives(
  [
    /\.nightShare|\.denial|\.risk|\.maxRisk|\.probability|\.factor|\.day|\.night|\.patrol\.detection/,
    /hotspots\[\d+\]\.share|\.severity\.(minor|major|critical)/,
    /^regimes\[\d+\]\.next\.[^.]+|^assets\[\d+\]\.detection/,
  ],
  "",
  "$",
);
const REFERENCE = alternatives(
  [
    /sectors\[\d+\]\.lead|contributions\[\d+\]\.(state|asset)|coordination\.lead|bases\[\d+\]\.state/,
    /states\[\d+\]\.caveats\.(allowedSectors|excludedSectors)\[\d+\]/,
    /allocation\.teams\[\d+\]\.(state|asset|base)|allocation\.sensors\[\d+\]\.(state|asset|sector|base)/,
    /coordination\.preference\..+\[\d+\]/,
  ],
  "^",
  "$",
);

interface Mutation {
  kind: string;
  path: Path;
  /** Must the mutated scenario be refused, and must an issue sit at (or next to) this path? */
  must: "exact" | "related" | null;
  issuePath?: Path;
}

const deepNest = (depth: number, leaf: Json): Json => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
  return v;
};

/** Apply one random mutation to `s` (in place); returns what it did. */
function mutate(g: G, s: Json): Mutation {
  const all = nodes(s);
  const objects = [
    { path: [] as Path, value: s },
    ...all.filter((n) => n.value && typeof n.value === "object" && !Array.isArray(n.value)),
  ];
  const kind = pick(g, [
    "nonFinite",
    "forbiddenKey",
    "deepNest",
    "null",
    "boolean",
    "wrongUnit",
    "deleteRequired",
    "probabilityRange",
    "unknownId",
    "longString",
    "unknownKey",
    "number",
    "typeSwap",
    "delete",
    "duplicate",
    "negativeDuration",
  ] as const);
  const anyNode = () => pick(g, all);
  switch (kind) {
    case "nonFinite": {
      const n = anyNode();
      setAt(s, n.path, pick(g, [NaN, Infinity, -Infinity]));
      return { kind, path: n.path, must: "exact" };
    }
    case "forbiddenKey": {
      const o = pick(g, objects);
      const key = pick(g, ["__proto__", "constructor", "prototype"]);
      Object.defineProperty(o.value, key, {
        value: { polluted: true, prototype: { polluted: true } },
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return { kind, path: o.path, must: "exact", issuePath: [...o.path, key] };
    }
    case "deepNest": {
      const n = anyNode();
      setAt(s, n.path, deepNest(40, n.value));
      return { kind, path: n.path, must: "related" };
    }
    case "null": {
      const n = anyNode();
      setAt(s, n.path, null);
      return { kind, path: n.path, must: "related" };
    }
    case "boolean": {
      const n = anyNode();
      if (typeof n.value === "boolean") {
        setAt(s, n.path, "yes");
        return { kind, path: n.path, must: "related" };
      }
      setAt(s, n.path, bool(g));
      return { kind, path: n.path, must: "related" };
    }
    case "wrongUnit": {
      const units = all.filter((n) => dimensionOf(n.value) !== null);
      if (units.length === 0) break;
      const n = pick(g, units);
      setAt(s, n.path, pick(g, WRONG[dimensionOf(n.value)!]));
      return { kind, path: n.path, must: "exact" };
    }
    case "deleteRequired": {
      const req = all.filter(
        (n) => REQUIRED.some((r) => r.test(fstr(n.path))) && !Array.isArray(get(s, n.path.slice(0, -1))),
      );
      if (req.length === 0) break;
      const n = pick(g, req);
      deleteAt(s, n.path);
      // A missing field may be reported at itself or at its parent (e.g. travel: {} matches neither form).
      return { kind, path: n.path.slice(0, -1), must: "related" };
    }
    case "probabilityRange": {
      const ps = all.filter((n) => typeof n.value === "number" && PROBABILITY.test(fstr(n.path)));
      if (ps.length === 0) break;
      const n = pick(g, ps);
      setAt(s, n.path, pick(g, [1.5, -0.1, 2, 1e308, -1e-9, 1 + 1e-9]));
      return { kind, path: n.path, must: "exact" };
    }
    case "unknownId": {
      const refs = all.filter((n) => typeof n.value === "string" && REFERENCE.test(fstr(n.path)));
      if (refs.length === 0) break;
      const n = pick(g, refs);
      setAt(s, n.path, pick(g, ["zz-unknown", "UK", "st-99"]));
      return { kind, path: n.path, must: "exact" };
    }
    case "longString": {
      const strs = all.filter((n) => typeof n.value === "string");
      if (strs.length === 0) break;
      const n = pick(g, strs);
      setAt(s, n.path, "9".repeat(int(g, 1, 3) * 100_000));
      return { kind, path: n.path, must: "related" };
    }
    case "unknownKey": {
      const o = pick(g, objects);
      o.value.bogusField = 1;
      return { kind, path: o.path, must: "related", issuePath: [...o.path, "bogusField"] };
    }
    case "number": {
      const n = anyNode();
      setAt(s, n.path, pick(g, [1e308, -1e308, -1, 0, 0.5, 1.5, 1e-300, 2 ** 53, -0, Number.MAX_SAFE_INTEGER + 2]));
      return { kind, path: n.path, must: null };
    }
    case "typeSwap": {
      const n = anyNode();
      setAt(
        s,
        n.path,
        pick(g, [
          "abc",
          "",
          42,
          [],
          {},
          [1, 2],
          { dist: "exponential" },
          "1e999 h",
          "2 h + 3 h",
          "sqrt(4) h",
          "NaN h",
          "Infinity km",
        ]),
      );
      return { kind, path: n.path, must: null };
    }
    case "delete": {
      const n = anyNode();
      deleteAt(s, n.path);
      return { kind, path: n.path, must: null };
    }
    case "duplicate": {
      const arrays = all.filter((n) => Array.isArray(n.value) && n.value.length > 0);
      if (arrays.length === 0) break;
      const n = pick(g, arrays);
      n.value.push(structuredClone(n.value[0]));
      return { kind, path: n.path, must: null };
    }
    case "negativeDuration": {
      const durs = all.filter((n) => dimensionOf(n.value) === "duration");
      if (durs.length === 0) break;
      const n = pick(g, durs);
      setAt(s, n.path, `-${int(g, 1, 48)} h`);
      return { kind, path: n.path, must: "exact" };
    }
  }
  // Nothing of the kind to mutate: replace the format.
  s.format = "ceasefire-sim/scenario@2";
  return { kind: "format", path: ["format"], must: "exact" };
}

const related = (a: readonly (string | number)[], b: readonly (string | number)[]) => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
};

const PROTO_BEFORE = Object.getOwnPropertyNames(Object.prototype).sort().join();
const ARRAY_PROTO_BEFORE = Object.getOwnPropertyNames(Array.prototype).sort().join();
function expectNoPollution(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort().join()).toBe(PROTO_BEFORE);
  expect(Object.getOwnPropertyNames(Array.prototype).sort().join()).toBe(ARRAY_PROTO_BEFORE);
  expect(({} as Json).polluted).toBeUndefined();
  expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
}

/** Parse with a time check; returns the error (or null when accepted). */
function parseTimed(input: unknown, limitMs: number): { error: ScenarioError | null; ms: number } {
  const t0 = performance.now();
  let thrown: unknown = null;
  let parsed: unknown = null;
  try {
    parsed = parseScenario(input);
  } catch (e) {
    thrown = e;
  }
  const ms = performance.now() - t0;
  if (ms > limitMs) throw new Error(`parseScenario took ${ms.toFixed(0)} ms (limit ${limitMs} ms)`);
  if (thrown === null) {
    expect(Object.isFrozen(parsed)).toBe(true);
    return { error: null, ms };
  }
  expectWellFormedError(thrown);
  return { error: thrown, ms };
}

const mutationStats = new Map<string, { cases: number; refused: number }>();
let slowestParseMs = 0;

describe("invalid inputs", () => {
  it(`one targeted mutation of a valid scenario is refused: a ScenarioError at its path (${PARSE_RUNS} cases)`, () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const { scenario } = validScenario(g);
        const m = mutate(g, scenario);
        const { error, ms } = parseTimed(scenario, 1000);
        slowestParseMs = Math.max(slowestParseMs, ms);
        const st = mutationStats.get(m.kind) ?? { cases: 0, refused: 0 };
        st.cases++;
        if (error) st.refused++;
        mutationStats.set(m.kind, st);
        expectNoPollution();
        if (m.must === null) return;
        if (!error)
          throw new Error(
            `accepted after a ${m.kind} mutation at ${fstr(m.path)}: ` +
              `${JSON.stringify(get(scenario, m.path))?.slice(0, 200)}`,
          );
        const target = m.issuePath ?? m.path;
        const paths = error.issues.map((i) => i.path);
        const ok =
          m.must === "exact" ? paths.some((p) => fstr(p) === fstr(target)) : paths.some((p) => related(p, target));
        if (!ok)
          throw new Error(
            `${m.kind} at ${fstr(target)}: no issue ${m.must === "exact" ? "at" : "near"} that path; ` +
              `issues:\n${error.message}`,
          );
      }),
      { numRuns: PARSE_RUNS },
    );
  }, 120_000);

  it(`1–4 random mutations give a valid scenario or a well-formed ScenarioError only (${PARSE_RUNS} cases)`, () => {
    fc.assert(
      fc.property(fc.gen(), fc.boolean(), (g, asText) => {
        const { scenario } = validScenario(g);
        const n = int(g, 1, 4);
        for (let i = 0; i < n; i++) mutate(g, scenario);
        // Also as JSON text (NaN and Infinity become null there; __proto__ keys survive as own keys).
        const input = asText ? JSON.stringify(scenario) : scenario;
        const { ms } = parseTimed(input, 1000);
        slowestParseMs = Math.max(slowestParseMs, ms);
        expectNoPollution();
      }),
      { numRuns: PARSE_RUNS },
    );
  }, 120_000);

  it("arbitrary JSON values and JSON-ish text are refused with a ScenarioError, never another exception", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.json(),
          fc.string(),
          fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true }),
        ),
        (input) => {
          const { error } = parseTimed(input, 1000);
          expect(error).not.toBeNull();
          expectNoPollution();
        },
      ),
      { numRuns: PARSE_RUNS },
    );
  });

  it("__proto__, constructor and prototype keys from JSON text are refused at their path and pollute nothing", () => {
    const s = JSON.parse(JSON.stringify(validScenarioExample()));
    const text = JSON.stringify(s)
      .replace(/^\{/, '{"__proto__":{"polluted":true},')
      .replace('"sectors":[{', '"sectors":[{"constructor":{"prototype":{"polluted":true}},');
    const { error } = parseTimed(text, 1000);
    expect(error?.issues.map((i) => fstr(i.path))).toEqual(
      expect.arrayContaining(["__proto__", "sectors[0].constructor"]),
    );
    expectNoPollution();
  });

  const HUGE = 200_000;
  const huge: [string, (s: Json) => void, string][] = [
    [
      "sectors",
      (s) => (s.sectors = Array.from({ length: HUGE }, (_, i) => ({ ...structuredClone(s.sectors[0]), id: `s${i}` }))),
      "sectors",
    ],
    ["states", (s) => (s.states = Array.from({ length: HUGE }, (_, i) => ({ id: `st${i}`, name: "x" }))), "states"],
    [
      "contributions",
      (s) => (s.contributions = Array.from({ length: HUGE }, () => ({ state: "st-0", asset: "team-0", count: 1 }))),
      "contributions",
    ],
    [
      "bases",
      (s) => (s.bases = Array.from({ length: HUGE }, (_, i) => ({ id: `b${i}`, location: { x: 1 } }))),
      "bases",
    ],
    [
      "regimes",
      (s) =>
        (s.regimes = Array.from({ length: HUGE }, (_, i) => ({ id: `r${i}`, multiplier: 1, meanDuration: "1 d" }))),
      "regimes",
    ],
    [
      "hotspots",
      (s) => (s.sectors[0].incidents.hotspots = Array.from({ length: HUGE }, () => ({ from: 0, to: 1, share: 0 }))),
      "sectors[0].incidents.hotspots",
    ],
    [
      "empirical values",
      (s) => (s.assets[0].onSite = { dist: "empirical", values: Array.from({ length: HUGE }, () => "1 h") }),
      "assets[0].onSite.values",
    ],
    [
      "allowedSectors",
      (s) => (s.states[0].caveats = { allowedSectors: Array.from({ length: HUGE }, () => "sec.0") }),
      "states[0].caveats.allowedSectors",
    ],
    [
      "allocation.teams",
      (s) =>
        (s.allocation = {
          teams: Array.from({ length: HUGE }, () => ({ state: "st-0", asset: "team-0", base: "base_0", count: 0 })),
        }),
      "allocation.teams",
    ],
    [
      "line.geometry.coordinates",
      (s) =>
        (s.line = {
          geometry: { type: "LineString", coordinates: Array.from({ length: HUGE }, (_, i) => [i / HUGE, 0]) },
        }),
      "line.geometry.coordinates",
    ],
  ];
  for (const [what, edit, path] of huge) {
    it(`${HUGE.toLocaleString("en")} ${what} are refused quickly, naming ${path}`, () => {
      const s = validScenarioExample();
      edit(s);
      const { error } = parseTimed(s, 5000);
      expect(error?.issues.map((i) => fstr(i.path))).toContain(path);
    });
  }

  it("a record with 200,000 keys (travel.hours) is refused within seconds", () => {
    const s = validScenarioExample();
    s.travel = { hours: Object.fromEntries(Array.from({ length: HUGE }, (_, i) => [`k${i}`, { base_0: "1 h" }])) };
    const { error } = parseTimed(s, 5000);
    expect(error).not.toBeNull();
    // Records have no size limit, so every unknown key is listed: one issue per key.
    expect(error!.issues.length).toBeGreaterThanOrEqual(HUGE);
  });

  it("a JSON text nested 200,000 deep, and a JS object nested 100,000 deep, are refused at depth 32", () => {
    const text = "[".repeat(HUGE) + "]".repeat(HUGE);
    expect(parseTimed(text, 2000).error?.issues[0]?.message).toMatch(
      /nesting deeper than 32 levels|expected JSON text|expected a scenario as a JSON object; got an array/,
    );
    const objects = '{"a":'.repeat(HUGE) + "1" + "}".repeat(HUGE);
    expect(parseTimed(objects, 2000).error?.issues[0]?.message).toMatch(
      /nesting deeper than 32 levels|expected JSON text/,
    );
    let o: Json = {};
    const root = o;
    for (let i = 0; i < 100_000; i++) {
      o.a = {};
      o = o.a;
    }
    expect(parseTimed(root, 2000).error?.issues[0]?.message).toMatch(/nesting deeper than 32 levels/);
    const cyclic = validScenarioExample();
    cyclic.sectors[0].self = cyclic;
    expect(parseTimed(cyclic, 2000).error).not.toBeNull();
  });

  it("a 20 MB JSON text is refused quickly", () => {
    const s = validScenarioExample();
    s.description = "x".repeat(20_000_000);
    expect(parseTimed(JSON.stringify(s), 5000).error?.issues.map((i) => fstr(i.path))).toEqual(["description"]);
  });

  // BUG (reported): allocation.options accepts any value (z.unknown()), and parseScenario then copies the input
  // with JSON.parse(JSON.stringify(raw)) for provenance, which throws a TypeError for a BigInt.
  it("a BigInt inside allocation.options is refused with a ScenarioError, not a TypeError", () => {
    const s = validScenarioExample();
    s.allocation = { strategy: "p-median", options: { p: 2n } };
    let thrown: unknown;
    try {
      parseScenario(s);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ScenarioError);
    expect((thrown as ScenarioError).issues.map((i) => fstr(i.path))).toEqual(["allocation.options.p"]);
  });
});

afterAll(() => {
  if (mutationStats.size === 0) return;
  console.log(
    `mutations (kind: cases / refused): ${[...mutationStats.entries()]
      .sort()
      .map(([k, v]) => `${k} ${v.cases}/${v.refused}`)
      .join(", ")}; slowest parse ${slowestParseMs.toFixed(0)} ms`,
  );
});

/** A fixed valid scenario with a team asset ("team-0"), a base ("base_0"), sector "sec.0" and state "st-0". */
function validScenarioExample(): Json {
  return {
    format: "ceasefire-sim/scenario@1",
    name: "example",
    horizon: "2 d",
    sectors: [
      {
        id: "sec.0",
        lengthKm: 100,
        lead: "st-0",
        incidents: { rate: "12 /d", severity: { minor: 0.5, major: 0.4, critical: 0.1 } },
      },
    ],
    states: [{ id: "st-0", name: "State 0" }],
    assets: [{ id: "team-0", kind: "team", speed: "40 km/h", onSite: "2 h" }],
    bases: [{ id: "base_0", location: { x: 50 } }],
    contributions: [{ state: "st-0", asset: "team-0", count: 2 }],
    reporting: { parties: { probability: 1 } },
    coordination: { lead: "st-0" },
  };
}
