/**
 * `vegaLite(data, chart, options)`: Vega-Lite v6 specifications of the
 * library's results, as plain JSON objects with the data inlined. Nothing
 * here imports Vega at runtime: render the specs with vega-embed in a
 * notebook or page, or to SVG in Node (`renderReport` in
 * `ceasefire-sim/node` does).
 *
 * Every spec has a title (and a subtitle saying what the marks are), axis
 * titles with units, tooltips on its marks, and 95% confidence intervals
 * where the estimate has one. Shares are plotted as fractions on axes
 * formatted as percentages; changes of shares are in percentage points.
 */
import type { Comparison } from "../experiment/compare.js";
import type { TornadoResult } from "../experiment/sensitivity.js";
import type { Result } from "../experiment/simulate.js";
import type { SweepRow } from "../experiment/sweep.js";
import type { WithdrawalTable } from "../experiment/withdrawal.js";
import type { Estimate } from "../stats/estimate.js";

/** The data each chart takes. */
export interface VegaLiteChartData {
  /** Response-time distribution per strategy: a run, a comparison, or several runs. */
  "response-cdf": Result | Comparison | readonly Result[];
  /** Coverage (day, night) and detection along the line, sector by sector. */
  sectors: Result;
  /** Which channel detected incidents first: per sector for a run, per strategy for a comparison or several runs. */
  channels: Result | Comparison | readonly Result[];
  /** Burden by state: asset, team and task shares, and team utilisation. */
  burden: Result;
  /** Sweep rows: a metric against a swept parameter, with 95% CI bands. */
  sweep: readonly SweepRow[];
  /** One-at-a-time sensitivity. */
  tornado: TornadoResult;
  /** The change of a metric when each state withdraws, with 95% CIs. */
  withdrawal: WithdrawalTable;
}

/** A chart name: "response-cdf", "sectors", "channels", "burden", "sweep", "tornado" or "withdrawal". */
export type VegaLiteChart = keyof VegaLiteChartData;

/** The chart names, in the order the HTML report draws them. */
export const VEGA_LITE_CHARTS: readonly VegaLiteChart[] = Object.freeze([
  "response-cdf",
  "sectors",
  "channels",
  "burden",
  "sweep",
  "tornado",
  "withdrawal",
] as const);

export interface VegaLiteOptions {
  /** Width of the plotting area in pixels (default 640). */
  width?: number;
  /** Height of the plotting area (per panel) in pixels (default depends on the chart). */
  height?: number;
  /** Replace the chart's title. */
  title?: string;
  /**
   * "sweep": the one metric to draw (default: every metric, one panel each); "withdrawal": the metric (default: the
   * table's rankBy).
   */
  metric?: string;
  /** "sweep": the parameter path on the x axis (default: the first parameter). */
  parameter?: string;
  /**
   * "sweep": the parameter path drawn as one line per value (default: the other parameter of a two-parameter design
   * with at most 10 values; null for none).
   */
  series?: string | null;
  /**
   * Display names by id (states and sectors, e.g. from the scenario: `namesOf(scenario)`): the "sectors",
   * "channels" and "burden" charts show a name where one is given, else the id.
   */
  names?: Readonly<Record<string, string>>;
}

/** A Vega-Lite v6 top-level specification (plain JSON). */
export interface VegaLiteSpec {
  $schema: string;
  title: { text: string; subtitle?: string[] };
  description: string;
  data: { values: Record<string, unknown>[] };
  [key: string]: unknown;
}

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Sector colours, in sector order (cycled): the same in the charts and the report's map. */
export const SECTOR_COLORS: readonly string[] = Object.freeze([
  "#4e79a7",
  "#f28e2b",
  "#59a14f",
  "#e15759",
  "#b07aa1",
  "#76b7b2",
  "#edc948",
  "#9c755f",
  "#ff9da7",
  "#17becf",
  "#8cd17d",
  "#d37295",
]);
/** The colour of sector i (0-based), cycling through `SECTOR_COLORS`. */
export const sectorColor = (i: number): string => SECTOR_COLORS[i % SECTOR_COLORS.length]!;

const CHANNELS = [
  { key: "fixed", label: "Fixed sensor", color: "#4e79a7" },
  { key: "uav", label: "UAV", color: "#f28e2b" },
  { key: "satellite", label: "Satellite", color: "#76b7b2" },
  { key: "patrol", label: "Team patrol", color: "#59a14f" },
  { key: "parties", label: "Parties' report", color: "#b07aa1" },
] as const;

const CONFIG = {
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
  view: { stroke: null },
  title: { anchor: "start", fontSize: 15, fontWeight: 600, subtitleFontSize: 11, subtitleColor: "#555", offset: 12 },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 500,
    gridColor: "#e6e6e6",
    domainColor: "#888",
    tickColor: "#888",
  },
  axisY: { labelLimit: 320 },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500, labelLimit: 320 },
  header: { labelFontSize: 12, titleFontSize: 12 },
};

// ---------------------------------------------------------------------------
// Metric names and units

/** Readable names of the whole-line metrics, by path (chart titles, the explorer's legend). */
export const METRIC_LABELS: Record<string, string> = {
  incidentsPerDay: "Incidents per day",
  verifiablePerDay: "Incidents needing verification per day",
  "detection.probability": "Share of incidents detected",
  "detection.latency.mean": "Mean detection latency",
  "timeToVerification.restrictedMean": "Mean time to verification (never verified counted at the limit)",
  "response.mean": "Mean response time",
  "response.p50": "Median response time",
  "response.p90": "90th-percentile response time",
  "response.p95": "95th-percentile response time",
  withinStandard: "Share verified within the standard",
  "outcomes.verified": "Share of verifiable incidents verified",
  "outcomes.undetected": "Share of verifiable incidents undetected",
  "outcomes.denied": "Share denied access",
  "outcomes.noEligibleTeam": "Share with no eligible team",
  "outcomes.horizonEnd": "Share unfinished at the horizon",
  minorRecorded: "Share of minor incidents recorded",
  "dispatch.queuedShare": "Share of taskings queued",
  "dispatch.queueWait": "Mean queue wait",
  "dispatch.crossSectorShare": "Share of cross-sector taskings",
  "dispatch.crossNationalShare": "Share of cross-national taskings",
  "coverage.overall": "Footprint coverage (share of line-km-hours)",
  "coverage.day": "Footprint coverage by day",
  "coverage.night": "Footprint coverage by night",
  "coverage.atLeastTwo": "Coverage by two or more sensors",
  "coverage.effective.overall": "Effective coverage (chance sensors detect an incident)",
  "coverage.effective.day": "Effective coverage by day",
  "coverage.effective.night": "Effective coverage by night",
};

/** The unit of a whole-line metric: hours, a share (0–1, shown in %), or per day. */
export type Unit = "h" | "share" | "/d";

/** The unit a whole-line metric path is measured in. */
export function unitOf(metric: string): Unit {
  if (/PerDay$/.test(metric)) return "/d";
  if (/^response\.|^responseComponents\.|^timeToVerification\.|latency|queueWait/.test(metric)) return "h";
  return "share";
}

/** "Mean response time (h)", "Share verified within the standard (%)": a whole-line metric's name and unit. */
export function metricTitle(metric: string, change = false): string {
  const label = METRIC_LABELS[metric] ?? metric;
  const u = unitOf(metric);
  if (change) {
    const unit = u === "share" ? "percentage points" : u === "h" ? "h" : "per day";
    return `Change in ${label[0]!.toLowerCase()}${label.slice(1)} (${unit})`;
  }
  return `${label} (${u === "share" ? "%" : u === "h" ? "h" : "per day"})`;
}

/** The unit of a metric as printed in titles: "%", "h" or "per day". */
const unitText = (metric: string) => (unitOf(metric) === "share" ? "%" : unitOf(metric) === "h" ? "h" : "per day");
const lowerFirst = (s: string) => `${s[0]!.toLowerCase()}${s.slice(1)}`;

const num = (v: number): number | null => (Number.isFinite(v) ? v : null);
const finite = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);
const ci = (e: Estimate, scale = 1) => ({ value: num(e.value * scale), lo: num(e.lo * scale), hi: num(e.hi * scale) });
/** A share's CI for display, clipped to [0, 1] (the Student-t interval can overshoot with few replications). */
const shareCi = (e: Estimate) => ({ value: num(e.value), lo: num(Math.max(0, e.lo)), hi: num(Math.min(1, e.hi)) });
/** A duration's CI for display, clipped at 0 h. */
const hoursCi = (e: Estimate) => ({ value: num(e.value), lo: num(Math.max(0, e.lo)), hi: num(e.hi) });
const displayCi = (metric: string, e: Estimate) =>
  unitOf(metric) === "share" ? shareCi(e) : unitOf(metric) === "h" ? hoursCi(e) : ci(e);
const VALID_CI = "isValid(datum.lo) && isValid(datum.hi)";
const pctTooltip = (field: string, title: string) => ({ field, type: "quantitative", title, format: ".1%" });

// ---------------------------------------------------------------------------
// Options

interface Resolved {
  width: number;
  height: number | undefined;
  title: string | undefined;
  metric: string | undefined;
  parameter: string | undefined;
  series: string | null | undefined;
  name: (id: string) => string;
}

const ONLY: Record<"metric" | "parameter" | "series", readonly VegaLiteChart[]> = {
  metric: ["sweep", "withdrawal"],
  parameter: ["sweep"],
  series: ["sweep"],
};

function resolveOptions(chart: VegaLiteChart, o: VegaLiteOptions): Readonly<Resolved> {
  if (typeof o !== "object" || o === null) throw new RangeError("options: expected an object");
  if (
    o.names !== undefined &&
    (typeof o.names !== "object" || o.names === null || !Object.values(o.names).every((v) => typeof v === "string"))
  )
    throw new RangeError("names: expected an object of display names by id (strings)");
  for (const k of ["width", "height"] as const) {
    const v = o[k];
    if (v !== undefined && !(typeof v === "number" && Number.isFinite(v) && v >= 50 && v <= 4000))
      throw new RangeError(`${k}: expected a number of pixels from 50 to 4000; got ${String(v)}`);
  }
  for (const k of Object.keys(ONLY) as (keyof typeof ONLY)[]) {
    if (o[k] !== undefined && !ONLY[k].includes(chart))
      throw new RangeError(
        `${k}: applies to the ${ONLY[k].map((c) => `"${c}"`).join(" and ")} chart${ONLY[k].length > 1 ? "s" : ""}, ` +
          `not "${chart}"`,
      );
  }
  return Object.freeze({
    width: o.width ?? 640,
    height: o.height,
    title: o.title,
    metric: o.metric,
    name: (id: string) => (o.names && Object.hasOwn(o.names, id) ? o.names[id]! : id),
    parameter: o.parameter,
    series: o.series,
  });
}

function top(
  o: Readonly<Resolved>,
  title: string,
  subtitle: string[],
  description: string,
  values: Record<string, unknown>[],
  body: Record<string, unknown>,
): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    title: { text: o.title ?? title, subtitle },
    description,
    data: { values },
    ...body,
    config: CONFIG,
  };
}

// ---------------------------------------------------------------------------
// Input checks

const isResult = (v: unknown): v is Result =>
  typeof v === "object" && v !== null && (v as { format?: unknown }).format === "ceasefire-sim/result@1";
const isComparison = (v: unknown): v is Comparison =>
  typeof v === "object" && v !== null && (v as { format?: unknown }).format === "ceasefire-sim/comparison@1";

function runs(chart: VegaLiteChart, data: unknown): { name: string; result: Result }[] {
  if (isResult(data)) return [{ name: data.provenance.strategy, result: data }];
  if (isComparison(data))
    return data.results.map((result, i) => ({ name: data.strategies[i] ?? result.provenance.strategy, result }));
  if (Array.isArray(data) && data.length > 0 && data.every(isResult)) {
    const seen = new Map<string, number>();
    return data.map((result: Result) => {
      const base = result.provenance.strategy;
      const k = (seen.get(base) ?? 0) + 1;
      seen.set(base, k);
      return { name: k === 1 ? base : `${base} (${k})`, result };
    });
  }
  throw new RangeError(`${chart}: expected a Result, a Comparison or a non-empty array of Results`);
}

function expectFormat<T>(chart: VegaLiteChart, data: unknown, format: string, what: string): T {
  if (typeof data !== "object" || data === null || (data as { format?: unknown }).format !== format)
    throw new RangeError(`${chart}: expected ${what} (format "${format}")`);
  return data as T;
}

// ---------------------------------------------------------------------------
// Charts

/**
 * The rows of the response-time chart: per strategy, its quantiles (from a start at 0) and mean, then the response
 * standard; `empty` names the strategies that verified nothing (no distribution to draw).
 */
function responseCdfValues(arms: readonly { name: string; result: Result }[]): {
  values: Record<string, unknown>[];
  empty: string[];
} {
  const values: Record<string, unknown>[] = [];
  const empty: string[] = [];
  for (const { name, result } of arms) {
    const r = result.line.response;
    const n = result.line.counts.verified;
    const mean = hoursCi(r.mean);
    const common = { strategy: name, meanHours: mean.value, meanLo: mean.lo, meanHi: mean.hi, verified: n };
    if (!finite(r.p50.value)) {
      empty.push(name);
      continue;
    } // nothing verified: no distribution to draw
    values.push({ kind: "quantile", quantile: "start", share: 0, hours: 0, lo: null, hi: null, ...common });
    for (const [q, e] of [
      ["p50", r.p50],
      ["p90", r.p90],
      ["p95", r.p95],
    ] as const) {
      const { lo, hi } = hoursCi(e);
      if (finite(e.value))
        values.push({
          kind: "quantile",
          quantile: q,
          share: q === "p50" ? 0.5 : q === "p90" ? 0.9 : 0.95,
          hours: e.value,
          lo,
          hi,
          ...common,
        });
    }
    if (finite(r.mean.value)) values.push({ kind: "mean", hours: r.mean.value, ...common });
  }
  const standard = arms[0]!.result.provenance.responseStandardHours;
  if (finite(standard)) values.push({ kind: "standard", hours: standard });
  return { values, empty };
}

function responseCdf(data: VegaLiteChartData["response-cdf"], o: Readonly<Resolved>): VegaLiteSpec {
  const arms = runs("response-cdf", data);
  const { values, empty } = responseCdfValues(arms);
  const standard = arms[0]!.result.provenance.responseStandardHours;
  const x = {
    field: "hours",
    type: "quantitative",
    title: "Response time: hours from incident to a team on site",
    scale: { zero: true },
  };
  const color = { field: "strategy", type: "nominal", title: "Strategy", sort: arms.map((a) => a.name) };
  const tooltip = [
    { field: "strategy", type: "nominal", title: "Strategy" },
    { field: "quantile", type: "nominal", title: "Quantile" },
    { field: "hours", type: "quantitative", title: "Hours", format: ".1f" },
    { field: "lo", type: "quantitative", title: "95% CI low (h)", format: ".1f" },
    { field: "hi", type: "quantitative", title: "95% CI high (h)", format: ".1f" },
    { field: "meanHours", type: "quantitative", title: "Mean (h)", format: ".1f" },
    { field: "verified", type: "quantitative", title: "Verified incidents (all replications)", format: "," },
  ];
  const p = arms[0]!.result.provenance;
  return top(
    o,
    "Response time (h): cumulative share of verified incidents (%)",
    [
      `${p.scenario.name} · ${p.replications} replications · share of verified incidents ` +
        `with a team on site within x hours · response standard ${standard} h (grey line)`,
      "Points are the estimated p50, p90 and p95 with 95% CIs; dashed lines between them are interpolation, " +
        "not data. Vertical dotted lines: means.",
      ...(empty.length
        ? [
            `No incident was verified${arms.length > 1 ? ` with ${empty.join(", ")}` : ""}: ` +
              `no response times to draw${arms.length > 1 ? " for it" : ""}.`,
          ]
        : []),
    ],
    "Cumulative distribution of response times per strategy, drawn through the estimated quantiles",
    values,
    {
      width: o.width,
      height: o.height ?? 300,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'quantile'" }],
          mark: { type: "line", strokeDash: [5, 3], strokeWidth: 1.5 },
          encoding: {
            x,
            y: {
              field: "share",
              type: "quantitative",
              title: "Cumulative share (%)",
              scale: { domain: [0, 1] },
              axis: { format: ".0%" },
            },
            color,
            order: { field: "share" },
            tooltip,
          },
        },
        {
          transform: [{ filter: `datum.kind === 'quantile' && datum.share > 0 && ${VALID_CI}` }],
          mark: { type: "rule", strokeWidth: 2 },
          encoding: {
            x: { field: "lo", type: "quantitative" },
            x2: { field: "hi" },
            y: { field: "share", type: "quantitative" },
            color,
            tooltip,
          },
        },
        {
          transform: [{ filter: "datum.kind === 'quantile' && datum.share > 0" }],
          mark: { type: "point", filled: true, size: 60 },
          encoding: { x, y: { field: "share", type: "quantitative" }, color, tooltip },
        },
        {
          transform: [{ filter: "datum.kind === 'mean'" }],
          mark: { type: "rule", strokeDash: [2, 2], strokeWidth: 1.5 },
          encoding: {
            x: { field: "hours", type: "quantitative" },
            color,
            tooltip: [
              { field: "strategy", type: "nominal", title: "Strategy" },
              { field: "hours", type: "quantitative", title: "Mean response (h)", format: ".1f" },
              { field: "meanLo", type: "quantitative", title: "95% CI low (h)", format: ".1f" },
              { field: "meanHi", type: "quantitative", title: "95% CI high (h)", format: ".1f" },
            ],
          },
        },
        {
          transform: [{ filter: "datum.kind === 'standard'" }],
          mark: { type: "rule", color: "#888", strokeWidth: 1 },
          encoding: {
            x: { field: "hours", type: "quantitative" },
            tooltip: [{ field: "hours", type: "quantitative", title: "Response standard (h)" }],
          },
        },
        {
          transform: [{ filter: "datum.kind === 'standard'" }],
          mark: { type: "text", color: "#666", align: "left", dx: 4, dy: -4, baseline: "bottom", fontSize: 10 },
          encoding: { x: { field: "hours", type: "quantitative" }, y: { datum: 0.02 }, text: { value: "standard" } },
        },
      ],
    },
  );
}

/** The measures of the sectors chart, one panel each. */
const SECTOR_MEASURES = [
  {
    key: "coverage.effective.day",
    label: "Effective coverage by day",
    get: (s: Result["sectors"][number]) => s.coverage.effective.day,
  },
  {
    key: "coverage.effective.night",
    label: "Effective coverage by night",
    get: (s: Result["sectors"][number]) => s.coverage.effective.night,
  },
  {
    key: "detection.probability",
    label: "Incidents detected (day and night)",
    get: (s: Result["sectors"][number]) => s.detection.probability,
  },
];

/** The rows of the sectors chart (each sector positioned by km along the line, each measure with its CI). */
function sectorValues(data: Result, o: Readonly<Resolved>): { values: Record<string, unknown>[]; km: number } {
  const values: Record<string, unknown>[] = [];
  let km = 0;
  data.sectors.forEach((s, i) => {
    const from = km,
      to = km + s.lengthKm;
    km = to;
    for (const m of SECTOR_MEASURES) {
      const e = m.get(s);
      if (!finite(e.value)) continue;
      values.push({
        sector: o.name(s.id),
        index: i + 1,
        from,
        to,
        mid: (from + to) / 2,
        lengthKm: s.lengthKm,
        measure: m.label,
        key: m.key,
        ...shareCi(e),
        incidentsPerDay: num(s.incidentsPerDay.value),
      });
    }
  });
  return { values, km };
}

function sectorsChart(data: VegaLiteChartData["sectors"], o: Readonly<Resolved>): VegaLiteSpec {
  if (!isResult(data)) throw new RangeError('sectors: expected a Result (format "ceasefire-sim/result@1")');
  const { values, km } = sectorValues(data, o);
  const ids = data.sectors.map((s) => o.name(s.id));
  const tooltip = [
    { field: "sector", type: "nominal", title: "Sector" },
    { field: "from", type: "quantitative", title: "From (km)", format: ",.0f" },
    { field: "to", type: "quantitative", title: "To (km)", format: ",.0f" },
    { field: "measure", type: "nominal", title: "Measure" },
    pctTooltip("value", "Estimate"),
    pctTooltip("lo", "95% CI low"),
    pctTooltip("hi", "95% CI high"),
    { field: "incidentsPerDay", type: "quantitative", title: "Incidents per day", format: ".1f" },
  ];
  const p = data.provenance;
  return top(
    o,
    "Coverage and detection along the line, by sector (%)",
    [
      `${p.scenario.name} · ${p.replications} replications · bar width = ` +
        `sector extent along the line; black ticks: 95% CIs`,
      "Coverage: share of line-km-hours watched by at least one working fixed sensor or UAV. " +
        "Detected: share of incidents detected by any channel.",
    ],
    "Effective coverage by day and night, and detection probability, per sector positioned by km along the line",
    values,
    {
      facet: {
        row: {
          field: "measure",
          type: "nominal",
          sort: SECTOR_MEASURES.map((m) => m.label),
          header: { title: null, labelAngle: 0, labelOrient: "top", labelAnchor: "start", labelFontWeight: 600 },
        },
      },
      spacing: 14,
      spec: {
        width: o.width,
        height: o.height ?? 100,
        layer: [
          {
            mark: { type: "rect", stroke: "white", strokeWidth: 1 },
            encoding: {
              x: {
                field: "from",
                type: "quantitative",
                title: "Distance along the line (km from the start)",
                scale: { domain: [0, km], nice: false },
              },
              x2: { field: "to" },
              y: {
                field: "value",
                type: "quantitative",
                title: "Share (%)",
                scale: { domain: [0, 1] },
                axis: { format: ".0%", tickCount: 3 },
              },
              y2: { datum: 0 },
              color: {
                field: "sector",
                type: "nominal",
                scale: { domain: ids, range: ids.map((_, i) => sectorColor(i)) },
                legend: null,
              },
              tooltip,
            },
          },
          {
            transform: [{ filter: VALID_CI }],
            mark: { type: "rule", color: "black", strokeWidth: 1.5 },
            encoding: {
              x: { field: "mid", type: "quantitative" },
              y: { field: "lo", type: "quantitative" },
              y2: { field: "hi" },
              tooltip,
            },
          },
          {
            transform: [{ filter: `datum.key === '${SECTOR_MEASURES[0]!.key}'` }],
            mark: {
              type: "text",
              angle: 270,
              align: "left",
              baseline: "middle",
              dx: 4,
              fontSize: 10,
              color: "white",
              fontWeight: 600,
              limit: (o.height ?? 100) - 10,
            },
            encoding: {
              x: { field: "mid", type: "quantitative" },
              y: { datum: 0 },
              text: { field: "sector" },
              tooltip,
            },
          },
        ],
      },
    },
  );
}

function channelsChart(data: VegaLiteChartData["channels"], o: Readonly<Resolved>): VegaLiteSpec {
  const arms = runs("channels", data);
  const single = arms.length === 1 && isResult(data);
  const scopes: { label: string; strategy: string; m: Result["line"] }[] = [];
  const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : "–");
  if (single) {
    const r = arms[0]!.result;
    scopes.push({
      label: `Whole line (${pct(r.line.detection.probability.value)} detected)`,
      strategy: arms[0]!.name,
      m: r.line,
    });
    for (const s of r.sectors)
      scopes.push({ label: `${o.name(s.id)} (${pct(s.detection.probability.value)})`, strategy: arms[0]!.name, m: s });
  } else {
    for (const a of arms)
      scopes.push({
        label: `${a.name} (${pct(a.result.line.detection.probability.value)} detected)`,
        strategy: a.name,
        m: a.result.line,
      });
  }
  const values: Record<string, unknown>[] = [];
  scopes.forEach((s, i) => {
    CHANNELS.forEach((c, j) => {
      const e = s.m.detection.byChannel[c.key];
      if (!finite(e.value)) return;
      values.push({
        scope: s.label,
        strategy: s.strategy,
        order: i,
        channel: c.label,
        channelOrder: j,
        ...shareCi(e),
        detected: num(s.m.detection.probability.value),
      });
    });
  });
  const p = arms[0]!.result.provenance;
  const tooltip = [
    { field: "scope", type: "nominal", title: single ? "Scope" : "Strategy" },
    { field: "channel", type: "nominal", title: "First detected by" },
    pctTooltip("value", "Share of detected incidents"),
    pctTooltip("lo", "95% CI low"),
    pctTooltip("hi", "95% CI high"),
    pctTooltip("detected", "Share of all incidents detected"),
  ];
  return top(
    o,
    single
      ? "Detection by channel, whole line and by sector (% of detected incidents)"
      : "Detection by channel, by strategy (% of detected incidents)",
    [
      `${p.scenario.name} · ${p.replications} replications · share of detected incidents ` +
        "by the channel that detected them first (each bar adds up to 100%)",
      `One bar per ${single ? "sector" : "strategy"}; in brackets: the share of all incidents detected by any channel.`,
    ],
    "Stacked bars of the share of detected incidents first detected by each channel",
    values,
    {
      width: o.width,
      height: o.height ?? { step: 20 },
      mark: { type: "bar", stroke: "white", strokeWidth: 0.5 },
      encoding: {
        y: { field: "scope", type: "nominal", title: null, sort: { field: "order", op: "min" } },
        x: {
          field: "value",
          type: "quantitative",
          stack: "zero",
          title: "Share of detected incidents, by first channel (%)",
          scale: { domain: [0, 1] },
          axis: { format: ".0%" },
        },
        color: {
          field: "channel",
          type: "nominal",
          title: "First detected by",
          scale: { domain: CHANNELS.map((c) => c.label), range: CHANNELS.map((c) => c.color) },
          legend: { orient: "bottom", direction: "horizontal" },
        },
        order: { field: "channelOrder" },
        tooltip,
      },
    },
  );
}

function burdenChart(data: VegaLiteChartData["burden"], o: Readonly<Resolved>): VegaLiteSpec {
  if (!isResult(data)) throw new RangeError('burden: expected a Result (format "ceasefire-sim/result@1")');
  const states = data.states
    .filter((s) => s.teams + s.sensors > 0)
    .sort((a, b) => b.assetShare - a.assetShare || a.id.localeCompare(b.id));
  const measures = ["Asset share", "Team share", "Task share"];
  const values: Record<string, unknown>[] = [];
  states.forEach((s, rank) => {
    const common = {
      state: o.name(s.id),
      rank,
      teams: s.teams,
      sensors: s.sensors,
      tasksPerDay: num(s.tasksPerDay.value),
    };
    values.push({ panel: "shares", measure: measures[0], value: s.assetShare, lo: null, hi: null, ...common });
    values.push({ panel: "shares", measure: measures[1], value: s.teamShare, lo: null, hi: null, ...common });
    if (s.teams > 0 && finite(s.taskShare.value))
      values.push({ panel: "shares", measure: measures[2], ...shareCi(s.taskShare), ...common });
    if (s.teams > 0 && finite(s.utilisation.value))
      values.push({ panel: "utilisation", measure: "Utilisation", ...shareCi(s.utilisation), ...common });
  });
  const tooltip = [
    { field: "state", type: "nominal", title: "State" },
    { field: "measure", type: "nominal", title: "Measure" },
    pctTooltip("value", "Estimate"),
    pctTooltip("lo", "95% CI low"),
    pctTooltip("hi", "95% CI high"),
    { field: "teams", type: "quantitative", title: "Teams" },
    { field: "sensors", type: "quantitative", title: "Sensors" },
    { field: "tasksPerDay", type: "quantitative", title: "Tasks per day", format: ".2f" },
  ];
  const x = {
    field: "state",
    type: "nominal",
    title: "State (by asset share)",
    sort: { field: "rank", op: "min" },
    axis: { labelAngle: -45 },
  };
  const color = {
    field: "measure",
    type: "nominal",
    title: null,
    scale: { domain: measures, range: ["#bab0ac", "#4e79a7", "#e15759"] },
    legend: { orient: "top", direction: "horizontal" },
  };
  const p = data.provenance;
  return top(
    o,
    "Burden by contributing state (% of units, teams and tasks; utilisation %)",
    [
      `${p.scenario.name} · ${p.replications} replications · states sorted by asset share; ` +
        `task share and utilisation with 95% CIs`,
      "Asset share: share of all units (teams and sensors). Team share: share of the teams. " +
        "Task share: share of all taskings done by the state's teams.",
      "Utilisation: share of the time the state's available teams are busy.",
    ],
    "Per state: asset, team and task shares, and team utilisation",
    values,
    {
      vconcat: [
        {
          transform: [{ filter: "datum.panel === 'shares'" }],
          width: o.width,
          height: o.height ?? 180,
          layer: [
            {
              mark: { type: "bar" },
              encoding: {
                x,
                xOffset: { field: "measure", type: "nominal", sort: measures },
                y: { field: "value", type: "quantitative", title: "Share of the mission (%)", axis: { format: ".0%" } },
                color,
                tooltip,
              },
            },
            {
              transform: [{ filter: VALID_CI }],
              mark: { type: "rule", color: "black" },
              encoding: {
                x,
                xOffset: { field: "measure", type: "nominal", sort: measures },
                y: { field: "lo", type: "quantitative" },
                y2: { field: "hi" },
                tooltip,
              },
            },
          ],
        },
        {
          transform: [{ filter: "datum.panel === 'utilisation'" }],
          width: o.width,
          height: o.height ?? 140,
          layer: [
            {
              mark: { type: "bar", color: "#59a14f" },
              encoding: {
                x: { ...x, title: "State (teams only)" },
                y: { field: "value", type: "quantitative", title: "Team utilisation (%)", axis: { format: ".0%" } },
                tooltip,
              },
            },
            {
              transform: [{ filter: VALID_CI }],
              mark: { type: "rule", color: "black" },
              encoding: {
                x: { ...x, title: "State (teams only)" },
                y: { field: "lo", type: "quantitative" },
                y2: { field: "hi" },
                tooltip,
              },
            },
          ],
        },
      ],
      spacing: 24,
    },
  );
}

function sweepChart(data: VegaLiteChartData["sweep"], o: Readonly<Resolved>): VegaLiteSpec {
  if (
    !Array.isArray(data) ||
    data.length === 0 ||
    !data.every(
      (r) => typeof r === "object" && r !== null && typeof r.metric === "string" && typeof r.parameters === "object",
    )
  )
    throw new RangeError("sweep: expected a non-empty array of sweep rows");
  const paths = Object.keys(data[0]!.parameters);
  const parameter = o.parameter ?? paths[0]!;
  if (!paths.includes(parameter))
    throw new RangeError(`parameter: ${JSON.stringify(parameter)} is not swept; swept: ${paths.join(", ")}`);
  const others = paths.filter((p) => p !== parameter);
  let series: string | null;
  if (o.series !== undefined) {
    series = o.series;
    if (series !== null && !others.includes(series))
      throw new RangeError(
        `series: ${JSON.stringify(series)} is not another swept parameter; ` +
          `${others.length ? `others: ${others.join(", ")}` : "only one parameter is swept"}`,
      );
  } else {
    const cand = others.length === 1 ? others[0]! : null;
    series = cand !== null && new Set(data.map((r) => r.parameters[cand])).size <= 10 ? cand : null;
  }
  const metrics = [...new Set(data.map((r) => r.metric))];
  if (o.metric !== undefined && !metrics.includes(o.metric))
    throw new RangeError(`metric: ${JSON.stringify(o.metric)} is not in the rows; metrics: ${metrics.join(", ")}`);
  const shown = o.metric !== undefined ? [o.metric] : metrics;
  // Parameter paths contain dots and brackets, which Vega-Lite reads as nested fields: copy them to plain fields.
  const values = data
    .filter((r) => shown.includes(r.metric) && finite(r.value))
    .map((r) => ({
      x: r.parameters[parameter],
      series: series === null ? "all" : String(r.parameters[series]),
      seriesValue: series === null ? 0 : r.parameters[series],
      metric: r.metric,
      ...displayCi(r.metric, { value: r.value, lo: r.lo, hi: r.hi, halfWidth: r.halfWidth, n: r.replications }),
      point: r.point,
      replications: r.replications,
      at: Object.entries(r.parameters)
        .map(([k, v]) => `${k} = ${v}`)
        .join("; "),
    }));
  const panel = (metric: string) => {
    const share = unitOf(metric) === "share";
    const y = {
      field: "value",
      type: "quantitative",
      title: metricTitle(metric),
      scale: { zero: false },
      ...(share ? { axis: { format: ".0%" } } : {}),
    };
    const x = { field: "x", type: "quantitative", title: parameter, scale: { zero: false } };
    const fmt = share ? ".1%" : ".2f";
    const tooltip = [
      { field: "at", type: "nominal", title: "Point" },
      { field: "value", type: "quantitative", title: METRIC_LABELS[metric] ?? metric, format: fmt },
      { field: "lo", type: "quantitative", title: "95% CI low", format: fmt },
      { field: "hi", type: "quantitative", title: "95% CI high", format: fmt },
      { field: "replications", type: "quantitative", title: "Replications" },
    ];
    const color =
      series === null
        ? { value: "#4e79a7" }
        : { field: "series", type: "nominal", title: series, sort: { field: "seriesValue", op: "min" } };
    const bandColor = series === null ? color : { ...color, legend: null };
    return {
      transform: [{ filter: { field: "metric", equal: metric } }],
      width: o.width,
      height: o.height ?? 220,
      layer: [
        {
          transform: [{ filter: VALID_CI }],
          mark: { type: "area", opacity: 0.2 },
          encoding: {
            x,
            y: { field: "lo", type: "quantitative", title: metricTitle(metric) },
            y2: { field: "hi" },
            color: bandColor,
            detail: { field: "series" },
            order: { field: "x" },
          },
        },
        {
          mark: { type: "line", strokeWidth: 1.5 },
          encoding: { x, y, color, detail: { field: "series" }, order: { field: "x" } },
        },
        { mark: { type: "point", filled: true, size: 40 }, encoding: { x, y, color, tooltip } },
      ],
    };
  };
  const body: Record<string, unknown> =
    shown.length === 1 ? panel(shown[0]!) : { vconcat: shown.map(panel), spacing: 24 };
  const n = new Set(data.map((r) => r.point)).size;
  return top(
    o,
    shown.length === 1
      ? `${metricTitle(shown[0]!)} against ${parameter}`
      : `Sweep over ${parameter} (${[...new Set(shown.map(unitText))].join(", ")})`,
    [
      `${n} design points · ${data[0]!.replications} replications each, common random numbers · bands: 95% CIs`,
      ...(series !== null
        ? [`One line per value of ${series}.`]
        : others.length
          ? [`Other swept parameters (${others.join(", ")}) vary between points; see the tooltips.`]
          : []),
    ],
    `Sweep rows: ${shown.join(", ")} against ${parameter}`,
    values,
    body,
  );
}

function tornadoChart(data: VegaLiteChartData["tornado"], o: Readonly<Resolved>): VegaLiteSpec {
  const t = expectFormat<TornadoResult>("tornado", data, "ceasefire-sim/tornado@1", "a TornadoResult");
  const share = unitOf(t.metric) === "share";
  const values: Record<string, unknown>[] = [];
  t.rows.forEach((r, order) => {
    const label = `${r.path} (${r.low} → ${r.high})`;
    for (const [side, e, at] of [
      ["low", r.valueLow, r.low],
      ["high", r.valueHigh, r.high],
    ] as const) {
      if (!finite(e.value)) continue;
      values.push({
        label,
        path: r.path,
        order,
        side: side === "low" ? "parameter at low" : "parameter at high",
        at,
        ...displayCi(t.metric, e),
        base: num(t.base.value),
        swing: num(r.swing),
        ...(r.swingInterval ? { swingLo: num(r.swingInterval.lo), swingHi: num(r.swingInterval.hi) } : {}),
      });
    }
  });
  const fmt = share ? ".1%" : ".2f";
  const xTitle = metricTitle(t.metric);
  const tooltip = [
    { field: "path", type: "nominal", title: "Parameter" },
    { field: "side", type: "nominal", title: "Run" },
    { field: "at", type: "quantitative", title: "Parameter value" },
    { field: "value", type: "quantitative", title: METRIC_LABELS[t.metric] ?? t.metric, format: fmt },
    { field: "lo", type: "quantitative", title: "95% CI low", format: fmt },
    { field: "hi", type: "quantitative", title: "95% CI high", format: fmt },
    { field: "base", type: "quantitative", title: "Base scenario", format: fmt },
    { field: "swing", type: "quantitative", title: "Swing (high − low)", format: fmt },
    { field: "swingLo", type: "quantitative", title: "Swing, paired 95% CI low", format: fmt },
    { field: "swingHi", type: "quantitative", title: "Swing, paired 95% CI high", format: fmt },
  ];
  const y = { field: "label", type: "nominal", title: null, sort: { field: "order", op: "min" } };
  const yOffset = { field: "side", type: "nominal", sort: ["parameter at low", "parameter at high"] };
  const color = {
    field: "side",
    type: "nominal",
    title: null,
    scale: { domain: ["parameter at low", "parameter at high"], range: ["#76b7b2", "#e15759"] },
    legend: { orient: "top", direction: "horizontal" },
  };
  const x = {
    field: "value",
    type: "quantitative",
    title: xTitle,
    scale: { zero: false },
    ...(share ? { axis: { format: ".0%" } } : {}),
  };
  return top(
    o,
    `Sensitivity of ${lowerFirst(metricTitle(t.metric))}: tornado`,
    [
      `${t.replications} replications per run, seed ${t.seed}, common random numbers · ` +
        `bars run from the base scenario (grey line) to each run; black ticks: 95% CIs of each run ` +
        "(the swing's paired CI, narrower under common random numbers, is in the tooltip)",
      "One row per parameter (low → high value), largest swing first; " +
        "one parameter at a time, so interactions are not measured.",
    ],
    `Tornado chart of ${t.metric}: one bar per parameter at its low and high value`,
    values,
    {
      width: o.width,
      height: o.height ?? { step: 14 },
      layer: [
        { mark: { type: "bar" }, encoding: { y, yOffset, x, x2: { field: "base" }, color, tooltip } },
        {
          transform: [{ filter: VALID_CI }],
          mark: { type: "rule", color: "black" },
          encoding: { y, yOffset, x: { field: "lo", type: "quantitative" }, x2: { field: "hi" }, tooltip },
        },
        { mark: { type: "rule", color: "#666", strokeWidth: 1 }, encoding: { x: { datum: num(t.base.value) } } },
      ],
    },
  );
}

function withdrawalChart(data: VegaLiteChartData["withdrawal"], o: Readonly<Resolved>): VegaLiteSpec {
  const t = expectFormat<WithdrawalTable>("withdrawal", data, "ceasefire-sim/withdrawal@1", "a WithdrawalTable");
  const metric = o.metric ?? t.rankBy;
  const def = t.comparison.metrics.find((m) => m.metric === metric);
  if (!def)
    throw new RangeError(
      `metric: ${JSON.stringify(metric)} is not in the table; metrics: ${Object.keys(t.baseline).join(", ")}`,
    );
  const unit = unitOf(metric);
  const scale = unit === "share" ? 100 : 1;
  const verdicts = ["worse (95% CI excludes 0)", "no clear change", "better (95% CI excludes 0)"];
  const values: Record<string, unknown>[] = [];
  t.rows.forEach((r, order) => {
    const m = r.metrics[metric];
    if (!m || !finite(m.change.value)) return;
    const c = ci(m.change, scale);
    const worse =
      def.better === "higher" ? finite(m.change.hi) && m.change.hi < 0 : finite(m.change.lo) && m.change.lo > 0;
    const better =
      def.better === "higher" ? finite(m.change.lo) && m.change.lo > 0 : finite(m.change.hi) && m.change.hi < 0;
    values.push({
      state: r.name,
      id: r.state,
      order,
      teams: r.teams,
      sensors: r.sensors,
      ...c,
      without: num(m.without.value * scale),
      verdict: worse ? verdicts[0] : better ? verdicts[2] : verdicts[1],
    });
  });
  const u = unit === "share" ? "pp" : unit === "h" ? "h" : "/d";
  const tooltip = [
    { field: "state", type: "nominal", title: "State withdrawn" },
    { field: "teams", type: "quantitative", title: "Teams" },
    { field: "sensors", type: "quantitative", title: "Sensors" },
    { field: "value", type: "quantitative", title: `Change (${u})`, format: "+.2f" },
    { field: "lo", type: "quantitative", title: `95% CI low (${u})`, format: "+.2f" },
    { field: "hi", type: "quantitative", title: `95% CI high (${u})`, format: "+.2f" },
    {
      field: "without",
      type: "quantitative",
      title: `Without the state (${unit === "share" ? "%" : u})`,
      format: ".2f",
    },
    { field: "verdict", type: "nominal", title: "Verdict" },
  ];
  const y = { field: "state", type: "nominal", title: null, sort: { field: "order", op: "min" } };
  const color = {
    field: "verdict",
    type: "nominal",
    title: null,
    scale: { domain: verdicts, range: ["#e15759", "#9a9a9a", "#59a14f"] },
    legend: { orient: "top", direction: "horizontal" },
  };
  const base = t.baseline[metric];
  const baseText =
    base && finite(base.value)
      ? unit === "share"
        ? `${(100 * base.value).toFixed(1)}%`
        : `${base.value.toFixed(2)} ${u}`
      : "–";
  return top(
    o,
    `If one state withdraws: ${lowerFirst(metricTitle(metric, true))}`,
    [
      `Full coalition: ${baseText} · ${t.comparison.replications} replications per variant ` +
        `on common random numbers (seed ${t.comparison.seed}) · paired differences with 95% CIs`,
      `One row per state withdrawn, most critical first (by the change in ${t.rankBy}); ` +
        `${def.better === "higher" ? "higher" : "lower"} ${metric} is better.`,
    ],
    `Paired change of ${metric} when each contributing state is removed, with 95% CIs`,
    values,
    {
      width: o.width,
      height: o.height ?? { step: 16 },
      layer: [
        { mark: { type: "rule", color: "#666" }, encoding: { x: { datum: 0 } } },
        {
          transform: [{ filter: VALID_CI }],
          mark: { type: "rule", strokeWidth: 2 },
          encoding: {
            y,
            x: { field: "lo", type: "quantitative", title: metricTitle(metric, true) },
            x2: { field: "hi" },
            color,
            tooltip,
          },
        },
        {
          mark: { type: "point", filled: true, size: 50 },
          encoding: {
            y,
            x: { field: "value", type: "quantitative", title: metricTitle(metric, true) },
            color,
            tooltip,
          },
        },
      ],
    },
  );
}

const BUILDERS: { [C in VegaLiteChart]: (data: VegaLiteChartData[C], o: Readonly<Resolved>) => VegaLiteSpec } = {
  "response-cdf": responseCdf,
  sectors: sectorsChart,
  channels: channelsChart,
  burden: burdenChart,
  sweep: sweepChart,
  tornado: tornadoChart,
  withdrawal: withdrawalChart,
};

/**
 * A Vega-Lite v6 specification of a result, as a plain object with the data
 * inlined (`data.values`). Render it with vega-embed, or compile it with
 * vega-lite's `compile` and render with vega; nothing is imported here.
 *
 * Charts:
 * - `"response-cdf"` (a `Result`, a `Comparison` or `Result[]`): the
 *   response-time distribution per strategy. Results keep summary
 *   quantiles, not samples, so the curve is drawn through the points we
 *   have — (0 h, 0), (p50, 50%), (p90, 90%), (p95, 95%) of verified
 *   incidents — as dashed lines (interpolation), with the points and their
 *   95% CIs as data, the means as dotted rules and the response standard.
 * - `"sectors"` (a `Result`): coverage by day, by night, and detection per
 *   sector, as bars spanning each sector's km along the line (sectors laid
 *   end to end in result order).
 * - `"channels"`: share of detected incidents by the channel that detected
 *   them first — per sector for one `Result`, per strategy otherwise.
 * - `"burden"` (a `Result`): asset, team and task share by state, and team
 *   utilisation.
 * - `"sweep"` (`SweepRow[]`): metric against a parameter with 95% CI bands;
 *   options `metric`, `parameter`, `series`.
 * - `"tornado"` (a `TornadoResult`): bars from the base value to the metric
 *   with each parameter at its low and high value.
 * - `"withdrawal"` (a `WithdrawalTable`): the paired change of a metric
 *   (option `metric`, default the table's `rankBy`) when each state
 *   withdraws, with 95% CIs, coloured by whether the CI excludes 0.
 *
 * Throws a RangeError for an unknown chart, data of the wrong kind, or an
 * option that does not apply to the chart.
 *
 * @example
 * const result = await simulate(defaultScenario(), { replications: 50 });
 * const spec = vegaLite(result, "response-cdf");
 * spec.title.text; // "Response time (h): cumulative share of verified incidents (%)"
 * spec.data.values.filter((d) => d.kind === "quantile").map((d) => d.quantile); // ["start", "p50", "p90", "p95"]
 *
 * @example
 * vegaLite(result, "sectors").data.values.length; // 36: 12 sectors × (day coverage, night coverage, detection)
 *
 * @example
 * const t = await withdrawal(defaultScenario(), { replications: 20, states: ["gb", "fr", "ee"] });
 * vegaLite(t, "withdrawal", { metric: "response.mean" }).title.text;
 * // "If one state withdraws: change in mean response time (h)"
 *
 * @example
 * const rows = await sweep(defaultScenario(), {
 *   parameters: [{ path: "contributions[state=gb,asset=team].count", values: [10, 20, 30] }],
 *   metrics: ["response.mean"],
 *   replications: 20,
 * });
 * vegaLite(rows, "sweep").data.values.map((d) => d.x); // [10, 20, 30]
 */
export function vegaLite<C extends VegaLiteChart>(
  data: VegaLiteChartData[C],
  chart: C,
  options: VegaLiteOptions = {},
): VegaLiteSpec {
  if (!Object.hasOwn(BUILDERS, chart))
    throw new RangeError(`chart: unknown chart ${JSON.stringify(chart)}; charts: ${VEGA_LITE_CHARTS.join(", ")}`);
  const build = BUILDERS[chart] as (data: VegaLiteChartData[C], o: Readonly<Resolved>) => VegaLiteSpec;
  return build(data, resolveOptions(chart, options));
}
