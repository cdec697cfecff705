import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { scenarioJsonSchema } from "../src/model/json-schema.js";
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
