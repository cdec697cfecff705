/** National caveats: where a state's teams may work (one definition, for allocation, lint and the record). */
import type { Scenario, State } from "./types.js";

/** Sectors a state's teams may enter (allowed, not excluded, risk within its maximum). */
export function allowedSectors(s: Scenario, st: State): Set<number> {
  return new Set(st.caveats.allowedSectors.filter((k) => s.sectors[k]!.risk <= st.caveats.maxRisk));
}
