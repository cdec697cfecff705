/**
 * `summarize`: accumulator → plain-JSON metrics with 95% CIs (methods in
 * estimate.ts). Names map back from dense indices to scenario ids here.
 */
import { CHANNELS, type CompiledModel } from "../compile/compile.js";
import { SEVERITIES, type Channel, type Severity } from "../model/types.js";
import { HIST_BINS } from "../layout/histogram.js";
import { histQuantile } from "./histogram.js";
import { estimate, NON_NEGATIVE, t975, type Estimate, type Range } from "./estimate.js";
import { ratioEstimate, welfordSe, WELFORD_WIDTH } from "./moments.js";
import {
  QUANTILE_METRICS,
  RECORD_QUANTILES,
  RESPONSE_QUANTILES,
  SECTOR_METRICS,
  STATE_METRICS,
  TEAM_METRICS,
  ratioOffsets,
  stateMetric,
  type Accumulator,
} from "./accumulator.js";
import * as F from "../layout/slots.generated.js";
import { timeToVerification, type TimeToVerification } from "./survival.js";

/**
 * Metrics of one sector, or of the whole line. Times in hours, rates per day, shares in [0, 1].
 *
 * Rates per day and counts are always numbers. A mean or a share over something that never happened is
 * undefined, and then NaN (`null` in JSON; see `Estimate`): times and shares over verified incidents when
 * none was verified, over detected incidents when none was detected, over incidents, verifiable or minor
 * incidents when there were none, over dispatches when there were none; day or night coverage when there is
 * no day or no night.
 */
export interface SectorMetrics {
  incidentsPerDay: Estimate;
  /** Incidents needing on-site verification (major + critical) per day. */
  verifiablePerDay: Estimate;
  detection: {
    /** Share of all incidents detected by some channel. */
    probability: Estimate;
    /**
     * Hours from incident to detection (detected incidents). `p50` and `p90` are NaN (`null` in JSON) when
     * nothing was detected: a quantile of no values is undefined.
     */
    latency: { mean: Estimate; p50: number; p90: number };
    /** Share of detected incidents first detected by each channel. */
    byChannel: Record<Channel, Estimate>;
  };
  /**
   * Hours from incident to a team's arrival on site, over verified incidents only (conditional: incidents never
   * verified are left out, so fewer verifications can make it smaller). Over all verifiable incidents, see
   * `timeToVerification`.
   */
  response: { mean: Estimate; p50: Estimate; p90: Estimate; p95: Estimate };
  /**
   * Time to verification over ALL verifiable incidents (never verified counts as not yet verified), pooled over
   * replications, up to the drain allowance (every incident is followed at least that long; beyond it the
   * curve is not identified): survival curve, p50 and p90 (null with a reason when not reached), restricted
   * mean to the limit. See docs/estimands.md, "Time to verification and censoring".
   */
  timeToVerification: TimeToVerification;
  /** Means over verified incidents of each part of the response time (they add up to response.mean). */
  responseComponents: {
    detection: Estimate;
    tasking: Estimate;
    queue: Estimate;
    mobilisation: Estimate;
    travel: Estimate;
    access: Estimate;
  };
  /** Shares of verifiable incidents by outcome (they add up to 1). */
  outcomes: {
    verified: Estimate;
    undetected: Estimate;
    denied: Estimate;
    noEligibleTeam: Estimate;
    horizonEnd: Estimate;
  };
  /**
   * Share of ALL verifiable incidents verified within the response standard (never verified counts as not
   * within): censoring-aware, equal to 1 − `timeToVerification` survival at the standard.
   */
  withinStandard: Estimate;
  /** Share of minor incidents recorded (detected). */
  minorRecorded: Estimate;
  dispatch: { queuedShare: Estimate; queueWait: Estimate; crossSectorShare: Estimate; crossNationalShare: Estimate };
  /**
   * Footprint coverage: share of line-km-hours watched by at least one working sensor (fixed sensor up, UAV
   * orbit on station), and by at least two. `effective`: the same sensors' expected probability of detecting a
   * reference incident there and then (see `EffectiveCoverage`); never above the footprint.
   */
  coverage: {
    overall: Estimate;
    day: Estimate;
    night: Estimate;
    atLeastTwo: Estimate;
    effective: EffectiveCoverage;
  };
  /** Totals over all replications (for conservation checks and tables). */
  counts: {
    incidents: number;
    verifiable: number;
    verified: number;
    undetected: number;
    denied: number;
    noEligibleTeam: number;
    horizonEnd: number;
    minor: number;
    minorRecorded: number;
    detected: number;
    dispatches: number;
  };
}

/** Effective coverage over the window, and over its day hours and its night hours. */
export interface DayNightEstimate {
  overall: Estimate;
  day: Estimate;
  night: Estimate;
}

/**
 * Effective coverage: the probability that the fixed sensors up and the UAV orbits on station (each with its
 * day or night detection probability for the severity, times the sortie's jamming factor) detect a reference
 * incident at a place and time drawn uniformly over the line-km-hours of the measured window, by day, by night
 * and over both; for an incident of the sector's severity mix, and for each severity. Satellites, patrols and
 * the parties' reports are not counted (as in the footprint). Exact, not sampled. See docs/estimands.md.
 */
export interface EffectiveCoverage extends DayNightEstimate {
  bySeverity: Record<Severity, DayNightEstimate>;
}

/** Metrics of one team: always numbers (their denominator is the measured window). */
export interface TeamMetrics {
  id: string;
  state: string;
  asset: string;
  base: string;
  /** Share of the window the team was busy (tasked, travelling, on site). */
  utilisation: Estimate;
  /** Taskings per day of the window. */
  tasksPerDay: Estimate;
  /** Share of the window the team was available. */
  availability: Estimate;
  /** Share of the window the team was on patrol (0 for a team without a patrol schedule). */
  patrolShare: Estimate;
  /** Its sector of responsibility when it patrols on a schedule (src/compile/patrols.ts); absent otherwise. */
  patrols?: string;
}
/** Metrics of one contributing state. */
export interface StateMetrics {
  id: string;
  teams: number;
  sensors: number;
  /** Share of all placed units (teams + sensors) this state contributes (0 when nothing is placed). */
  assetShare: number;
  /** Share of the mission's team units (0 when the mission has no teams). */
  teamShare: number;
  /**
   * Share of all taskings carried out by this state's teams: 0 for a state without teams when others were
   * tasked; undefined (NaN, `n: 0`) only when no team was tasked at all — a share of nothing.
   */
  taskShare: Estimate;
  /**
   * Share of the state's team-hours its teams were busy. Undefined (NaN, `n: 0`; `null` in JSON) for a state
   * that contributes no teams: it has no team-hours to be busy in.
   */
  utilisation: Estimate;
  /** Taskings per day of the window carried out by the state's teams: 0 for a state without teams. */
  tasksPerDay: Estimate;
  /** Personnel deployed: the state's placed teams times their asset type's `personnel`. */
  personnel: number;
  /**
   * The state's share of the cost of all placed units (count × the asset type's `unitCost`); absent (undefined)
   * when an asset type of a placed unit has no `unitCost` (a share of partly unknown costs would be made up),
   * and 0 when the placed units cost nothing at all.
   */
  costShare?: number;
  /**
   * The burden in hours per day of the window, summed over the state's units (docs/estimands.md, "Burden"):
   * team-hours tasked (busy: from tasking until back at base), of them travelling, team-hours on patrol (its
   * patrol windows less the busy hours in them), hours its fixed sensors worked and its UAVs were on station.
   * Each is 0 for a state without such units; over states they add up to the mission's total.
   */
  hoursPerDay: { tasked: Estimate; travelling: Estimate; patrolling: Estimate; sensors: Estimate; uavs: Estimate };
}

export function summarizeSectors(
  acc: Accumulator,
  m: CompiledModel,
): { line: SectorMetrics; sectors: SectorMetrics[] } {
  const off = ratioOffsets(acc.nSectors, acc.nTeams);
  const limit = m.drainEnd - m.end,
    restricted = SECTOR_METRICS.findIndex((d) => d.name === "restrictedMean");
  const block = (b: number): SectorMetrics => {
    const get = (name: (typeof SECTOR_METRICS)[number]["name"]) => {
      const k = SECTOR_METRICS.findIndex((d) => d.name === name);
      return ratioIn(acc.ratios, off.sector(b, k), SECTOR_METRICS[k]!);
    };
    const o = b * F.SECTOR_FIELDS,
      sm = acc.sums;
    const verified = sm[o + F.F_VERIFIED]!,
      detected = sm[o + F.F_DET]!,
      resp = sm[o + F.F_RESP]! / verified,
      detLat = sm[o + F.F_DET_LAT]! / detected;
    const q = (k: number): Estimate => {
      const w = (b * RECORD_QUANTILES.length + k) * WELFORD_WIDTH;
      return estimate(
        histQuantile(acc.respHist, b * HIST_BINS, verified, RESPONSE_QUANTILES[k]!, 0, HIST_BINS - 1, resp),
        welfordSe(acc.quantiles, w),
        acc.quantiles[w]!,
        QUANTILE_METRICS[k]!.range,
      );
    };
    const responseMean = get("responseMean"),
      verifiedShare = get("verifiedShare");
    return {
      incidentsPerDay: get("incidentsPerDay"),
      verifiablePerDay: get("verifiablePerDay"),
      detection: {
        probability: get("detectionProbability"),
        latency: {
          mean: get("detectionLatency"),
          p50: histQuantile(acc.detHist, b * HIST_BINS, detected, 0.5, 0, HIST_BINS - 1, detLat),
          p90: histQuantile(acc.detHist, b * HIST_BINS, detected, 0.9, 0, HIST_BINS - 1, detLat),
        },
        byChannel: Object.fromEntries(CHANNELS.map((c) => [c, get(`channel.${c}`)])) as Record<Channel, Estimate>,
      },
      response: { mean: responseMean, p50: q(0), p90: q(1), p95: q(2) },
      timeToVerification: timeToVerification({
        hist: acc.respHist,
        offset: b * HIST_BINS,
        verifiable: sm[o + F.F_VERIFIABLE]!,
        within: sm[o + F.F_WITHIN]!,
        standardHours: m.standard,
        drainHours: limit,
        restrictedMean: ratioIn(acc.ratios, off.sector(b, restricted), {
          ...SECTOR_METRICS[restricted]!,
          range: limit > 0 ? [0, limit] : NON_NEGATIVE,
        }),
        quantileSpread: RECORD_QUANTILES.flatMap((d, k) => {
          if (d.record !== "survival") return [];
          const w = (b * RECORD_QUANTILES.length + k) * WELFORD_WIDTH;
          return [{ se: welfordSe(acc.quantiles, w), n: acc.quantiles[w]! }];
        }),
      }),
      responseComponents: {
        detection: get("component.detection"),
        tasking: get("component.tasking"),
        queue: get("component.queue"),
        mobilisation: get("component.mobilisation"),
        travel: get("component.travel"),
        access: get("component.access"),
      },
      outcomes: {
        verified: verifiedShare,
        undetected: get("undetected"),
        denied: get("denied"),
        noEligibleTeam: get("noEligibleTeam"),
        horizonEnd: get("horizonEnd"),
      },
      withinStandard: get("withinStandard"),
      minorRecorded: get("minorRecorded"),
      dispatch: {
        queuedShare: get("queuedShare"),
        queueWait: get("queueWait"),
        crossSectorShare: get("crossSectorShare"),
        crossNationalShare: get("crossNationalShare"),
      },
      coverage: {
        overall: get("coverage"),
        day: get("coverageDay"),
        night: get("coverageNight"),
        atLeastTwo: get("coverage2"),
        effective: {
          overall: get("effective"),
          day: get("effectiveDay"),
          night: get("effectiveNight"),
          bySeverity: Object.fromEntries(
            SEVERITIES.map((v) => [
              v,
              { overall: get(`effective.${v}`), day: get(`effectiveDay.${v}`), night: get(`effectiveNight.${v}`) },
            ]),
          ) as Record<Severity, DayNightEstimate>,
        },
      },
      counts: {
        incidents: sm[o + F.F_INC]!,
        verifiable: sm[o + F.F_VERIFIABLE]!,
        verified,
        undetected: sm[o + F.F_UNDET]!,
        denied: sm[o + F.F_DENIED]!,
        noEligibleTeam: sm[o + F.F_NO_TEAM]!,
        horizonEnd: sm[o + F.F_HORIZON_END]!,
        minor: sm[o + F.F_INC]! - sm[o + F.F_VERIFIABLE]!,
        minorRecorded: sm[o + F.F_MINOR_RECORDED]!,
        detected,
        dispatches: sm[o + F.F_DISPATCH]!,
      },
    };
  };
  const sectors: SectorMetrics[] = [];
  for (let s = 0; s < m.nSectors; s++) sectors.push(block(s));
  return { line: block(m.nSectors), sectors };
}

export function summarizeTeams(acc: Accumulator, m: CompiledModel): TeamMetrics[] {
  const off = ratioOffsets(acc.nSectors, acc.nTeams);
  return m.names.teams.map((id, k) => ({
    id,
    state: m.names.states[m.tmState[k]!]!,
    asset: m.names.teamAssets[k]!,
    base: m.names.teamBases[k]!,
    utilisation: ratioIn(acc.ratios, off.team(k, 0), TEAM_METRICS[0]),
    tasksPerDay: ratioIn(acc.ratios, off.team(k, 1), TEAM_METRICS[1]),
    availability: ratioIn(acc.ratios, off.team(k, 2), TEAM_METRICS[2]),
    patrolShare: ratioIn(acc.ratios, off.team(k, 3), TEAM_METRICS[3]),
    ...(m.names.teamPatrols[k] ? { patrols: m.names.teamPatrols[k] } : {}),
  }));
}

export function summarizeStates(acc: Accumulator, m: CompiledModel): StateMetrics[] {
  const off = ratioOffsets(acc.nSectors, acc.nTeams);
  const teams = new Array<number>(m.nStates).fill(0);
  for (let k = 0; k < m.nTeams; k++) teams[m.tmState[k]!]! += 1;
  const units = m.nTeams + m.names.sensorsByState.reduce((a, b) => a + b, 0);
  const costs = m.names.costByState,
    cost = costs === null ? 0 : costs.reduce((a, b) => a + b, 0);
  const burden = (s: number, name: (typeof STATE_METRICS)[number]["name"]) => {
    const k = stateMetric(name);
    return ratioIn(acc.ratios, off.state(s, k), STATE_METRICS[k]!);
  };
  return m.names.states.map((id, s) => ({
    id,
    teams: teams[s]!,
    sensors: m.names.sensorsByState[s]!,
    assetShare: units > 0 ? (teams[s]! + m.names.sensorsByState[s]!) / units : 0,
    teamShare: m.nTeams > 0 ? teams[s]! / m.nTeams : 0,
    taskShare: ratioIn(acc.ratios, off.state(s, 1), STATE_METRICS[1]),
    utilisation: ratioIn(acc.ratios, off.state(s, 0), STATE_METRICS[0]),
    tasksPerDay: ratioIn(acc.ratios, off.state(s, 2), STATE_METRICS[2]),
    personnel: m.names.personnelByState[s]!,
    ...(costs === null ? {} : { costShare: cost > 0 ? costs[s]! / cost : 0 }),
    hoursPerDay: {
      tasked: burden(s, "taskedHoursPerDay"),
      travelling: burden(s, "travelHoursPerDay"),
      patrolling: burden(s, "patrolHoursPerDay"),
      sensors: burden(s, "sensorHoursPerDay"),
      uavs: burden(s, "uavHoursPerDay"),
    },
  }));
}

/**
 * The stretches of line (km from the start, consecutive segments merged) that no allocated fixed sensor or UAV
 * orbit watches, in order along the line.
 */
export function unwatchedStretches(m: CompiledModel): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (let g = 0; g < m.segFrom.length; g++) {
    if (m.segOff[g + 1] !== m.segOff[g]) continue;
    const last = out[out.length - 1];
    if (last && last.to === m.segFrom[g]!) last.to = m.segTo[g]!;
    else out.push({ from: m.segFrom[g]!, to: m.segTo[g]! });
  }
  return out;
}

/** The longest stretch of line (km) that no allocated fixed sensor or UAV orbit watches. */
export function longestUnwatchedKm(m: CompiledModel): number {
  let best = 0,
    run = 0;
  for (let g = 0; g < m.segFrom.length; g++) {
    if (m.segOff[g + 1] === m.segOff[g]) {
      run += m.segTo[g]! - m.segFrom[g]!;
      if (run > best) best = run;
    } else run = 0;
  }
  return best;
}

/**
 * The ratio estimate of the moments at `o` (`ratioEstimate`: Σy/Σx, delta-method standard error) with its
 * interval inside the metric's range (`estimate`); a share of counted events passes its pooled count Σx.
 */
function ratioIn(a: Float64Array, o: number, def: { range: Range; scale?: number; counted?: true }): Estimate {
  const e = ratioEstimate(a, o, def.scale ?? 1);
  const se = e.n >= 2 ? e.halfWidth / t975(e.n - 1) : NaN;
  return estimate(e.value, se, e.n, def.range, def.counted ? a[o]! * a[o + 1]! : 0);
}
