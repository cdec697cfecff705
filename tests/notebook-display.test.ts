/**
 * `ceasefire-sim/notebook` without Jupyter: what `show`, `chart`, `map` and `table` hand the kernel through
 * `[Symbol.for("Jupyter.display")]` (tests/notebook.test.ts runs the notebooks themselves in the Deno kernel).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { defaultScenario } from "../src/scenarios/index.js";
import { parseScenario } from "../src/model/parse.js";
import { simulate, type Result } from "../src/experiment/simulate.js";
import { compare, type Comparison } from "../src/experiment/compare.js";
import { answer } from "../src/report/answer.js";
import { escapeHtml } from "../src/report/html.js";
import { chart, type Display, map, show, table, type MimeBundle } from "../src/node/notebook.js";
import type { Scenario } from "../src/model/types.js";

const DISPLAY = Symbol.for("Jupyter.display");
const bundle = (d: Display): MimeBundle => (d as unknown as Record<symbol, () => MimeBundle>)[DISPLAY]!();

let scenario: Scenario;
let result: Result;
let comparison: Comparison;
beforeAll(async () => {
  scenario = parseScenario(defaultScenario());
  result = await simulate(scenario, { replications: 8, seed: 1, horizon: "10 d" });
  comparison = await compare(scenario, ["risk-weighted", "uniform"], {
    replications: 8,
    seed: 1,
    horizon: "10 d",
    metrics: ["withinStandard"],
  });
}, 120_000);

describe("ceasefire-sim/notebook display", () => {
  it("show(result): the answer's sentences, then the headline metrics with their 95% CIs, as HTML and text", () => {
    const b = bundle(show(result, { scenario }));
    expect(Object.keys(b)).toEqual(["text/html", "text/plain"]);
    const sentences = answer(result, { scenario });
    for (const s of sentences) {
      expect(b["text/html"]).toContain(escapeHtml(s));
      expect(b["text/plain"]).toContain(s);
    }
    const w = result.line.withinStandard;
    const p = (v: number) => `${(100 * v).toFixed(1)}%`;
    expect(b["text/plain"]).toContain(`Share verified within the standard (%) | ${p(w.value)} (${p(w.lo)}–${p(w.hi)})`);
    expect(b["text/html"]).toMatch(/^<div class="ceasefire-sim-result">[\s\S]*<table[\s\S]*<\/table><\/div>$/);
  });

  it("show(comparison): each arm's estimate and its paired difference from the baseline", () => {
    const text = bundle(show(comparison))["text/plain"]!;
    const d = comparison.metrics[0]!.differences[0]!.paired;
    const s = (v: number) => `${v > 0 ? "+" : "−"}${Math.abs(100 * v).toFixed(1)}`;
    expect(text).toContain(`| uniform | `);
    expect(text).toContain(`${s(d.value)} pp [${s(d.lo)}, ${s(d.hi)}]`);
    expect(() => show({} as never)).toThrow(/show: expected a Result, a Comparison/);
  });

  it("table(rows): columns from the rows, text escaped, numbers to 4 significant digits", () => {
    const b = bundle(
      table(
        [
          { state: "<b>&</b>", share: 0.123456 },
          { state: "x", extra: 2 },
        ],
        { caption: "C" },
      ),
    );
    expect(b["text/plain"]).toBe("C\nstate | share | extra\n<b>&</b> | 0.1235 | \nx |  | 2");
    expect(b["text/html"]).toContain("<td style=");
    expect(b["text/html"]).toContain("&lt;b&gt;&amp;&lt;/b&gt;");
    expect(b["text/html"]).not.toContain("<b>&</b>");
    expect(() => table([1] as never)).toThrow(/rows: expected an array of objects/);
  });

  it("chart(…): vega's SVG inline in the HTML (ids unique per chart) and as a standalone image", async () => {
    const a = bundle(await chart(result, "burden", { scenario })),
      b = bundle(await chart(result, "burden", { scenario }));
    for (const x of [a, b]) {
      expect(x["text/html"]).toMatch(/^<div class="ceasefire-sim-chart"><svg id="ceasefire-sim-chart-\d+"/);
      expect((x["text/html"]!.match(/<(path|rect|line)\b/g) ?? []).length).toBeGreaterThan(20);
      expect(x["image/svg+xml"]).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(x["text/html"]).toContain(">United Kingdom<"); // names, not ids
      expect(x["text/plain"]).toBe(
        "[chart: Burden by contributing state (% of units, teams and tasks; utilisation %)]",
      );
    }
    const id = (x: MimeBundle) => x["text/html"]!.match(/<svg id="([^"]+)"/)![1];
    expect(id(a)).not.toBe(id(b));
  });

  it("map(result): the report's map with its caption; a Display is its plain text as a string", () => {
    const d = map(result, { scenario, metric: "coverage.effective.night" });
    const b = bundle(d);
    expect(b["text/html"]).toContain('class="map"');
    expect(b["text/html"]).toContain("Effective sensor coverage by night (%)");
    expect((b["text/html"]!.match(/<path class="sector"/g) ?? []).length).toBe(result.sectors.length);
    expect(String(d)).toBe(b["text/plain"]);
    expect(() => map(result, { scenario, metric: "response.mean" as never })).toThrow(/metric: expected one of/);
  });
});
