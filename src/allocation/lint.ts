/**
 * Lint of an allocation (warnings, not errors; see src/model/lint.ts for the scenario's own): a base given a
 * capacity for teams where the allocation places none. Only when the scenario contributes teams, and only for
 * bases whose capacity the scenario writes (a base left at the default capacity may be a UAV base alone).
 */
import { formatPath, type ScenarioIssue } from "../model/errors.js";
import { grouped, lintScenario } from "../model/lint.js";
import { toScenario } from "../model/parse.js";
import type { Allocation } from "./allocation.js";

/**
 * The lint warnings of a scenario's allocation; `[]` when every base with a written capacity holds a team.
 *
 * @example
 * const s = parseScenario(defaultScenario());
 * lintAllocation(s, await allocate(s, "risk-weighted")); // [] when every base gets a team
 */
export function lintAllocation(scenario: unknown, a: Allocation): ScenarioIssue[] {
  const s = toScenario(scenario);
  const teams = s.contributions.reduce((n, c) => n + (s.assets[c.asset]!.kind === "team" ? c.count : 0), 0);
  if (teams === 0) return [];
  const used = new Set(a.teams.map((t) => t.base));
  const src = s.source as { bases?: unknown } | null;
  const written = Array.isArray(src?.bases) ? src.bases : [];
  const idle = s.bases
    .filter((b) => b.capacity > 0 && !used.has(b.id))
    .filter((b) => {
      const w: unknown = written[b.index];
      return typeof w === "object" && w !== null && Object.hasOwn(w, "capacity");
    })
    .map((b) => ({ index: b.index, id: b.id, key: "capacity" }));
  return grouped(
    "bases",
    idle,
    (what) =>
      `the allocation (${a.strategy}) places no team at ${what}, though the scenario gives room for teams ` +
      `there; lower the capacity (0 if it hosts no teams), or check the strategy and the caveats of the ` +
      `states that could use it`,
  );
}

/**
 * Every lint warning of a scenario and its allocation, as `Result.warnings` holds them: "path: message".
 *
 * @example
 * lintWarnings(s, allocation);
 * // ["bases: the allocation (risk-weighted) places no team at pavlohrad (bases[5].capacity), …"]
 */
export function lintWarnings(scenario: unknown, a: Allocation): string[] {
  const s = toScenario(scenario);
  return [...lintScenario(s), ...lintAllocation(s, a)].map((w) => `${formatPath(w.path)}: ${w.message}`);
}
