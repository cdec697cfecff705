/**
 * `renderReport(result, options)`: one self-contained HTML file — no
 * scripts, no network, no external fonts or styles — with the headline
 * metrics, a map of the sectors along the contact line, the charts of
 * `vegaLite` rendered to inline SVG with vega and vega-lite (loaded lazily,
 * so importing this module stays cheap), the allocation, an optional
 * withdrawal table, and the run's provenance.
 */
import type { TopLevelSpec } from "vega-lite";
import type { Result } from "../experiment/simulate.js";
import type { WithdrawalTable } from "../experiment/withdrawal.js";
import { metricAt } from "../experiment/run.js";
import { scenarioHash } from "../model/hash.js";
import { toScenario } from "../model/parse.js";
import type { Scenario } from "../model/types.js";
import { escapeHtml, namesOf, shortName } from "../report/html.js";
import { answer } from "../report/answer.js";
import { MAP_METRICS, mapSvg, type MapMetric } from "../report/map.js";
import { unitOf, vegaLite, type VegaLiteChart, type VegaLiteSpec } from "../report/vega.js";
import type { Estimate } from "../stats/estimate.js";
import { VERSION } from "../version.js";
import { loadVega } from "./vega.js";

export interface ReportOptions {
  /**
   * The scenario the result came from, parsed (`parseScenario(…)`) or raw
   * (`defaultScenario()`, parsed JSON): it gives the map (its
   * `line.geometry`, sector extents and bases) and the names. It must be
   * the result's scenario (checked by hash). Without it the map is a
   * schematic of the sectors along the line, without bases.
   */
  scenario?: unknown;
  /** A withdrawal table of the same scenario, drawn as a chart and a table. */
  withdrawal?: WithdrawalTable;
  /** Page title (default "ceasefire-sim report — {scenario name}"). */
  title?: string;
  /**
   * Side of the line, walking in the direction of increasing km, on which
   * bases given as `{ x, offsetKm }` are drawn (default "right"); bases
   * given as lon/lat are drawn where they are.
   */
  baseSide?: "left" | "right";
  /**
   * The sector metric that colours the map (default "withinStandard": the share verified within the response
   * standard); see `MAP_METRICS`.
   */
  mapMetric?: MapMetric;
}

interface Resolved {
  scenario: Scenario | null;
  withdrawal: WithdrawalTable | null;
  title: string;
  baseSide: "left" | "right";
  mapMetric: MapMetric;
}

async function resolveOptions(result: Result, o: ReportOptions): Promise<Readonly<Resolved>> {
  if (typeof result !== "object" || result === null || result.format !== "ceasefire-sim/result@1")
    throw new RangeError('result: expected a simulation Result (format "ceasefire-sim/result@1")');
  if (typeof o !== "object" || o === null) throw new RangeError("options: expected an object");
  const hash = result.provenance.scenario.hash;
  const scenario = o.scenario === undefined ? null : toScenario(o.scenario);
  if (scenario) {
    const h = await scenarioHash(scenario.source);
    if (h !== hash)
      throw new RangeError(
        `scenario: ${scenario.name} (${h}) is not the result's scenario ${result.provenance.scenario.name} (${hash})`,
      );
  }
  if (o.withdrawal !== undefined) {
    if (
      typeof o.withdrawal !== "object" ||
      o.withdrawal === null ||
      o.withdrawal.format !== "ceasefire-sim/withdrawal@1"
    )
      throw new RangeError('withdrawal: expected a WithdrawalTable (format "ceasefire-sim/withdrawal@1")');
    const h = o.withdrawal.comparison.results[0]?.provenance.scenario.hash;
    if (h !== hash)
      throw new RangeError(`withdrawal: the table is of another scenario (${h}) than the result (${hash})`);
    sameBaseline(result, o.withdrawal);
  }
  const baseSide = o.baseSide ?? "right";
  if (baseSide !== "left" && baseSide !== "right")
    throw new RangeError(`baseSide: expected "left" or "right"; got ${JSON.stringify(o.baseSide)}`);
  if (o.title !== undefined && typeof o.title !== "string") throw new RangeError("title: expected a string");
  const mapMetric = o.mapMetric ?? "withinStandard";
  if (!MAP_METRICS.includes(mapMetric))
    throw new RangeError(`mapMetric: expected one of ${MAP_METRICS.join(", ")}; got ${JSON.stringify(o.mapMetric)}`);
  return Object.freeze({
    scenario,
    withdrawal: o.withdrawal ?? null,
    title: o.title ?? `ceasefire-sim report — ${result.provenance.scenario.name}`,
    baseSide,
    mapMetric,
  });
}

/**
 * The withdrawal section must stand on the headline's replications: its full coalition is the result's run
 * (same seed, replications and allocation, hence the same estimates). RangeError otherwise.
 */
function sameBaseline(result: Result, t: WithdrawalTable): void {
  const p = result.provenance,
    c = t.comparison;
  const full = c.results[0]!.provenance;
  const differs = (what: string, a: unknown, b: unknown) =>
    new RangeError(
      `withdrawal: the table's full coalition was run with ${what} ${String(b)}, the result with ${String(a)}; ` +
        "the headline and the withdrawal section must come from the same replications (run the withdrawal " +
        "with the result's seed, replications and allocation, and report its comparison.results[0])",
    );
  if (c.seed !== p.seed) throw differs("seed", p.seed, c.seed);
  if (c.replications !== p.replications) throw differs("replications", p.replications, c.replications);
  if (full.strategy !== p.strategy) throw differs("allocation", p.strategy, full.strategy);
  for (const [m, e] of Object.entries(t.baseline)) {
    const v = metricAt(result.line, m).value;
    if (!(v === e.value || (Number.isNaN(v) && Number.isNaN(e.value)))) throw differs(`${m} =`, v, e.value);
  }
}

// ---------------------------------------------------------------------------
// Text

export { escapeHtml };
const esc = escapeHtml;

const fin = (v: number) => Number.isFinite(v);
const pct = (v: number, d = 1) => (fin(v) ? `${(100 * v).toFixed(d)}%` : "–");
const hours = (v: number) => (fin(v) ? (Math.abs(v) < 1 ? `${(v * 60).toFixed(0)} min` : `${v.toFixed(1)} h`) : "–");
const fixed = (v: number, d = 1) => (fin(v) ? v.toFixed(d) : "–");
type Fmt = (v: number) => string;
const interval = (e: Estimate, f: Fmt) => (fin(e.lo) && fin(e.hi) ? `${f(e.lo)} – ${f(e.hi)}` : "–");
/** The value and its 95% interval, which need not be symmetric (shares on the logit scale, times on the log). */
const withCi = (e: Estimate, f: Fmt) =>
  fin(e.value)
    ? `${f(e.value)}${fin(e.lo) && fin(e.hi) ? ` <span class="ci">(${f(e.lo)}–${f(e.hi)})</span>` : ""}`
    : "–";
/** "+1.2", "−0.4", "0.0" (no sign on a value that rounds to zero). */
const signed = (v: number, d: number) => {
  const t = Math.abs(v).toFixed(d);
  return Number(t) === 0 ? t : `${v > 0 ? "+" : "−"}${t}`;
};
const change = (e: Estimate, scale: number, d: number) => {
  if (!fin(e.value)) return "–";
  const ci =
    fin(e.lo) && fin(e.hi) ? ` <span class="ci">[${signed(scale * e.lo, d)}, ${signed(scale * e.hi, d)}]</span>` : "";
  return `${signed(scale * e.value, d)}${ci}`;
};

function table(head: string[], rows: string[][], cls = ""): string {
  const th = head.map((h) => `<th>${h}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n");
  return (
    `<div class="table-wrap"><table${cls ? ` class="${cls}"` : ""}><thead><tr>${th}</tr></thead>` +
    `<tbody>\n${body}\n</tbody></table></div>`
  );
}

// ---------------------------------------------------------------------------
// Charts: Vega-Lite → Vega → SVG

/** Renders Vega-Lite specs to SVG (vega and vega-lite loaded on first use). */
export interface Renderer {
  /** The chart as SVG to inline in HTML: no namespace declarations, every id prefixed with `id`. */
  svg(spec: VegaLiteSpec, id: string): Promise<string>;
}

/** The chart renderer of the report and the notebook display (vega's SVG output; no browser, no canvas). */
export async function renderer(): Promise<Renderer> {
  const { vega, vl } = await loadVega();
  const quiet = vega.logger(vega.None);
  return {
    async svg(spec, id) {
      const compiled = vl.compile(spec as unknown as TopLevelSpec, { logger: quiet }).spec;
      const view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.Error });
      try {
        return inlineSvg(await view.toSVG(), id);
      } finally {
        view.finalize();
      }
    },
  };
}

/**
 * Make a standalone SVG fit for inlining: drop the namespace declarations
 * (HTML puts <svg> in the SVG namespace by itself), prefix every id so
 * several charts' clip paths cannot collide, and label it for screen readers.
 */
function inlineSvg(svg: string, id: string): string {
  const ids = new Set<string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) ids.add(m[1]!);
  let out = svg.replace(/\sxmlns(:\w+)?="[^"]*"/g, "");
  if (ids.size > 0) {
    const re = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const alt = [...ids].map(re).join("|");
    out = out
      .replace(new RegExp(`\\sid="(${alt})"`, "g"), ` id="${id}-$1"`)
      .replace(new RegExp(`url\\(#(${alt})\\)`, "g"), `url(#${id}-$1)`)
      .replace(new RegExp(`href="#(${alt})"`, "g"), `href="#${id}-$1"`);
  }
  return out.replace(/^<svg/, `<svg id="${id}" class="chart" role="img"`);
}

// ---------------------------------------------------------------------------
// Sections

function headline(r: Result): string {
  const L = r.line,
    p = r.provenance;
  const row = (label: string, e: Estimate | number | string, f: Fmt, note = ""): string[] =>
    typeof e === "string"
      ? [label, "", "", e + (note ? ` (${note})` : "")]
      : typeof e === "number"
        ? [label, `<span class="nw">${f(e)}</span>`, "–", note]
        : [
            label,
            `<span class="nw">${fin(e.value) ? f(e.value) : "–"}</span>`,
            `<span class="nw">${interval(e, f)}</span>`,
            note,
          ];
  const ch = L.detection.byChannel;
  const C = L.responseComponents;
  const standard = Number.isInteger(p.responseStandardHours)
    ? `${p.responseStandardHours} h`
    : hours(p.responseStandardHours);
  const rows = [
    row(
      "Incidents",
      L.incidentsPerDay,
      (v) => `${fixed(v)} /d`,
      `${fixed(L.verifiablePerDay.value)} /d need on-site verification (major and critical)`,
    ),
    row(
      "Detected",
      L.detection.probability,
      (v) => pct(v),
      `first by fixed ${pct(ch.fixed.value, 0)}, UAV ${pct(ch.uav.value, 0)}, ` +
        `satellite ${pct(ch.satellite.value, 0)}, patrol ${pct(ch.patrol.value, 0)}, ` +
        `parties ${pct(ch.parties.value, 0)}`,
    ),
    row(
      "Detection latency (mean)",
      L.detection.latency.mean,
      hours,
      `p50 ${hours(L.detection.latency.p50)}, p90 ${hours(L.detection.latency.p90)}`,
    ),
    row(
      "Effective coverage",
      L.coverage.effective.overall,
      (v) => pct(v),
      "chance that the fixed sensors and UAVs there and then detect an incident, over line-km-hours",
    ),
    row("  by day", L.coverage.effective.day, (v) => pct(v)),
    row("  by night", L.coverage.effective.night, (v) => pct(v)),
    row(
      "Footprint coverage",
      L.coverage.overall,
      (v) => pct(v),
      "share of line-km-hours watched by a working fixed sensor or UAV",
    ),
    row("  by day", L.coverage.day, (v) => pct(v)),
    row("  by night", L.coverage.night, (v) => pct(v)),
    row("  by two or more sensors", L.coverage.atLeastTwo, (v) => pct(v)),
    row(
      "Longest unwatched stretch",
      r.allocation.longestUnwatchedKm,
      (v) => `${fixed(v)} km`,
      "no fixed sensor or UAV orbit allocated to it",
    ),
    row(
      "Time to verification (mean)",
      L.timeToVerification.restrictedMean,
      hours,
      `all verifiable incidents; never verified (or later) counts as ${hours(L.timeToVerification.limitHours)}`,
    ),
    ...[L.timeToVerification.p50, L.timeToVerification.p90].map((q) =>
      row(
        `  p${Math.round(100 * q.level)}`,
        Number.isFinite(q.value) ? q : "not reached",
        hours,
        `from the survival curve of all verifiable incidents, up to ${hours(L.timeToVerification.limitHours)}`,
      ),
    ),
    row("Response time (mean)", L.response.mean, hours, "incident to a team on site, verified incidents only"),
    row("  p50", L.response.p50, hours),
    row("  p90", L.response.p90, hours),
    row("  p95", L.response.p95, hours),
    row(
      "  made of (means)",
      `detection ${hours(C.detection.value)}, reporting+tasking ${hours(C.tasking.value)}, ` +
        `queue ${hours(C.queue.value)}, mobilisation ${hours(C.mobilisation.value)}, ` +
        `travel ${hours(C.travel.value)}, access ${hours(C.access.value)}`,
      hours,
    ),
    row("Verified", L.outcomes.verified, (v) => pct(v), "share of verifiable incidents"),
    row(`Verified within ${standard}`, L.withinStandard, (v) => pct(v), "the response standard"),
    row(
      "Never verified",
      `undetected ${pct(L.outcomes.undetected.value)}, denied access ${pct(L.outcomes.denied.value)}, ` +
        `no eligible team ${pct(L.outcomes.noEligibleTeam.value)}, ` +
        `unfinished at the horizon ${pct(L.outcomes.horizonEnd.value)}`,
      hours,
      "of verifiable incidents",
    ),
    row("Minor incidents recorded", L.minorRecorded, (v) => pct(v)),
    row(
      "Taskings queued",
      L.dispatch.queuedShare,
      (v) => pct(v),
      `mean queue wait ${hours(L.dispatch.queueWait.value)}`,
    ),
    row(
      "Cross-sector / cross-national taskings",
      `${pct(L.dispatch.crossSectorShare.value)} / ${pct(L.dispatch.crossNationalShare.value)}`,
      hours,
    ),
  ];
  return table(
    ["Metric", "Estimate", "95% CI", "Note"],
    rows.map(([a, b, c, d]) => [esc(a!).replace(/^ {2}/, '<span class="indent"></span>'), b!, c!, esc(d!)]),
    "metrics",
  );
}

function sectorTable(r: Result, scenario: Scenario | null, colors: Record<string, string>): string {
  let km = 0;
  const rows = r.sectors.map((s, i) => {
    const from = km;
    km += s.lengthKm;
    const name = scenario?.sectors[i]?.name ?? s.id;
    const full = shortName(name) !== name ? ` · ${esc(name)}` : "";
    return [
      `<span class="swatch" style="background:${colors[s.id]}"></span>${esc(shortName(name))}` +
        `<div class="sub">km ${fixed(from, 0)}–${fixed(km, 0)}${full}</div>`,
      fixed(s.incidentsPerDay.value),
      pct(s.coverage.effective.day.value),
      pct(s.coverage.effective.night.value),
      withCi(s.detection.probability, (v) => pct(v)),
      withCi(s.response.mean, hours),
      hours(s.response.p90.value),
      withCi(s.withinStandard, (v) => pct(v)),
      pct(s.outcomes.verified.value),
    ];
  });
  return table(
    [
      "Sector",
      "Incidents /d",
      "Effective coverage by day",
      "Effective coverage by night",
      "Detected",
      "Response mean",
      "Response p90",
      "Within standard",
      "Verified",
    ],
    rows,
    "num",
  );
}

function allocationSection(r: Result, scenario: Scenario | null): string {
  const a = r.allocation;
  const out: string[] = [];
  out.push(
    `<p>Strategy <b>${esc(a.strategy)}</b>: ${a.teams} teams; ${a.sensors.fixed} fixed sensors, ` +
      `${a.sensors.uav} UAVs, ${a.sensors.satellite} satellites. ` +
      `Longest stretch without an allocated fixed sensor or UAV orbit: ${fixed(a.longestUnwatchedKm)} km.</p>`,
  );
  // Teams per base.
  const byBase = new Map<string, Map<string, number>>();
  for (const t of r.teams) {
    const m = byBase.get(t.base) ?? new Map<string, number>();
    m.set(t.state, (m.get(t.state) ?? 0) + 1);
    byBase.set(t.base, m);
  }
  const baseIds = scenario ? scenario.bases.map((b) => b.id) : [...byBase.keys()];
  const stateName = (id: string) => scenario?.states.find((x) => x.id === id)?.name ?? id;
  if (r.teams.length > 0) {
    const rows = baseIds.map((id) => {
      const b = scenario?.bases.find((x) => x.id === id);
      const m = byBase.get(id) ?? new Map<string, number>();
      const n = [...m.values()].reduce((x, y) => x + y, 0);
      const full = b && shortName(b.name) !== b.name ? `<div class="sub">${esc(b.name)}</div>` : "";
      return [
        `${esc(b ? shortName(b.name) : id)}${full}`,
        b ? `${fixed(b.x, 0)} km, ${fixed(b.offsetKm, 0)} km off` : "–",
        b ? (b.capacity >= 1e6 ? "∞" : String(b.capacity)) : "–",
        String(n),
        `<span class="wrap">${esc(
          [...m]
            .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
            .map(([st, c]) => `${stateName(st)} ${c}`)
            .join(", "),
        )}</span>`,
      ];
    });
    out.push(`<h3>Teams by base</h3>`, table(["Base", "Position", "Capacity", "Teams", "By state"], rows, "num"));
  }
  const states = r.states
    .filter((s) => s.teams + s.sensors > 0)
    .sort((x, y) => y.assetShare - x.assetShare || x.id.localeCompare(y.id));
  if (states.length > 0) {
    const rows = states.map((s) => {
      const t = s.teams > 0;
      return [
        esc(stateName(s.id)),
        String(s.teams),
        String(s.sensors),
        pct(s.assetShare),
        pct(s.teamShare),
        t ? withCi(s.taskShare, (v) => pct(v)) : "–",
        t ? withCi(s.utilisation, (v) => pct(v)) : "–",
        t ? fixed(s.tasksPerDay.value, 2) : "–",
        String(s.personnel),
        s.costShare === undefined ? "–" : pct(s.costShare),
        t ? fixed(s.hoursPerDay.tasked.value, 1) : "–",
        t ? fixed(s.hoursPerDay.patrolling.value, 1) : "–",
        s.sensors > 0 ? fixed(s.hoursPerDay.sensors.value + s.hoursPerDay.uavs.value, 0) : "–",
      ];
    });
    out.push(
      `<h3>Contributing states</h3>`,
      table(
        [
          "State",
          "Teams",
          "Sensors",
          "Asset share",
          "Team share",
          "Task share",
          "Utilisation",
          "Tasks /d",
          "Personnel",
          "Cost share",
          "Team h/d tasked",
          "Team h/d patrol",
          "Sensor h/d",
        ],
        rows,
        "num",
      ),
      `<p class="sub">Burden beside the unit count: personnel deployed; share of the placed units' cost (from the ` +
        `assets' <code>unitCost</code>; – when a placed asset type has none); team-hours per day tasked and on ` +
        `patrol; hours per day the state's fixed sensors worked and its UAVs were on station (docs/estimands.md, ` +
        `"Burden").</p>`,
    );
  }
  if (a.idle.length > 0)
    out.push(
      `<h3>Idle units</h3><ul>${a.idle
        .map((i) => `<li>${i.count} × ${esc(i.asset)} of ${esc(stateName(i.state))}: ${esc(i.why)}</li>`)
        .join("")}</ul>`,
    );
  return out.join("\n");
}

const SHORT: Record<string, string> = {
  "response.mean": "mean response",
  "response.p50": "median response",
  "response.p90": "p90 response",
  "response.p95": "p95 response",
  withinStandard: "within standard",
  "outcomes.verified": "verified",
  "detection.probability": "detected",
  "coverage.overall": "sensor coverage",
  "timeToVerification.restrictedMean": "mean time to verification",
};

function withdrawalSection(t: WithdrawalTable): string {
  const metrics = Object.keys(t.baseline);
  const unitH = (m: string) => unitOf(m) === "h";
  const fmt = (m: string, e: Estimate) => (unitH(m) ? change(e, 1, 2) : change(e, 100, 1));
  const base = [
    "<b>full coalition</b>",
    "",
    "",
    ...metrics.map((m) => `<b>${unitH(m) ? withCi(t.baseline[m]!, hours) : withCi(t.baseline[m]!, (v) => pct(v))}</b>`),
  ];
  const gap = (changes: (r: WithdrawalTable["rows"][number]) => Record<string, { change: Estimate }> | null) =>
    table(
      [
        "State withdrawn",
        "Teams",
        "Sensors",
        ...metrics.map((m) => `Δ ${esc(SHORT[m] ?? m)} (${unitH(m) ? "h" : "pp"})`),
      ],
      [
        base,
        ...t.rows.map((r) => [
          esc(r.name),
          String(r.teams),
          String(r.sensors),
          ...metrics.map((m) => {
            const c = changes(r)?.[m];
            return c ? fmt(m, c.change) : "–";
          }),
        ]),
      ],
      "num",
    );
  const replanned = t.rows.some((r) => r.replanned);
  // The notes name the state by id ("without gb: …"): the reader gets its name.
  const notes = t.rows.flatMap((r) =>
    [...(r.notes ?? []), ...(r.replanned?.notes ?? [])].map((n) =>
      n.startsWith(`without ${r.state}`) ? `without ${r.name}${n.slice(`without ${r.state}`.length)}` : n,
    ),
  );
  return [
    "<p>Each contributing state removed in turn (its units gone, every other unit where it was), " +
      `${t.comparison.replications} replications per variant on common random numbers ` +
      `(seed ${esc(t.comparison.seed)}); the full coalition is the headline run above. Each change is the ` +
      "difference of the two estimates (without − full coalition), with a paired 95% CI; " +
      `rows are ordered by the change in <code>${esc(t.rankBy)}</code> (${t.better} is better), ` +
      "most critical first. Shares change in percentage points (pp).</p>",
    ...(replanned ? ["<h3>Immediate gap (every other unit where it was)</h3>"] : []),
    gap((r) => r.metrics),
    ...(replanned
      ? [
          "<h3>After re-planning (the units left placed afresh by the strategy)</h3>",
          gap((r) => r.replanned?.metrics ?? null),
        ]
      : []),
    ...(notes.length > 0
      ? [`<p class="note">Note:</p><ul class="notes">${notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>`]
      : []),
  ].join("\n");
}

function provenance(r: Result, t: WithdrawalTable | null): string {
  const p = r.provenance;
  const stop = r.stopping;
  const stopping = stop
    ? ` · sequential stopping on ${stop.metric}: target ±${stop.targetHalfWidth.toPrecision(3)} ` +
      (stop.met ? "met" : "not met")
    : "";
  const items: [string, string][] = [
    ["Library", `${p.library} ${p.version} (report by ${VERSION})`],
    ["Scenario", `${p.scenario.name} · ${p.scenario.hash}`],
    ["Seed / RNG", `${p.seed} · ${p.rng}`],
    ["Replications", `${p.replications}${p.complete ? "" : " (incomplete: stopped early)"}${stopping}`],
    [
      "Horizon",
      `${fixed(p.horizonHours / 24, 1)} d measured after a ${fixed(p.warmupHours / 24, 1)} d warm-up; ` +
        `verifications followed up to ${hours(p.drainHours)} after the end`,
    ],
    ["Response standard", hours(p.responseStandardHours)],
    ["Allocation", p.strategy],
    ["Confidence intervals", p.ciMethod],
    ["Quantiles", p.quantileMethod],
    ["Run", `started ${p.startedAt}, ${(p.wallTimeMs / 1000).toFixed(1)} s`],
  ];
  if (t)
    items.push([
      "Withdrawal table",
      `${t.comparison.replications} replications per variant, seed ${t.comparison.seed}; ${t.comparison.method}`,
    ]);
  return `<dl>${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("")}</dl>`;
}

/** Plotting width of the report's charts (px): with axes and legends they fill the page's 944 px. */
const CHART_WIDTH = 680;

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #222;
  background: #fff; margin: 0; line-height: 1.45; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #ddd; }
h3 { font-size: 1rem; margin: 20px 0 8px; }
p.answer { font-size: 1.08rem; line-height: 1.55; margin: 8px 0 14px; max-width: 52em; }
p.lede { color: #444; margin: 4px 0 8px; font-size: 0.92rem; }
p.run { color: #555; font-size: 0.9rem; margin: 0 0 16px; }
.table-wrap { overflow-x: auto; margin: 8px 0 16px; }
table { border-collapse: collapse; width: 100%; font-size: 0.86rem; }
th, td { padding: 4px 8px; border-bottom: 1px solid #eee; vertical-align: top; text-align: left; }
th { background: #f4f4f1; font-weight: 600; }
table.num td:not(:first-child), table.num th:not(:first-child) { text-align: right; }
table.num td:not(:first-child) { white-space: nowrap; }
table.num td:first-child { min-width: 9em; }
table.metrics { table-layout: fixed; }
table.metrics th:nth-child(1) { width: 24%; }
table.metrics th:nth-child(2) { width: 17%; }
table.metrics th:nth-child(3) { width: 19%; }
.nw { white-space: nowrap; }
table.num td .wrap { white-space: normal; display: inline-block; min-width: 14em; text-align: left; }
tbody tr:nth-child(even) td { background: #fafaf8; }
.ci { color: #777; font-size: 0.85em; }
.sub { color: #777; font-size: 0.8em; }
.note { margin-bottom: 0; font-weight: 600; }
.notes { margin-top: 4px; color: #7a4a00; font-size: 0.9em; }
.indent { display: inline-block; width: 1.2em; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 6px; border-radius: 2px;
  vertical-align: baseline; }
figure { margin: 12px 0 24px; }
figure svg { max-width: 100%; height: auto; display: block; }
figure h3 { margin: 0 0 2px; font-size: 1rem; }
figure p.subtitle { margin: 0 0 8px; color: #555; font-size: 0.85rem; }
figcaption { color: #555; font-size: 0.85rem; margin-top: 4px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
footer { margin-top: 40px; padding-top: 10px; border-top: 1px solid #ddd; color: #555; font-size: 0.82rem; }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0; }
footer dt { font-weight: 600; }
footer dd { margin: 0; }
@media print { main { padding: 0; } h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
`;

/**
 * Render a result as one self-contained HTML page: headline metrics with
 * 95% CIs, a map of the sectors along the line (from the scenario's
 * `line.geometry`, with bases and the teams stationed at each), the
 * response-time, sector, channel and burden charts (and the withdrawal
 * chart and table when `options.withdrawal` is given) as inline SVG, the
 * sector table, the allocation, and the provenance. The page loads nothing:
 * no scripts, fonts, styles or images from anywhere.
 *
 * @example
 * const scenario = parseScenario(defaultScenario());
 * const result = await simulate(scenario, { replications: 50, seed: 1 });
 * const html = await renderReport(result, { scenario });
 * await writeFileAtomic("report.html", html);
 */
export async function renderReport(result: Result, options: ReportOptions = {}): Promise<string> {
  const o = await resolveOptions(result, options);
  const r = result,
    p = r.provenance;
  const render = await renderer();
  const verified = fin(r.line.response.p50.value);
  const charts: { chart: VegaLiteChart; data: unknown; caption: string }[] = [
    ...(verified
      ? [
          {
            chart: "response-cdf" as const,
            data: r,
            caption:
              "Only the estimated quantiles are data; the dashed curve between them is drawn for reading, " +
              "not estimated.",
          },
        ]
      : []),
    {
      chart: "sectors",
      data: r,
      caption:
        "Colours tell the sectors apart. Coverage is by sensors (fixed and UAV); detection includes " +
        "satellites, team patrols and the parties' own reports.",
    },
    { chart: "channels", data: r, caption: "Shares of detected incidents by the channel that detected them first." },
    { chart: "burden", data: r, caption: "Who contributes what, and who does the work." },
  ];
  if (o.withdrawal)
    charts.push({
      chart: "withdrawal",
      data: o.withdrawal,
      caption:
        "A change whose 95% CI excludes 0 is coloured; grey ones cannot be told from no change " +
        "with these replications.",
    });
  // Names, not ids, in every chart that shows states or sectors (the withdrawal table carries its own).
  const names = o.scenario ? { names: namesOf(o.scenario) } : {};
  const figures: string[] = [];
  for (const [i, c] of charts.entries()) {
    // The title and subtitle go in the page (HTML text wraps; SVG text does not), the rest is drawn.
    const { title, ...spec } = vegaLite(c.data as never, c.chart, { width: CHART_WIDTH, ...names });
    const svg = await render.svg(spec as VegaLiteSpec, `chart${i + 1}`);
    figures.push(
      `<figure class="chart-figure" data-chart="${c.chart}"><h3>${esc(title.text)}</h3>` +
        `<p class="subtitle">${(title.subtitle ?? []).map(esc).join("<br>")}</p>${svg}` +
        `<figcaption>${esc(c.caption)}</figcaption></figure>`,
    );
  }
  const withdrawalFigure = o.withdrawal ? figures.pop()! : "";
  const map = mapSvg(r, { scenario: o.scenario, baseSide: o.baseSide, metric: o.mapMetric });
  const sentences = answer(r, { scenario: o.scenario, withdrawal: o.withdrawal });
  const description = o.scenario?.description ?? "";
  const run =
    `${p.replications} replications of ${fixed(p.horizonHours / 24, 0)} d after a ${fixed(p.warmupHours / 24, 1)} d ` +
    `warm-up · seed ${esc(p.seed)} · allocation ${esc(p.strategy)} · ` +
    "values are estimates with 95% confidence intervals over replications.";
  const noResponse = verified
    ? ""
    : `<p>No incident was verified on site in this run (${r.line.counts.verifiable} verifiable incidents), ` +
      "so there is no response-time distribution to draw.</p>";
  const withdrawal = o.withdrawal
    ? `<section id="withdrawal">\n<h2>If one state withdraws</h2>\n${withdrawalFigure}\n` +
      `${withdrawalSection(o.withdrawal)}\n</section>`
    : "";
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ceasefire-sim ${esc(VERSION)}">
<title>${esc(o.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${esc(o.title)}</h1>
</header>
<section id="answer">
<h2>In short</h2>
<p class="answer">${sentences.map((t) => `<span class="sentence">${esc(t)}</span>`).join(" ")}</p>
${description ? `<p class="lede">${esc(description)}</p>` : ""}
<p class="run">${run}</p>
</section>
<section id="map-section">
<h2>Sectors along the line</h2>
<figure>${map.svg}<figcaption>${esc(map.caption)}</figcaption></figure>
${sectorTable(r, o.scenario, map.colors)}
</section>
<section id="headline">
<h2>Headline metrics</h2>
${headline(r)}
</section>
<section id="charts">
<h2>Charts</h2>
${noResponse}
${figures.join("\n")}
</section>
<section id="allocation">
<h2>Allocation</h2>
${allocationSection(r, o.scenario)}
</section>
${withdrawal}
<footer>
<b>Provenance.</b> Same library version, scenario and seed give the same numbers.
${provenance(r, o.withdrawal)}
</footer>
</main>
</body>
</html>
`;
  return html;
}
