/**
 * `custom`: an explicit placement given as options, in the same form as a
 * scenario's `allocation` ({ teams: [{ state, asset, base, count }],
 * sensors: [{ state, asset, count, sector | from/to, base? }] }) — so a
 * hand-made allocation can be run by name from the CLI or compared with the
 * built-in strategies. Validated like the scenario's own.
 */
import { parseScenario } from "../../model/parse.js";
import type { Scenario } from "../../model/types.js";
import { explicitAllocation, type Allocation } from "../allocation.js";
import type { Strategy } from "../strategy.js";

export const custom: Strategy = {
  name: "custom",
  description: "an explicit placement passed as options { teams, sensors } (the scenario allocation format)",
  allocate(s: Scenario, target: Allocation, options: Record<string, unknown> = {}): void {
    if (!Array.isArray(options.teams) && !Array.isArray(options.sensors))
      throw new RangeError(
        "custom: expected options { teams: [{ state, asset, base, count }], " +
          "sensors: [{ state, asset, count, sector | from/to }] }",
      );
    // Resolve the placements through the scenario parser, so every reference is checked with a path.
    const withPlacement = parseScenario({
      ...(s.source as object),
      allocation: { teams: options.teams ?? [], sensors: options.sensors ?? [] },
    });
    const a = explicitAllocation(withPlacement);
    target.teams.push(...a.teams);
    target.sensors.push(...a.sensors);
    target.idle.push(...a.idle);
    for (const u of [...target.teams, ...target.sensors])
      u.why = u.why.replace("the scenario's allocation", "the custom allocation");
  },
};
