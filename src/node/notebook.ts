/**
 * `ceasefire-sim/notebook`: everything `ceasefire-sim/node` exports, and rich display for Jupyter notebooks
 * (the Deno kernel's `[Symbol.for("Jupyter.display")]` protocol), so a notebook's first cell is one import:
 *
 * - `show(x)`: a result (the answer in plain sentences and the headline metrics), a comparison, a withdrawal
 *   table, a tornado or sweep rows, as an HTML table;
 * - `await chart(data, name, options)`: a `vegaLite` chart rendered to SVG in the kernel by vega;
 * - `map(result, { scenario })`: the report's map of the line, coloured by a sector metric;
 * - `table(rows)`: any array of plain objects as an HTML table.
 *
 * Each returns a `Display`. Its bundle carries the HTML (charts and maps as inline `<svg>` in it), an
 * `image/svg+xml` copy for front ends that take images, and plain text. The HTML is what `jupyter nbconvert
 * --to html` keeps: it inlines `text/html` outputs as they are, where it strips the elements of
 * `image/svg+xml` outputs down to their text.
 */
import type { Comparison } from "../experiment/compare.js";
import type { TornadoResult } from "../experiment/sensitivity.js";
import type { Result } from "../experiment/simulate.js";
import type { SweepRow } from "../experiment/sweep.js";
import type { WithdrawalTable } from "../experiment/withdrawal.js";
import { metricAt } from "../experiment/run.js";
import type { Scenario } from "../model/types.js";
import { answer } from "../report/answer.js";
import { escapeHtml as esc, namesOf } from "../report/html.js";
import { mapSvg, type MapMetric } from "../report/map.js";
import {
  metricTitle,
  unitOf,
  vegaLite,
  type VegaLiteChart,
  type VegaLiteChartData,
  type VegaLiteOptions,
} from "../report/vega.js";
import type { Estimate } from "../stats/estimate.js";
import { renderer, type Renderer } from "./report.js";

export * from "./index.js";

/** The Deno kernel's rich-display symbol. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display");

/** A MIME bundle: MIME type → content. */
export type MimeBundle = Record<string, string>;

/** What a cell shows: the kernel calls `[Symbol.for("Jupyter.display")]()` on a cell's last value. */
export class Display {
  /** @param html the HTML shown; @param text the plain-text fallback; @param svg a standalone SVG, if any */
  constructor(
    readonly html: string,
    readonly text: string,
    readonly svg: string | null = null,
  ) {}
  /** The MIME bundle: text/html, image/svg+xml (charts and maps) and text/plain. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return {
      "text/html": this.html,
      ...(this.svg === null ? {} : { "image/svg+xml": this.svg }),
      "text/plain": this.text,
    };
  }
  toString(): string {
    return this.text;
  }
}

// ---------------------------------------------------------------------------
// Formatting

const fin = Number.isFinite;
/** A value of a metric in its unit: "52.8%", "14.3 h", "106.6 /d". */
function formatValue(metric: string, v: number): string {
  if (!fin(v)) return "–";
  const u = unitOf(metric);
  return u === "share" ? `${(100 * v).toFixed(1)}%` : u === "h" ? `${v.toFixed(1)} h` : `${v.toFixed(1)} /d`;
}
/** "52.8% (48.1%–57.5%)". */
function formatEstimate(metric: string, e: Estimate): string {
  const ci = fin(e.lo) && fin(e.hi) ? ` (${formatValue(metric, e.lo)}–${formatValue(metric, e.hi)})` : "";
  return `${formatValue(metric, e.value)}${ci}`;
}
/** A change: "+1.2 pp [−0.3, +2.7]" for shares, "−0.8 h [−1.5, −0.1]" for times. */
function formatChange(metric: string, e: Estimate): string {
  if (!fin(e.value)) return "–";
  const u = unitOf(metric);
  const k = u === "share" ? 100 : 1,
    unit = u === "share" ? " pp" : u === "h" ? " h" : " /d";
  const s = (v: number) => {
    const t = Math.abs(k * v).toFixed(1);
    return Number(t) === 0 ? t : `${v > 0 ? "+" : "−"}${t}`;
  };
  return `${s(e.value)}${unit}${fin(e.lo) && fin(e.hi) ? ` [${s(e.lo)}, ${s(e.hi)}]` : ""}`;
}

const STYLE =
  "border-collapse:collapse;font-size:13px;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif";
const CELL = "padding:3px 10px;border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top";

/** An HTML table (cells are text, escaped) with a plain-text fallback of the same rows. */
function htmlTable(head: readonly string[], rows: readonly (readonly string[])[], caption = ""): Display {
  const th = head.map((h) => `<th style="${CELL};background:#f4f4f1">${esc(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td style="${CELL}">${esc(c)}</td>`).join("")}</tr>`).join("");
  const cap = caption ? `<caption style="text-align:left;padding:4px 0;color:#444">${esc(caption)}</caption>` : "";
  const html =
    `<table class="ceasefire-sim" style="${STYLE}">${cap}<thead><tr>${th}</tr></thead>` +
    `<tbody>${body}</tbody></table>`;
  const text = [...(caption ? [caption] : []), [...head].join(" | "), ...rows.map((r) => r.join(" | "))].join("\n");
  return new Display(html, text);
}

// ---------------------------------------------------------------------------
// table(rows)

/** Options of `table`. */
export interface TableOptions {
  /** The columns, in order (default: the keys of the rows, in order of first appearance). */
  columns?: readonly string[];
  /** A caption above the table. */
  caption?: string;
}

/**
 * Any array of plain objects (`toRows(result)`, sweep rows, your own) as an HTML table. Numbers are printed with
 * up to 4 significant digits; nested objects as `key = value` lists.
 *
 * @example
 * table(toRows(result).filter((r) => r.scope === "line" && r.metric.startsWith("response.")))
 */
export function table(rows: readonly object[], options: TableOptions = {}): Display {
  if (!Array.isArray(rows) || !rows.every((r) => typeof r === "object" && r !== null))
    throw new RangeError("rows: expected an array of objects");
  const columns = options.columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown): string =>
    v === null || v === undefined
      ? ""
      : typeof v === "number"
        ? fin(v)
          ? Number.isInteger(v)
            ? String(v)
            : String(Number(v.toPrecision(4)))
          : "–"
        : typeof v === "object"
          ? Object.entries(v)
              .map(([k, x]) => `${k} = ${cell(x)}`)
              .join("; ")
          : String(v);
  return htmlTable(
    columns,
    rows.map((r) => columns.map((c) => cell((r as Record<string, unknown>)[c]))),
    options.caption,
  );
}

// ---------------------------------------------------------------------------
// show(x)

/** Options of `show`. */
export interface ShowOptions {
  /** The result's parsed scenario: sector and state names in the sentences. */
  scenario?: Scenario;
  /** A withdrawal table of the same run: adds the sentence on the state whose withdrawal hurts most. */
  withdrawal?: WithdrawalTable;
  /** The whole-line metrics of a result's table (default `SHOW_METRICS`). */
  metrics?: readonly string[];
}

/** The whole-line metrics `show(result)` tabulates by default. */
export const SHOW_METRICS: readonly string[] = Object.freeze([
  "withinStandard",
  "timeToVerification.restrictedMean",
  "outcomes.verified",
  "response.mean",
  "response.p90",
  "detection.probability",
  "coverage.effective.day",
  "coverage.effective.night",
  "incidentsPerDay",
]);

/** What `show` takes. */
export type Showable = Result | Comparison | WithdrawalTable | TornadoResult | readonly SweepRow[];

const formatOf = (x: unknown) => (typeof x === "object" && x !== null ? (x as { format?: unknown }).format : undefined);

/**
 * A result, comparison, withdrawal table, tornado or sweep rows as an HTML table with 95% CIs (a result also
 * gets the answer in plain sentences first, as the report opens with).
 *
 * @example
 * const result = await simulate(scenario, { replications: 200, seed: 1 });
 * show(result, { scenario }); // the last expression of a cell: the kernel displays it
 */
export function show(x: Showable, options: ShowOptions = {}): Display {
  switch (formatOf(x)) {
    case "ceasefire-sim/result@1":
      return showResult(x as Result, options);
    case "ceasefire-sim/comparison@1":
      return showComparison(x as Comparison);
    case "ceasefire-sim/withdrawal@1":
      return showWithdrawal(x as WithdrawalTable);
    case "ceasefire-sim/tornado@1":
      return showTornado(x as TornadoResult);
  }
  if (Array.isArray(x) && x.length > 0 && x.every((r) => typeof r?.metric === "string" && "parameters" in r))
    return showSweep(x as readonly SweepRow[]);
  throw new RangeError(
    "show: expected a Result, a Comparison, a WithdrawalTable, a TornadoResult or sweep rows (use table(rows) for " +
      "other arrays)",
  );
}

function showResult(r: Result, o: ShowOptions): Display {
  const p = r.provenance;
  const metrics = o.metrics ?? SHOW_METRICS;
  const sentences = answer(r, { scenario: o.scenario, withdrawal: o.withdrawal });
  const t = htmlTable(
    ["Metric (whole line)", "Estimate (95% CI)"],
    metrics.map((m) => [metricTitle(m), formatEstimate(m, metricAt(r.line, m))]),
    `${p.scenario.name} · ${p.replications} replications · seed ${p.seed} · allocation ${p.strategy}`,
  );
  const html =
    `<div class="ceasefire-sim-result"><p style="max-width:52em;font-size:14px;line-height:1.5">` +
    `${sentences.map(esc).join(" ")}</p>${t.html}</div>`;
  return new Display(html, `${sentences.join(" ")}\n\n${t.text}`);
}

function showComparison(c: Comparison): Display {
  const rows: string[][] = [];
  for (const m of c.metrics) {
    for (const e of m.estimates) {
      const d = m.differences.find((x) => x.strategy === e.strategy);
      rows.push([
        metricTitle(m.metric),
        e.strategy,
        formatEstimate(m.metric, e.estimate),
        d ? formatChange(m.metric, d.paired) : "baseline",
      ]);
    }
  }
  return htmlTable(
    ["Metric", "Arm", "Estimate (95% CI)", `Paired difference from ${c.baseline} [95% CI]`],
    rows,
    `${c.replications} replications per arm on common random numbers (seed ${c.seed})`,
  );
}

function showWithdrawal(t: WithdrawalTable): Display {
  const metrics = Object.keys(t.baseline);
  const rows = [
    ["full coalition", "", "", ...metrics.map((m) => formatEstimate(m, t.baseline[m]!))],
    ...t.rows.map((r) => [
      r.name,
      String(r.teams),
      String(r.sensors),
      ...metrics.map((m) => (r.metrics[m] ? formatChange(m, r.metrics[m]!.change) : "–")),
    ]),
  ];
  return htmlTable(
    ["State withdrawn", "Teams", "Sensors", ...metrics.map((m) => `Δ ${metricTitle(m)}`)],
    rows,
    `Each state withdrawn in turn (every other unit where it was), ${t.comparison.replications} replications per ` +
      `variant on common random numbers; changes with paired 95% CIs, most critical first (by ${t.rankBy})`,
  );
}

function showTornado(t: TornadoResult): Display {
  const m = t.metric;
  return htmlTable(
    ["Parameter", "Low → high", `${metricTitle(m)} at low`, "at high", "Swing (high − low) [95% CI]"],
    t.rows.map((r) => [
      r.path,
      `${r.low} → ${r.high}`,
      formatEstimate(m, r.valueLow),
      formatEstimate(m, r.valueHigh),
      formatChange(m, r.swingInterval),
    ]),
    `Base scenario: ${formatEstimate(m, t.base)} · ${t.replications} replications per run, common random numbers`,
  );
}

function showSweep(rows: readonly SweepRow[]): Display {
  const paths = Object.keys(rows[0]!.parameters);
  return htmlTable(
    [...paths, "Metric", "Estimate (95% CI)"],
    rows.map((r) => [
      ...paths.map((p) => String(r.parameters[p])),
      metricTitle(r.metric),
      r.infeasible ? `infeasible: ${r.infeasible}` : formatEstimate(r.metric, { ...r, n: r.replications }),
    ]),
    `${new Set(rows.map((r) => r.point)).size} design points · ${rows[0]!.replications} replications each`,
  );
}

// ---------------------------------------------------------------------------
// chart(data, name) and map(result)

let shared: Promise<Renderer> | null = null;
let counter = 0;
/** Ids unique within a notebook page (every output is inlined in the same HTML document). */
const nextId = (what: string) => `ceasefire-sim-${what}-${++counter}`;

/** Standalone SVG (an image/svg+xml output) from an inlined one: the namespaces back. */
const standalone = (svg: string) =>
  svg.replace(/^<svg/, '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"');

/** Options of `chart`: those of `vegaLite`, and the scenario whose names replace ids. */
export interface ChartOptions extends VegaLiteOptions {
  /** The parsed scenario: state and sector names instead of ids (`names` from `namesOf(scenario)`). */
  scenario?: Scenario;
}

/**
 * A `vegaLite` chart rendered to SVG in the kernel (vega's SVG renderer: no browser, no canvas), titled with
 * its unit. Await it: the chart's renderer loads vega on first use.
 *
 * @example
 * await chart(result, "sectors", { scenario });
 */
export async function chart<C extends VegaLiteChart>(
  data: VegaLiteChartData[C],
  name: C,
  options: ChartOptions = {},
): Promise<Display> {
  const { scenario, ...rest } = options;
  const spec = vegaLite(data, name, scenario ? { names: namesOf(scenario), ...rest } : rest);
  shared ??= renderer();
  const svg = await (await shared).svg(spec, nextId("chart"));
  return new Display(`<div class="ceasefire-sim-chart">${svg}</div>`, `[chart: ${spec.title.text}]`, standalone(svg));
}

/** Options of `map`. */
export interface NotebookMapOptions {
  /** The result's parsed scenario: the line's geometry, names and bases (without it, a schematic). */
  scenario?: Scenario;
  /** The sector metric that colours the line (default "withinStandard"). */
  metric?: MapMetric;
  /** Side of the line on which bases given by offset are drawn (default "right"). */
  baseSide?: "left" | "right";
}

/**
 * The report's map of the line: sectors coloured by a metric (legend with its unit), coverage gaps marked,
 * bases with the teams stationed at each, and the caption below.
 *
 * @example
 * map(result, { scenario, metric: "coverage.effective.night" })
 */
export function map(result: Result, options: NotebookMapOptions = {}): Display {
  const m = mapSvg(result, { ...options, id: nextId("map") });
  const html =
    `<figure class="ceasefire-sim-map" style="margin:0">${m.svg}` +
    `<figcaption style="font-size:12px;color:#555;max-width:900px">${esc(m.caption)}</figcaption></figure>`;
  return new Display(html, `[map: ${m.caption}]`, standalone(m.svg));
}
