/**
 * `greedy-coverage`: each unit goes where it adds the most verifiable
 * incidents reachable within the response standard.
 *
 * - A team at base b reaches sector s when its state may enter s and its
 *   travel time to the sector's incident centre fits the travel budget (the
 *   standard minus the mean reporting, tasking and access delays). A sector
 *   reached by k teams counts w_s (1 − ½^k): the first team covers half, each
 *   further team half of what is left — backups matter because teams are
 *   busy. Each team goes to the base with the largest marginal gain.
 * - A fixed sensor adds w_s × (newly watched km / sector km) × its mean
 *   day/night detection; a UAV orbit over a sector adds w_s × its mean
 *   detection × ½^(orbits already there + 1).
 */
import type { Scenario } from "../../model/types.js";
import type { Allocation } from "../allocation.js";
import { allowedSectors, centreOfMass, placeUnits, sectorWeights, travelBudget, travelHours } from "../common.js";
import type { Strategy } from "../strategy.js";

export const greedyCoverage: Strategy = {
  name: "greedy-coverage",
  description:
    "each unit where it adds the most verifiable incidents reachable within the response standard " +
    "(diminishing returns)",
  allocate(s: Scenario, target: Allocation): void {
    const w = sectorWeights(s);
    const allowed = s.states.map((st) => allowedSectors(s, st));
    const mayWatch = s.states.map((st) => new Set(st.caveats.allowedSectors));
    const reachCount = new Array<number>(s.sectors.length).fill(0);
    const reaches = (st: number, b: number, speed: number) =>
      s.sectors.filter(
        (sec) =>
          allowed[st]!.has(sec.index) && travelHours(s, b, centreOfMass(sec), speed, sec.index) <= travelBudget(s, sec),
      );
    placeUnits(s, target, {
      team: (st, b, _at, asset) => {
        let gain = 0;
        for (const sec of reaches(st, b, asset.speed)) gain += w[sec.index]! * 0.5 ** (reachCount[sec.index]! + 1);
        return gain;
      },
      fixed: (st, sec, _at, km, asset) => {
        if (!mayWatch[st]!.has(sec)) return 0;
        const len = s.sectors[sec]!.lengthKm,
          newKm = Math.min(asset.coverKm, Math.max(0, len - km[sec]!));
        const det = (asset.detection.day + asset.detection.night) / 2;
        // A fully watched sector still takes extra sensors (overlap) at a token score, the busiest first.
        return newKm > 0 ? (w[sec]! * det * newKm) / len : (1e-6 * w[sec]!) / (1 + km[sec]! / len);
      },
      uav: (st, sec, at, asset) =>
        mayWatch[st]!.has(sec)
          ? w[sec]! * ((asset.detection.day + asset.detection.night) / 2) * 0.5 ** (at[sec]! + 1)
          : 0,
      placed: (kind, st, where, asset) => {
        if (kind === "team" && asset.kind === "team")
          for (const sec of reaches(st, where, asset.speed)) reachCount[sec.index]! += 1;
      },
      why: (kind, where, score) =>
        `${kind === "team" ? "base" : "sector"} ${where}: largest marginal gain, ` +
        `${score.toPrecision(3)} weighted verifiable incidents/h newly within reach`,
    });
  },
};
