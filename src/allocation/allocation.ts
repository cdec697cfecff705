/**
 * An `Allocation` says where every contributed unit goes: each team to a
 * base, each sensor to a stretch of the line (UAVs also to the base they fly
 * from). It is plain JSON — serialisable, diffable — and every entry says why
 * it was placed there.
 */
import { ScenarioError, type ScenarioIssue } from "../model/errors.js";
import type { Scenario, SensorPlacement } from "../model/types.js";
import { nearestBaseAt, roundTripHours, spreadStretches, stretchAt } from "../model/placement.js";

export { stretchAt };

export interface TeamUnit {
  /** `${state}/${asset}/${k}`, k counting from 1 per state and asset type. */
  id: string;
  state: string;
  asset: string;
  base: string;
  why: string;
  /**
   * The sector the team patrols when its asset has a patrol schedule (`patrol.hours`); absent: the sector of
   * responsibility follows the rule of src/compile/patrols.ts.
   */
  patrols?: string;
}

export interface SensorUnit {
  id: string;
  state: string;
  asset: string;
  kind: "fixed" | "uav" | "satellite";
  /** Stretch watched, km along the line. */
  from: number;
  to: number;
  /** Base a UAV flies from (null for other kinds). */
  base: string | null;
  why: string;
}

export interface Allocation {
  format: "ceasefire-sim/allocation@1";
  strategy: string;
  teams: TeamUnit[];
  sensors: SensorUnit[];
  /** Contributed units left out, with the reason. */
  idle: { state: string; asset: string; count: number; why: string }[];
  /**
   * How the allocation was made from a base placement (./modes.ts): "augment" kept the base's units and placed
   * the new ones, "remove" kept the base's units less the withdrawn ones. Absent: placed from scratch (replan).
   */
  mode?: "augment" | "remove";
}

export function unitId(state: string, asset: string, k: number): string {
  return `${state}/${asset}/${k}`;
}

/** Expand the scenario's explicit allocation into units. */
export function explicitAllocation(s: Scenario): Allocation {
  const spec = s.allocation;
  if (spec?.kind !== "explicit") throw new Error("explicitAllocation: the scenario has no explicit allocation");
  const counters = new Map<string, number>();
  const next = (state: string, asset: string) => {
    const key = `${state}/${asset}`;
    const k = (counters.get(key) ?? 0) + 1;
    counters.set(key, k);
    return unitId(state, asset, k);
  };
  const teams: TeamUnit[] = [];
  for (const p of spec.teams) {
    const state = s.states[p.state]!.id,
      asset = s.assets[p.asset]!.id,
      base = s.bases[p.base]!.id;
    const patrols = p.patrols === null ? {} : { patrols: s.sectors[p.patrols]!.id };
    for (let k = 0; k < p.count; k++)
      teams.push({
        id: next(state, asset),
        state,
        asset,
        base,
        why: "placed by the scenario's allocation",
        ...patrols,
      });
  }
  const sensors: SensorUnit[] = [];
  spec.sensors.forEach((p, i) => {
    const a = s.assets[p.asset]!;
    if (a.kind === "team") return;
    const state = s.states[p.state]!.id;
    const stretches =
      a.kind === "satellite" ? repeat({ from: p.from, to: p.to }, p.count) : spread(p, a.coverKm, s.lineKm);
    for (const st of stretches) {
      const base = a.kind === "uav" ? s.bases[p.base ?? nearestBase(s, (st.from + st.to) / 2)]!.id : null;
      sensors.push({
        id: next(state, a.id),
        state,
        asset: a.id,
        kind: a.kind,
        from: st.from,
        to: st.to,
        base,
        why: `placed by the scenario's allocation (allocation.sensors[${i}])`,
      });
    }
  });
  return {
    format: "ceasefire-sim/allocation@1",
    strategy: "explicit",
    teams,
    sensors,
    idle: idleUnits(s, teams, sensors),
  };
}

function repeat<T>(v: T, n: number): T[] {
  return Array.from({ length: n }, () => ({ ...v }));
}

/** n stretches of length `cover` centred at evenly spaced points of [from, to], kept on the line. */
export function spread(
  p: Pick<SensorPlacement, "from" | "to" | "count">,
  cover: number,
  lineKm: number,
): { from: number; to: number }[] {
  return spreadStretches(p, cover, lineKm);
}

/** Index of the base nearest to line position x (straight-line distance). */
export function nearestBase(s: Scenario, x: number): number {
  return nearestBaseAt(s.bases, x);
}

/** Contributed units an allocation does not place. */
export function idleUnits(s: Scenario, teams: TeamUnit[], sensors: SensorUnit[]): Allocation["idle"] {
  const placed = new Map<string, number>();
  for (const u of [...teams, ...sensors])
    placed.set(`${u.state}/${u.asset}`, (placed.get(`${u.state}/${u.asset}`) ?? 0) + 1);
  const idle: Allocation["idle"] = [];
  for (const c of s.contributions) {
    const state = s.states[c.state]!.id,
      asset = s.assets[c.asset]!.id;
    const n = c.count - (placed.get(`${state}/${asset}`) ?? 0);
    if (n > 0) idle.push({ state, asset, count: n, why: "not placed by the allocation" });
  }
  return idle;
}

/**
 * Check an allocation against its scenario: known ids, units within the
 * contributions, base capacities, stretches on the line, UAVs that can reach
 * their stretch. Throws a `ScenarioError` with paths into the allocation.
 */
export function validateAllocation(s: Scenario, a: Allocation): void {
  const issues: ScenarioIssue[] = [];
  const states = new Map(s.states.map((x) => [x.id, x]));
  const assets = new Map(s.assets.map((x) => [x.id, x]));
  const bases = new Map(s.bases.map((x) => [x.id, x]));
  const contributed = new Map<string, number>();
  for (const c of s.contributions) contributed.set(`${s.states[c.state]!.id}/${s.assets[c.asset]!.id}`, c.count);
  const used = new Map<string, number>();
  const load = new Map<string, number>();
  const ids = new Set<string>();
  const unit = (u: TeamUnit | SensorUnit, path: (string | number)[]) => {
    if (ids.has(u.id)) issues.push({ path: [...path, "id"], message: `duplicate unit id ${JSON.stringify(u.id)}` });
    ids.add(u.id);
    if (!states.has(u.state))
      issues.push({ path: [...path, "state"], message: `unknown state id ${JSON.stringify(u.state)}` });
    if (!assets.has(u.asset))
      issues.push({ path: [...path, "asset"], message: `unknown asset id ${JSON.stringify(u.asset)}` });
    const key = `${u.state}/${u.asset}`;
    const n = (used.get(key) ?? 0) + 1;
    used.set(key, n);
    if (n === (contributed.get(key) ?? 0) + 1)
      issues.push({
        path,
        message: `more ${u.asset} units of ${u.state} than its contributions give (${contributed.get(key) ?? 0})`,
      });
  };
  a.teams.forEach((t, i) => {
    const path = ["teams", i];
    unit(t, path);
    const asset = assets.get(t.asset);
    if (asset && asset.kind !== "team")
      issues.push({ path: [...path, "asset"], message: `${t.asset} is a ${asset.kind}, not a team` });
    const b = bases.get(t.base);
    if (!b) issues.push({ path: [...path, "base"], message: `unknown base id ${JSON.stringify(t.base)}` });
    else {
      const n = (load.get(t.base) ?? 0) + 1;
      load.set(t.base, n);
      if (n === b.capacity + 1)
        issues.push({ path: [...path, "base"], message: `base ${t.base} holds at most ${b.capacity} teams` });
    }
    if (t.patrols !== undefined) {
      const sec = s.sectors.find((x) => x.id === t.patrols),
        st = states.get(t.state);
      if (!sec) issues.push({ path: [...path, "patrols"], message: `unknown sector id ${JSON.stringify(t.patrols)}` });
      else if (st && !(st.caveats.allowedSectors.includes(sec.index) && sec.risk <= st.caveats.maxRisk))
        issues.push({
          path: [...path, "patrols"],
          message: `${st.id}'s caveats do not allow its teams into sector ${sec.id}`,
        });
    }
  });
  a.sensors.forEach((u, i) => {
    const path = ["sensors", i];
    unit(u, path);
    const asset = assets.get(u.asset);
    if (asset && asset.kind !== u.kind)
      issues.push({ path: [...path, "kind"], message: `${u.asset} is a ${asset.kind}, not a ${u.kind}` });
    if (!(Number.isFinite(u.from) && Number.isFinite(u.to) && 0 <= u.from && u.from < u.to && u.to <= s.lineKm + 1e-9))
      issues.push({
        path: [...path, "to"],
        message: `expected a stretch 0 <= from < to <= ${s.lineKm} km; got [${u.from}, ${u.to}]`,
      });
    if (u.kind === "uav") {
      const b = u.base === null ? undefined : bases.get(u.base);
      if (!b)
        issues.push({ path: [...path, "base"], message: `a UAV needs a known base; got ${JSON.stringify(u.base)}` });
      else if (asset && asset.kind === "uav") {
        const transit = roundTripHours(b, u, asset.speed);
        if (asset.endurance <= transit)
          issues.push({
            path: [...path, "base"],
            message:
              `${u.asset} from ${b.id} needs ${transit.toFixed(3)} h of transit there and back ` +
              `but has ${asset.endurance} h of endurance`,
          });
      }
    }
  });
  if (issues.length > 0) throw new ScenarioError(issues, "allocation");
}
