/** The readable summary the CLI prints: headline metrics, then per-sector and per-state tables. */
import type { Result } from "../experiment/simulate.js";
import type { Estimate } from "../stats/estimate.js";
import { SEVERITIES } from "../model/types.js";
import type { SurvivalQuantile } from "../stats/survival.js";

const pct = (e: Estimate | number, d = 1) => {
  const v = typeof e === "number" ? e : e.value;
  return Number.isFinite(v) ? `${(100 * v).toFixed(d)}%` : "–";
};
/** The value and its 95% interval, e.g. "80.6% (77.5%–83.4%)" (the interval need not be symmetric). */
const pm = (e: Estimate, f: (v: number) => string) =>
  Number.isFinite(e.value)
    ? `${f(e.value)}${Number.isFinite(e.lo) && Number.isFinite(e.hi) ? ` (${f(e.lo)}–${f(e.hi)})` : ""}`
    : "–";
const hours = (v: number) => (Number.isFinite(v) ? (v < 1 ? `${(v * 60).toFixed(0)} min` : `${v.toFixed(1)} h`) : "–");
/** A quantile of the time to verification with its interval, or "not reached" when the curve stops short of it. */
const quantile = (q: SurvivalQuantile) => (Number.isFinite(q.value) ? pm(q, hours) : "not reached");
const num = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : "–");

function table(head: string[], rows: string[][], align: ("l" | "r")[]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (align[i] === "l" ? c.padEnd(w[i]!) : c.padStart(w[i]!)))
      .join("  ")
      .trimEnd();
  return [line(head), w.map((x) => "-".repeat(x)).join("  "), ...rows.map(line)].join("\n");
}

/** How the allocation was made from a base placement, for the run line ("" when placed afresh). */
function modeText(r: Result): string {
  const m = r.allocation.mode;
  if (m === "augment") return " (augment: the base placement kept, only the units added placed)";
  if (m === "remove") return " (remove: the base placement less the units withdrawn)";
  return "";
}

/** The text summary of a result: headline metrics, per sector and per state. */
export function summaryText(r: Result): string {
  const p = r.provenance,
    L = r.line;
  const ch = L.detection.byChannel,
    eff = L.coverage.effective;
  const out: string[] = [];
  out.push(`ceasefire-sim ${p.version} — ${p.scenario.name} (${p.scenario.hash})`);
  out.push(
    `${p.replications} replications of ${num(p.horizonHours / 24, 0)} d after a ${num(p.warmupHours / 24, 1)} d ` +
      `warm-up, seed ${p.seed}, allocation ${p.strategy}${modeText(r)}, ${(p.wallTimeMs / 1000).toFixed(1)} s`,
  );
  out.push(
    `Values are estimates with 95% confidence intervals (low–high) over replications; response standard ` +
      `${hours(p.responseStandardHours)}.`,
  );
  for (const w of r.warnings ?? []) out.push(`warning: ${w}`);
  out.push("");
  const kv: [string, string][] = [
    [
      "Incidents",
      `${pm(L.incidentsPerDay, (v) => v.toFixed(1))} per day, ${pm(L.verifiablePerDay, (v) => v.toFixed(1))} ` +
        `needing verification`,
    ],
    [
      "Detected",
      `${pm(L.detection.probability, (v) => pct(v))} of incidents; first by fixed ${pct(ch.fixed, 0)}, UAV ` +
        `${pct(ch.uav, 0)}, satellite ${pct(ch.satellite, 0)}, patrol ${pct(ch.patrol, 0)}, parties ` +
        `${pct(ch.parties, 0)}`,
    ],
    [
      "Detection latency",
      `mean ${hours(L.detection.latency.mean.value)}, p50 ${hours(L.detection.latency.p50)}, p90 ` +
        `${hours(L.detection.latency.p90)}`,
    ],
    [
      "Effective coverage",
      `day ${pm(eff.day, (v) => pct(v))}, night ${pm(eff.night, (v) => pct(v))}: chance that fixed sensors and ` +
        `UAVs detect an incident (overall ${pct(eff.overall)}` +
        (SEVERITIES.some((v) => pct(eff.bySeverity[v].overall) !== pct(eff.overall))
          ? `; ${SEVERITIES.map((v) => `${v} ${pct(eff.bySeverity[v].overall)}`).join(", ")})`
          : ")"),
    ],
    [
      "Footprint coverage",
      `${pm(L.coverage.overall, (v) => pct(v))} of line-km-hours watched (day ${pct(L.coverage.day)}, night ` +
        `${pct(L.coverage.night)}; by two or more ${pct(L.coverage.atLeastTwo)}); longest unwatched stretch ` +
        `${num(r.allocation.longestUnwatchedKm)} km`,
    ],
    [
      "To verification",
      `of all verifiable incidents: p50 ${quantile(L.timeToVerification.p50)}, p90 ` +
        `${quantile(L.timeToVerification.p90)}; mean ${pm(L.timeToVerification.restrictedMean, hours)} with ` +
        `never verified (or later) counted as ${hours(L.timeToVerification.restrictedMean.limitHours)}`,
    ],
    [
      "Response time",
      `of verified incidents only: mean ${pm(L.response.mean, hours)}; p50 ${hours(L.response.p50.value)}, p90 ` +
        `${hours(L.response.p90.value)}, p95 ${hours(L.response.p95.value)}`,
    ],
    [
      "  made of",
      `detection ${hours(L.responseComponents.detection.value)}, reporting+tasking ` +
        `${hours(L.responseComponents.tasking.value)}, queue ${hours(L.responseComponents.queue.value)}, ` +
        `mobilisation ${hours(L.responseComponents.mobilisation.value)}, travel ` +
        `${hours(L.responseComponents.travel.value)}, access ${hours(L.responseComponents.access.value)}`,
    ],
    [
      "Verified",
      `${pm(L.outcomes.verified, (v) => pct(v))} of verifiable incidents; within standard ` +
        `${pm(L.withinStandard, (v) => pct(v))}`,
    ],
    [
      "Never verified",
      `undetected ${pct(L.outcomes.undetected)}, denied access ${pct(L.outcomes.denied)}, no eligible team ` +
        `${pct(L.outcomes.noEligibleTeam)}, unfinished at horizon ${pct(L.outcomes.horizonEnd)}`,
    ],
    [
      "Dispatch",
      `queued ${pct(L.dispatch.queuedShare)}, mean queue wait ${hours(L.dispatch.queueWait.value)}, cross-sector ` +
        `${pct(L.dispatch.crossSectorShare)}, cross-national ${pct(L.dispatch.crossNationalShare)}`,
    ],
    [
      "Allocation",
      `${r.allocation.teams} teams; ${r.allocation.sensors.fixed} fixed sensors, ${r.allocation.sensors.uav} UAVs, ` +
        `${r.allocation.sensors.satellite} satellites` +
        (r.allocation.idle.length
          ? `; idle: ${r.allocation.idle.map((i) => `${i.count} ${i.asset} (${i.state})`).join(", ")}`
          : ""),
    ],
  ];
  const kw = Math.max(...kv.map(([k]) => k.length));
  for (const [k, v] of kv) out.push(`${k.padEnd(kw)}  ${v}`);
  out.push("");
  out.push(
    table(
      [
        "sector",
        "km",
        "inc/d",
        "detected",
        "eff day",
        "eff night",
        "footprint",
        "fp night",
        "resp mean",
        "resp p90",
        "within std",
        "verified",
      ],
      r.sectors.map((s) => [
        s.id,
        num(s.lengthKm, 0),
        num(s.incidentsPerDay.value),
        pct(s.detection.probability),
        pct(s.coverage.effective.day),
        pct(s.coverage.effective.night),
        pct(s.coverage.overall),
        pct(s.coverage.night),
        hours(s.response.mean.value),
        hours(s.response.p90.value),
        pct(s.withinStandard),
        pct(s.outcomes.verified),
      ]),
      ["l", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r"],
    ),
  );
  const states = r.states.filter((s) => s.teams + s.sensors > 0).sort((a, b) => b.assetShare - a.assetShare);
  if (states.length > 0) {
    out.push("");
    out.push(
      table(
        ["state", "teams", "sensors", "asset share", "task share", "utilisation", "tasks/d"],
        states.map((s) => [
          s.id,
          String(s.teams),
          String(s.sensors),
          pct(s.assetShare),
          s.teams > 0 ? pct(s.taskShare) : "–",
          s.teams > 0 ? pct(s.utilisation) : "–",
          s.teams > 0 ? num(s.tasksPerDay.value, 2) : "–",
        ]),
        ["l", "r", "r", "r", "r", "r", "r"],
      ),
    );
    // The burden beside the unit count: personnel, cost share, and hours per day of the window by kind.
    out.push("");
    out.push(
      table(
        ["burden", "personnel", "cost share", "tasked h/d", "travel h/d", "patrol h/d", "sensor h/d", "UAV h/d"],
        states.map((s) => [
          s.id,
          String(s.personnel),
          s.costShare === undefined ? "–" : pct(s.costShare),
          num(s.hoursPerDay.tasked.value, 1),
          num(s.hoursPerDay.travelling.value, 1),
          num(s.hoursPerDay.patrolling.value, 1),
          num(s.hoursPerDay.sensors.value, 0),
          num(s.hoursPerDay.uavs.value, 0),
        ]),
        ["l", "r", "r", "r", "r", "r", "r", "r"],
      ),
    );
  }
  return out.join("\n") + "\n";
}
