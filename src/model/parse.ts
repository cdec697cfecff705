/**
 * `parseScenario`: validate a scenario (zod schema + cross-reference checks),
 * convert units, resolve ids to indices and return a deeply frozen canonical
 * `Scenario`. Every problem is collected and thrown at once as a
 * `ScenarioError`; nothing invalid reaches the engine.
 */
import type { z } from "zod";
import { bisector } from "d3-array";
import { scenarioSchema, type ScenarioParsed } from "./schema.js";
import { ScenarioError, type ScenarioIssue } from "./errors.js";
import { checkReferences } from "./references.js";
import { jsonErrorLocation } from "./json-error.js";
import { duplicateKeys } from "./json-duplicates.js";
import { pointAlong, projectOntoLine, polylineLengthKm } from "./geometry.js";
import { calendarDays, daylightWindows } from "./daylight.js";
import { isStrategyName, STRATEGY_NAMES, strategyOptionIssues } from "./strategy-names.js";
import { distMean } from "./distributions.js";
import { belowMinimum, MIN_CYCLE, MIN_DAYLIGHT_WINDOW } from "./limits.js";
import { nearestBaseAt, roundTripHours, spreadStretches } from "./placement.js";
import type {
  Asset,
  AllocationSpec,
  Base,
  Regime,
  Scenario,
  Sector,
  SensorPlacement,
  State,
  TeamPlacement,
  UavAsset,
} from "./types.js";

type Path = (string | number)[];

/** Keys that would be dangerous if copied onto a plain object; refused wherever they appear. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const MAX_DEPTH = 32;

/**
 * Whether a value is a scenario `parseScenario` returned (deeply frozen, canonical), which every function that
 * takes a scenario accepts as it is.
 */
export function isParsedScenario(v: unknown): v is Scenario {
  return (
    typeof v === "object" &&
    v !== null &&
    Object.isFrozen(v) &&
    (v as Scenario).format === "ceasefire-sim/scenario@1" &&
    Array.isArray((v as Scenario).sectors) &&
    typeof (v as Scenario).lineKm === "number"
  );
}

/**
 * The one entry of every public function that takes a scenario: a parsed `Scenario` passes through; anything
 * else (a `ScenarioInput` such as `defaultScenario()`, parsed JSON, a JSON text) is parsed by `parseScenario`.
 *
 * @throws {ScenarioError} listing every problem with its JSON path.
 */
export function toScenario(input: unknown): Scenario {
  return isParsedScenario(input) ? input : parseScenario(input);
}

/**
 * Parse and validate a scenario given as a JSON text or a plain object. A JSON text must hold an object (a
 * scenario encoded twice, as a JSON string, is refused); its duplicate keys are listed in `.warnings`.
 *
 * @throws {ScenarioError} listing every problem with its JSON path.
 * @example
 * const s = parseScenario(defaultScenario());
 * s.sectors.length; // 12
 */
export function parseScenario(input: unknown): Scenario {
  let raw = input;
  let text: string | null = null;
  if (typeof input === "string") {
    text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      const at = jsonErrorLocation(input);
      const where = at ? ` (broken at line ${at.line}, column ${at.column})` : "";
      throw new ScenarioError([{ path: [], message: `expected JSON text${where}; ${(e as Error).message}` }]);
    }
    if (typeof raw === "string")
      throw new ScenarioError([
        {
          path: [],
          message:
            "expected a scenario as a JSON object; the text is a JSON string (the scenario encoded twice?), " +
            "which is not decoded again",
        },
      ]);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new ScenarioError([{ path: [], message: `expected a scenario as a JSON object; got ${describe(raw)}` }]);
  const shapeIssues: ScenarioIssue[] = [];
  checkShape(raw, [], 0, shapeIssues);
  if (shapeIssues.length > 0) throw new ScenarioError(shapeIssues);

  const result = scenarioSchema.safeParse(raw, { reportInput: true });
  const issues: ScenarioIssue[] = result.success ? [] : zodIssues(result.error.issues);
  checkReferences(raw, issues);
  if (!result.success || issues.length > 0) throw new ScenarioError(issues);
  const scenario = resolve(result.data, issues);
  if (issues.length === 0) checkCustomPlacements(raw as Record<string, unknown>, scenario.allocation, issues);
  if (issues.length > 0) throw new ScenarioError(issues);
  // Keep a JSON copy of the input for hashing and provenance.
  scenario.source = JSON.parse(JSON.stringify(raw));
  scenario.warnings = text === null ? [] : duplicateKeys(text);
  return deepFreeze(scenario);
}

/**
 * The custom strategy's placements (`allocation.options.teams` and `.sensors`), checked as an explicit allocation
 * of the same scenario would be, their problems reported at their paths under `allocation.options`.
 */
function checkCustomPlacements(
  raw: Record<string, unknown>,
  spec: AllocationSpec | null,
  issues: ScenarioIssue[],
): void {
  if (spec?.kind !== "strategy" || spec.strategy !== "custom") return;
  const o = spec.options;
  const placements = {
    teams: Object.hasOwn(o, "teams") ? o.teams : [],
    sensors: Object.hasOwn(o, "sensors") ? o.sensors : [],
  };
  try {
    parseScenario({ ...raw, allocation: placements });
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    for (const i of e.issues)
      issues.push({
        path: i.path[0] === "allocation" ? ["allocation", "options", ...i.path.slice(1)] : [...i.path],
        message: i.message,
      });
  }
}

/** Refuse prototype-polluting keys and absurd nesting before zod walks the input. */
function checkShape(v: unknown, path: Path, depth: number, issues: ScenarioIssue[]): void {
  if (issues.length >= 50) return;
  if (depth > MAX_DEPTH) {
    issues.push({ path, message: `nesting deeper than ${MAX_DEPTH} levels is not part of the format` });
    return;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) checkShape(v[i], [...path, i], depth + 1, issues);
  } else if (v !== null && typeof v === "object") {
    for (const k of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(k)) issues.push({ path: [...path, k], message: `the key "${k}" is not allowed` });
      else checkShape((v as Record<string, unknown>)[k], [...path, k], depth + 1, issues);
    }
  } else if (typeof v === "number" && !Number.isFinite(v)) {
    issues.push({ path, message: `expected a finite number; got ${v}` });
  } else if (typeof v === "bigint" || typeof v === "function" || typeof v === "symbol") {
    issues.push({
      path,
      message: `expected a JSON value (string, number, boolean, null, array or object); got a ${typeof v}`,
    });
  }
}

/** Turn zod issues into ours; for unions, report the branch that matched the input's shape. */
function zodIssues(list: readonly z.core.$ZodIssue[], prefix: Path = []): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  for (const issue of list) {
    const path = [...prefix, ...(issue.path as Path)];
    if (issue.code === "invalid_union" && "errors" in issue && issue.errors.length > 0) {
      // A branch whose only complaint is a type mismatch at the union's own path did not match the input's shape.
      const matching = issue.errors.filter(
        (branch) =>
          !branch.every((b) => (b.code === "invalid_type" || b.code === "invalid_value") && b.path.length === 0),
      );
      // Object branches told apart by one field (e.g. "dist"): when that field fails in every branch, name every
      // accepted value; otherwise follow the branch whose field matched.
      const discOf = (branch: z.core.$ZodIssue[]) =>
        branch.find((b) => b.code === "invalid_value" && b.path.length === 1);
      const discs = matching.map(discOf);
      if (matching.length > 1 && discs.every((d) => d && d.path[0] === discs[0]!.path[0])) {
        const values = discs.flatMap((d) => (d && d.code === "invalid_value" ? d.values : []));
        out.push({
          path: [...path, ...(discs[0]!.path as Path)],
          message: `expected one of ${values.map((v) => JSON.stringify(v)).join(", ")}`,
        });
        continue;
      }
      const candidates = matching.filter((b) => !discOf(b));
      const pool = candidates.length > 0 ? candidates : matching;
      if (pool.length > 0) {
        // Prefer the branch with the fewest problems (the one the user most likely meant).
        const best = pool.reduce((a, b) => (b.length < a.length ? b : a));
        out.push(...zodIssues(best, path));
        continue;
      }
      const expected = issue.errors
        .map((branch) => branch.find((b) => b.path.length === 0))
        .map((b) =>
          b && b.code === "invalid_type"
            ? b.expected
            : b && b.code === "invalid_value"
              ? b.values.map((x) => JSON.stringify(x)).join(" | ")
              : "?",
        );
      out.push({ path, message: `expected one of: ${[...new Set(expected)].join(", ")}` });
      continue;
    }
    let message = issue.message;
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((k) => JSON.stringify(k)).join(", ");
      message = `unknown field${issue.keys.length > 1 ? "s" : ""} ${keys}`;
    } else if (issue.code === "invalid_type") {
      const got = issue.input === undefined ? " (field is missing)" : `, got ${describe(issue.input)}`;
      message = `expected ${issue.expected}${got}`;
    }
    out.push({ path, message });
  }
  return out;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return v.length > 40 ? `a string` : `the string ${JSON.stringify(v)}`;
  if (typeof v === "number") return `the number ${v}`;
  return typeof v;
}

/** id → index (references were checked by checkReferences before this runs). */
function indexIds<T extends { id: string }>(list: readonly T[]): Map<string, number> {
  const m = new Map<string, number>();
  list.forEach((x, i) => {
    if (!m.has(x.id)) m.set(x.id, i);
  });
  return m;
}

function lookup(ids: Map<string, number>, id: string): number {
  return ids.get(id) ?? -1;
}

interface Ids {
  stateIds: Map<string, number>;
  assetIds: Map<string, number>;
  baseIds: Map<string, number>;
  sectorIds: Map<string, number>;
  regimeIds: Map<string, number>;
}

/** The parsed scenario with ids resolved to indices and every rule across fields checked, in the format's order. */
function resolve(p: ScenarioParsed, issues: ScenarioIssue[]): Scenario {
  const ids: Ids = {
    sectorIds: indexIds(p.sectors),
    stateIds: indexIds(p.states),
    assetIds: indexIds(p.assets),
    baseIds: indexIds(p.bases),
    regimeIds: indexIds(p.regimes),
  };
  const { sectors, lineKm } = resolveSectors(p, ids, issues);
  const geometry = resolveLine(p, lineKm, issues);
  const daylight = resolveDaylight(p, geometry, issues);
  checkDaylight(p, daylight, sectors, issues);
  const regimes = resolveRegimes(p, ids, issues);
  if (issues.length === 0) setStationary(regimes);
  const states = resolveStates(p, sectors, ids);
  const assets = p.assets.map((a, i) => resolveAsset(a, i, issues));
  const bases = resolveBases(p, sectors, lineKm, geometry, issues);
  const contributions = resolveContributions(p, ids, issues);
  const coordination = resolveCoordination(p, sectors, ids, issues);
  const travel = resolveTravel(p, sectors, bases, ids, coordination, issues);
  const allocation = resolveAllocation(p, ids, { sectors, states, assets, bases }, contributions, lineKm, issues);

  return {
    format: "ceasefire-sim/scenario@1",
    name: p.name,
    description: p.description ?? "",
    horizon: p.horizon,
    warmup: p.warmup,
    drain: p.drain,
    daylight,
    lineKm,
    geometry,
    sectors,
    regimes,
    states,
    assets,
    bases,
    contributions,
    reporting: {
      latency: p.reporting.latency ?? null,
      parties: p.reporting.parties
        ? { probability: p.reporting.parties.probability, latency: p.reporting.parties.latency ?? null }
        : null,
    },
    coordination,
    travel,
    standards: { response: p.standards.response },
    allocation,
    source: null,
    warnings: [],
  };
}

/** Sectors laid end to end from km 0, each with its placement profile (hotspots, the rest spread evenly). */
function resolveSectors(p: ScenarioParsed, ids: Ids, issues: ScenarioIssue[]): { sectors: Sector[]; lineKm: number } {
  let x = 0;
  const sectors = p.sectors.map((s, i): Sector => {
    const from = x;
    x += s.lengthKm;
    let hotShare = 0;
    const profile: Sector["profile"] = [];
    s.incidents.hotspots.forEach((h, j) => {
      const path = ["sectors", i, "incidents", "hotspots", j];
      if (!(h.from < h.to)) issues.push({ path: [...path, "to"], message: `expected to > from (${h.from} km)` });
      if (h.to > s.lengthKm + 1e-9)
        issues.push({
          path: [...path, "to"],
          message: `expected an offset within the sector (at most ${s.lengthKm} km)`,
        });
      hotShare += h.share;
      profile.push({ from: h.from, to: Math.min(h.to, s.lengthKm), share: h.share });
    });
    if (hotShare > 1 + 1e-9)
      issues.push({
        path: ["sectors", i, "incidents", "hotspots"],
        message: `expected hotspot shares summing to at most 1; got ${round(hotShare)}`,
      });
    if (hotShare < 1 - 1e-9) profile.unshift({ from: 0, to: s.lengthKm, share: 1 - hotShare });
    return {
      id: s.id,
      name: s.name ?? s.id,
      index: i,
      from,
      to: x,
      lengthKm: s.lengthKm,
      rate: s.incidents.rate,
      nightShare: s.incidents.nightShare,
      severity: { ...s.incidents.severity },
      profile,
      access: { delay: s.access.delay ?? null, denial: s.access.denial },
      lead: lookup(ids.stateIds, s.lead),
      priority: s.priority,
      risk: s.risk,
    };
  });
  return { sectors, lineKm: x };
}

/** The line's geometry, if given; a stated line length must match the sectors' sum. */
function resolveLine(p: ScenarioParsed, lineKm: number, issues: ScenarioIssue[]): Scenario["geometry"] {
  if (p.line?.lengthKm !== undefined && Math.abs(p.line.lengthKm - lineKm) > Math.max(0.5, 1e-3 * p.line.lengthKm)) {
    issues.push({
      path: ["line", "lengthKm"],
      message: `sector lengths add up to ${round(lineKm)} km, not the line's ${round(p.line.lengthKm)} km`,
    });
  }
  return p.line?.geometry
    ? {
        type: "LineString" as const,
        coordinates: p.line.geometry.coordinates.map((c) => [c[0], c[1]] as [number, number]),
      }
    : null;
}

/**
 * The daylight: a fixed one as given; a solar one with its place (default: the midpoint of the line's geometry)
 * and UTC offset (default: round(longitude / 15) h) filled in.
 */
function resolveDaylight(
  p: ScenarioParsed,
  geometry: Scenario["geometry"],
  issues: ScenarioIssue[],
): Scenario["daylight"] {
  const d = p.daylight;
  if ("dawn" in d) return { dawn: d.dawn, dusk: d.dusk };
  const mid = geometry ? pointAlong(geometry.coordinates, 0.5) : null;
  const latitude = d.latitude ?? mid?.[1],
    longitude = d.longitude ?? mid?.[0];
  for (const [field, v] of [
    ["latitude", latitude],
    ["longitude", longitude],
  ] as const)
    if (v === undefined)
      issues.push({
        path: ["daylight", field],
        message: `expected a ${field} in degrees: the scenario has no line geometry to take it from`,
      });
  const lon = longitude ?? 0;
  return { date: d.date, latitude: latitude ?? 0, longitude: lon, utcOffset: d.utcOffset ?? Math.round(lon / 15) };
}

/**
 * Day and night: each is empty or at least MIN_DAYLIGHT_WINDOW long; sectors with incidents at night need a
 * night, and vice versa. A solar calendar needs a dawn and a dusk on every day of the run and its drain period,
 * within the day's own midnights, each window at least MIN_DAYLIGHT_WINDOW long.
 */
function checkDaylight(
  p: ScenarioParsed,
  daylight: Scenario["daylight"],
  sectors: readonly Sector[],
  issues: ScenarioIssue[],
): void {
  if (!("dawn" in daylight)) {
    const w = daylightWindows(daylight, calendarDays(p.warmup + p.horizon + p.drain));
    if ("problem" in w) {
      issues.push({ path: ["daylight", w.problem.field], message: w.problem.message });
      return;
    }
    const short = w.dawn.findIndex(
      (dawn, k) =>
        belowMinimum(w.dusk[k]! - dawn, MIN_DAYLIGHT_WINDOW) ||
        belowMinimum(24 - (w.dusk[k]! - dawn), MIN_DAYLIGHT_WINDOW),
    );
    if (short >= 0)
      issues.push({
        path: ["daylight", "date"],
        message: `day ${short} of the run has a day or night shorter than ${MIN_DAYLIGHT_WINDOW.text}`,
      });
    return;
  }
  const dayHours = daylight.dusk - daylight.dawn;
  const nightHours = 24 - dayHours;
  const short = (h: number) => h > 0 && belowMinimum(h, MIN_DAYLIGHT_WINDOW);
  if (short(dayHours))
    issues.push({
      path: ["daylight", "dusk"],
      message:
        `the day (dusk - dawn) lasts ${hours(dayHours)}; expected no day (dusk = dawn) ` +
        `or a day of at least ${MIN_DAYLIGHT_WINDOW.text}`,
    });
  if (short(nightHours))
    issues.push({
      path: ["daylight", "dusk"],
      message:
        `the night (24 h - (dusk - dawn)) lasts ${hours(nightHours)}; expected no night (dawn 0 h, dusk 24 h) ` +
        `or a night of at least ${MIN_DAYLIGHT_WINDOW.text}`,
    });
  sectors.forEach((s, i) => {
    if (s.rate > 0 && dayHours >= 24 && s.nightShare > 0)
      issues.push({
        path: ["sectors", i, "incidents", "nightShare"],
        message: "expected 0: daylight covers the whole day",
      });
    if (s.rate > 0 && dayHours <= 0 && s.nightShare < 1)
      issues.push({ path: ["sectors", i, "incidents", "nightShare"], message: "expected 1: daylight has zero length" });
  });
}

/** Regimes with jump probabilities by index (default: to every other regime equally); stationary set later. */
function resolveRegimes(p: ScenarioParsed, ids: Ids, issues: ScenarioIssue[]): Regime[] {
  return p.regimes.map((r, i): Regime => {
    const next = new Array<number>(p.regimes.length).fill(0);
    if (r.next) {
      let sum = 0;
      for (const [k, prob] of Object.entries(r.next)) {
        const j = lookup(ids.regimeIds, k);
        if (j === i) issues.push({ path: ["regimes", i, "next", k], message: "a regime cannot jump to itself" });
        if (j >= 0) next[j] = prob;
        sum += prob;
      }
      if (Math.abs(sum - 1) > 1e-6)
        issues.push({
          path: ["regimes", i, "next"],
          message: `expected jump probabilities summing to 1; got ${round(sum)}`,
        });
    } else if (p.regimes.length > 1) {
      for (let j = 0; j < next.length; j++) if (j !== i) next[j] = 1 / (p.regimes.length - 1);
    }
    return {
      id: r.id,
      name: r.name ?? r.id,
      multiplier: r.multiplier,
      meanDuration: r.meanDuration,
      next,
      stationary: 0,
    };
  });
}

/** States, their caveats as the indices of the sectors they may work in. */
function resolveStates(p: ScenarioParsed, sectors: readonly Sector[], ids: Ids): State[] {
  return p.states.map((s, i): State => {
    const c = s.caveats;
    let allowed: number[] = c.allowedSectors
      ? c.allowedSectors.map((id) => lookup(ids.sectorIds, id))
      : sectors.map((_, k) => k);
    const excluded = c.excludedSectors.map((id) => lookup(ids.sectorIds, id));
    allowed = allowed.filter((k) => k >= 0 && !excluded.includes(k));
    return {
      id: s.id,
      name: s.name,
      index: i,
      role: s.role,
      caveats: { allowedSectors: allowed, nightMovement: c.nightMovement, maxRisk: c.maxRisk },
    };
  });
}

/** One asset type, every optional field made explicit. */
function resolveAsset(a: ScenarioParsed["assets"][number], i: number, issues: ScenarioIssue[]): Asset {
  const name = a.name ?? a.id;
  switch (a.kind) {
    case "team":
      if (a.patrol?.hours !== undefined && a.patrol.hours > 24)
        issues.push({
          path: ["assets", i, "patrol", "hours"],
          message: `expected patrol hours per day of at most 24 h; got ${hours(a.patrol.hours)}`,
        });
      return {
        kind: "team",
        id: a.id,
        name,
        index: i,
        speed: a.speed,
        nightCapable: a.nightCapable,
        onSite: a.onSite,
        availability: { ...a.availability },
        patrol: a.patrol
          ? {
              detection: a.patrol.detection,
              latency: a.patrol.latency ?? null,
              hours: a.patrol.hours ?? null,
              night: a.patrol.night,
              sweepKm: a.patrol.sweepKm ?? null,
            }
          : null,
        personnel: a.personnel,
        unitCost: a.unitCost ?? null,
      };
    case "fixed":
      if (a.outages && belowMinimum(distMean(a.outages.repair), MIN_CYCLE))
        issues.push({
          path: ["assets", i, "outages", "repair"],
          message:
            `expected a mean repair time of at least ${MIN_CYCLE.text}; ` +
            `got a mean of ${hours(distMean(a.outages.repair))}`,
        });
      return {
        kind: "fixed",
        id: a.id,
        name,
        index: i,
        coverKm: a.coverKm,
        detection: a.detection,
        latency: a.latency ?? null,
        outages: a.outages ?? null,
        unitCost: a.unitCost ?? null,
      };
    case "uav":
      if (a.turnaround < 0)
        issues.push({ path: ["assets", i, "turnaround"], message: "expected a non-negative duration" });
      else if (belowMinimum(a.endurance + a.turnaround, MIN_CYCLE))
        issues.push({
          path: ["assets", i, "endurance"],
          message:
            `expected a sortie cycle (endurance + turnaround) of at least ${MIN_CYCLE.text}; ` +
            `got ${hours(a.endurance + a.turnaround)}`,
        });
      return {
        kind: "uav",
        id: a.id,
        name,
        index: i,
        coverKm: a.coverKm,
        speed: a.speed,
        endurance: a.endurance,
        turnaround: a.turnaround,
        detection: a.detection,
        latency: a.latency ?? null,
        jamming: { ...a.jamming },
        unitCost: a.unitCost ?? null,
        schedule: a.schedule,
      };
    case "satellite": {
      const sees = { minor: false, major: false, critical: false };
      for (const s of a.sees) sees[s] = true;
      return {
        kind: "satellite",
        id: a.id,
        name,
        index: i,
        revisit: a.revisit,
        detection: a.detection,
        latency: a.latency ?? null,
        sees,
        window: a.window ?? a.revisit,
        unitCost: a.unitCost ?? null,
        cloud: a.cloud,
      };
    }
  }
}

/** Bases placed on the line: at x km (and offset), or projected from lon/lat onto the line's geometry. */
function resolveBases(
  p: ScenarioParsed,
  sectors: readonly Sector[],
  lineKm: number,
  geometry: Scenario["geometry"],
  issues: ScenarioIssue[],
): Base[] {
  return p.bases.map((b, i): Base => {
    let bx = 0;
    let off = 0;
    if ("x" in b.location) {
      bx = b.location.x;
      off = b.location.offsetKm;
      if (bx > lineKm + 1e-9)
        issues.push({
          path: ["bases", i, "location", "x"],
          message: `expected a position on the line, 0 to ${round(lineKm)} km`,
        });
    } else if (!geometry) {
      issues.push({
        path: ["bases", i, "location"],
        message: "a lon/lat location needs line.geometry to place it on the line; give { x, offsetKm } instead",
      });
    } else {
      const pr = projectOntoLine(geometry.coordinates, b.location.lon, b.location.lat);
      bx = (pr.alongKm / polylineLengthKm(geometry.coordinates)) * lineKm;
      off = pr.offsetKm;
    }
    return {
      id: b.id,
      name: b.name ?? b.id,
      index: i,
      x: bx,
      offsetKm: off,
      capacity: b.capacity,
      sector: sectorAt(sectors, bx),
    };
  });
}

/** Contributions by index; one state's contribution of one asset may appear once. */
function resolveContributions(p: ScenarioParsed, ids: Ids, issues: ScenarioIssue[]): Scenario["contributions"] {
  const seen = new Map<string, number>();
  return p.contributions.map((c, i) => {
    const key = `${c.state}\u0000${c.asset}`;
    if (seen.has(key))
      issues.push({
        path: ["contributions", i],
        message:
          `duplicate contribution of ${c.asset} by ${c.state} (also contributions[${seen.get(key)}]); ` +
          "merge the counts",
      });
    seen.set(key, i);
    return {
      state: lookup(ids.stateIds, c.state),
      asset: lookup(ids.assetIds, c.asset),
      count: c.count,
    };
  });
}

/** Coordination, with per-sector preference lists of base indices (only for fixed-preference dispatch). */
function resolveCoordination(
  p: ScenarioParsed,
  sectors: readonly Sector[],
  ids: Ids,
  issues: ScenarioIssue[],
): Scenario["coordination"] {
  const coordination = {
    lead: lookup(ids.stateIds, p.coordination.lead),
    tasking: p.coordination.tasking ?? null,
    crossNational: p.coordination.crossNational ?? null,
    dispatch: p.coordination.dispatch,
    preference: sectors.map((sec) => ownList(p.coordination.preference, sec.id).map((b) => lookup(ids.baseIds, b))),
    queue: p.coordination.queue,
    retaskFromField: p.coordination.retaskFromField,
  };
  if (p.coordination.preference && p.coordination.dispatch !== "fixed-preference")
    issues.push({
      path: ["coordination", "preference"],
      message: 'preference lists are used only with "dispatch": "fixed-preference"',
    });
  for (const [sid, list] of Object.entries(p.coordination.preference ?? {})) {
    const dup = list.find((b, i) => list.indexOf(b) !== i);
    if (dup !== undefined)
      issues.push({ path: ["coordination", "preference", sid], message: `base ${JSON.stringify(dup)} listed twice` });
  }
  return coordination;
}

/**
 * Travel: a circuity factor, or a complete matrix of hours from each sector to each base. With a matrix, teams
 * go back to base between tasks (it gives no times from the field), so `coordination.retaskFromField` is cleared.
 */
function resolveTravel(
  p: ScenarioParsed,
  sectors: readonly Sector[],
  bases: readonly Base[],
  ids: Ids,
  coordination: Scenario["coordination"],
  issues: ScenarioIssue[],
): Scenario["travel"] {
  if ("circuity" in p.travel) return { kind: "circuity", circuity: p.travel.circuity };
  const given = p.travel.hours;
  const hours = sectors.map(() => bases.map(() => NaN));
  for (const [sid, row] of Object.entries(given)) {
    const si = lookup(ids.sectorIds, sid);
    for (const [bid, h] of Object.entries(row)) {
      const bi = lookup(ids.baseIds, bid);
      if (si >= 0 && bi >= 0) hours[si]![bi] = h;
    }
  }
  for (const s of sectors) {
    if (!Object.hasOwn(given, s.id))
      issues.push({ path: ["travel", "hours"], message: `missing the row for sector ${JSON.stringify(s.id)}` });
    else
      for (const b of bases)
        if (Number.isNaN(hours[s.index]![b.index]))
          issues.push({
            path: ["travel", "hours", s.id],
            message: `missing the travel time to base ${JSON.stringify(b.id)}`,
          });
  }
  coordination.retaskFromField = false;
  return { kind: "matrix", hours };
}

function resolveAllocation(
  p: ScenarioParsed,
  ids: Ids,
  { sectors, states, assets, bases }: { sectors: Sector[]; states: State[]; assets: Asset[]; bases: Base[] },
  contributions: { state: number; asset: number; count: number }[],
  lineKm: number,
  issues: ScenarioIssue[],
): AllocationSpec | null {
  const a = p.allocation;
  if (!a) return null;
  if ("strategy" in a) {
    if (!isStrategyName(a.strategy))
      issues.push({
        path: ["allocation", "strategy"],
        message: `unknown strategy ${JSON.stringify(a.strategy)}; known: ${STRATEGY_NAMES.join(", ")}`,
      });
    for (const o of strategyOptionIssues(a.strategy, a.options ?? {}, p.bases.length))
      issues.push({ path: ["allocation", "options", ...(o.key === "" ? [] : [o.key])], message: o.message });
    const given = (k: string) => (a.options && Object.hasOwn(a.options, k) ? a.options[k] : undefined);
    if (a.strategy === "custom" && !Array.isArray(given("teams")) && !Array.isArray(given("sensors")))
      issues.push({
        path: ["allocation", "options"],
        message:
          'the custom strategy needs placements: { "teams": [...], "sensors": [...] } ' +
          '(or give them directly as "allocation": { "teams", "sensors" })',
      });
    return { kind: "strategy", strategy: a.strategy, options: a.options ?? {} };
  }
  const contributed = new Map<string, number>();
  for (const c of contributions) contributed.set(`${c.state}/${c.asset}`, c.count);
  const used = new Map<string, number>();
  const baseLoad = new Array<number>(bases.length).fill(0);
  const use = (state: number, asset: number, n: number, path: Path) => {
    if (state < 0 || asset < 0) return;
    const key = `${state}/${asset}`;
    const total = (used.get(key) ?? 0) + n;
    used.set(key, total);
    const have = contributed.get(key) ?? 0;
    if (total > have) {
      const what = `${p.states[state]!.id}'s ${p.assets[asset]!.id}`;
      issues.push({ path, message: `places ${total} of ${what} but the contributions give ${have}` });
    }
  };
  const teams: TeamPlacement[] = a.teams.map((t, i) => {
    const path = ["allocation", "teams", i];
    const state = lookup(ids.stateIds, t.state);
    const asset = lookup(ids.assetIds, t.asset);
    const base = lookup(ids.baseIds, t.base);
    if (asset >= 0 && assets[asset]!.kind !== "team")
      issues.push({
        path: [...path, "asset"],
        message: `expected a team asset; ${t.asset} is a ${assets[asset]!.kind} (place it under allocation.sensors)`,
      });
    use(state, asset, t.count, [...path, "count"]);
    if (base >= 0) {
      baseLoad[base]! += t.count;
      if (baseLoad[base]! > bases[base]!.capacity)
        issues.push({
          path: [...path, "count"],
          message:
            `base ${t.base} holds at most ${bases[base]!.capacity} teams; ` +
            `this placement brings it to ${baseLoad[base]}`,
        });
    }
    let patrols: number | null = null;
    if (t.patrols !== undefined) {
      patrols = lookup(ids.sectorIds, t.patrols);
      const st = state >= 0 ? states[state] : undefined;
      const allowed = (c: State["caveats"], sec: number) =>
        c.allowedSectors.includes(sec) && sectors[sec]!.risk <= c.maxRisk;
      if (patrols >= 0 && st && !allowed(st.caveats, patrols))
        issues.push({
          path: [...path, "patrols"],
          message: `${st.id}'s caveats do not allow its teams into sector ${t.patrols}`,
        });
    }
    return { state, asset, base, count: t.count, patrols };
  });
  const sensors: SensorPlacement[] = a.sensors.map((s, i) => {
    const path = ["allocation", "sensors", i];
    const state = lookup(ids.stateIds, s.state);
    const asset = lookup(ids.assetIds, s.asset);
    if (asset >= 0 && assets[asset]!.kind === "team")
      issues.push({
        path: [...path, "asset"],
        message: `expected a sensor asset; ${s.asset} is a team (place it under allocation.teams)`,
      });
    use(state, asset, s.count, [...path, "count"]);
    let from = 0;
    let to = lineKm;
    if (s.sector !== undefined) {
      if (s.from !== undefined || s.to !== undefined)
        issues.push({ path, message: "give either sector or from/to, not both" });
      const si = lookup(ids.sectorIds, s.sector);
      if (si >= 0) ({ from, to } = sectors[si]!);
    } else if (s.from !== undefined || s.to !== undefined) {
      from = s.from ?? 0;
      to = s.to ?? lineKm;
      if (!(from < to)) issues.push({ path: [...path, "to"], message: `expected to > from (${from} km)` });
      if (to > lineKm + 1e-9)
        issues.push({ path: [...path, "to"], message: `expected a position on the line, at most ${round(lineKm)} km` });
    }
    let base: number | null = null;
    if (s.base !== undefined) base = lookup(ids.baseIds, s.base);
    const a = asset >= 0 ? assets[asset]! : null;
    if (a?.kind === "uav" && base === null && bases.length === 0)
      issues.push({ path, message: "a UAV needs a base to fly from; the scenario has no bases" });
    else if (a?.kind === "uav" && base !== -1 && from < to && to <= lineKm + 1e-9)
      checkUavReach(a, { from, to, count: s.count }, base, bases, lineKm, path, issues);
    return { state, asset, count: s.count, from, to, base };
  });
  return { kind: "explicit", teams, sensors };
}

/**
 * The UAVs of one explicit placement must reach the middle of their stretches and come back within their
 * endurance, from the base given (or the nearest base): the first that cannot is reported at the placement.
 */
function checkUavReach(
  uav: UavAsset,
  placement: { from: number; to: number; count: number },
  base: number | null,
  bases: readonly Base[],
  lineKm: number,
  path: Path,
  issues: ScenarioIssue[],
): void {
  for (const st of spreadStretches(placement, uav.coverKm, lineKm)) {
    const b = bases[base ?? nearestBaseAt(bases, (st.from + st.to) / 2)]!;
    const trip = roundTripHours(b, st, uav.speed);
    if (uav.endurance > trip) continue;
    issues.push({
      path: base === null ? path : [...path, "base"],
      message:
        `${uav.id} from ${base === null ? "the nearest base" : "base"} ${b.id} needs ${trip.toFixed(3)} h to reach ` +
        `the middle of its stretch (${round(st.from)}-${round(st.to)} km) and come back ` +
        `but has ${uav.endurance} h of endurance`,
    });
    return;
  }
}

/** Index of the sector containing position x (the last sector for x at the end of the line). */
export function sectorAt(sectors: readonly { from: number; to: number }[], x: number): number {
  return Math.min(sectors.length - 1, bisector((s: { to: number }) => s.to).right(sectors, x));
}

/** Long-run time shares of the regime process: the embedded jump chain's stationary law weighted by mean durations. */
function setStationary(regimes: Regime[]): void {
  const n = regimes.length;
  if (n === 0) return;
  if (n === 1) {
    regimes[0]!.stationary = 1;
    return;
  }
  // Power iteration on the jump chain, damped to avoid periodicity (two regimes alternate).
  let v = new Array<number>(n).fill(1 / n);
  for (let it = 0; it < 10_000; it++) {
    const w = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) w[j]! += v[i]! * (0.5 * (i === j ? 1 : 0) + 0.5 * regimes[i]!.next[j]!);
    let diff = 0;
    for (let j = 0; j < n; j++) diff += Math.abs(w[j]! - v[j]!);
    v = w;
    if (diff < 1e-15) break;
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += v[i]! * regimes[i]!.meanDuration;
  for (let i = 0; i < n; i++) regimes[i]!.stationary = (v[i]! * regimes[i]!.meanDuration) / total;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** Hours for messages, small ones in minutes or seconds too ("0.001 h (3.6 s)"). */
function hours(h: number): string {
  const text = `${Number(h.toPrecision(6))} h`;
  if (h >= 1 || h === 0) return text;
  return h * 60 >= 1
    ? `${text} (${Number((h * 60).toPrecision(4))} min)`
    : `${text} (${Number((h * 3600).toPrecision(4))} s)`;
}

/** The list under an own key of a record keyed by user-given ids (an inherited name such as "toString" is none). */
function ownList<T>(record: Readonly<Record<string, readonly T[]>> | undefined, key: string): readonly T[] {
  return record !== undefined && Object.hasOwn(record, key) ? record[key]! : [];
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object" && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
