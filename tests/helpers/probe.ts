import type { ScenarioInput, UavAssetInput } from "../../src/model/input.js";

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

/**
 * The probe with one UAV orbiting over the whole 100 km line from a base 30 km off it: transit 30 km / 60 km/h =
 * 0.5 h each way, so on station 6 − 2 × 0.5 = 5 h of every 8 h cycle. `uav` overrides the drone's fields
 * (detection 1 by default); `patch` edits the rest.
 */
export function droneProbe(
  uav: Partial<UavAssetInput>,
  horizon?: string,
  patch: (s: ScenarioInput) => void = () => {},
): ScenarioInput {
  return probe((s) => {
    s.bases = [{ id: "b", location: { x: 50, offsetKm: 30 } }];
    s.assets = [
      {
        id: "drone",
        kind: "uav",
        coverKm: 100,
        speed: "60 km/h",
        endurance: "6 h",
        turnaround: "2 h",
        detection: 1,
        ...uav,
      },
    ];
    s.contributions = [{ state: "a", asset: "drone", count: 1 }];
    patch(s);
  }, horizon);
}
