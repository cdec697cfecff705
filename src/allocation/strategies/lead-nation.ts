/**
 * `lead-nation`: each state that leads sectors keeps its own assets in them —
 * its teams at the bases serving the sectors it leads, its sensors on those
 * sectors — apportioned by expected verifiable incidents × priority. States
 * that lead no sector support the whole line by the same weights
 * (risk-weighted), within their caveats.
 */
import type { Scenario } from "../../model/types.js";
import type { Allocation } from "../allocation.js";
import {
  allowedSectors,
  fixedQuotient,
  placeUnits,
  quotient,
  sectorWeights,
  servedBy,
  servedWeight,
} from "../common.js";
import type { Strategy } from "../strategy.js";

export const leadNation: Strategy = {
  name: "lead-nation",
  description:
    "each lead state takes the sectors it leads with its own assets; other states support the whole line by risk",
  allocate(s: Scenario, target: Allocation): void {
    const w = sectorWeights(s);
    const served = servedBy(s);
    // The sectors each state may use: those it leads (if any), within its caveats.
    const zone = s.states.map((st) => {
      const allowed = allowedSectors(s, st);
      const led = new Set([...allowed].filter((k) => s.sectors[k]!.lead === st.index));
      return led.size > 0 ? led : allowed;
    });
    const leads = s.states.map((st) => s.sectors.some((x) => x.lead === st.index));
    placeUnits(s, target, {
      team: (st, b, at) => quotient(servedWeight(s, served, zone[st]!, w, b), at[b]!),
      fixed: (st, sec, at, km) => (zone[st]!.has(sec) ? fixedQuotient(s, w[sec]!, sec, at, km) : 0),
      uav: (st, sec, at) => (zone[st]!.has(sec) ? quotient(w[sec]!, at[sec]!) : 0),
      why: (kind, where, score) => {
        const zoneName = kind === "team" ? "led sectors' bases" : "led sectors";
        return (
          `${kind === "team" ? "base" : "sector"} ${where}: within the state's ${zoneName} ` +
          `(or the whole line for states leading none), D'Hondt quotient ${score.toPrecision(3)}`
        );
      },
    });
    for (const t of target.teams) {
      const st = s.states.find((x) => x.id === t.state)!;
      if (!leads[st.index]) t.why = `${st.id} leads no sector; supports the line: ${t.why}`;
    }
  },
};
