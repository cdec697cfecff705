/**
 * Patrols as an activity: which sector each team patrols on a schedule (its sector of responsibility), and the
 * columns the engine reads for it. A team patrols on a schedule when its asset's `patrol` gives `hours`; teams
 * whose asset gives `patrol` without `hours` keep the per-base rule (compile.ts, `teamColumns`).
 *
 * The sector of responsibility: the allocation's (`TeamUnit.patrols`, from `allocation.teams[].patrols` of a
 * scenario's explicit allocation) when it names one; else by one rule (documented in docs/estimands.md,
 * "Patrols"), over the teams it does not place:
 * 1. Each sector is served by the nearest base that holds a patrolling team allowed into it (by its state's
 *    caveats): nearest by the travel-time matrix when the scenario gives one, else by straight-line distance
 *    from the base to the sector's midpoint; ties to the lower base index.
 * 2. A base's patrolling teams, in their order in the allocation, take the sectors it serves in turn (round
 *    robin: the sector holding the base first, then the others nearest first), each skipping sectors its state
 *    may not enter; so a base's teams spread over the sectors it serves, and sectors without a base get
 *    patrolled by the nearest base's teams when it has enough of them.
 * 3. A team left without a sector (its base serves none it may enter) patrols the sector holding its base if
 *    it may enter it, else the nearest sector it may enter; a team that may enter none does not patrol.
 *
 * While on patrol (phase 1 plans the windows: src/engine/wasm/timelines.ts) a team detects an incident in its
 * sector with probability `detection × min(1, sweepKm / sector length)`; patrols present together detect
 * independently.
 */
import type { Allocation } from "../allocation/allocation.js";
import { dist2d } from "../model/geometry.js";
import type { Distribution, Scenario } from "../model/types.js";

/** What patrol planning needs of the teams' columns and of eligibility (compile.ts). */
interface PatrolInputs {
  tmBase: Int32Array;
  tmNight: Uint8Array;
  /** Team k may serve sector s: elig[s * nTeams + k]. */
  elig: Uint8Array;
}

/** The patrol columns of the compiled model (see the declaration table) and the counts the host sizes by. */
export interface PatrolColumns {
  tmPatrolSec: Int32Array;
  tmPatrolHours: Float64Array;
  tmPatrolNight: Uint8Array;
  tmPatrolP: Float64Array;
  tmPatrolRow: Int32Array;
  psOff: Int32Array;
  psIdx: Int32Array;
  /** Teams patrolling a sector on a schedule. */
  nPatrolTeams: number;
  /** Days (from midnight at the start) that hold a patrol window: what the room for windows is sized by. */
  patrolDays: number;
}

/** Is team asset `a` one that patrols on a schedule (its `patrol` gives hours)? */
export function patrolsOnSchedule(a: Scenario["assets"][number]): boolean {
  return a.kind === "team" && a.patrol !== null && a.patrol.hours !== null;
}

/** The patrol columns of allocation a's teams (row: the distribution table's row for a latency). */
export function patrolColumns(
  s: Scenario,
  a: Allocation,
  tm: PatrolInputs,
  row: (d: Distribution | null) => number,
): PatrolColumns {
  const T = a.teams.length,
    S = s.sectors.length,
    B = s.bases.length;
  const assetBy = new Map(s.assets.map((x) => [x.id, x]));
  const tmPatrolSec = new Int32Array(T).fill(-1),
    tmPatrolHours = new Float64Array(T),
    tmPatrolNight = new Uint8Array(T),
    tmPatrolP = new Float64Array(T),
    tmPatrolRow = new Int32Array(T);
  const patrolling = (k: number) => {
    const x = assetBy.get(a.teams[k]!.asset)!;
    return x.kind === "team" && x.patrol !== null && x.patrol.hours !== null && x.patrol.hours > 0;
  };
  const may = (k: number, sec: number) => tm.elig[sec * T + k] === 1;
  const distance = (b: number, sec: number) => {
    if (s.travel.kind === "matrix") return s.travel.hours[sec]![b]!;
    const x = s.sectors[sec]!,
      base = s.bases[b]!;
    return dist2d((x.from + x.to) / 2 - base.x, base.offsetKm);
  };
  const byBase: number[][] = Array.from({ length: B }, () => []);
  const sectorIx = new Map(s.sectors.map((x) => [x.id, x.index]));
  for (let k = 0; k < T; k++) {
    if (!patrolling(k)) continue;
    const named = a.teams[k]!.patrols;
    // Named by the allocation (validated: a known sector its state may enter).
    if (named !== undefined) tmPatrolSec[k] = sectorIx.get(named)!;
    else byBase[tm.tmBase[k]!]!.push(k);
  }

  // 1. Each sector's serving base.
  const served: number[][] = Array.from({ length: B }, () => []);
  for (let sec = 0; sec < S; sec++) {
    let best = -1,
      bestD = Infinity;
    for (let b = 0; b < B; b++) {
      if (!byBase[b]!.some((k) => may(k, sec))) continue;
      const d = distance(b, sec);
      if (d < bestD) {
        bestD = d;
        best = b;
      }
    }
    if (best >= 0) served[best]!.push(sec);
  }
  // 2. Each base's teams over the sectors it serves, in turn; 3. the rest.
  for (let b = 0; b < B; b++) {
    const home = s.bases[b]!.sector;
    const order = served[b]!.sort(
      (p, q) => Number(q === home) - Number(p === home) || distance(b, p) - distance(b, q) || p - q,
    );
    const nearest = s.sectors
      .map((_, sec) => sec)
      .sort((p, q) => Number(q === home) - Number(p === home) || distance(b, p) - distance(b, q) || p - q);
    byBase[b]!.forEach((k, j) => {
      let sec = -1;
      for (let r = 0; r < order.length && sec < 0; r++) {
        const c = order[(j + r) % order.length]!;
        if (may(k, c)) sec = c;
      }
      if (sec < 0) sec = nearest.find((c) => may(k, c)) ?? -1;
      tmPatrolSec[k] = sec;
    });
  }
  for (let k = 0; k < T; k++) {
    const sec = tmPatrolSec[k]!;
    const x = assetBy.get(a.teams[k]!.asset)!;
    if (sec < 0 || x.kind !== "team" || !x.patrol) continue;
    const p = x.patrol;
    const len = s.sectors[sec]!.lengthKm;
    tmPatrolHours[k] = p.hours!;
    tmPatrolNight[k] = p.night && tm.tmNight[k] ? 1 : 0;
    tmPatrolP[k] = p.detection * Math.min(1, (p.sweepKm ?? len) / len);
    tmPatrolRow[k] = row(p.latency);
  }
  // Each sector's patrolling teams (CSR), in team order.
  const psOff = new Int32Array(S + 1);
  for (let k = 0; k < T; k++) if (tmPatrolSec[k]! >= 0) psOff[tmPatrolSec[k]! + 1]! += 1;
  for (let sec = 0; sec < S; sec++) psOff[sec + 1]! += psOff[sec]!;
  const fill = psOff.slice(0, S),
    psIdx = new Int32Array(psOff[S]!);
  for (let k = 0; k < T; k++) if (tmPatrolSec[k]! >= 0) psIdx[fill[tmPatrolSec[k]!]!++] = k;
  return {
    tmPatrolSec,
    tmPatrolHours,
    tmPatrolNight,
    tmPatrolP,
    tmPatrolRow,
    psOff,
    psIdx,
    nPatrolTeams: psIdx.length,
    patrolDays: Math.floor((s.warmup + s.horizon) / 24) + 2,
  };
}
