import type { ScenarioInput } from "../../src/model/input.js";

/**
 * A small scenario to probe single mechanisms: one 100 km sector with 2 incidents an hour (all minor, half at
 * night), one state, one base, no assets; `patch` edits it. `horizon`: how long it runs (default 2000 h).
 */
export function probe(patch: (s: ScenarioInput) => void, horizon = "2000 h"): ScenarioInput {
  const s: ScenarioInput = {
    format: "ceasefire-sim/scenario@1",
    name: "probe",
    horizon,
    warmup: "0 h",
    daylight: { dawn: "6 h", dusk: "18 h" },
    sectors: [
      {
        id: "s",
        lengthKm: 100,
        incidents: { rate: "2 /h", nightShare: 0.5, severity: { minor: 1, major: 0, critical: 0 } },
        lead: "a",
      },
    ],
    states: [{ id: "a", name: "A", role: "lead" }],
    assets: [],
    bases: [{ id: "b", location: { x: 50, offsetKm: 0 } }],
    contributions: [],
    coordination: { lead: "a" },
  };
  patch(s);
  return s;
}
