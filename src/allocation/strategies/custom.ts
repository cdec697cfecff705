/**
 * `custom`: an explicit placement given as options, in the same form as a
 * scenario's `allocation` ({ teams: [{ state, asset, base, count }],
 * sensors: [{ state, asset, count, sector | from/to, base? }] }) — so a
 * hand-made allocation can be run by name from the CLI or compared with the
 * built-in strategies. Validated like the scenario's own.
 */
import { parseScenario } from "../../model/parse.js";
import { ScenarioError } from "../../model/errors.js";
import type { Scenario } from "../../model/types.js";
import { explicitAllocation, type Allocation } from "../allocation.js";
import type { Strategy } from "../strategy.js";

export const custom: Strategy = {
  name: "custom",
  description: "an explicit placement passed as options { teams, sensors } (the scenario allocation format)",
  allocate(s: Scenario, target: Allocation, options: Record<string, unknown> = {}): void {
    const teams = Object.hasOwn(options, "teams") ? options.teams : undefined;
    const sensors = Object.hasOwn(options, "sensors") ? options.sensors : undefined;
    if (!Array.isArray(teams) && !Array.isArray(sensors))
      throw new RangeError(
        "custom: expected options { teams: [{ state, asset, base, count }], " +
          "sensors: [{ state, asset, count, sector | from/to }] }",
      );
    // Resolve the placements through the scenario parser, so every reference is checked with a path (given here
    // as the path in the options: options.teams[0].base rather than allocation.teams[0].base).
    let withPlacement: Scenario;
    try {
      withPlacement = parseScenario({
        ...(s.source as object),
        allocation: { teams: teams ?? [], sensors: sensors ?? [] },
      });
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      const issues = e.issues.map((i) => ({
        path: i.path[0] === "allocation" ? ["options", ...i.path.slice(1)] : [...i.path],
        message: i.message,
      }));
      throw new ScenarioError(issues, "the custom allocation");
    }
    const a = explicitAllocation(withPlacement);
    target.teams.push(...a.teams);
    target.sensors.push(...a.sensors);
    target.idle.push(...a.idle);
    for (const u of [...target.teams, ...target.sensors])
      u.why = u.why.replace("the scenario's allocation", "the custom allocation");
  },
};
