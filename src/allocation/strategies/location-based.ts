/**
 * `p-median` and `max-cover`: choose which bases to use with an exact
 * location model, then share the teams among the chosen bases.
 *
 * Demand points are four equal pieces of every sector, weighted by expected
 * verifiable incidents × priority and the sector's incident profile;
 * candidate sites are the bases; the cost is a team's travel time (at the
 * mean speed of the contributed teams) from base to point. With p bases
 * (option `p`, default min(bases, teams)):
 * - `p-median` minimises the expected travel time to an incident;
 * - `max-cover` maximises the incidents whose travel fits the travel budget
 *   (the response standard minus mean reporting, tasking and access delays);
 *   coverage is cost ≤ 1 on cost = travel / budget.
 * Teams then go to the chosen bases by D'Hondt on the demand each serves
 * (only sectors the team's state may enter), within capacities. Sensors are
 * placed as in `risk-weighted`.
 */
import type { Scenario } from "../../model/types.js";
import type { Allocation } from "../allocation.js";
import {
  allowedSectors,
  demandPoints,
  fixedQuotient,
  placeUnits,
  quotient,
  sectorWeights,
  travelBudget,
  travelHours,
} from "../common.js";
import { maxCover, pMedian } from "../location/index.js";
import type { Strategy } from "../strategy.js";

function meanTeamSpeed(s: Scenario): number {
  let n = 0,
    v = 0;
  for (const c of s.contributions) {
    const a = s.assets[c.asset]!;
    if (a.kind === "team") {
      n += c.count;
      v += c.count * a.speed;
    }
  }
  return n > 0 ? v / n : 40;
}

function teamCount(s: Scenario): number {
  return s.contributions.reduce((acc, c) => acc + (s.assets[c.asset]!.kind === "team" ? c.count : 0), 0);
}

function readP(options: Record<string, unknown>, s: Scenario): number {
  const fallback = Math.max(1, Math.min(s.bases.length, teamCount(s)));
  const p = Object.hasOwn(options, "p") ? options.p : fallback;
  if (typeof p !== "number" || !Number.isInteger(p) || p < 1 || p > s.bases.length)
    throw new RangeError(
      `option p: expected a whole number from 1 to ${s.bases.length} (the number of bases); got ${JSON.stringify(p)}`,
    );
  return p;
}

function locationStrategy(name: "p-median" | "max-cover"): Strategy {
  return {
    name,
    description:
      name === "p-median"
        ? "bases chosen by an exact p-median (minimum expected travel time to incidents), teams shared by demand served"
        : "bases chosen by an exact maximal covering model (most incidents within the travel budget), " +
          "teams shared by demand covered",
    async allocate(s: Scenario, target: Allocation, options: Record<string, unknown> = {}): Promise<void> {
      const w = sectorWeights(s);
      const points = demandPoints(s, w);
      const speed = meanTeamSpeed(s);
      const open = new Array<boolean>(s.bases.length).fill(false);
      // Demand weight each base serves, per sector (for caveat-aware sharing).
      const serves = s.bases.map(() => new Array<number>(s.sectors.length).fill(0));
      let summary = "no teams to place";
      if (teamCount(s) > 0 && s.bases.length > 0) {
        const p = readP(options, s);
        const given = Object.hasOwn(options, "timeLimit") ? options.timeLimit : undefined;
        const timeLimit = typeof given === "number" ? given : 30;
        if (name === "p-median") {
          const cost = points.map((pt) => s.bases.map((_, b) => travelHours(s, b, pt.x, speed, pt.sector)));
          const r = await pMedian({ cost, demand: points.map((pt) => pt.weight), p, timeLimit });
          for (const b of r.sites) open[b] = true;
          r.assignment.forEach((b, i) => {
            if (b >= 0) serves[b]![points[i]!.sector]! += points[i]!.weight;
          });
          const total = points.reduce((a, pt) => a + pt.weight, 0);
          summary =
            `p-median (${r.status}${r.gap ? `, gap ${(100 * r.gap).toFixed(2)}%` : ""}): ${p} bases, ` +
            `expected travel ${(r.objective / total).toFixed(2)} h`;
        } else {
          const cost = points.map((pt) =>
            s.bases.map((_, b) => {
              const budget = travelBudget(s, s.sectors[pt.sector]!);
              return budget > 0 ? travelHours(s, b, pt.x, speed, pt.sector) / budget : 1e9;
            }),
          );
          const r = await maxCover({ cost, demand: points.map((pt) => pt.weight), p, radius: 1, timeLimit });
          for (const b of r.sites) open[b] = true;
          r.assignment.forEach((b, i) => {
            if (b >= 0) serves[b]![points[i]!.sector]! += points[i]!.weight;
          });
          const total = points.reduce((a, pt) => a + pt.weight, 0);
          summary =
            `max-cover (${r.status}): ${p} bases cover ${((100 * r.objective) / total).toFixed(1)}% ` +
            `of weighted demand within the travel budget`;
          // Bases that cover nothing still take the nearest uncovered demand, so no chosen base is left empty.
          points.forEach((pt, i) => {
            if (r.assignment[i]! >= 0) return;
            let best = -1,
              bc = Infinity;
            for (const b of r.sites)
              if (cost[i]![b]! < bc) {
                bc = cost[i]![b]!;
                best = b;
              }
            if (best >= 0) serves[best]![pt.sector]! += 1e-3 * pt.weight;
          });
        }
      }
      const allowed = s.states.map((st) => allowedSectors(s, st));
      const mayWatch = s.states.map((st) => new Set(st.caveats.allowedSectors));
      const served = (st: number, b: number) =>
        serves[b]!.reduce((acc, v, sec) => acc + (allowed[st]!.has(sec) ? v : 0), 0);
      placeUnits(s, target, {
        team: (st, b, at) => (open[b] ? quotient(served(st, b), at[b]!) : 0),
        fixed: (st, sec, at, km) => (mayWatch[st]!.has(sec) ? fixedQuotient(s, w[sec]!, sec, at, km) : 0),
        uav: (st, sec, at) => (mayWatch[st]!.has(sec) ? quotient(w[sec]!, at[sec]!) : 0),
        why: (kind, where, score) =>
          kind === "team"
            ? `base ${where} chosen by ${summary}; D'Hondt quotient ${score.toPrecision(3)} on the demand it serves`
            : `sector ${where}: D'Hondt quotient ${score.toPrecision(3)} (risk-weighted sensors)`,
      });
    },
  };
}

export const pMedianStrategy = locationStrategy("p-median");
export const maxCoverStrategy = locationStrategy("max-cover");
