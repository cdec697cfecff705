/**
 * The budget: what a run would cost (incidents, timeline events, satellite passes examined, memory), estimated
 * from the scenario and refused before it starts when over the limits (`RunOptions.budget`).
 */
import type { Scenario } from "../model/types.js";
import { distMean } from "../model/distributions.js";
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

/** Refuse a run over the budget before it starts (see `SimulateOptions.budget`). @internal */
export function checkBudget(s: Scenario, replications: number, budget: ResolvedRunOptions["budget"]): void {
  const perRep = expectedIncidents(s) + expectedTimelineEvents(s),
    total = perRep * replications;
  const maxPer = budget.incidentsPerReplication,
    maxTotal = budget.incidents;
  const fmt = (v: number) => v.toExponential(2);
  if (perRep > maxPer)
    throw new RangeError(
      `budget: one replication would simulate about ${fmt(perRep)} incidents and timeline events ` +
        `(${(s.warmup + s.horizon).toFixed(0)} h × the scenario's rates, regime switches, outages, sorties), over ` +
        `the limit of ${fmt(maxPer)}; shorten the horizon, or raise budget.incidentsPerReplication (CLI ` +
        `--max-incidents-per-replication)`,
    );
  if (total > maxTotal)
    throw new RangeError(
      `budget: ${replications} replications × about ${fmt(perRep)} incidents and events = ${fmt(total)}, over ` +
        `the budget of ${fmt(maxTotal)}; use fewer replications, or raise budget.incidents (CLI --max-incidents)`,
    );
}
