/**
 * The budget: what a run would cost (incidents, timeline events, satellite passes examined, memory), estimated
 * from the scenario and refused before it starts when over the limits (`RunOptions.budget`).
 */
import type { Scenario } from "../model/types.js";
import { distMean } from "../model/distributions.js";
import { MAX_CORE_BYTES, ROOM_BYTES } from "../engine/core.js";
import type { ResolvedRunOptions } from "./options.js";

/** Expected incidents per replication: (warm-up + horizon) × Σ sector rates × long-run mean regime multiplier. */
export function expectedIncidents(s: Scenario): number {
  const rate = s.sectors.reduce((a, x) => a + x.rate, 0);
  const mult = s.regimes.length > 0 ? s.regimes.reduce((a, r) => a + r.stationary * r.multiplier, 0) : 1;
  return (s.warmup + s.horizon) * rate * mult;
}

/**
 * Expected timeline events per replication besides incidents: regime switches, sensor outages, UAV sorties
 * and team unavailability spells (each grows with the horizon over its mean duration).
 */
export function expectedTimelineEvents(s: Scenario): number {
  const end = s.warmup + s.horizon + s.drain;
  let n = 0;
  if (s.regimes.length > 1) for (const r of s.regimes) n += (end * r.stationary) / r.meanDuration;
  for (const c of s.contributions) {
    const a = s.assets[c.asset]!;
    if (a.kind === "fixed" && a.outages) n += (c.count * end) / (a.outages.mtbf + distMean(a.outages.repair));
    else if (a.kind === "uav") n += (c.count * end) / (a.endurance + a.turnaround);
    else if (a.kind === "team" && a.availability.share < 1)
      n += (c.count * end * (1 - a.availability.share)) / a.availability.downtime;
  }
  return n;
}

/**
 * Satellite passes the detection of one replication examines: each incident looks at every satellite's passes
 * within its window (at most window / revisit + 1 each).
 */
export function expectedSatellitePasses(s: Scenario): number {
  let perIncident = 0;
  for (const c of s.contributions) {
    const a = s.assets[c.asset]!;
    if (a.kind === "satellite") perIncident += c.count * (a.window / a.revisit + 1);
  }
  return perIncident > 0 ? expectedIncidents(s) * perIncident : 0;
}

/** What one replication of a scenario costs, estimated before it runs. */
export interface ReplicationCost {
  /** Expected incidents. */
  incidents: number;
  /** Expected timeline events: regime switches, outages, sorties, team spells. */
  events: number;
  /** Expected satellite passes examined. */
  passes: number;
  /** What the budget counts: incidents + events + passes. */
  work: number;
  /** Bytes of the engine's memory for the incidents and timelines (6 standard deviations above the mean). */
  bytes: number;
}

/** One replication's cost (see `ReplicationCost`). */
export function replicationCost(s: Scenario): ReplicationCost {
  const incidents = expectedIncidents(s),
    events = expectedTimelineEvents(s),
    passes = expectedSatellitePasses(s);
  const high = (v: number) => v + 6 * Math.sqrt(v);
  const bytes = ROOM_BYTES.incidents * high(incidents) + ROOM_BYTES.up * high(events);
  return { incidents, events, passes, work: incidents + events + passes, bytes };
}

/** Runs planned: a scenario, how many replications of it will run, and a label for messages (a point, an arm). */
export interface Planned {
  scenario: Scenario;
  replications: number;
  label?: string;
}

const fmt = (v: number) => v.toExponential(2);
const GiB = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;

/**
 * Refuse a plan over the budget before anything runs: any replication over `incidentsPerReplication` (incidents,
 * timeline events and satellite passes) or over the 4 GiB of the engine's memory, or all of them together over
 * `incidents`. @internal
 */
export function checkPlan(plan: readonly Planned[], budget: ResolvedRunOptions["budget"], what = "the run"): void {
  let total = 0,
    runs = 0;
  for (const { scenario: s, replications, label } of plan) {
    const c = replicationCost(s);
    const where = label ? `${label}: ` : "";
    if (c.work > budget.incidentsPerReplication)
      throw new RangeError(
        `budget: ${where}one replication would simulate about ${fmt(c.work)} incidents, timeline events and ` +
          `satellite passes (${fmt(c.incidents)} incidents in ${(s.warmup + s.horizon).toFixed(0)} h, ` +
          `${fmt(c.events)} regime switches, outages, sorties and team spells, ${fmt(c.passes)} passes), over the ` +
          `limit of ${fmt(budget.incidentsPerReplication)}; shorten the horizon, or raise ` +
          "budget.incidentsPerReplication (CLI --max-incidents-per-replication)",
      );
    if (c.bytes > MAX_CORE_BYTES)
      throw new RangeError(
        `budget: ${where}one replication would need about ${GiB(c.bytes)} of engine memory ` +
          `(${fmt(c.incidents)} incidents, ${fmt(c.events)} timeline events), more than the 4 GiB a WebAssembly ` +
          "memory holds; shorten the horizon or lower the rates",
      );
    total += c.work * replications;
    runs += replications;
  }
  if (total > budget.incidents)
    throw new RangeError(
      `budget: ${what} would simulate about ${fmt(total)} incidents, events and passes in ${runs} replications, ` +
        `over the budget of ${fmt(budget.incidents)}; use fewer replications or points, or raise budget.incidents ` +
        "(CLI --max-incidents)",
    );
}

/** Refuse a run of one scenario over the budget before it starts (see `SimulateOptions.budget`). @internal */
export function checkBudget(s: Scenario, replications: number, budget: ResolvedRunOptions["budget"]): void {
  checkPlan([{ scenario: s, replications }], budget);
}
