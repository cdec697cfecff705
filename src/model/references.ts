/**
 * Cross-reference checks (unknown and duplicate ids), run on the raw input
 * whether or not it passes the schema, so one pass lists type errors and
 * dangling references together. Reads defensively: anything not shaped as
 * expected is left to the schema's messages.
 */
import type { ScenarioIssue } from "./errors.js";

type Path = (string | number)[];
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The ids of a list, or null when the list is not an array (its shape error is the schema's to report). */
function ids(list: unknown, where: string, issues: ScenarioIssue[]): Set<string> | null {
  if (list === undefined) return new Set();
  if (!Array.isArray(list)) return null;
  const seen = new Map<string, number>();
  arr(list).forEach((x, i) => {
    if (!isObj(x) || typeof x.id !== "string") return;
    if (seen.has(x.id))
      issues.push({
        path: [where, i, "id"],
        message: `duplicate id ${JSON.stringify(x.id)} (also ${where}[${seen.get(x.id)}])`,
      });
    else seen.set(x.id, i);
  });
  return new Set(seen.keys());
}

export function checkReferences(raw: unknown, issues: ScenarioIssue[]): void {
  if (!isObj(raw)) return;
  const known = {
    sector: ids(raw.sectors, "sectors", issues),
    state: ids(raw.states, "states", issues),
    asset: ids(raw.assets, "assets", issues),
    base: ids(raw.bases, "bases", issues),
    regime: ids(raw.regimes, "regimes", issues),
  };
  const ref = (kind: keyof typeof known, v: unknown, path: Path) => {
    const set = known[kind];
    if (typeof v !== "string" || set === null || set.has(v)) return;
    const list = [...set];
    const hint = list.length <= 12 ? `; known: ${list.join(", ") || "(none)"}` : "";
    issues.push({ path, message: `unknown ${kind} id ${JSON.stringify(v)}${hint}` });
  };
  arr(raw.sectors).forEach((s, i) => {
    if (isObj(s)) ref("state", s.lead, ["sectors", i, "lead"]);
  });
  arr(raw.states).forEach((s, i) => {
    if (!isObj(s) || !isObj(s.caveats)) return;
    for (const k of ["allowedSectors", "excludedSectors"] as const)
      arr(s.caveats[k]).forEach((v, j) => {
        ref("sector", v, ["states", i, "caveats", k, j]);
      });
  });
  arr(raw.regimes).forEach((r, i) => {
    if (isObj(r) && isObj(r.next)) for (const k of Object.keys(r.next)) ref("regime", k, ["regimes", i, "next", k]);
  });
  arr(raw.bases).forEach((b, i) => {
    if (isObj(b)) ref("state", b.state, ["bases", i, "state"]);
  });
  arr(raw.contributions).forEach((c, i) => {
    if (!isObj(c)) return;
    ref("state", c.state, ["contributions", i, "state"]);
    ref("asset", c.asset, ["contributions", i, "asset"]);
  });
  if (isObj(raw.coordination)) {
    ref("state", raw.coordination.lead, ["coordination", "lead"]);
    if (isObj(raw.coordination.preference))
      for (const [sid, list] of Object.entries(raw.coordination.preference)) {
        ref("sector", sid, ["coordination", "preference", sid]);
        arr(list).forEach((b, j) => {
          ref("base", b, ["coordination", "preference", sid, j]);
        });
      }
  }
  if (isObj(raw.travel) && isObj(raw.travel.hours)) {
    for (const [sid, row] of Object.entries(raw.travel.hours)) {
      ref("sector", sid, ["travel", "hours", sid]);
      if (isObj(row)) for (const bid of Object.keys(row)) ref("base", bid, ["travel", "hours", sid, bid]);
    }
  }
  if (isObj(raw.allocation)) {
    arr(raw.allocation.teams).forEach((t, i) => {
      if (!isObj(t)) return;
      ref("state", t.state, ["allocation", "teams", i, "state"]);
      ref("asset", t.asset, ["allocation", "teams", i, "asset"]);
      ref("base", t.base, ["allocation", "teams", i, "base"]);
      ref("sector", t.patrols, ["allocation", "teams", i, "patrols"]);
    });
    arr(raw.allocation.sensors).forEach((t, i) => {
      if (!isObj(t)) return;
      ref("state", t.state, ["allocation", "sensors", i, "state"]);
      ref("asset", t.asset, ["allocation", "sensors", i, "asset"]);
      ref("sector", t.sector, ["allocation", "sensors", i, "sector"]);
      ref("base", t.base, ["allocation", "sensors", i, "base"]);
    });
  }
}
