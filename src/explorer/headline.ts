/**
 * The explorer's headline panel: the headline metrics `run` prints (src/cli/summary.ts), as rows of text, each
 * with the whole-line metric whose paired difference against a pinned baseline it shows.
 */
import type { Result } from "../experiment/simulate.js";
import { unitOf } from "../report/vega.js";
import type { Estimate } from "../stats/estimate.js";
import type { PairedDifference } from "../experiment/paired.js";

/** A share as a percentage, e.g. "80.6%". */
export const pct = (v: number, d = 1): string => (Number.isFinite(v) ? `${(100 * v).toFixed(d)}%` : "–");
/** Hours, or minutes under an hour: "14.7 h", "45 min". */
export const hours = (v: number): string =>
  Number.isFinite(v) ? (v < 1 && v !== 0 ? `${(v * 60).toFixed(0)} min` : `${v.toFixed(1)} h`) : "–";
const num = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : "–");
/** The value and its 95% interval, e.g. "80.6% (77.5–83.4%)". */
export function withCi(e: Estimate, f: (v: number) => string): string {
  if (!Number.isFinite(e.value)) return "–";
  return Number.isFinite(e.lo) && Number.isFinite(e.hi) ? `${f(e.value)} (${f(e.lo)} – ${f(e.hi)})` : f(e.value);
}

/** A metric's value in its unit (share as %, hours, per day). */
export function formatMetric(metric: string, v: number): string {
  const u = unitOf(metric);
  return u === "share" ? pct(v) : u === "h" ? hours(v) : `${num(v)} /d`;
}

/** A paired difference in the metric's unit (percentage points for shares, hours, per day) with its 95% CI. */
export function formatDifference(metric: string, d: PairedDifference): string {
  const u = unitOf(metric);
  const [scale, digits, unit] = u === "share" ? [100, 1, "pp"] : [1, 2, u === "h" ? "h" : "/d"];
  const f = (v: number) => {
    const t = (scale * v).toFixed(digits);
    return Number(t) > 0 ? `+${t}` : t.replace("-", "−");
  };
  const e = d.paired;
  if (!Number.isFinite(e.value)) return "–";
  const ci = Number.isFinite(e.lo) && Number.isFinite(e.hi) ? ` (${f(e.lo)} to ${f(e.hi)})` : "";
  return `${f(e.value)} ${unit}${ci}`;
}

/** One row of the headline panel. */
export interface HeadlineRow {
  label: string;
  text: string;
  /** The whole-line metric whose paired difference the row shows, if any. */
  metric: string | null;
}

/** The whole-line metrics the headline rows show differences of. */
export const HEADLINE_DIFFERENCES: readonly string[] = [
  "incidentsPerDay",
  "detection.probability",
  "detection.latency.mean",
  "coverage.effective.day",
  "coverage.effective.night",
  "coverage.overall",
  "timeToVerification.restrictedMean",
  "response.mean",
  "outcomes.verified",
  "withinStandard",
  "dispatch.queuedShare",
];

/** The headline rows of a result, in `run`'s order. */
export function headlineRows(r: Result): HeadlineRow[] {
  const L = r.line;
  const eff = L.coverage.effective;
  const share = (v: number) => pct(v);
  const ttv = L.timeToVerification;
  const q = (e: Estimate) => (Number.isFinite(e.value) ? withCi(e, hours) : "not reached");
  return [
    {
      label: "Incidents",
      text:
        `${withCi(L.incidentsPerDay, (v) => num(v))} per day, ` +
        `${num(L.verifiablePerDay.value)} needing verification`,
      metric: "incidentsPerDay",
    },
    {
      label: "Detected",
      text: `${withCi(L.detection.probability, share)} of incidents`,
      metric: "detection.probability",
    },
    {
      label: "Detection latency",
      text: `mean ${withCi(L.detection.latency.mean, hours)}, p90 ${hours(L.detection.latency.p90)}`,
      metric: "detection.latency.mean",
    },
    { label: "Effective coverage, day", text: withCi(eff.day, share), metric: "coverage.effective.day" },
    { label: "Effective coverage, night", text: withCi(eff.night, share), metric: "coverage.effective.night" },
    {
      label: "Footprint coverage",
      text:
        `${withCi(L.coverage.overall, share)} of line-km-hours (night ${pct(L.coverage.night.value)}); ` +
        `longest unwatched stretch ${num(r.allocation.longestUnwatchedKm)} km`,
      metric: "coverage.overall",
    },
    {
      label: "To verification",
      text:
        `mean ${withCi(ttv.restrictedMean, hours)} (never verified counted as ` +
        `${hours(ttv.restrictedMean.limitHours)}); p50 ${q(ttv.p50)}, p90 ${q(ttv.p90)}`,
      metric: "timeToVerification.restrictedMean",
    },
    {
      label: "Response time",
      text: `of verified incidents: mean ${withCi(L.response.mean, hours)}, p90 ${hours(L.response.p90.value)}`,
      metric: "response.mean",
    },
    { label: "Verified", text: `${withCi(L.outcomes.verified, share)} of verifiable`, metric: "outcomes.verified" },
    {
      label: "Within standard",
      text: `${withCi(L.withinStandard, share)} verified within ${hours(r.provenance.responseStandardHours)}`,
      metric: "withinStandard",
    },
    {
      label: "Never verified",
      text:
        `undetected ${pct(L.outcomes.undetected.value)}, denied access ${pct(L.outcomes.denied.value)}, ` +
        `no eligible team ${pct(L.outcomes.noEligibleTeam.value)}, unfinished ${pct(L.outcomes.horizonEnd.value)}`,
      metric: null,
    },
    {
      label: "Dispatch",
      text:
        `queued ${withCi(L.dispatch.queuedShare, share)}, mean wait ${hours(L.dispatch.queueWait.value)}, ` +
        `cross-national ${pct(L.dispatch.crossNationalShare.value)}`,
      metric: "dispatch.queuedShare",
    },
    {
      label: "Allocation",
      text:
        `${r.allocation.strategy}${r.allocation.mode ? ` (${r.allocation.mode})` : ""}: ${r.allocation.teams} ` +
        `teams; ${r.allocation.sensors.fixed} fixed sensors, ${r.allocation.sensors.uav} UAVs, ` +
        `${r.allocation.sensors.satellite} satellites`,
      metric: null,
    },
  ];
}
