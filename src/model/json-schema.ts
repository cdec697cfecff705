/** The JSON Schema of the scenario format, generated from the zod schema (describes the input as users write it). */
import * as z from "zod";
import { SCENARIO_FORMAT } from "./input.js";
import { scenarioSchema } from "./schema.js";

export function scenarioJsonSchema(): Record<string, unknown> {
  const js = z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
  return {
    $id: "https://github.com/ceasefire-sim/ceasefire-sim/schema/scenario.schema.json",
    title: `ceasefire-sim scenario (${SCENARIO_FORMAT})`,
    description:
      'Quantities are unit strings ("40 km/h", "90 min", "36 /d"); bare numbers only for probabilities, shares ' +
      "and counts (and km where the field name says Km).",
    ...js,
  };
}
