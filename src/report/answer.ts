/**
 * `answer(result, options)`: the result in three to five plain sentences for readers who will not read a
 * table — verification within the standard and the time to verification, effective coverage by day and by
 * night, the weakest sector, the coverage gaps, and (given a withdrawal table) the state whose withdrawal hurts
 * most. Every number is read from the result (or the table) and rounded as it is printed; nothing else is said.
 */
import type { Result } from "../experiment/simulate.js";
import type { WithdrawalTable } from "../experiment/withdrawal.js";
import type { Scenario } from "../model/types.js";
import type { Estimate } from "../stats/estimate.js";
import { shortName } from "./html.js";

/** Options of `answer`. */
export interface AnswerOptions {
  /** The result's parsed scenario: sector and state names (without it, ids). */
  scenario?: Scenario | null;
  /** A withdrawal table of the same scenario: adds the sentence on the state whose withdrawal hurts most. */
  withdrawal?: WithdrawalTable | null;
}

const fin = Number.isFinite;
/** A share as a whole percentage ("47%"). */
export const percent = (v: number): string => (fin(v) ? `${Math.round(100 * v)}%` : "–");
const range = (e: Estimate, f: (v: number) => string) => (fin(e.lo) && fin(e.hi) ? `${f(e.lo)} to ${f(e.hi)}` : "");
const hoursText = (h: number) =>
  !fin(h) ? "–" : h < 1 ? `${Math.round(60 * h)} minutes` : `${h < 10 ? h.toFixed(1) : Math.round(h)} hours`;
const standardText = (h: number) => (Number.isInteger(h) ? `${h} hours` : hoursText(h));

/**
 * The sentences, in order; each a plain string ending with a full stop.
 *
 * @example
 * const scenario = parseScenario(defaultScenario());
 * const result = await simulate(scenario, { replications: 200, seed: 1 });
 * answer(result, { scenario })[0];
 * // "Across the line, 50% of the incidents that need verification on site (95% CI 47% to 54%) are verified
 * //  within 24 hours; half are verified within 24 hours."
 */
export function answer(result: Result, options: AnswerOptions = {}): string[] {
  const L = result.line,
    scenario = options.scenario ?? null;
  const std = standardText(result.provenance.responseStandardHours);
  const out: string[] = [];
  const w = L.withinStandard;
  const ci = range(w, percent);
  const ttv = L.timeToVerification;
  const half = fin(ttv.p50.value)
    ? `half are verified within ${hoursText(ttv.p50.value)}`
    : `fewer than half are verified within ${hoursText(ttv.limitHours)}`;
  out.push(
    fin(w.value)
      ? `Across the line, ${percent(w.value)} of the incidents that need verification on site` +
          `${ci ? ` (95% CI ${ci})` : ""} are verified within ${std}; ${half}.`
      : `No incident needed verification on site in this run, so there is no share verified within ${std}.`,
  );
  const day = L.coverage.effective.day.value,
    night = L.coverage.effective.night.value;
  out.push(
    `The fixed sensors and drones would detect ${percent(day)} of incidents by day and ${percent(night)} by night ` +
      `(effective coverage); with satellites, patrols and the parties' own reports, ` +
      `${percent(L.detection.probability.value)} are detected at all.`,
  );
  const sectorName = (i: number) => {
    const s = scenario?.sectors[i];
    return s && s.id === result.sectors[i]!.id ? shortName(s.name) : result.sectors[i]!.id;
  };
  const weakest = weakestSector(result);
  if (weakest !== null) {
    const s = result.sectors[weakest]!;
    out.push(
      `The weakest sector is ${sectorName(weakest)}, where ${percent(s.withinStandard.value)} are verified within ` +
        `${std} and the sensors would detect ${percent(s.coverage.effective.night.value)} of incidents by night.`,
    );
  }
  const gaps = result.allocation.unwatched ?? [];
  if (gaps.length > 0)
    out.push(
      `${gaps.length === 1 ? "One stretch" : `${gaps.length} stretches`} of line, the longest ` +
        `${Math.round(result.allocation.longestUnwatchedKm)} km, ${gaps.length === 1 ? "is" : "are"} watched by ` +
        "no fixed sensor or drone.",
    );
  else out.push("Every kilometre of the line is watched by at least one fixed sensor or drone orbit.");
  const t = options.withdrawal ?? null;
  if (t && t.rows.length > 0) out.push(withdrawalSentence(t, std));
  return out;
}

/** The index of the sector with the lowest share verified within the standard (null if none has one). */
export function weakestSector(result: Result): number | null {
  let best: number | null = null;
  result.sectors.forEach((s, i) => {
    const v = s.withinStandard.value;
    if (fin(v) && (best === null || v < result.sectors[best]!.withinStandard.value)) best = i;
  });
  return best;
}

function withdrawalSentence(t: WithdrawalTable, std: string): string {
  const r = t.rows[0]!;
  const m = r.metrics[t.rankBy];
  const subject = t.rankBy === "withinStandard" ? `the share verified within ${std}` : `${t.rankBy}`;
  const share = !/^response\.|latency|queueWait|PerDay$|restrictedMean/.test(t.rankBy);
  if (!m || !fin(m.change.value))
    return `Of the ${t.rows.length} states examined, none changes ${subject} measurably when it withdraws.`;
  const c = m.change;
  const size = share ? `${Math.abs(100 * c.value).toFixed(1)} percentage points` : hoursText(Math.abs(c.value));
  const dir = c.value < 0 ? "fall" : "rise";
  const clear = fin(c.lo) && fin(c.hi) && (c.hi < 0 || c.lo > 0);
  const sure = clear
    ? ""
    : ", though with these replications that cannot be told apart from no change (its 95% CI includes 0)";
  return (
    `Of the ${t.rows.length} state${t.rows.length === 1 ? "" : "s"} examined, ${r.name}'s withdrawal would ` +
    `hurt most: ${subject} would ${dir} by ${size}${sure}.`
  );
}
