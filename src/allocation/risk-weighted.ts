/**
 * `risk-weighted` — the default allocation.
 *
 * Sector weight w = expected verifiable incidents per hour (rate × share of
 * major and critical) × priority; where every rate is zero, sector length.
 * - Teams: each base serves the sectors nearest to it (by travel time from
 *   the sector's midpoint). Teams are placed one at a time, in contribution
 *   order, at the base with the highest quotient W / (1 + teams already
 *   there) — D'Hondt apportionment of teams to bases in proportion to the
 *   weight they serve — where W counts only sectors the team's state may
 *   enter under its caveats, and no base exceeds its capacity.
 * - Fixed sensors: apportioned to the sectors the owning state may watch by
 *   the same D'Hondt rule (a sector already fully watched counts 1% of its
 *   weight), then spread evenly within each sector.
 * - UAVs: each aircraft goes to the sector with the highest quotient among
 *   those reachable from some base (endurance > 2 × transit); aircraft on the
 *   same sector fly the same orbit centred on the sector's incident centre
 *   of mass, in staggered sorties, from the nearest base.
 * - Satellites: the whole line.
 */
import { fsum } from "d3-array";
import { ScenarioError } from "../model/errors.js";
import type { Scenario, Sector } from "../model/types.js";
import { idleUnits, stretchAt, unitId, type Allocation, type SensorUnit, type TeamUnit } from "./allocation.js";
import type { Strategy } from "./strategy.js";

export function sectorWeights(s: Scenario): number[] {
  const w = s.sectors.map((x) => x.rate * (x.severity.major + x.severity.critical) * x.priority);
  return w.some((v) => v > 0) ? w : s.sectors.map((x) => x.lengthKm);
}

/** Travel hours from base b to the midpoint of sector s (matrix, or straight line × circuity / speed 1). */
function baseToSector(sc: Scenario, b: number, sec: Sector): number {
  if (sc.travel.kind === "matrix") return sc.travel.hours[sec.index]![b]!;
  const base = sc.bases[b]!;
  return Math.hypot((sec.from + sec.to) / 2 - base.x, base.offsetKm);
}

/** Incident-weighted centre of a sector, km along the line. */
function centreOfMass(sec: Sector): number {
  let c = 0;
  for (const p of sec.profile) c += p.share * (p.from + p.to) / 2;
  return sec.from + c;
}

function argmaxQuotient(weights: number[], counts: number[], ok: (i: number) => boolean): number {
  let best = -1, bq = -Infinity;
  for (let i = 0; i < weights.length; i++) {
    if (!ok(i)) continue;
    const q = weights[i]! / (1 + counts[i]!);
    if (q > bq) { bq = q; best = i; }
  }
  return best;
}

export const riskWeighted: Strategy = {
  name: "risk-weighted",
  description: "teams to bases and sensors to sectors in proportion to expected verifiable incidents × priority (D'Hondt), within caveats and capacities",
  allocate(s: Scenario, target: Allocation): void {
    const w = sectorWeights(s);
    const teams: TeamUnit[] = [];
    const sensors: SensorUnit[] = [];

    // Which base serves which sector.
    const servedBy = s.sectors.map((sec) => {
      let best = -1, bd = Infinity;
      for (let b = 0; b < s.bases.length; b++) {
        const d = baseToSector(s, b, sec);
        if (d < bd) { bd = d; best = b; }
      }
      return best;
    });
    const baseTeams = new Array<number>(s.bases.length).fill(0);
    const sectorFixed = new Array<number>(s.sectors.length).fill(0);
    const sectorFixedKm = new Array<number>(s.sectors.length).fill(0);
    const sectorUav = new Array<number>(s.sectors.length).fill(0);
    const fixedBySector: { unit: SensorUnit; cover: number }[][] = s.sectors.map(() => []);
    const uavBySector: { unit: SensorUnit; cover: number }[][] = s.sectors.map(() => []);

    let totalTeams = 0;
    for (const c of s.contributions) if (s.assets[c.asset]!.kind === "team") totalTeams += c.count;
    const capacity = s.bases.reduce((a, b) => a + b.capacity, 0);
    if (totalTeams > 0 && capacity < totalTeams)
      throw new ScenarioError([{ path: ["bases"], message: `the bases hold ${capacity} teams in all but the contributions give ${totalTeams}` }], "allocation");

    for (const c of s.contributions) {
      const st = s.states[c.state]!, asset = s.assets[c.asset]!;
      const allowed = new Set(st.caveats.allowedSectors.filter((k) => s.sectors[k]!.risk <= st.caveats.maxRisk));
      for (let k = 1; k <= c.count; k++) {
        const id = unitId(st.id, asset.id, k);
        if (asset.kind === "team") {
          const W = s.bases.map((_, b) => fsum(s.sectors, (sec) => (servedBy[sec.index] === b && allowed.has(sec.index) ? w[sec.index]! : 0)));
          const hasRoom = (b: number) => baseTeams[b]! < s.bases[b]!.capacity;
          let b = argmaxQuotient(W, baseTeams, (i) => hasRoom(i) && W[i]! > 0);
          let why: string;
          if (b >= 0) why = `D'Hondt quotient ${(W[b]! / (1 + baseTeams[b]!)).toPrecision(3)} (weight of sectors served that ${st.id} may enter / (1 + teams already there))`;
          else {
            b = argmaxQuotient(s.bases.map(() => 1), baseTeams, hasRoom);
            why = allowed.size === 0 ? `${st.id}'s caveats allow no sector; kept at the base with most room` : "no base with room serves a sector it may enter; placed at the base with most room";
          }
          baseTeams[b]! += 1;
          teams.push({ id, state: st.id, asset: asset.id, base: s.bases[b]!.id, why });
        } else if (asset.kind === "fixed") {
          const eff = w.map((v, i) => (sectorFixedKm[i]! >= s.sectors[i]!.lengthKm ? 0.01 * v : v));
          const sec = argmaxQuotient(eff, sectorFixed, (i) => allowed.has(i));
          if (sec < 0) { target.idle.push({ state: st.id, asset: asset.id, count: 1, why: `${st.id}'s caveats allow no sector` }); continue; }
          sectorFixed[sec]! += 1;
          sectorFixedKm[sec]! += asset.coverKm;
          const unit: SensorUnit = { id, state: st.id, asset: asset.id, kind: "fixed", from: 0, to: 0, base: null, why: `sector ${s.sectors[sec]!.id}: D'Hondt quotient ${(eff[sec]! / sectorFixed[sec]!).toPrecision(3)}` };
          fixedBySector[sec]!.push({ unit, cover: asset.coverKm });
          sensors.push(unit);
        } else if (asset.kind === "uav") {
          const reach = (i: number) => {
            const c = centreOfMass(s.sectors[i]!);
            return s.bases.some((b) => asset.endurance > 2 * (Math.hypot(c - b.x, b.offsetKm) / asset.speed));
          };
          const sec = argmaxQuotient(w, sectorUav, (i) => allowed.has(i) && reach(i));
          if (sec < 0) { target.idle.push({ state: st.id, asset: asset.id, count: 1, why: "no allowed sector within reach of a base" }); continue; }
          sectorUav[sec]! += 1;
          const c = centreOfMass(s.sectors[sec]!);
          let base = 0, bt = Infinity;
          for (const b of s.bases) { const d = Math.hypot(c - b.x, b.offsetKm); if (d < bt) { bt = d; base = b.index; } }
          const st2 = stretchAt(c, asset.coverKm, s.lineKm);
          const unit: SensorUnit = { id, state: st.id, asset: asset.id, kind: "uav", from: st2.from, to: st2.to, base: s.bases[base]!.id, why: `orbit over ${s.sectors[sec]!.id}'s incident centre: D'Hondt quotient ${(w[sec]! / sectorUav[sec]!).toPrecision(3)}; nearest base` };
          uavBySector[sec]!.push({ unit, cover: asset.coverKm });
          sensors.push(unit);
        } else {
          sensors.push({ id, state: st.id, asset: asset.id, kind: "satellite", from: 0, to: s.lineKm, base: null, why: "satellites watch the whole line" });
        }
      }
    }
    // Spread fixed sensors evenly within their sector.
    fixedBySector.forEach((list, i) => {
      const sec = s.sectors[i]!;
      list.forEach(({ unit, cover }, k) => {
        const st = stretchAt(sec.from + ((k + 0.5) * sec.lengthKm) / list.length, cover, s.lineKm);
        unit.from = st.from;
        unit.to = st.to;
      });
    });
    target.teams.push(...teams);
    target.sensors.push(...sensors);
    for (const i of idleUnits(s, target.teams, target.sensors)) if (!target.idle.some((x) => x.state === i.state && x.asset === i.asset)) target.idle.push(i);
  },
};
