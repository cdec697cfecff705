/**
 * Scenario lint: warnings, not errors, about a valid scenario that probably does not say what its author
 * meant. Each names the JSON path and says what to do. The checks that need an allocation (a base with room
 * but no teams) are in src/allocation/lint.ts; `validate`, `run` and `Result.warnings` show both.
 *
 * Rules, in the order they are reported:
 * - a sector's lead state barred from that sector by its own caveats (allowed/excluded sectors, or the
 *   sector's risk above its `maxRisk`);
 * - a sector that no team-contributing state may enter (only when teams are contributed);
 * - a contributed sensor type that detects nothing at night when nights are longer than `LONG_NIGHT_HOURS`;
 * - defaults that matter, left implicit (absent from the input), one warning per kind: sensor latency (0),
 *   team availability (100%), sector access delay (none; only when teams are contributed), warm-up (0) and
 *   `nightCapable` (false; only when there is a night).
 */
import { daylightWindows } from "./daylight.js";
import { allowedSectors } from "./caveats.js";
import type { ScenarioIssue } from "./errors.js";
import type { Scenario } from "./types.js";
import { toScenario } from "./parse.js";

/** Nights (24 h − (dusk − dawn)) longer than this many hours make a sensor type blind at night worth a warning. */
export const LONG_NIGHT_HOURS = 12;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const has = (o: unknown, k: string) => isRecord(o) && Object.hasOwn(o, k);
const listAt = (o: unknown, k: string): unknown[] => {
  const v = isRecord(o) ? o[k] : undefined;
  return Array.isArray(v) ? v : [];
};

/** Contributed units per asset index. */
function contributed(s: Scenario): number[] {
  const n = new Array<number>(s.assets.length).fill(0);
  for (const c of s.contributions) n[c.asset]! += c.count;
  return n;
}

/** Teams contributed per state index. */
function teamsByState(s: Scenario): number[] {
  const n = new Array<number>(s.states.length).fill(0);
  for (const c of s.contributions) if (s.assets[c.asset]!.kind === "team") n[c.state]! += c.count;
  return n;
}

/**
 * One warning for a kind of finding: at the item's path when there is one, else at the list's path naming
 * every item ("assets[1] (camera), assets[2] (acoustic)").
 */
export function grouped(
  list: string,
  items: readonly { index: number; id: string; key?: string }[],
  message: (what: string) => string,
): ScenarioIssue[] {
  if (items.length === 0) return [];
  if (items.length === 1) {
    const it = items[0]!;
    return [{ path: [list, it.index, ...(it.key ? [it.key] : [])], message: message(it.id) }];
  }
  const key = items[0]!.key ? `.${items[0]!.key}` : "";
  const what = items.map((it) => `${it.id} (${list}[${it.index}]${key})`).join(", ");
  return [{ path: [list], message: message(what) }];
}

/**
 * The lint warnings of a parsed scenario (see the module's header); `[]` when it says what it means.
 *
 * @example
 * lintScenario(parseScenario(defaultScenario())); // []
 */
export function lintScenario(scenario: unknown): ScenarioIssue[] {
  const s = toScenario(scenario);
  const out: ScenarioIssue[] = [];
  const src = s.source;
  const teams = teamsByState(s);
  const anyTeams = teams.some((n) => n > 0);
  const units = contributed(s);
  // The mean daylight over the run's days (one window every day for a fixed calendar).
  const days = Math.max(1, Math.ceil((s.warmup + s.horizon) / 24));
  const windows = daylightWindows(s.daylight, days);
  const mean = (a: Float64Array) => a.reduce((x, y) => x + y, 0) / a.length;
  const [dawn, dusk] = "problem" in windows ? [0, 24] : [mean(windows.dawn), mean(windows.dusk)];
  const nightHours = 24 - (dusk - dawn);

  // A lead state barred from its own sector.
  s.sectors.forEach((sec, i) => {
    const lead = s.states[sec.lead]!;
    if (allowedSectors(s, lead).has(i)) return;
    const why = !lead.caveats.allowedSectors.includes(i)
      ? `its caveats (allowedSectors/excludedSectors) leave ${sec.id} out`
      : `${sec.id}'s risk ${sec.risk} is above its caveats.maxRisk ${lead.caveats.maxRisk}`;
    const idle = teams[lead.index]! > 0 ? ` its ${teams[lead.index]} teams cannot verify there, and` : "";
    out.push({
      path: ["sectors", i, "lead"],
      message:
        `lead state ${lead.id} may not send teams into its own sector ${sec.id}: ${why}, so${idle} every ` +
        `verification there is cross-national; choose a lead that may enter, or change the caveats of ` +
        `states[${lead.index}] (${lead.id})`,
    });
  });

  // A sector no team may enter.
  if (anyTeams) {
    const team = s.states.filter((st) => teams[st.index]! > 0);
    const allowed = team.map((st) => allowedSectors(s, st));
    s.sectors.forEach((sec, i) => {
      if (allowed.some((a) => a.has(i))) return;
      out.push({
        path: ["sectors", i],
        message:
          `no team may enter sector ${sec.id} (risk ${sec.risk}): the caveats of every state contributing ` +
          `teams (${team.map((st) => st.id).join(", ")}) bar it, so its incidents are never verified; raise a ` +
          `state's caveats.maxRisk to ${sec.risk} or more, or allow the sector in its caveats`,
      });
    });
  }

  // Sensor types blind at night on a line with long nights.
  if (nightHours > LONG_NIGHT_HOURS)
    s.assets.forEach((a, i) => {
      // Fixed sensors and UAVs watch around the clock; a satellite's passes are instants, and an optical one's
      // blindness at night is its nature, not an oversight.
      if (a.kind === "team" || a.kind === "satellite" || units[i]! === 0 || a.detection.night > 0) return;
      out.push({
        path: ["assets", i, "detection"],
        message:
          `${a.id} detects nothing at night (night probability 0) and nights last ${round(nightHours)} h ` +
          `(daylight ${round(dawn)}–${round(dusk)} h on average): it is blind ` +
          `${Math.round((nightHours / 24) * 100)}% of the time; give its night probability if it sees at night ` +
          `(thermal, radar), or count on other channels by night`,
      });
    });

  // Defaults that matter, left implicit: one warning per kind.
  const assetsSrc = listAt(src, "assets");
  const implicit = (keep: (a: Scenario["assets"][number], i: number) => boolean, key: string) =>
    s.assets
      .map((a, i) => ({ a, i }))
      .filter(({ a, i }) => units[i]! > 0 && keep(a, i) && !has(assetsSrc[i], key))
      .map(({ a, i }) => ({ index: i, id: a.id, key }));
  out.push(
    ...grouped(
      "assets",
      implicit((a) => a.kind !== "team", "latency"),
      (what) =>
        `no latency given for ${what}: their detections reach the mission at once (latency 0); give each a ` +
        `latency (e.g. { "dist": "lognormal", "median": "15 min", "p95": "1 h" }), or "0 min" to say so`,
    ),
    ...grouped(
      "assets",
      implicit((a) => a.kind === "team", "availability"),
      (what) =>
        `no availability given for ${what}: its teams are available 100% of the time (no rotation, leave or ` +
        `repairs); give availability (e.g. { "share": 0.85, "downtime": "3 d" }), or share 1 to say so`,
    ),
  );
  if (anyTeams) {
    const sectorsSrc = listAt(src, "sectors");
    out.push(
      ...grouped(
        "sectors",
        s.sectors
          .filter((_, i) => !has(isRecord(sectorsSrc[i]) ? sectorsSrc[i].access : undefined, "delay"))
          .map((sec) => ({ index: sec.index, id: sec.id, key: "access" })),
        (what) =>
          `no access delay given for ${what}: teams start work the moment they arrive (no checkpoints or ` +
          `escorts); give access.delay (e.g. { "dist": "lognormal", "median": "30 min", "p95": "2.5 h" }), or ` +
          `"0 min" to say so`,
      ),
    );
  }
  if (!has(src, "warmup"))
    out.push({
      path: ["warmup"],
      message:
        "no warm-up given: every replication is measured from an empty start (no queue, every team at its " +
        'base), which flatters the first days; give "warmup" (e.g. "2 d"), or "0 d" to say so',
    });
  if (nightHours > 0)
    out.push(
      ...grouped(
        "assets",
        implicit((a) => a.kind === "team", "nightCapable"),
        (what) =>
          `nightCapable not given for ${what}: its teams do not move at night (the default, false), so night ` +
          `incidents wait for dawn or another team; give "nightCapable": true or false to say which`,
      ),
    );
  return out;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
