/**
 * The family of weight-based strategies: teams to bases in proportion to the
 * weight of the sectors each base serves (the sectors nearest to it), and
 * sensors to sectors in proportion to sector weight, both by D'Hondt
 * apportionment within caveats and capacities. `uniform`, `proportional`
 * and `risk-weighted` differ only in the weight.
 */
import type { Scenario } from "../../model/types.js";
import type { Allocation } from "../allocation.js";
import { allowedSectors, fixedQuotient, placeUnits, quotient, servedBy, servedWeight } from "../common.js";
import type { Strategy } from "../strategy.js";

export function weightedStrategy(
  name: string,
  description: string,
  weightName: string,
  weights: (s: Scenario) => number[],
): Strategy {
  return {
    name,
    description,
    allocate(s: Scenario, target: Allocation): void {
      const w = weights(s);
      const served = servedBy(s);
      const allowed = s.states.map((st) => allowedSectors(s, st));
      placeUnits(s, target, {
        team: (st, b, at) => quotient(servedWeight(s, served, allowed[st]!, w, b), at[b]!),
        fixed: (st, sec, at, km) =>
          allowed[st]!.has(sec) || s.states[st]!.caveats.allowedSectors.includes(sec)
            ? fixedQuotient(s, w[sec]!, sec, at, km)
            : 0,
        uav: (st, sec, at) => (s.states[st]!.caveats.allowedSectors.includes(sec) ? quotient(w[sec]!, at[sec]!) : 0),
        why: (kind, where, score) =>
          kind === "team"
            ? `base ${where}: D'Hondt quotient ${score.toPrecision(3)} = ${weightName} of the sectors it serves ` +
              `that the state may enter / (1 + teams already there)`
            : `sector ${where}: D'Hondt quotient ${score.toPrecision(3)} = ${weightName} / ` +
              `(1 + ${kind === "fixed" ? "sensors" : "UAVs"} already there)`,
      });
    },
  };
}
