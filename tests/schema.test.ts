import { describe, expect, expectTypeOf, it } from "vitest";
import { readFileSync } from "node:fs";
import type { z } from "zod";
import { scenarioJsonSchema } from "../src/model/json-schema.js";
import type { ScenarioInput } from "../src/model/input.js";
import type { scenarioSchema } from "../src/model/schema.js";
import { defaultScenario } from "../src/scenarios/index.js";
import { VERSION } from "../src/version.js";

describe("published files", () => {
  it("schema/scenario.schema.json is generated from the zod schema (run `npm run schema` after changing it)", () => {
    const committed = JSON.parse(readFileSync(new URL("../schema/scenario.schema.json", import.meta.url), "utf8"));
    expect(committed).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
    expect(committed.required).toEqual(
      expect.arrayContaining(["format", "name", "horizon", "sectors", "states", "coordination"]),
    );
  });
  it("VERSION equals package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(VERSION).toBe(pkg.version);
  });
});

describe("ScenarioInput", () => {
  // A type test (tsc checks it; `npm test` runs tsc): the hand-written public input type is the zod schema's
  // input type, so the two cannot drift apart.
  it("equals the zod schema's input type", () => {
    expectTypeOf<ScenarioInput>().toEqualTypeOf<z.input<typeof scenarioSchema>>();
    expectTypeOf(defaultScenario()).toEqualTypeOf<ScenarioInput>();
  });
});
