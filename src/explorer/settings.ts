/**
 * The explorer's settings: what the controls set, how they change the scenario, and how they travel in the
 * page's URL (the hash), so that a link restores them. No DOM here: src/explorer/main.ts draws the controls.
 */
import { ALLOCATION_MODES, type AllocationMode } from "../allocation/modes.js";
import { STRATEGY_NAMES } from "../model/strategy-names.js";
import { scenarioNames, type ScenarioName } from "../scenarios/index.js";
import { setParameters, type ParameterScalar } from "../experiment/parameters.js";
import type { AllocationOption } from "../experiment/run.js";

/** The strategies a control offers: the built-ins but "custom" (which needs its placements as options). */
export const EXPLORER_STRATEGIES: readonly string[] = STRATEGY_NAMES.filter((n) => n !== "custom");

/** The metrics a sector can be coloured by on the map (sector metrics, see SECTOR_METRICS). */
export const MAP_METRICS: readonly string[] = [
  "coverage.effective.night",
  "coverage.effective.day",
  "withinStandard",
  "timeToVerification.restrictedMean",
  "response.mean",
  "detection.probability",
  "outcomes.verified",
  "coverage.overall",
  "coverage.night",
  "incidentsPerDay",
];

/** Everything the controls set. */
export interface Settings {
  /** An embedded scenario's name, or null for an imported one. */
  scenario: ScenarioName | null;
  /** Contribution counts that differ from the scenario's, by "state/asset". */
  counts: Record<string, number>;
  /** States withdrawn (every contribution of theirs set to 0). */
  withdrawn: string[];
  /** A built-in strategy, or null for the scenario's own allocation. */
  strategy: string | null;
  mode: AllocationMode;
  /** Horizon in days, or null for the scenario's. */
  horizonDays: number | null;
  /** The response standard in hours, or null for the scenario's. */
  targetHours: number | null;
  replications: number;
  seed: number;
  /** The metric the map colours sectors by. */
  metric: string;
}

/** The settings a page opens with. */
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  scenario: "coalition-2026",
  counts: {},
  withdrawn: [],
  strategy: null,
  mode: "replan",
  horizonDays: null,
  targetHours: null,
  replications: 200,
  seed: 1,
  metric: "coverage.effective.night",
});

/** A contribution's key in `Settings.counts`. */
export const contributionKey = (state: string, asset: string): string => `${state}/${asset}`;

interface ContributionInput {
  state: string;
  asset: string;
  count: number;
}

/** The contributions of a scenario input (what the controls list). */
export function contributionsOf(input: unknown): ContributionInput[] {
  const list = (input as { contributions?: unknown }).contributions;
  return Array.isArray(list) ? (list as ContributionInput[]) : [];
}

/** What a run needs from the settings: the scenario input they make, its allocation option and horizon. */
export interface Applied {
  input: unknown;
  allocation: AllocationOption | undefined;
  /** Hours, or undefined for the scenario's. */
  horizon: number | undefined;
}

/**
 * Apply the settings to a scenario input: contribution counts (a withdrawn state's set to 0) by parameter
 * paths (`contributions[state=gb,asset=team].count`), the response standard, and the allocation — the
 * scenario's own, a strategy, or a mode whose base placement is the scenario as given (so "remove" keeps
 * every unit of the states that stay where it was).
 */
export function applySettings(base: unknown, s: Settings): Applied {
  const values: Record<string, ParameterScalar> = {};
  for (const c of contributionsOf(base)) {
    const key = contributionKey(c.state, c.asset);
    const count = s.withdrawn.includes(c.state) ? 0 : s.counts[key];
    if (count !== undefined && count !== c.count)
      values[`contributions[state=${c.state},asset=${c.asset}].count`] = count;
  }
  const input = Object.keys(values).length > 0 ? setParameters(base, values) : structuredClone(base);
  if (s.targetHours !== null) {
    const rec = input as { standards?: Record<string, unknown> };
    rec.standards = { ...(rec.standards ?? {}), response: `${s.targetHours} h` };
  }
  const strategy = s.strategy ?? undefined;
  const allocation: AllocationOption | undefined =
    s.mode === "replan" ? strategy : { mode: s.mode, base, ...(strategy ? { strategy } : {}) };
  return { input, allocation, horizon: s.horizonDays === null ? undefined : s.horizonDays * 24 };
}

const num = (v: string | null, ok: (n: number) => boolean): number | null => {
  if (v === null || v.trim() === "") return null;
  const n = Number(v);
  return Number.isFinite(n) && ok(n) ? n : null;
};

/**
 * The settings as a URL hash ("#scenario=…&strategy=…"), leaving defaults out; an imported scenario travels
 * as `packed` (see `packScenario`).
 */
export function encodeSettings(s: Settings, packed: string | null = null): string {
  const q = new URLSearchParams();
  if (s.scenario !== DEFAULT_SETTINGS.scenario) q.set("scenario", s.scenario ?? "imported");
  const counts = Object.entries(s.counts).map(([k, v]) => `${k}:${v}`);
  if (counts.length) q.set("counts", counts.join(","));
  if (s.withdrawn.length) q.set("withdraw", s.withdrawn.join(","));
  if (s.strategy) q.set("strategy", s.strategy);
  if (s.mode !== "replan") q.set("mode", s.mode);
  if (s.horizonDays !== null) q.set("horizon", String(s.horizonDays));
  if (s.targetHours !== null) q.set("target", String(s.targetHours));
  if (s.replications !== DEFAULT_SETTINGS.replications) q.set("replications", String(s.replications));
  if (s.seed !== DEFAULT_SETTINGS.seed) q.set("seed", String(s.seed));
  if (s.metric !== DEFAULT_SETTINGS.metric) q.set("metric", s.metric);
  if (s.scenario === null && packed !== null) q.set("json", packed);
  const text = q.toString();
  return text ? `#${text}` : "";
}

/**
 * Settings from a URL hash (`encodeSettings`'s form); what is missing or not understood takes its default,
 * and the problems are listed (a link edited by hand says what it got wrong).
 */
export function decodeSettings(hash: string): { settings: Settings; packed: string | null; problems: string[] } {
  const q = new URLSearchParams(hash.replace(/^#/, ""));
  const s: Settings = { ...DEFAULT_SETTINGS, counts: {}, withdrawn: [] };
  const problems: string[] = [];
  let packed: string | null = null;
  const bad = (key: string, v: string, want: string) => problems.push(`${key}=${v}: expected ${want}`);
  for (const [key, v] of q) {
    switch (key) {
      case "scenario":
        if (v === "imported") s.scenario = null;
        else if ((scenarioNames as readonly string[]).includes(v)) s.scenario = v as ScenarioName;
        else bad(key, v, `one of ${scenarioNames.join(", ")}`);
        break;
      case "counts":
        for (const part of v.split(",")) {
          const m = /^([^/:]+)\/([^/:]+):(\d+)$/.exec(part);
          if (m) s.counts[contributionKey(m[1]!, m[2]!)] = Number(m[3]);
          else bad(key, part, "state/asset:count");
        }
        break;
      case "withdraw":
        s.withdrawn = v.split(",").filter((x) => x !== "");
        break;
      case "strategy":
        if (EXPLORER_STRATEGIES.includes(v)) s.strategy = v;
        else bad(key, v, `one of ${EXPLORER_STRATEGIES.join(", ")}`);
        break;
      case "mode":
        if ((ALLOCATION_MODES as readonly string[]).includes(v)) s.mode = v as AllocationMode;
        else bad(key, v, ALLOCATION_MODES.join(", "));
        break;
      case "horizon":
        s.horizonDays = num(v, (n) => n > 0);
        if (s.horizonDays === null) bad(key, v, "days above 0");
        break;
      case "target":
        s.targetHours = num(v, (n) => n > 0);
        if (s.targetHours === null) bad(key, v, "hours above 0");
        break;
      case "replications": {
        const n = num(v, (x) => Number.isInteger(x) && x >= 2);
        if (n === null) bad(key, v, "a whole number of at least 2");
        else s.replications = n;
        break;
      }
      case "seed": {
        const n = num(v, (x) => Number.isSafeInteger(x));
        if (n === null) bad(key, v, "a whole number");
        else s.seed = n;
        break;
      }
      case "metric":
        if (MAP_METRICS.includes(v)) s.metric = v;
        else bad(key, v, `one of ${MAP_METRICS.join(", ")}`);
        break;
      case "json":
        packed = v;
        break;
      default:
        problems.push(`${key}: not a setting of the explorer`);
    }
  }
  if (s.scenario === null && packed === null) {
    problems.push("scenario=imported: the link carries no scenario (json=…); the default scenario is used");
    s.scenario = DEFAULT_SETTINGS.scenario;
  }
  return { settings: s, packed, problems };
}

const toBase64Url = (bytes: Uint8Array): string => {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};
const fromBase64Url = (text: string): Uint8Array => {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
};

async function through(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** A scenario's JSON for a URL: deflated (CompressionStream "deflate-raw") and base64url-encoded. */
export async function packScenario(json: string): Promise<string> {
  return toBase64Url(await through(new TextEncoder().encode(json), new CompressionStream("deflate-raw")));
}

/** The JSON text of a packed scenario (`packScenario`); rejects when the text is not one. */
export async function unpackScenario(packed: string): Promise<string> {
  return new TextDecoder().decode(await through(fromBase64Url(packed), new DecompressionStream("deflate-raw")));
}
