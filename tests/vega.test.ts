/**
 * `vegaLite(data, chart)`: every chart compiles with vega-lite's `compile`
 * without warnings, parses as Vega, is plain JSON, and carries a title,
 * axis titles with units, tooltips and the fields it promises. Inputs are
 * small seeded runs of the default scenario.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { compile, type TopLevelSpec } from "vega-lite";
import * as vega from "vega";
import { defaultScenario, scenario as embedded } from "../src/scenarios/index.js";
import { simulate, type Result } from "../src/experiment/simulate.js";
import { withdrawal, type WithdrawalTable } from "../src/experiment/withdrawal.js";
import { compare, type Comparison } from "../src/experiment/compare.js";
import { sweep, type SweepRow } from "../src/experiment/sweep.js";
import { tornado, type TornadoResult } from "../src/experiment/sensitivity.js";
import { namesOf } from "../src/report/html.js";
import { parseScenario } from "../src/model/parse.js";
import { vegaLite, VEGA_LITE_CHARTS, type VegaLiteChart, type VegaLiteSpec } from "../src/report/vega.js";

const FAST = { replications: 4, seed: 1, horizon: "10 d" } as const;

let result: Result;
let comparison: Comparison;
let table: WithdrawalTable;
let rows: SweepRow[];
let tor: TornadoResult;

beforeAll(async () => {
  result = await simulate(defaultScenario(), FAST);
  comparison = await compare(defaultScenario(), ["risk-weighted", "uniform"], FAST);
  table = await withdrawal(defaultScenario(), { ...FAST, replications: 3, states: ["gb", "fr", "ee"] });
  rows = await sweep(defaultScenario(), {
    parameters: [
      { path: "contributions[state=gb,asset=team].count", values: [10, 30] },
      { path: "travel.circuity", values: [1.2, 1.5] },
    ],
    metrics: ["response.mean", "withinStandard"],
    replications: 3,
    horizon: "5 d",
  });
  tor = await tornado(defaultScenario(), {
    metric: "response.mean",
    replications: 3,
    horizon: "5 d",
    parameters: [
      { path: "contributions[state=gb,asset=team].count", low: 10, high: 30 },
      { path: "travel.circuity", low: 1.1, high: 1.6 },
    ],
  });
});

/** Compile with vega-lite, collecting its warnings, then parse the Vega spec. */
function compileStrict(spec: VegaLiteSpec): { warnings: string[]; vg: ReturnType<typeof compile>["spec"] } {
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    error: (...a: unknown[]) => {
      warnings.push(`error: ${a.join(" ")}`);
      return logger;
    },
    warn: (...a: unknown[]) => {
      warnings.push(`warn: ${a.join(" ")}`);
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  const vg = compile(spec as unknown as TopLevelSpec, { logger: logger as never }).spec;
  vega.parse(vg); // throws on an invalid Vega spec
  return { warnings, vg };
}

/** Every encoding channel object in a (possibly layered, concatenated or faceted) spec. */
function encodings(spec: Record<string, unknown>): Record<string, Record<string, unknown>>[] {
  const out: Record<string, Record<string, unknown>>[] = [];
  const visit = (s: unknown) => {
    if (!s || typeof s !== "object") return;
    const o = s as Record<string, unknown>;
    if (o.encoding) out.push(o.encoding as Record<string, Record<string, unknown>>);
    for (const k of ["layer", "vconcat", "hconcat", "concat"])
      if (Array.isArray(o[k])) (o[k] as unknown[]).forEach(visit);
    if (o.spec) visit(o.spec);
  };
  visit(spec);
  return out;
}

/** Titles of quantitative x and y axes. */
const axisTitles = (spec: VegaLiteSpec) =>
  encodings(spec).flatMap((e) =>
    ["x", "y"]
      .filter((c) => e[c]?.type === "quantitative")
      .map((c) => e[c]!.title)
      .filter((t): t is string => typeof t === "string"),
  );

function cases(): [string, VegaLiteChart, () => VegaLiteSpec][] {
  return [
    ["response-cdf of a Result", "response-cdf", () => vegaLite(result, "response-cdf")],
    ["response-cdf of a Comparison", "response-cdf", () => vegaLite(comparison, "response-cdf")],
    ["response-cdf of Result[]", "response-cdf", () => vegaLite([result, result], "response-cdf")],
    ["sectors", "sectors", () => vegaLite(result, "sectors")],
    ["channels of a Result", "channels", () => vegaLite(result, "channels")],
    ["channels of a Comparison", "channels", () => vegaLite(comparison, "channels")],
    ["burden", "burden", () => vegaLite(result, "burden")],
    ["sweep (all metrics)", "sweep", () => vegaLite(rows, "sweep")],
    [
      "sweep (one metric, by circuity)",
      "sweep",
      () => vegaLite(rows, "sweep", { metric: "withinStandard", parameter: "travel.circuity" }),
    ],
    ["tornado", "tornado", () => vegaLite(tor, "tornado")],
    ["withdrawal", "withdrawal", () => vegaLite(table, "withdrawal")],
    ["withdrawal (response.mean)", "withdrawal", () => vegaLite(table, "withdrawal", { metric: "response.mean" })],
  ];
}

describe("vegaLite", () => {
  it("covers every chart in VEGA_LITE_CHARTS", () => {
    expect(new Set(cases().map((c) => c[1]))).toEqual(new Set(VEGA_LITE_CHARTS));
  });

  it.each(cases())("%s compiles with vega-lite without warnings and parses as Vega", (_name, _chart, make) => {
    const spec = make();
    const { warnings, vg } = compileStrict(spec);
    expect(warnings).toEqual([]);
    expect(vg.marks?.length ?? 0).toBeGreaterThan(0);
  });

  it.each(cases())(
    "%s is plain JSON with a v6 schema, a title, a subtitle, data, tooltips and axis titles with units",
    (_name, _chart, make) => {
      const spec = make();
      expect(JSON.parse(JSON.stringify(spec))).toStrictEqual(spec);
      expect(spec.$schema).toBe("https://vega.github.io/schema/vega-lite/v6.json");
      expect(spec.title.text.length).toBeGreaterThan(10);
      // The title names the unit of what is drawn.
      expect(spec.title.text).toMatch(/\((h|%|percentage points|per day)\)|\((%|h)[^)]*\)/);
      expect(spec.title.subtitle!.length).toBeGreaterThan(0);
      expect(spec.description.length).toBeGreaterThan(10);
      expect(spec.data.values.length).toBeGreaterThan(0);
      expect(encodings(spec).some((e) => Array.isArray(e.tooltip) && e.tooltip.length > 0)).toBe(true);
      // Every quantitative axis title names a unit: (h), (%), (km …), (per day), (percentage points), or is a
      // parameter path.
      const titles = axisTitles(spec);
      expect(titles.length).toBeGreaterThan(0);
      for (const t of titles) expect(t).toMatch(/\((h|%|km[^)]*|per day|percentage points)\)$|hours|^[a-z[\]=,.]+$/i);
      // No field name with a dot or a bracket (Vega-Lite would read it as a nested path).
      for (const v of spec.data.values) for (const k of Object.keys(v)) expect(k).toMatch(/^[A-Za-z]+$/);
    },
  );

  it('"response-cdf" draws (0, 0), p50, p90 and p95 per strategy, increasing, and labels them honestly', () => {
    const spec = vegaLite(comparison, "response-cdf");
    expect(spec.title.text).toBe("Response time (h): cumulative share of verified incidents (%)");
    expect(spec.title.subtitle!.join(" ")).toMatch(/interpolation, not data/);
    for (const [i, name] of comparison.strategies.entries()) {
      const pts = spec.data.values.filter((d) => d.kind === "quantile" && d.strategy === name);
      expect(pts.map((d) => d.quantile)).toEqual(["start", "p50", "p90", "p95"]);
      expect(pts.map((d) => d.share)).toEqual([0, 0.5, 0.9, 0.95]);
      const r = comparison.results[i]!.line.response;
      expect(pts.map((d) => d.hours)).toEqual([0, r.p50.value, r.p90.value, r.p95.value]);
      expect(spec.data.values.find((d) => d.kind === "mean" && d.strategy === name)!.hours).toBe(r.mean.value);
    }
    expect(spec.data.values.filter((d) => d.kind === "standard")).toEqual([{ kind: "standard", hours: 24 }]);
  });

  it('"response-cdf" names repeated strategies of a Result[] apart', () => {
    const names = new Set(
      vegaLite([result, result], "response-cdf")
        .data.values.filter((d) => d.kind === "mean")
        .map((d) => d.strategy),
    );
    expect(names).toEqual(new Set(["risk-weighted", "risk-weighted (2)"]));
  });

  it('"response-cdf" of a run where nothing was verified draws no curve and says why', async () => {
    const none = await simulate(embedded("technical-only"), { replications: 2, horizon: "3 d" });
    const spec = vegaLite(none, "response-cdf");
    expect(spec.data.values.filter((d) => d.kind !== "standard")).toEqual([]);
    expect(spec.title.subtitle!.at(-1)).toBe("No incident was verified: no response times to draw.");
    expect(compileStrict(spec).warnings).toEqual([]);
  });

  it('"sectors" places each sector by cumulative km, with day and night coverage and detection', () => {
    const spec = vegaLite(result, "sectors");
    expect(spec.data.values).toHaveLength(3 * result.sectors.length);
    let km = 0;
    for (const s of result.sectors) {
      const v = spec.data.values.filter((d) => d.sector === s.id);
      expect(v.map((d) => d.key)).toEqual([
        "coverage.effective.day",
        "coverage.effective.night",
        "detection.probability",
      ]);
      for (const d of v) expect([d.from, d.to]).toEqual([km, km + s.lengthKm]);
      expect(v[0]!.value).toBe(s.coverage.effective.day.value);
      expect(v[1]!.value).toBe(s.coverage.effective.night.value);
      expect(v[2]!.value).toBe(s.detection.probability.value);
      km += s.lengthKm;
    }
    expect(km).toBe(1250);
    expect(axisTitles(spec)).toContain("Distance along the line (km from the start)");
  });

  it('"channels" of a Result has a bar per sector plus the whole line, each adding up to 1', () => {
    const spec = vegaLite(result, "channels");
    const scopes = [...new Set(spec.data.values.map((d) => d.scope as string))];
    expect(scopes).toHaveLength(1 + result.sectors.length);
    expect(scopes[0]).toMatch(/^Whole line \(\d+\.\d% detected\)$/);
    for (const s of scopes) {
      const sum = spec.data.values.filter((d) => d.scope === s).reduce((a, d) => a + (d.value as number), 0);
      expect(sum).toBeCloseTo(1, 6);
    }
  });

  it("names ({ names: namesOf(scenario) }) replace ids in the burden, sectors and channels charts", () => {
    const names = namesOf(parseScenario(defaultScenario()));
    const burden = vegaLite(result, "burden", { names });
    const states = new Set(burden.data.values.map((d) => d.state));
    expect(states.has("United Kingdom")).toBe(true);
    expect(states.has("gb")).toBe(false);
    expect([...states].every((n) => Object.values(names).includes(n as string))).toBe(true);
    const sectors = vegaLite(result, "sectors", { names });
    expect(new Set(sectors.data.values.map((d) => d.sector))).toContain("Orikhiv");
    const channels = vegaLite(result, "channels", { names });
    expect(channels.data.values.some((d) => String(d.scope).startsWith("Orikhiv ("))).toBe(true);
    expect(() => vegaLite(result, "burden", { names: { gb: 1 } as never })).toThrow(/names: expected an object/);
  });

  it('"burden" lists contributing states by asset share with their task share and utilisation', () => {
    const spec = vegaLite(result, "burden");
    const gb = result.states.find((s) => s.id === "gb")!;
    const v = spec.data.values.filter((d) => d.state === "gb");
    expect(v.map((d) => d.measure)).toEqual(["Asset share", "Team share", "Task share", "Utilisation"]);
    expect(v[0]!.value).toBe(gb.assetShare);
    expect(v[2]!.value).toBe(gb.taskShare.value);
    // States without units are left out; the one with most units comes first.
    const shown = new Set(spec.data.values.map((d) => d.state));
    expect(shown.size).toBe(result.states.filter((s) => s.teams + s.sensors > 0).length);
    const first = spec.data.values.find((d) => d.rank === 0)!.state;
    expect(first).toBe([...result.states].sort((a, b) => b.assetShare - a.assetShare)[0]!.id);
  });

  it('"sweep" copies parameter paths to plain fields and draws one line per value of the second parameter', () => {
    const spec = vegaLite(rows, "sweep");
    expect(spec.vconcat).toHaveLength(2);
    expect(spec.title.text).toMatch(/^Sweep over contributions\[state=gb,asset=team\]\.count \((%, h|h, %)\)$/);
    expect(new Set(spec.data.values.map((d) => d.x))).toEqual(new Set([10, 30]));
    expect(new Set(spec.data.values.map((d) => d.series))).toEqual(new Set(["1.2", "1.5"]));
    const one = vegaLite(rows, "sweep", { metric: "response.mean", series: null });
    expect(one.vconcat).toBeUndefined();
    expect(new Set(one.data.values.map((d) => d.metric))).toEqual(new Set(["response.mean"]));
    expect(axisTitles(one)).toContain("Mean response time (h)");
  });

  it('"tornado" has two bars per parameter around the base value', () => {
    const spec = vegaLite(tor, "tornado");
    expect(spec.data.values).toHaveLength(2 * tor.rows.length);
    expect(spec.data.values.every((d) => d.base === tor.base.value)).toBe(true);
    expect(spec.data.values[0]!.label).toBe(`${tor.rows[0]!.path} (${tor.rows[0]!.low} → ${tor.rows[0]!.high})`);
  });

  it('"withdrawal" shows changes in percentage points in table order, with a verdict from the CI', () => {
    const spec = vegaLite(table, "withdrawal");
    expect(spec.title.text).toBe(
      "If one state withdraws: change in share verified within the standard (percentage points)",
    );
    expect(spec.data.values.map((d) => d.id)).toEqual(table.rows.map((r) => r.state));
    const gb = table.rows.find((r) => r.state === "gb")!.metrics.withinStandard!.change;
    const v = spec.data.values.find((d) => d.id === "gb")!;
    expect(v.value).toBeCloseTo(100 * gb.value, 10);
    expect(v.verdict).toBe(
      gb.hi < 0 ? "worse (95% CI excludes 0)" : gb.lo > 0 ? "better (95% CI excludes 0)" : "no clear change",
    );
    expect(axisTitles(spec)).toContain("Change in share verified within the standard (percentage points)");
    expect(axisTitles(vegaLite(table, "withdrawal", { metric: "response.mean" }))).toContain(
      "Change in mean response time (h)",
    );
  });

  it("uses options: width, height and title", () => {
    const spec = vegaLite(result, "response-cdf", { width: 400, height: 200, title: "Custom" });
    expect(spec.title.text).toBe("Custom");
    expect([spec.width, spec.height]).toEqual([400, 200]);
  });

  it("rejects unknown charts, data of the wrong kind and options that do not apply", () => {
    expect(() => vegaLite(result as never, "pie" as never)).toThrow(RangeError);
    expect(() => vegaLite(result as never, "pie" as never)).toThrow(
      /unknown chart "pie"; charts: response-cdf, sectors/,
    );
    expect(() => vegaLite(result as never, "tornado")).toThrow(/tornado: expected a TornadoResult/);
    expect(() => vegaLite(table as never, "sectors")).toThrow(/sectors: expected a Result/);
    expect(() => vegaLite([] as never, "response-cdf")).toThrow(/expected a Result, a Comparison or a non-empty array/);
    expect(() => vegaLite(result, "sectors", { metric: "response.mean" })).toThrow(
      /metric: applies to the "sweep" and "withdrawal" charts, not "sectors"/,
    );
    expect(() => vegaLite(rows, "sweep", { parameter: "horizon" })).toThrow(/parameter: "horizon" is not swept/);
    expect(() => vegaLite(table, "withdrawal", { metric: "coverage.night" })).toThrow(
      /metric: "coverage.night" is not in the table/,
    );
    expect(() => vegaLite(result, "sectors", { width: 0 })).toThrow(/width: expected a number of pixels/);
  });

  it("is browser-safe: src/report/vega.ts imports only types", () => {
    const src = readFileSync(new URL("../src/report/vega.ts", import.meta.url), "utf8");
    const imports = src.match(/^import .*$/gm) ?? [];
    expect(imports.length).toBeGreaterThan(0);
    for (const line of imports) expect(line).toMatch(/^import type /);
  });
});
