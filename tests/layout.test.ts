/**
 * The declaration table (src/layout/declaration.ts) is the one place the engine's codes, fields and slots are
 * declared: the generated constants follow it by position, and no source file numbers one by hand.
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { ARRAYS, CODES, INCIDENT_UNIFORMS, RESULTS, SCALARS, SECTOR_FIELDS } from "../src/layout/declaration.js";
import * as L from "../src/layout/slots.generated.js";

const constant = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
const generated = L as unknown as Record<string, number>;

describe("the declaration table", () => {
  it("numbers codes, uniforms, scalars, results and arrays by their position", () => {
    const positions = (prefix: string, names: readonly string[]) =>
      names.map((n) => generated[`${prefix}_${constant(n)}`]);
    const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);
    for (const [prefix, list] of Object.entries(CODES)) {
      const names = list.map((e) => (typeof e === "string" ? e : e.name));
      expect(positions(prefix, names)).toEqual(upTo(list.length));
    }
    expect(positions("U", INCIDENT_UNIFORMS)).toEqual(upTo(INCIDENT_UNIFORMS.length));
    expect(
      positions(
        "S",
        SCALARS.map((s) => s.name),
      ),
    ).toEqual(upTo(SCALARS.length));
    expect(positions("R", RESULTS)).toEqual(upTo(RESULTS.length));
    expect(
      positions(
        "A",
        ARRAYS.map((a) => a.name),
      ),
    ).toEqual(upTo(ARRAYS.length));
    expect(L.N_ARRAYS).toBe(ARRAYS.length);
  });

  it("lays the tally's runs end to end: F_CH spans one field per channel", () => {
    expect(L.F_CH + CODES.CH.length).toBe(L.F_COV);
    const width = SECTOR_FIELDS.reduce((n, e) => n + (typeof e === "string" ? 1 : e[1]), 0);
    expect(L.SECTOR_FIELDS).toBe(width);
  });

  it("is the only place that numbers them: no tracked source file defines such a constant by hand", () => {
    const files = execFileSync("git", ["ls-files", "src", "tests", "bench", "scripts"], { encoding: "utf8" })
      .split("\n")
      .filter((f) => /\.(ts|mjs|js)$/.test(f) && !f.endsWith("layout.test.ts"));
    const prefixed = /\b(?:A|S|R|F|T|ST|U|CH|OUT|EV|DIST)_[A-Z0-9_]+\s*=\s*\d/;
    const counts = /\b(?:SECTOR_FIELDS|TEAM_FIELDS|STATE_FIELDS|N_ARRAYS|DRAWS)\s*=\s*\d/;
    const handNumbered = { test: (text: string) => prefixed.test(text) || counts.test(text) };
    const offenders = files.filter((f) => handNumbered.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });
});
