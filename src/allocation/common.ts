/**
 * Building blocks shared by the allocation strategies: sector weights, which
 * base serves which sector, reach within the response standard, and the
 * placement routine that turns a strategy's scores into units — teams at
 * bases (D'Hondt-style, one unit at a time, within caveats and capacities),
 * fixed sensors spread over sectors, UAV orbits, satellites over the line.
 */
import { fsum } from "d3-array";
import { ScenarioError } from "../model/errors.js";
import type { FixedAsset, Scenario, Sector, State, TeamAsset, UavAsset } from "../model/types.js";
import { distMean } from "../model/distributions.js";
import { allowedSectors } from "../model/caveats.js";
import { idleUnits, stretchAt, unitId, type Allocation, type SensorUnit } from "./allocation.js";
import { CoverageField, profileShare } from "./marginal.js";

/** Expected verifiable incidents per hour × priority, per sector (sector length where every rate is zero). */
export function sectorWeights(s: Scenario): number[] {
  const w = s.sectors.map((x) => x.rate * (x.severity.major + x.severity.critical) * x.priority);
  return w.some((v) => v > 0) ? w : s.sectors.map((x) => x.lengthKm);
}

/** Distance-like cost from base b to the midpoint of a sector: matrix hours, else km (straight line). */
export function baseToSector(s: Scenario, b: number, sec: Sector): number {
  if (s.travel.kind === "matrix") return s.travel.hours[sec.index]![b]!;
  const base = s.bases[b]!;
  return Math.hypot((sec.from + sec.to) / 2 - base.x, base.offsetKm);
}

/** Travel hours for a team of `speed` km/h from base b to line position x. */
export function travelHours(s: Scenario, b: number, x: number, speed: number, sector: number): number {
  if (s.travel.kind === "matrix") return s.travel.hours[sector]![b]!;
  const base = s.bases[b]!;
  return (s.travel.circuity * Math.hypot(x - base.x, base.offsetKm)) / speed;
}

/** For each sector, the base nearest to its midpoint (−1 without bases). */
export function servedBy(s: Scenario): number[] {
  return s.sectors.map((sec) => {
    let best = -1,
      bd = Infinity;
    for (let b = 0; b < s.bases.length; b++) {
      const d = baseToSector(s, b, sec);
      if (d < bd) {
        bd = d;
        best = b;
      }
    }
    return best;
  });
}

export { allowedSectors } from "../model/caveats.js";

/**
 * Hours left for travel within the response standard: the standard minus the
 * mean reporting, tasking and access delays (detection is not counted).
 */
export function travelBudget(s: Scenario, sector: Sector): number {
  return (
    s.standards.response -
    distMean(s.reporting.latency) -
    distMean(s.coordination.tasking) -
    distMean(sector.access.delay)
  );
}

/** Incident-weighted centre of a sector, km along the line. */
export function centreOfMass(sec: Sector): number {
  let c = 0;
  for (const p of sec.profile) c += (p.share * (p.from + p.to)) / 2;
  return sec.from + c;
}

/** Demand points for location models: `perSector` equal-length pieces of each sector, weighted by its incidents. */
export function demandPoints(
  s: Scenario,
  weights: number[],
  perSector = 4,
): { x: number; sector: number; weight: number }[] {
  const out: { x: number; sector: number; weight: number }[] = [];
  for (const sec of s.sectors) {
    for (let k = 0; k < perSector; k++) {
      const a = sec.from + (k * sec.lengthKm) / perSector,
        b = sec.from + ((k + 1) * sec.lengthKm) / perSector;
      // Weight of the piece = the sector's weight × the share of its incident profile inside the piece.
      out.push({ x: (a + b) / 2, sector: sec.index, weight: weights[sec.index]! * profileShare(sec, a, b) });
    }
  }
  return out;
}

/** How a strategy scores placements. Scores ≤ 0 mean "not here". */
export interface PlacementScores {
  /** Score of placing the next team of `state` at base `b`, given the teams already placed per base. */
  team(state: number, b: number, teamsAt: readonly number[], asset: TeamAsset): number;
  /** Score of the next fixed sensor of `state` on sector `sec`, given sensors already there. */
  fixed(state: number, sec: number, fixedAt: readonly number[], kmAt: readonly number[], asset: FixedAsset): number;
  /** Score of the next UAV of `state` over sector `sec`. */
  uav(state: number, sec: number, uavAt: readonly number[], asset: UavAsset): number;
  /** Called after each team or sensor is placed (base index for teams, sector index for sensors). */
  placed?(kind: "team" | "fixed" | "uav", state: number, where: number, asset: TeamAsset | FixedAsset | UavAsset): void;
  /** Why a unit went where it did (objective contribution), for the allocation's explanation. */
  why(kind: "team" | "fixed" | "uav", target: string, score: number): string;
}

/**
 * Place every contributed unit, one at a time in contribution order, where
 * its score is highest (ties: lower index). Teams never exceed base
 * capacity; a team with no positive score goes to the base with most room,
 * saying why. Fixed sensors are spread evenly within their sector at the
 * end; UAVs fly an orbit centred on the sector's incident centre of mass
 * from the nearest base that keeps them on station; satellites watch the
 * whole line.
 *
 * A target whose `mode` is "augment" comes with units already placed (a base placement): they stay where they
 * are and only the units numbered past each contribution's base units (placed or idle) are placed — teams by
 * the strategy's score with the kept teams counted as placed (each reported to `scores.placed`), fixed sensors
 * and UAVs by greedy marginal coverage on top of the kept sensors (`CoverageField`, ./marginal.ts), satellites
 * over the whole line.
 */
export function placeUnits(s: Scenario, target: Allocation, scores: PlacementScores): void {
  checkBaseCapacity(s);
  const placed: Placed = {
    teamsAt: new Array<number>(s.bases.length).fill(0),
    fixedAt: new Array<number>(s.sectors.length).fill(0),
    kmAt: new Array<number>(s.sectors.length).fill(0),
    uavAt: new Array<number>(s.sectors.length).fill(0),
    fixedBySector: s.sectors.map(() => []),
  };
  const augment = target.mode === "augment";
  const kept = augment ? keepPlaced(s, target, scores, placed) : null;
  for (const c of s.contributions) {
    const st = s.states[c.state]!,
      asset = s.assets[c.asset]!;
    for (let k = (kept?.counts.get(`${st.id}/${asset.id}`) ?? 0) + 1; k <= c.count; k++) {
      const id = unitId(st.id, asset.id, k);
      if (asset.kind === "team") placeTeam(s, target, scores, placed, id, st, asset);
      else if (kept && asset.kind !== "satellite") placeMarginal(s, target, kept.field, id, st, asset);
      else if (asset.kind === "fixed") placeFixed(s, target, scores, placed, id, st, asset);
      else if (asset.kind === "uav") placeUav(s, target, scores, placed, id, st, asset);
      else
        target.sensors.push({
          id,
          state: st.id,
          asset: asset.id,
          kind: "satellite",
          from: 0,
          to: s.lineKm,
          base: null,
          why: "satellites watch the whole line",
        });
    }
  }
  spreadFixedSensors(s, placed.fixedBySector);
  for (const i of idleUnits(s, target.teams, target.sensors))
    if (!target.idle.some((x) => x.state === i.state && x.asset === i.asset)) target.idle.push(i);
}

/**
 * Count an augmented target's kept units as placed: teams per base (told to the scores), fixed sensors and
 * UAVs on the coverage field. Returns the units per `state/asset` the base placement
 * had (placed or idle): new units are numbered after them.
 */
function keepPlaced(
  s: Scenario,
  target: Allocation,
  scores: PlacementScores,
  placed: Placed,
): { counts: Map<string, number>; field: CoverageField } {
  const counts = new Map<string, number>();
  const add = (key: string, n: number) => counts.set(key, (counts.get(key) ?? 0) + n);
  const states = new Map(s.states.map((x) => [x.id, x]));
  const assets = new Map(s.assets.map((x) => [x.id, x]));
  for (const t of target.teams) {
    add(`${t.state}/${t.asset}`, 1);
    const b = s.bases.findIndex((x) => x.id === t.base),
      asset = assets.get(t.asset);
    placed.teamsAt[b]! += 1;
    if (asset?.kind === "team") scores.placed?.("team", states.get(t.state)!.index, b, asset);
  }
  const field = new CoverageField(s, sectorWeights(s));
  for (const u of target.sensors) {
    add(`${u.state}/${u.asset}`, 1);
    field.keep(u);
  }
  for (const i of target.idle) add(`${i.state}/${i.asset}`, i.count);
  return { counts, field };
}

/** A new fixed sensor or UAV of an augmented target, by greedy marginal coverage (see `placeUnits`). */
function placeMarginal(
  s: Scenario,
  target: Allocation,
  field: CoverageField,
  id: string,
  st: State,
  asset: FixedAsset | UavAsset,
): void {
  const pick = field.place(asset, new Set(st.caveats.allowedSectors));
  if (!pick) {
    target.idle.push({
      state: st.id,
      asset: asset.id,
      count: 1,
      why:
        asset.kind === "uav"
          ? "no sector the state may watch is within reach of a base for this UAV"
          : "no sector the state may watch (caveats)",
    });
    return;
  }
  target.sensors.push({
    id,
    state: st.id,
    asset: asset.id,
    kind: asset.kind,
    from: pick.from,
    to: pick.to,
    base: pick.base >= 0 ? s.bases[pick.base]!.id : null,
    why:
      `added by augment: greedy marginal coverage, ${pick.gain.toPrecision(3)} weighted detections/h more over ` +
      `${pick.from.toFixed(1)}–${pick.to.toFixed(1)} km (sector ${s.sectors[pick.sector]!.id})` +
      (asset.kind === "uav" ? "; flies from the nearest base" : ""),
  });
}

/** What `placeUnits` has placed so far, per base and per sector. */
interface Placed {
  teamsAt: number[];
  fixedAt: number[];
  kmAt: number[];
  uavAt: number[];
  /** Fixed sensors per sector, spread over it once all are placed. */
  fixedBySector: { unit: SensorUnit; cover: number }[][];
}

/** The bases must hold every contributed team. */
function checkBaseCapacity(s: Scenario): void {
  let totalTeams = 0;
  for (const c of s.contributions) if (s.assets[c.asset]!.kind === "team") totalTeams += c.count;
  const capacity = fsum(s.bases, (b) => b.capacity);
  if (totalTeams > 0 && capacity < totalTeams)
    throw new ScenarioError(
      [
        {
          path: ["bases"],
          message: `the bases hold ${capacity} teams in all but the contributions give ${totalTeams}`,
        },
      ],
      "allocation",
    );
}

/** A team goes to the base with room where it scores highest, else to the base with most room, saying why. */
function placeTeam(
  s: Scenario,
  target: Allocation,
  scores: PlacementScores,
  placed: Placed,
  id: string,
  st: State,
  asset: TeamAsset,
): void {
  const { teamsAt } = placed;
  let best = -1,
    bs = 0;
  for (let b = 0; b < s.bases.length; b++) {
    if (teamsAt[b]! >= s.bases[b]!.capacity) continue;
    const sc = scores.team(st.index, b, teamsAt, asset);
    if (sc > bs) {
      bs = sc;
      best = b;
    }
  }
  let why: string;
  if (best >= 0) why = scores.why("team", s.bases[best]!.id, bs);
  else {
    let room = -1;
    for (let b = 0; b < s.bases.length; b++) {
      const r = s.bases[b]!.capacity - teamsAt[b]!;
      if (r > room) {
        room = r;
        best = b;
      }
    }
    why =
      allowedSectors(s, st).size === 0
        ? `${st.id}'s caveats allow no sector; kept at the base with most room`
        : "no base with room scores for this team; placed at the base with most room";
  }
  teamsAt[best]! += 1;
  scores.placed?.("team", st.index, best, asset);
  target.teams.push({ id, state: st.id, asset: asset.id, base: s.bases[best]!.id, why });
}

/** A fixed sensor goes to the sector where it scores highest (its place in the sector is set at the end). */
function placeFixed(
  s: Scenario,
  target: Allocation,
  scores: PlacementScores,
  placed: Placed,
  id: string,
  st: State,
  asset: FixedAsset,
): void {
  let best = -1,
    bs = 0;
  for (let i = 0; i < s.sectors.length; i++) {
    const sc = scores.fixed(st.index, i, placed.fixedAt, placed.kmAt, asset);
    if (sc > bs) {
      bs = sc;
      best = i;
    }
  }
  if (best < 0) {
    target.idle.push({ state: st.id, asset: asset.id, count: 1, why: "no sector scores for this sensor (caveats)" });
    return;
  }
  placed.fixedAt[best]! += 1;
  placed.kmAt[best]! += asset.coverKm;
  scores.placed?.("fixed", st.index, best, asset);
  const unit: SensorUnit = {
    id,
    state: st.id,
    asset: asset.id,
    kind: "fixed",
    from: 0,
    to: 0,
    base: null,
    why: scores.why("fixed", s.sectors[best]!.id, bs),
  };
  placed.fixedBySector[best]!.push({ unit, cover: asset.coverKm });
  target.sensors.push(unit);
}

/**
 * A UAV orbits the sector where it scores highest among those a base can reach, from the nearest base. The orbit
 * is centred on the sector's incident centre, shifted to stay on the line; a base must reach the orbit's own
 * centre with time left on station.
 */
function placeUav(
  s: Scenario,
  target: Allocation,
  scores: PlacementScores,
  placed: Placed,
  id: string,
  st: State,
  asset: UavAsset,
): void {
  const orbitOf = (i: number) => stretchAt(centreOfMass(s.sectors[i]!), asset.coverKm, s.lineKm);
  const reach = (i: number) => {
    const o = orbitOf(i),
      c = (o.from + o.to) / 2;
    return s.bases.some((b) => asset.endurance > (2 * Math.hypot(c - b.x, b.offsetKm)) / asset.speed);
  };
  let best = -1,
    bs = 0;
  for (let i = 0; i < s.sectors.length; i++) {
    if (!reach(i)) continue;
    const sc = scores.uav(st.index, i, placed.uavAt, asset);
    if (sc > bs) {
      bs = sc;
      best = i;
    }
  }
  if (best < 0) {
    target.idle.push({
      state: st.id,
      asset: asset.id,
      count: 1,
      why: "no sector within reach of a base scores for this UAV",
    });
    return;
  }
  placed.uavAt[best]! += 1;
  scores.placed?.("uav", st.index, best, asset);
  const orbit = orbitOf(best),
    c0 = (orbit.from + orbit.to) / 2;
  let base = 0,
    bt = Infinity;
  for (const b of s.bases) {
    const d = Math.hypot(c0 - b.x, b.offsetKm);
    if (d < bt) {
      bt = d;
      base = b.index;
    }
  }
  target.sensors.push({
    id,
    state: st.id,
    asset: asset.id,
    kind: "uav",
    from: orbit.from,
    to: orbit.to,
    base: s.bases[base]!.id,
    why: `${scores.why("uav", s.sectors[best]!.id, bs)}; flies from the nearest base`,
  });
}

/** Each sector's fixed sensors spread evenly over it, each watching its cover around its point. */
function spreadFixedSensors(s: Scenario, fixedBySector: Placed["fixedBySector"]): void {
  fixedBySector.forEach((list, i) => {
    const sec = s.sectors[i]!;
    list.forEach(({ unit, cover }, k) => {
      const st = stretchAt(sec.from + ((k + 0.5) * sec.lengthKm) / list.length, cover, s.lineKm);
      unit.from = st.from;
      unit.to = st.to;
    });
  });
}

/** D'Hondt quotient helpers: weight / (1 + already placed), with full sectors of fixed sensors down-weighted to 1%. */
export function quotient(weight: number, placed: number): number {
  return weight / (1 + placed);
}
export function fixedQuotient(
  s: Scenario,
  weight: number,
  sec: number,
  fixedAt: readonly number[],
  kmAt: readonly number[],
): number {
  const full = kmAt[sec]! >= s.sectors[sec]!.lengthKm;
  return quotient(full ? 0.01 * weight : weight, fixedAt[sec]!);
}

/** Sum of weights of the sectors served by base b that a state's teams may enter. */
export function servedWeight(
  s: Scenario,
  served: readonly number[],
  allowed: Set<number>,
  weights: readonly number[],
  b: number,
): number {
  return fsum(s.sectors, (sec) => (served[sec.index] === b && allowed.has(sec.index) ? weights[sec.index]! : 0));
}
