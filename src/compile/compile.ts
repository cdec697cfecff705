/**
 * `compile(scenario, allocation)` turns the canonical scenario and an
 * allocation into a `CompiledModel`: struct-of-arrays typed arrays with dense
 * integer ids and precomputed lookup tables (incident cells with their
 * watching sensors, per-cell nearest-team lists, cumulative tables for
 * sampling). It is plain data — no
 * closures — so it can be sent to workers; the hot loop reads nothing else.
 */
import type { Allocation } from "../allocation/allocation.js";
import { CODES } from "../layout/declaration.js";
import { DIST_WIDTH } from "../layout/slots.generated.js";
import type { ModelColumns } from "../layout/types.js";
import { writeDist } from "./distributions.js";
import { distMean } from "../model/distributions.js";
import type { Distribution, Scenario } from "../model/types.js";
import { sectorAt, toScenario } from "../model/parse.js";
import { dist2d } from "../model/geometry.js";
import { ScenarioError } from "../model/errors.js";
import { isSolar } from "../model/daylight.js";
import { calendarTables, nightHoursBefore } from "./calendar.js";
import { patrolColumns, patrolsOnSchedule, type PatrolColumns } from "./patrols.js";

/** Detection channels as results name them, in the order of their codes (src/layout/declaration.ts). */
export const CHANNELS = CODES.CH.map((c) => c.label);
export type Channel = (typeof CODES.CH)[number]["label"];

/**
 * The compiled model. Its columns that the engine reads are declared, with their element types, in the
 * declaration table (src/layout/declaration.ts, `size: "model"`); the fields here are the rest: counts and
 * times (some of them the engine's scalars, `SCALARS` there), and columns for reports and allocation.
 */
export interface CompiledModel extends ModelColumns, Pick<PatrolColumns, "nPatrolTeams" | "patrolDays"> {
  nSectors: number;
  nTeams: number;
  nFixed: number;
  nUav: number;
  nSat: number;
  nRegimes: number;
  nStates: number;
  nBases: number;
  /** Incidents are generated on [0, end); statistics cover [warmup, end); work in flight is followed to drainEnd. */
  warmup: number;
  end: number;
  drainEnd: number;
  /** The calendar's last day (days past it repeat it): see src/compile/calendar.ts. */
  calLast: number;
  standard: number;
  /** Some sensor type's detection depends on severity. */
  sevFactors: boolean;
  /** Incidents: total intensity per hour (regime multiplier 1) by day and by night. */
  rateDay: number;
  rateNight: number;
  secFrom: Float64Array;
  /** Distribution rows (of `dist`) of the reporting, tasking and cross-national delays; the parties' hotline. */
  reportRow: number;
  taskingRow: number;
  crossRow: number;
  crossMean: number;
  partiesP: number;
  partiesRow: number;
  /** Stretches watched by fixed sensors and UAV orbits. */
  fxFrom: Float64Array;
  fxTo: Float64Array;
  uvFrom: Float64Array;
  uvTo: Float64Array;
  /** Dispatch rules. */
  matrix: boolean;
  circuity: number;
  earliestArrival: boolean;
  fixedPreference: boolean;
  criticalFirst: boolean;
  inStandardFirst: boolean;
  retask: boolean;
  /** Coverage: elementary segments of the line with the sensors watching each (CSR). */
  segOff: Int32Array;
  segSensor: Int32Array;
  /** Each sector's segments (CSR over segments). */
  secSegOff: Int32Array;
  /** Names for reports (index → id). */
  names: {
    sectors: string[];
    teams: string[];
    states: string[];
    teamBases: string[];
    teamAssets: string[];
    sensorsByState: number[];
    /** Each team's sector of responsibility when it patrols on a schedule (src/compile/patrols.ts), else null. */
    teamPatrols: (string | null)[];
    /** Personnel deployed per state: its placed teams times their asset's `personnel`. */
    personnelByState: number[];
    /**
     * Cost of the units each state placed (count × the asset's `unitCost`); null when any placed unit's asset
     * type has no `unitCost` (a share of costs partly unknown would be made up).
     */
    costByState: number[] | null;
  };
}

type AssetOf<K extends Scenario["assets"][number]["kind"]> = Extract<Scenario["assets"][number], { kind: K }>;
type SensorUnit = Allocation["sensors"][number];

/**
 * The compiled model of a scenario under allocation a. Watching sensors are indexed fixed sensors first, then
 * UAVs (as the engine's up-timelines and coverage are).
 *
 * @param scenario a parsed `Scenario`, or raw input (`defaultScenario()`, parsed JSON), parsed as `simulate` does.
 * @throws {ScenarioError} when the scenario is invalid, listing every problem with its JSON path.
 */
export function compile(scenario: unknown, a: Allocation): CompiledModel {
  const s = toScenario(scenario);
  const S = s.sectors.length;
  const stateIx = new Map(s.states.map((x) => [x.id, x.index]));
  const assetBy = new Map(s.assets.map((x) => [x.id, x]));
  const dists = distributionTable();
  const row = dists.row;
  const horizonEnd = s.warmup + s.horizon;
  const calendar = calendarTables(s, horizonEnd + s.drain);
  const { dayInt, nightInt } = intensities(s, calendar, horizonEnd);
  const regimes = regimeTables(s);
  const fixed = a.sensors.filter((u) => u.kind === "fixed");
  const uavs = a.sensors.filter((u) => u.kind === "uav");
  const sats = a.sensors.filter((u) => u.kind === "satellite");
  const sorties = uavSorties(s, a, uavs);
  const segments = coverageSegments(s, fixed, uavs);
  const cells = incidentCells(s, dayInt, nightInt, segments.secSegOff, segments.segFrom, segments.segTo);
  const teams = teamColumns(s, a, row);
  const travel = travelTable(s);
  const eligible = eligibleTeams(s, teams, travel);
  const near = nearestTeamLists(s, cells, teams, eligible, travel);
  const patrols = patrolColumns(s, a, { ...teams, ...eligible }, row);
  const T = a.teams.length;

  const asset = <K extends "fixed" | "uav" | "satellite">(units: SensorUnit[], _kind: K) =>
    units.map((u) => assetBy.get(u.asset)!) as AssetOf<K>[];
  const fxAsset = asset(fixed, "fixed"),
    uvAsset = asset(uavs, "uav"),
    satAsset = asset(sats, "satellite");
  const watchAsset = [...fxAsset, ...uvAsset];
  const sensorsByState = new Array<number>(s.states.length).fill(0);
  for (const u of a.sensors) sensorsByState[stateIx.get(u.state)!]! += 1;
  const personnelByState = new Array<number>(s.states.length).fill(0);
  for (const t of a.teams) {
    const x = assetBy.get(t.asset)!;
    if (x.kind === "team") personnelByState[stateIx.get(t.state)!]! += x.personnel;
  }
  const costByState = new Array<number>(s.states.length).fill(0);
  let costKnown = true;
  for (const u of [...a.teams, ...a.sensors]) {
    const c = assetBy.get(u.asset)!.unitCost;
    if (c === null) costKnown = false;
    else costByState[stateIx.get(u.state)!]! += c;
  }

  const m: CompiledModel = {
    nSectors: S,
    nTeams: T,
    nFixed: fixed.length,
    nUav: uavs.length,
    nSat: sats.length,
    nRegimes: regimes.regMult.length,
    nStates: s.states.length,
    nBases: s.bases.length,
    warmup: s.warmup,
    end: horizonEnd,
    drainEnd: horizonEnd + s.drain,
    ...calendar,
    standard: s.standards.response,
    rateDay: dayInt.reduce((p, q) => p + q, 0),
    rateNight: nightInt.reduce((p, q) => p + q, 0),
    secFrom: Float64Array.from(s.sectors, (x) => x.from),
    secTo: Float64Array.from(s.sectors, (x) => x.to),
    sevCum: Float64Array.from(s.sectors.flatMap((x) => [x.severity.minor, x.severity.minor + x.severity.major])),
    ...cells,
    accessRow: Int32Array.from(s.sectors, (x) => row(x.access.delay)),
    denial: Float64Array.from(s.sectors, (x) => x.access.denial),
    secLead: Int32Array.from(s.sectors, (x) => x.lead),
    ...regimes,
    dist: new Float64Array(0),
    distValues: new Float64Array(0),
    reportRow: row(s.reporting.latency),
    taskingRow: row(s.coordination.tasking),
    crossRow: row(s.coordination.crossNational),
    crossMean: distMean(s.coordination.crossNational),
    partiesP: s.reporting.parties?.probability ?? 0,
    partiesRow: row(s.reporting.parties?.latency ?? null),
    fxFrom: Float64Array.from(fixed, (u) => u.from),
    fxTo: Float64Array.from(fixed, (u) => u.to),
    fxMtbf: Float64Array.from(fxAsset, (x) => x.outages?.mtbf ?? 0),
    fxRepairRow: Int32Array.from(fxAsset, (x) => row(x.outages?.repair ?? null)),
    fxRepairMean: Float64Array.from(fxAsset, (x) => distMean(x.outages?.repair ?? null)),
    uvFrom: Float64Array.from(uavs, (u) => u.from),
    uvTo: Float64Array.from(uavs, (u) => u.to),
    watchPd: Float64Array.from(watchAsset, (x) => x.detection.day),
    watchPn: Float64Array.from(watchAsset, (x) => x.detection.night),
    watchLatRow: Int32Array.from(watchAsset, (x) => row(x.latency)),
    ...severityColumns(watchAsset, satAsset),
    ...sorties,
    uvJamP: Float64Array.from(uvAsset, (x) => x.jamming.probability),
    uvJamF: Float64Array.from(uvAsset, (x) => x.jamming.factor),
    satFrom: Float64Array.from(sats, (u) => u.from),
    satTo: Float64Array.from(sats, (u) => u.to),
    satRevisit: Float64Array.from(satAsset, (x) => x.revisit),
    // A pass's detection probability: the sensor's, times the chance the pass is not obscured by cloud.
    satPd: Float64Array.from(satAsset, (x) => x.detection.day * (1 - x.cloud)),
    satPn: Float64Array.from(satAsset, (x) => x.detection.night * (1 - x.cloud)),
    satLatRow: Int32Array.from(satAsset, (x) => row(x.latency)),
    satSees: Uint8Array.from(
      satAsset,
      (x) => (x.sees.minor ? 1 : 0) | (x.sees.major ? 2 : 0) | (x.sees.critical ? 4 : 0),
    ),
    satWindow: Float64Array.from(satAsset, (x) => x.window),
    ...teams,
    ...eligible,
    ...near,
    ...patrols,
    watchState: Int32Array.from([...fixed, ...uavs], (u) => stateIx.get(u.state)!),
    matrix: s.travel.kind === "matrix",
    circuity: travel.circuity,
    travelHours: travel.hours,
    earliestArrival: s.coordination.dispatch === "earliest-arrival",
    fixedPreference: s.coordination.dispatch === "fixed-preference",
    criticalFirst: s.coordination.queue !== "fifo",
    inStandardFirst: s.coordination.queue === "in-standard-first",
    retask: s.coordination.retaskFromField,
    ...segments,
    names: {
      sectors: s.sectors.map((x) => x.id),
      teams: a.teams.map((t) => t.id),
      states: s.states.map((x) => x.id),
      teamBases: a.teams.map((t) => t.base),
      teamAssets: a.teams.map((t) => t.asset),
      sensorsByState,
      teamPatrols: Array.from(patrols.tmPatrolSec, (sec) => (sec >= 0 ? s.sectors[sec]!.id : null)),
      personnelByState,
      costByState: costKnown ? costByState : null,
    },
  };
  Object.assign(m, dists.write());
  return m;
}

/** Severity factors of a sensor type's detection, minor, major, critical (1 each unless declared). */
function severityFactors(x: AssetOf<"fixed" | "uav" | "satellite">): [number, number, number] {
  const f = x.detection.severity;
  return [f.minor, f.major, f.critical];
}

/**
 * Severity-dependent detection: each watching sensor's factors (`watchSev`) and detection probabilities by day
 * then night for each severity (`watchPdSev`), each satellite's factors (`satSev`), and whether any factor is
 * not 1 (`sevFactors`: the engine then reads them).
 */
function severityColumns(watch: AssetOf<"fixed" | "uav">[], sats: AssetOf<"satellite">[]) {
  const watchF = watch.map(severityFactors),
    satF = sats.map(severityFactors);
  return {
    sevFactors: [...watchF, ...satF].some((f) => f.some((k) => k !== 1)),
    watchSev: Float64Array.from(watchF.flat()),
    watchPdSev: Float64Array.from(
      watch.flatMap((x, w) => [x.detection.day, x.detection.night].flatMap((p) => watchF[w]!.map((k) => p * k))),
    ),
    satSev: Float64Array.from(satF.flat()),
  };
}

/** The distribution table: `row(d)` gives d a row (0 for none); `write()` makes the table and its values. */
function distributionTable() {
  const rows: (Distribution | null)[] = [null];
  return {
    row(d: Distribution | null): number {
      if (!d) return 0;
      rows.push(d);
      return rows.length - 1;
    },
    write(): { dist: Float64Array; distValues: Float64Array } {
      const values: number[] = [];
      const dist = new Float64Array(rows.length * DIST_WIDTH);
      rows.forEach((d, i) => {
        writeDist(dist, i, d, values);
      });
      return { dist, distValues: Float64Array.from(values) };
    },
  };
}

/**
 * Each sector's incident intensity per hour by day and by night (regime multiplier 1): constant over the day hours
 * and over the night hours, so that a sector's expected incidents are its rate × hours and the expected share at
 * night is its night share. With a fixed dawn and dusk, over each day (the day's dusk − dawn hours, the night's
 * the rest of 24); with a solar calendar, whose days and nights vary, over the incidents' whole period [0, end):
 * the day intensity is rate × (1 − nightShare) × end / (day hours in [0, end)), the night one rate × nightShare ×
 * end / (night hours in [0, end)). Nights longer than the period's mean then hold more incidents, as many more as
 * their length.
 */
function intensities(
  s: Scenario,
  cal: ReturnType<typeof calendarTables>,
  end: number,
): { dayInt: number[]; nightInt: number[] } {
  if (isSolar(s.daylight)) {
    const nightH = nightHoursBefore(cal, end),
      dayH = end - nightH;
    return {
      dayInt: s.sectors.map((x) => (dayH > 0 ? (x.rate * (1 - x.nightShare) * end) / dayH : 0)),
      nightInt: s.sectors.map((x) => (nightH > 0 ? (x.rate * x.nightShare * end) / nightH : 0)),
    };
  }
  const dayH = s.daylight.dusk - s.daylight.dawn,
    nightH = 24 - dayH;
  return {
    dayInt: s.sectors.map((x) => (dayH > 0 ? (x.rate * (1 - x.nightShare) * 24) / dayH : 0)),
    nightInt: s.sectors.map((x) => (nightH > 0 ? (x.rate * x.nightShare * 24) / nightH : 0)),
  };
}

/** Cumulative shares of v (1 everywhere when v sums to 0). */
function cumulative(v: number[]): Float64Array {
  const tot = v.reduce((p, q) => p + q, 0);
  let c = 0;
  return Float64Array.from(v, (x) => {
    c += x;
    return tot > 0 ? c / tot : 1;
  });
}

/** The regime process's tables (a single neutral regime when the scenario has none). */
function regimeTables(s: Scenario) {
  const regs = s.regimes.length > 0 ? s.regimes : [{ multiplier: 1, meanDuration: Infinity, next: [0], stationary: 1 }];
  const R = regs.length;
  const regNextCum = new Float64Array(R * R);
  regs.forEach((r, i) => {
    let c = 0;
    for (let j = 0; j < R; j++) regNextCum[i * R + j] = c += r.next[j]!;
    if (c > 0) regNextCum[i * R + R - 1] = 1;
  });
  return {
    regMult: Float64Array.from(regs, (r) => r.multiplier),
    regMean: Float64Array.from(regs, (r) => r.meanDuration),
    regNextCum,
    regInitCum: cumulative(regs.map((r) => r.stationary)),
  };
}

/**
 * UAV sorties: cycle = endurance + turnaround, on station from the transit out to endurance minus the transit
 * back; UAVs of the same type over the same orbit from the same base form a group, staggered evenly.
 */
function uavSorties(s: Scenario, a: Allocation, uavs: SensorUnit[]) {
  const assetBy = new Map(s.assets.map((x) => [x.id, x]));
  const baseBy = new Map(s.bases.map((x) => [x.id, x]));
  const n = uavs.length;
  const uvCycle = new Float64Array(n),
    uvOnStart = new Float64Array(n),
    uvOnEnd = new Float64Array(n),
    uvStagger = new Float64Array(n),
    uvGroup = new Int32Array(n);
  const groups = new Map<string, number[]>();
  uavs.forEach((u, j) => {
    const asset = assetBy.get(u.asset)!;
    if (asset.kind !== "uav") return;
    const b = baseBy.get(u.base!)!;
    const transit = Math.hypot((u.from + u.to) / 2 - b.x, b.offsetKm) / asset.speed;
    if (asset.endurance <= 2 * transit)
      throw new ScenarioError(
        [
          {
            path: ["sensors", a.sensors.indexOf(u), "base"],
            message:
              `${u.id} cannot reach its orbit from ${b.id}: transit ${transit.toFixed(2)} h each way, ` +
              `endurance ${asset.endurance} h`,
          },
        ],
        "allocation",
      );
    uvCycle[j] = asset.endurance + asset.turnaround;
    uvOnStart[j] = transit;
    uvOnEnd[j] = asset.endurance - transit;
    const key = `${u.asset}|${u.from}|${u.to}|${u.base}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(j);
  });
  let g = 0;
  for (const members of groups.values()) {
    members.forEach((j, k) => {
      uvStagger[j] = k / members.length;
      uvGroup[j] = g;
    });
    g++;
  }
  const uvSchedule = Int32Array.from(uavs, (u) => {
    const asset = assetBy.get(u.asset)!;
    return asset.kind === "uav" ? CODES.SCHED.findIndex((c) => c.label === asset.schedule) : 0;
  });
  return { uvCycle, uvOnStart, uvOnEnd, uvStagger, uvGroup, uvSchedule };
}

/**
 * The line's elementary segments (between breakpoints of every watched stretch and sector boundary), the
 * sensors watching each, and the sets of UAV orbits over them (shared by neighbouring segments).
 */
function coverageSegments(s: Scenario, fixed: SensorUnit[], uavs: SensorUnit[]) {
  const watched = [...fixed, ...uavs];
  const cuts = new Set<number>([0, s.lineKm]);
  for (const sec of s.sectors) cuts.add(sec.to);
  for (const u of watched) {
    cuts.add(u.from);
    cuts.add(u.to);
  }
  const pts = [...cuts].filter((x) => x >= 0 && x <= s.lineKm).sort((p, q) => p - q);
  const segFrom: number[] = [],
    segTo: number[] = [],
    segSector: number[] = [],
    segSensor: number[] = [];
  const segOff: number[] = [0];
  for (let i = 1; i < pts.length; i++) {
    const lo = pts[i - 1]!,
      hi = pts[i]!;
    if (hi - lo < 1e-9) continue;
    segFrom.push(lo);
    segTo.push(hi);
    segSector.push(sectorAt(s.sectors, (lo + hi) / 2));
    watched.forEach((u, j) => {
      if (u.from <= lo + 1e-9 && u.to >= hi - 1e-9) segSensor.push(j);
    });
    segOff.push(segSensor.length);
  }
  const segFixOff: number[] = [0],
    segFixIdx: number[] = [],
    segUavSet: number[] = [],
    segUvOff: number[] = [0],
    segUvIdx: number[] = [];
  const uavSets = new Map<string, number>(),
    uavSetOff: number[] = [0],
    uavSetIdx: number[] = [];
  for (let g = 0; g < segFrom.length; g++) {
    const uavsHere: number[] = [];
    for (let q = segOff[g]!; q < segOff[g + 1]!; q++) {
      const j = segSensor[q]!;
      if (j < fixed.length) segFixIdx.push(j);
      else {
        uavsHere.push(j);
        segUvIdx.push(j);
      }
    }
    segFixOff.push(segFixIdx.length);
    segUvOff.push(segUvIdx.length);
    if (uavsHere.length === 0) {
      segUavSet.push(-1);
      continue;
    }
    const key = uavsHere.join(",");
    if (!uavSets.has(key)) {
      uavSets.set(key, uavSets.size);
      uavSetIdx.push(...uavsHere);
      uavSetOff.push(uavSetIdx.length);
    }
    segUavSet.push(uavSets.get(key)!);
  }
  // Segments are in line order, so each sector's form a contiguous run.
  const S = s.sectors.length;
  const secSegOff = new Int32Array(S + 1);
  for (const sec of segSector) secSegOff[sec + 1]! += 1;
  for (let i = 0; i < S; i++) secSegOff[i + 1]! += secSegOff[i]!;
  return {
    segFrom: Float64Array.from(segFrom),
    segTo: Float64Array.from(segTo),
    segSector: Int32Array.from(segSector),
    segOff: Int32Array.from(segOff),
    segSensor: Int32Array.from(segSensor),
    segFixOff: Int32Array.from(segFixOff),
    segFixIdx: Int32Array.from(segFixIdx),
    segUavSet: Int32Array.from(segUavSet),
    uavSetOff: Int32Array.from(uavSetOff),
    uavSetIdx: Int32Array.from(uavSetIdx),
    secSegOff,
    segUvOff: Int32Array.from(segUvOff),
    segUvIdx: Int32Array.from(segUvIdx),
  };
}

/**
 * The teams' columns, and patrol detection per sector by the per-base rule (the teams based there without a patrol
 * schedule) by day and by night.
 */
function teamColumns(s: Scenario, a: Allocation, row: (d: Distribution | null) => number) {
  const assetBy = new Map(s.assets.map((x) => [x.id, x]));
  const baseBy = new Map(s.bases.map((x) => [x.id, x]));
  const stateIx = new Map(s.states.map((x) => [x.id, x.index]));
  const T = a.teams.length,
    S = s.sectors.length;
  const tmBase = new Int32Array(T),
    tmState = new Int32Array(T),
    tmX = new Float64Array(T),
    tmOff = new Float64Array(T),
    tmSpeed = new Float64Array(T);
  const tmNight = new Uint8Array(T),
    tmOnSiteRow = new Int32Array(T),
    tmAvail = new Float64Array(T),
    tmDown = new Float64Array(T),
    tmHome = new Int32Array(T);
  const patrolQDay = new Float64Array(S).fill(1),
    patrolQNight = new Float64Array(S).fill(1),
    patrolRow = new Int32Array(S);
  a.teams.forEach((t, k) => {
    const asset = assetBy.get(t.asset)!;
    if (asset.kind !== "team") return;
    const b = baseBy.get(t.base)!;
    const st = s.states[stateIx.get(t.state)!]!;
    tmBase[k] = b.index;
    tmState[k] = st.index;
    tmX[k] = b.x;
    tmOff[k] = b.offsetKm;
    tmSpeed[k] = asset.speed;
    tmNight[k] = asset.nightCapable && st.caveats.nightMovement ? 1 : 0;
    tmOnSiteRow[k] = row(asset.onSite);
    tmAvail[k] = asset.availability.share;
    tmDown[k] = asset.availability.downtime;
    tmHome[k] = b.sector;
    // The per-base rule, for teams without a patrol schedule (those patrol as an activity: ./patrols.ts).
    if (asset.patrol && asset.patrol.detection > 0 && !patrolsOnSchedule(asset)) {
      patrolQDay[b.sector]! *= 1 - asset.patrol.detection;
      if (tmNight[k]) patrolQNight[b.sector]! *= 1 - asset.patrol.detection;
      if (patrolRow[b.sector] === 0) patrolRow[b.sector] = row(asset.patrol.latency);
    }
  });
  const patrolDay = patrolQDay.map((q) => 1 - q),
    patrolNight = patrolQNight.map((q) => 1 - q);
  return {
    ...{ tmBase, tmState, tmX, tmOff, tmSpeed, tmNight, tmOnSiteRow, tmAvail, tmDown, tmHome },
    ...{ patrolDay, patrolNight, patrolRow },
  };
}
type Teams = ReturnType<typeof teamColumns>;

/** Travel: a sector × base matrix of hours, or circuity × distance / speed. */
function travelTable(s: Scenario): { matrix: boolean; hours: Float64Array; circuity: number; bases: number } {
  const bases = s.bases.length;
  const hours = new Float64Array(s.sectors.length * Math.max(1, bases));
  const travel = s.travel;
  if (travel.kind === "matrix")
    s.sectors.forEach((_, i) => {
      for (let b = 0; b < bases; b++) hours[i * bases + b] = travel.hours[i]![b]!;
    });
  return { matrix: travel.kind === "matrix", hours, circuity: travel.kind === "circuity" ? travel.circuity : 1, bases };
}
type Travel = ReturnType<typeof travelTable>;

/**
 * The teams eligible for each sector by their state's caveats (CSR), in preference order: the sector's listed
 * bases first, in their order; then the rest by travel time to the sector's midpoint; ties by team index.
 */
function eligibleTeams(s: Scenario, tm: Teams, travel: Travel) {
  const S = s.sectors.length,
    T = tm.tmBase.length;
  const elOff = new Int32Array(S + 1);
  const elIdx: number[] = [];
  s.sectors.forEach((sec, i) => {
    const mid = (sec.from + sec.to) / 2;
    const el: { k: number; t: number }[] = [];
    for (let k = 0; k < T; k++) {
      const st = s.states[tm.tmState[k]!]!;
      if (!st.caveats.allowedSectors.includes(i) || sec.risk > st.caveats.maxRisk) continue;
      const t = travel.matrix
        ? travel.hours[i * travel.bases + tm.tmBase[k]!]!
        : (travel.circuity * dist2d(mid - tm.tmX[k]!, tm.tmOff[k]!)) / tm.tmSpeed[k]!;
      el.push({ k, t });
    }
    const pref = s.coordination.preference[i] ?? [];
    const rank = (k: number) => {
      const r = pref.indexOf(tm.tmBase[k]!);
      return r < 0 ? pref.length : r;
    };
    el.sort((p, q) => rank(p.k) - rank(q.k) || p.t - q.t || p.k - q.k);
    for (const e of el) elIdx.push(e.k);
    elOff[i + 1] = elIdx.length;
  });
  return { elOff, elIdx: Int32Array.from(elIdx), elig: eligibility(elOff, elIdx, S, T) };
}

/**
 * The nearest-team search lists: for each incident cell (or each sector, past NEAR_BUDGET entries), the
 * eligible teams by a lower bound of their travel time from base to the cell, with the end of each run of
 * interchangeable teams (same base, speed, nationality relative to the sector's lead, night movement).
 */
function nearestTeamLists(
  s: Scenario,
  cells: ReturnType<typeof incidentCells>,
  tm: Teams,
  el: ReturnType<typeof eligibleTeams>,
  travel: Travel,
) {
  const T = tm.tmBase.length;
  const travelLow = (k: number, sec: number, lo: number, hi: number) =>
    travel.matrix
      ? travel.hours[sec * travel.bases + tm.tmBase[k]!]!
      : (travel.circuity * dist2d(Math.max(0, lo - tm.tmX[k]!, tm.tmX[k]! - hi), tm.tmOff[k]!)) / tm.tmSpeed[k]!;
  const nCells = cells.cellFrom.length;
  const nearStart = new Int32Array(nCells),
    nearEnd = new Int32Array(nCells),
    nearIdx: number[] = [],
    nearLow: number[] = [],
    nearRunEnd: number[] = [];
  const pushList = (sec: number, lo: number, hi: number) => {
    // Interchangeable teams share a key; a run is a stretch of equal keys in (bound, index) order, the order
    // in which ties go to the lowest index.
    const key = (k: number) =>
      `${tm.tmBase[k]}|${tm.tmSpeed[k]}|${tm.tmState[k] === s.sectors[sec]!.lead ? 1 : 0}|${tm.tmNight[k]}`;
    const list: { k: number; low: number; key: string }[] = [];
    for (let e = el.elOff[sec]!; e < el.elOff[sec + 1]!; e++) {
      const k = el.elIdx[e]!;
      list.push({ k, low: travelLow(k, sec, lo, hi), key: key(k) });
    }
    list.sort((p, q) => p.low - q.low || p.k - q.k);
    const start = nearIdx.length;
    for (const e of list) {
      nearIdx.push(e.k);
      nearLow.push(e.low);
    }
    for (let i = list.length - 1, runEnd = start + list.length; i >= 0; i--) {
      if (i < list.length - 1 && list[i]!.key !== list[i + 1]!.key) runEnd = start + i + 1;
      nearRunEnd[start + i] = runEnd;
    }
    return start;
  };
  if (nCells * T <= NEAR_BUDGET) {
    for (let c = 0; c < nCells; c++) {
      nearStart[c] = pushList(cells.cellSector[c]!, cells.cellFrom[c]!, cells.cellTo[c]!);
      nearEnd[c] = nearIdx.length;
    }
  } else {
    const secStart = s.sectors.map((sec, i) => pushList(i, sec.from, sec.to));
    for (let c = 0; c < nCells; c++) {
      const sec = cells.cellSector[c]!;
      nearStart[c] = secStart[sec]!;
      nearEnd[c] = nearStart[c]! + el.elOff[sec + 1]! - el.elOff[sec]!;
    }
  }
  return {
    nearStart,
    nearEnd,
    nearIdx: Int32Array.from(nearIdx),
    nearLow: Float64Array.from(nearLow),
    nearRunEnd: Int32Array.from(nearRunEnd),
  };
}

/** Team k may serve sector s: elig[s * nTeams + k]. */
function eligibility(elOff: Int32Array, elIdx: number[], nSectors: number, nTeams: number): Uint8Array {
  const elig = new Uint8Array(nSectors * nTeams);
  for (let s = 0; s < nSectors; s++) for (let e = elOff[s]!; e < elOff[s + 1]!; e++) elig[s * nTeams + elIdx[e]!] = 1;
  return elig;
}

/**
 * Most (cell, team) entries kept for per-cell nearest-team lists (16 bytes each, so at most 16 MB); larger
 * models use per-sector lists.
 */
const NEAR_BUDGET = 1_000_000;

/** Guide-table size for the incident cells (a power of two, so u · GUIDE is exact). */
export const GUIDE = 1024;

/** The incident cells of `CompiledModel` (see there), from sector intensities, profiles and segments. */
function incidentCells(
  s: Scenario,
  dayInt: number[],
  nightInt: number[],
  secSegOff: Int32Array,
  segFrom: ArrayLike<number>,
  segTo: ArrayLike<number>,
) {
  const from: number[] = [],
    to: number[] = [],
    sector: number[] = [],
    seg: number[] = [],
    wDay: number[] = [],
    wNight: number[] = [];
  s.sectors.forEach((sec, i) => {
    let prev = 0;
    sec.profile.forEach((p, k) => {
      const share = k === sec.profile.length - 1 ? 1 - prev : p.share;
      prev += p.share;
      const a = sec.from + p.from,
        b = sec.from + p.to;
      const push = (lo: number, hi: number, g: number) => {
        const w = b > a ? (share * (hi - lo)) / (b - a) : share;
        from.push(lo);
        to.push(hi);
        sector.push(i);
        seg.push(g);
        wDay.push(dayInt[i]! * w);
        wNight.push(nightInt[i]! * w);
      };
      let any = false;
      for (let g = secSegOff[i]!; g < secSegOff[i + 1]!; g++) {
        const lo = Math.max(a, segFrom[g]!),
          hi = Math.min(b, segTo[g]!);
        if (hi > lo) {
          push(lo, hi, g);
          any = true;
        }
      }
      // A piece too short to hold a segment (below the 1e-9 km resolution) still gets its incidents.
      if (!any) push(a, b, secSegOff[i]! < secSegOff[i + 1]! ? secSegOff[i]! : -1);
    });
  });
  const cumOf = (w: number[]) => {
    const tot = w.reduce((p, q) => p + q, 0);
    const c = new Float64Array(w.length);
    let acc = 0,
      last = -1;
    w.forEach((x, j) => {
      acc += x;
      c[j] = tot > 0 ? acc / tot : 1;
      if (x > 0) last = j;
    });
    // The last cell that can hold an incident ends exactly at 1, so every u in [0, 1) finds a cell.
    if (last >= 0) for (let j = last; j < c.length; j++) c[j] = 1;
    return c;
  };
  const guideOf = (c: Float64Array) => {
    const g = new Int32Array(GUIDE);
    let j = 0;
    for (let k = 0; k < GUIDE; k++) {
      while (j < c.length - 1 && c[j]! <= k / GUIDE) j++;
      g[k] = j;
    }
    return g;
  };
  const cellCumDay = cumOf(wDay),
    cellCumNight = cumOf(wNight);
  return {
    cellFrom: Float64Array.from(from),
    cellTo: Float64Array.from(to),
    cellSector: Int32Array.from(sector),
    cellSeg: Int32Array.from(seg),
    cellCumDay,
    cellCumNight,
    guideDay: guideOf(cellCumDay),
    guideNight: guideOf(cellCumNight),
  };
}
