/**
 * The embedded scenarios. `coalition-2026` is the default; the presets vary
 * its monitoring force. All are illustrative: every number is marked
 * sourced, derived or assumed in docs/sources.md.
 */
import coalition2026 from "./coalition-2026.json" with { type: "json" };
import smmDensity from "./smm-density.json" with { type: "json" };
import gcsp5000 from "./gcsp-5000.json" with { type: "json" };
import technicalOnly from "./technical-only.json" with { type: "json" };
import type { ScenarioInput } from "../model/input.js";

export type ScenarioName = "coalition-2026" | "smm-density" | "gcsp-5000" | "technical-only";

const all: Record<ScenarioName, unknown> = {
  "coalition-2026": coalition2026,
  "smm-density": smmDensity,
  "gcsp-5000": gcsp5000,
  "technical-only": technicalOnly,
};

/** Names of the embedded scenarios, default first. */
export const scenarioNames: readonly ScenarioName[] = Object.freeze(Object.keys(all) as ScenarioName[]);

/**
 * A fresh, editable copy of an embedded scenario (input form, with unit strings).
 *
 * @example
 * const s = scenario("smm-density");
 * s.horizon = "60 d";
 * await simulate(s);
 */
export function scenario(name: ScenarioName): ScenarioInput {
  const s = all[name];
  if (s === undefined)
    throw new RangeError(`unknown scenario ${JSON.stringify(name)}; embedded: ${scenarioNames.join(", ")}`);
  return structuredClone(s) as ScenarioInput;
}

/** A fresh, editable copy of the default scenario, `coalition-2026`. */
export function defaultScenario(): ScenarioInput {
  return scenario("coalition-2026");
}
