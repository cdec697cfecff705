/**
 * Generate schema/scenario.schema.json from the zod schema (src/model/schema.ts).
 * Run with `npm run schema`; tests/schema.test.ts fails when the committed file is stale.
 */
import { writeFileSync } from "node:fs";
import { scenarioJsonSchema } from "../src/model/json-schema.ts";

writeFileSync(
  new URL("../schema/scenario.schema.json", import.meta.url),
  `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`,
);
console.log("wrote schema/scenario.schema.json");
