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
import { pointAlong, polylineLengthKm } from "../model/geometry.js";
import { toScenario } from "../model/parse.js";
import type { Scenario } from "../model/types.js";
import { sectorColor, vegaLite, type VegaLiteChart, type VegaLiteSpec } from "../report/vega.js";
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
}

interface Resolved {
  scenario: Scenario | null;
  withdrawal: WithdrawalTable | null;
  title: string;
  baseSide: "left" | "right";
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
  return Object.freeze({
    scenario,
    withdrawal: o.withdrawal ?? null,
    title: o.title ?? `ceasefire-sim report — ${result.provenance.scenario.name}`,
    baseSide,
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

/** Escape text for HTML and SVG text and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;",
  );
}
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

interface Renderer {
  svg(spec: VegaLiteSpec, id: string): Promise<string>;
}

async function renderer(): Promise<Renderer> {
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
// Map

type Pt = [number, number];
const KM_PER_DEG = 6371.0088 * (Math.PI / 180);

interface MapBase {
  id: string;
  name: string;
  at: Pt;
  foot: Pt | null;
  teams: number;
}

type MapSector = { id: string; name: string; from: number; to: number };

/** Km-space (x east, y north): the projection, the sectors' polylines, and points along the line with normals. */
interface MapGeometry {
  toKm: (p: Pt) => Pt;
  lines: Pt[][];
  along: (km: number) => { p: Pt; normal: Pt };
  /** The projection's centre and cos φ₀, when the line is geographic. */
  lonlat: { lon0: number; lat0: number; k: number } | null;
}

/** The viewBox: its size, the scale (px per km) and the projection of km-space into it (y flipped: north up). */
interface MapFrame {
  W: number;
  H: number;
  s: number;
  ox: number;
  padT: number;
  x0: number;
  y1: number;
  px: (p: Pt) => Pt;
}

const f = (v: number) => v.toFixed(1);
const MAP_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

/**
 * The sectors along the contact line as SVG. With `line.geometry`: an
 * equirectangular projection centred on the line (x = Δlon·cos φ₀, y = Δlat,
 * both in km), the polyline split by cumulative km into sectors, bases
 * placed at their lon/lat or at (x, offsetKm) beside the line. Without it: a
 * straight schematic line.
 */
function mapSvg(
  result: Result,
  scenario: Scenario | null,
  baseSide: "left" | "right",
): { svg: string; caption: string } {
  const sectors: MapSector[] = scenario
    ? scenario.sectors.map((s) => ({ id: s.id, name: s.name, from: s.from, to: s.to }))
    : cumulative(result);
  const lineKm = sectors.length ? sectors[sectors.length - 1]!.to : 0;
  const geometry = scenario?.geometry ?? null;
  const side = baseSide === "right" ? 1 : -1;
  const geo =
    geometry && geometry.coordinates.length >= 2
      ? geographic(geometry.coordinates, sectors, lineKm)
      : schematic(sectors);
  const bases = scenario ? mapBases(result, scenario, geo, side) : [];
  const frame = fitFrame(geo.lines, bases, geometry !== null);
  const { W, H } = frame;
  const label = `Map of the ${sectors.length} sectors along the contact line${
    bases.length ? ` and ${bases.length} bases` : ""
  }`;
  const out: string[] = [
    `<svg id="map" class="map" role="img" aria-label="${esc(label)}" viewBox="0 0 ${W} ${H}" ` +
      `width="${W}" height="${H}" font-family="${MAP_FONT}">`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#fbfbf8"/>`,
  ];
  if (geo.lonlat) out.push(...graticule(frame, geo.lonlat, geo.toKm));
  out.push(...leaderLines(frame, bases));
  out.push(...sectorPaths(frame, sectors, geo.lines));
  out.push(...sectorLabels(frame, sectors, geo.along, lineKm, side));
  out.push(...baseMarks(frame, bases));
  out.push(...scaleAndNorth(frame, geometry !== null));
  out.push(`</svg>`);
  return { svg: out.join("\n"), caption: mapCaption(geometry !== null, bases, baseSide) };
}

/** The line's polyline projected to km-space and split into sectors by cumulative km. */
function geographic(coords: readonly Pt[], sectors: readonly MapSector[], lineKm: number): MapGeometry {
  const lons = coords.map((c) => c[0]),
    lats = coords.map((c) => c[1]);
  const lon0 = (Math.min(...lons) + Math.max(...lons)) / 2,
    lat0 = (Math.min(...lats) + Math.max(...lats)) / 2;
  const k = Math.cos((lat0 * Math.PI) / 180);
  const toKm = (c: Pt): Pt => [(c[0] - lon0) * k * KM_PER_DEG, (c[1] - lat0) * KM_PER_DEG];
  const total = polylineLengthKm(coords);
  const cum: number[] = [0];
  for (let i = 1; i < coords.length; i++) cum.push(cum[i - 1]! + polylineLengthKm([coords[i - 1]!, coords[i]!]));
  const at = (km: number): Pt => toKm(pointAlong(coords, lineKm > 0 ? km / lineKm : 0));
  const lines = sectors.map((s) => {
    const f0 = lineKm > 0 ? s.from / lineKm : 0,
      f1 = lineKm > 0 ? s.to / lineKm : 0;
    const pts: Pt[] = [toKm(pointAlong(coords, f0))];
    for (let i = 0; i < coords.length; i++) {
      const fr = total > 0 ? cum[i]! / total : 0;
      if (fr > f0 && fr < f1) pts.push(toKm(coords[i]!));
    }
    pts.push(toKm(pointAlong(coords, f1)));
    return pts;
  });
  const along = (km: number): { p: Pt; normal: Pt } => {
    const d = Math.max(1, lineKm / 500);
    const a = at(Math.max(0, km - d)),
      b = at(Math.min(lineKm, km + d));
    const dx = b[0] - a[0],
      dy = b[1] - a[1],
      n = Math.hypot(dx, dy) || 1;
    return { p: at(km), normal: [dy / n, -dx / n] }; // right-hand normal (y north)
  };
  return { toKm, lines, along, lonlat: { lon0, lat0, k } };
}

/** A straight line from km 0 eastwards, the sectors laid end to end. */
function schematic(sectors: readonly MapSector[]): MapGeometry {
  return {
    toKm: (c) => c,
    lines: sectors.map((s) => [
      [s.from, 0],
      [s.to, 0],
    ]),
    along: (km) => ({ p: [km, 0], normal: [0, -1] }), // right of an eastward line: south, drawn below
    lonlat: null,
  };
}

/** Bases in km-space: at their lon/lat on a geographic map, else at (x, offsetKm) on the bases' side. */
function mapBases(result: Result, scenario: Scenario, geo: MapGeometry, side: number): MapBase[] {
  const teamsAt = new Map<string, number>();
  for (const t of result.teams) teamsAt.set(t.base, (teamsAt.get(t.base) ?? 0) + 1);
  const src = (scenario.source as { bases?: { location?: { lon?: unknown; lat?: unknown } }[] } | null)?.bases;
  return scenario.bases.map((b, i) => {
    const loc = src?.[i]?.location;
    const { p, normal } = geo.along(b.x);
    if (geo.lonlat && loc && typeof loc.lon === "number" && typeof loc.lat === "number")
      return { id: b.id, name: b.name, at: geo.toKm([loc.lon, loc.lat]), foot: p, teams: teamsAt.get(b.id) ?? 0 };
    return {
      id: b.id,
      name: b.name,
      at: [p[0] + side * normal[0] * b.offsetKm, p[1] + side * normal[1] * b.offsetKm],
      foot: p,
      teams: teamsAt.get(b.id) ?? 0,
    };
  });
}

/** Fit km-space into a viewBox 900 px wide (y flipped: north up), with room for labels around. */
function fitFrame(lines: readonly Pt[][], bases: readonly MapBase[], geographicMap: boolean): MapFrame {
  const W = 900;
  const all: Pt[] = [...lines.flat(), ...bases.map((b) => b.at)];
  const xs = all.map((p) => p[0]),
    ys = all.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const padL = 150,
    padR = 150,
    padT = 40,
    padB = 60;
  const spanX = Math.max(x1 - x0, 1),
    spanY = Math.max(y1 - y0, 1);
  const s = Math.min((W - padL - padR) / spanX, geographicMap ? 640 / spanY : 60 / spanY);
  const H = Math.round(spanY * s + padT + padB);
  const ox = padL + (W - padL - padR - spanX * s) / 2;
  const px = (p: Pt): Pt => [ox + (p[0] - x0) * s, padT + (y1 - p[1]) * s];
  return { W, H, s, ox, padT, x0, y1, px };
}

/** Whole-degree meridians and parallels, labelled. */
function graticule(frame: MapFrame, lonlat: NonNullable<MapGeometry["lonlat"]>, toKm: (p: Pt) => Pt): string[] {
  const { W, H, s, ox, padT, x0, y1, px } = frame;
  const { lon0, lat0, k } = lonlat;
  const inv = (p: Pt): Pt => [lon0 + p[0] / (k * KM_PER_DEG), lat0 + p[1] / KM_PER_DEG];
  const tl = inv([x0 - (ox - 0) / s, y1 + padT / s]),
    br = inv([x0 + (W - ox) / s, y1 - (H - padT) / s]);
  const out = [`<g class="graticule" stroke="#e2e2dc" stroke-width="1" fill="#999" font-size="10">`];
  for (let lon = Math.ceil(tl[0]); lon <= br[0]; lon++) {
    const a = px(toKm([lon, tl[1]])),
      b = px(toKm([lon, br[1]]));
    out.push(
      `<line x1="${f(a[0])}" y1="0" x2="${f(b[0])}" y2="${H}"/>` +
        `<text x="${f(b[0])}" y="${H - 4}" stroke="none" text-anchor="middle">${lon}°E</text>`,
    );
  }
  for (let lat = Math.ceil(br[1]); lat <= tl[1]; lat++) {
    const a = px(toKm([tl[0], lat]));
    out.push(
      `<line x1="0" y1="${f(a[1])}" x2="${W}" y2="${f(a[1])}"/>` +
        `<text x="4" y="${f(a[1] - 3)}" stroke="none">${lat}°N</text>`,
    );
  }
  out.push(`</g>`);
  return out;
}

/** Dashed lines from each base to its position along the line (drawn under the line). */
function leaderLines({ px }: MapFrame, bases: readonly MapBase[]): string[] {
  const out = [`<g class="bases">`];
  for (const b of bases) {
    if (b.foot) {
      const a = px(b.foot),
        c = px(b.at);
      out.push(
        `<line x1="${f(a[0])}" y1="${f(a[1])}" x2="${f(c[0])}" y2="${f(c[1])}" ` +
          `stroke="#999" stroke-width="1" stroke-dasharray="3 3"/>`,
      );
    }
  }
  out.push(`</g>`);
  return out;
}

/** One coloured path per sector, with its name and extent as a tooltip. */
function sectorPaths({ px }: MapFrame, sectors: readonly MapSector[], lines: readonly Pt[][]): string[] {
  const path = (pts: Pt[]) => pts.map((p, i) => `${i ? "L" : "M"}${f(px(p)[0])},${f(px(p)[1])}`).join("");
  const out = [`<g class="sectors" fill="none" stroke-width="7" stroke-linejoin="round">`];
  lines.forEach((pts, i) => {
    const sec = sectors[i]!;
    const title = `${sec.name} (${sec.id}): km ${sec.from.toFixed(0)}–${sec.to.toFixed(0)}`;
    out.push(
      `<path class="sector" data-sector="${esc(sec.id)}" d="${path(pts)}" stroke="${sectorColor(i)}">` +
        `<title>${esc(title)}</title></path>`,
    );
  });
  out.push(`</g>`);
  return out;
}

/** Sector boundaries, and the sectors' ids on the side of the line away from the bases. */
function sectorLabels(
  { px }: MapFrame,
  sectors: readonly MapSector[],
  along: MapGeometry["along"],
  lineKm: number,
  side: number,
): string[] {
  const out = [
    `<g class="labels" font-size="11" paint-order="stroke" stroke="#fbfbf8" stroke-width="3" stroke-linejoin="round">`,
  ];
  const boundary = (km: number) => {
    const b = px(along(km).p);
    return `<circle cx="${f(b[0])}" cy="${f(b[1])}" r="3" fill="#fff" stroke="#333" stroke-width="1"/>`;
  };
  for (const sec of sectors) out.push(boundary(sec.from));
  if (sectors.length) out.push(boundary(lineKm));
  sectors.forEach((sec, i) => {
    const { p, normal } = along((sec.from + sec.to) / 2);
    const q = px(p);
    // Screen-space direction of the label: opposite to the bases' side (screen y points down).
    const nx = -side * normal[0],
      ny = side * normal[1];
    const lx = q[0] + nx * 14,
      ly = q[1] + ny * 14 + 4;
    const anchor = Math.abs(nx) < 0.3 ? "middle" : nx > 0 ? "start" : "end";
    out.push(
      `<text x="${f(lx)}" y="${f(ly)}" text-anchor="${anchor}" fill="${darken(sectorColor(i))}" font-weight="600">` +
        `${esc(sec.id)}</text>`,
    );
  });
  out.push(`</g>`);
  return out;
}

/** Bases as squares sized by the teams stationed there, labelled away from the line. */
function baseMarks({ px }: MapFrame, bases: readonly MapBase[]): string[] {
  const out = [`<g class="base-marks" font-size="10" paint-order="stroke" stroke-linejoin="round">`];
  for (const b of bases) {
    const c = px(b.at);
    const r = b.teams > 0 ? 3 + Math.sqrt(b.teams) : 3;
    const title = `${b.name} (${b.id}): ${b.teams} team${b.teams === 1 ? "" : "s"}`;
    out.push(
      `<rect x="${f(c[0] - r)}" y="${f(c[1] - r)}" width="${f(2 * r)}" height="${f(2 * r)}" fill="#222" ` +
        `stroke="#fff" stroke-width="1"><title>${esc(title)}</title></rect>`,
    );
    // Label on the side away from the line; below a base that sits on it.
    const foot = b.foot ? px(b.foot) : null;
    const onLine = foot !== null && Math.hypot(foot[0] - c[0], foot[1] - c[1]) < 4;
    const left = !onLine && foot !== null && foot[0] > c[0] + 1;
    const [tx, ty, anchor] = onLine
      ? [c[0], c[1] + r + 13, "middle"]
      : left
        ? [c[0] - r - 3, c[1] + 3, "end"]
        : [c[0] + r + 3, c[1] + 3, "start"];
    out.push(
      `<text x="${f(tx)}" y="${f(ty)}" text-anchor="${anchor}" fill="#222" stroke="#fbfbf8" stroke-width="3">` +
        `${esc(b.id)}${b.teams ? ` · ${b.teams}` : ""}</text>`,
    );
  }
  out.push(`</g>`);
  return out;
}

/** A scale bar of a round number of km, and a north arrow on geographic maps. */
function scaleAndNorth({ W, H, s }: MapFrame, geographicMap: boolean): string[] {
  const bar = niceKm(120 / s);
  const out = [
    `<g class="scale" font-size="10" fill="#333"><rect x="16" y="${H - 30}" width="${f(bar * s)}" height="4" ` +
      `fill="#333"/><text x="16" y="${H - 36}">${bar} km</text></g>`,
  ];
  if (geographicMap)
    out.push(
      `<g class="north" fill="#333" font-size="11" font-weight="600"><path d="M${W - 30},18 l6,16 l-6,-4 l-6,4 z"/>` +
        `<text x="${W - 30}" y="48" text-anchor="middle">N</text></g>`,
    );
  return out;
}

function mapCaption(geographicMap: boolean, bases: readonly MapBase[], baseSide: "left" | "right"): string {
  if (!geographicMap)
    return (
      "Schematic of the sectors laid end to end from km 0 (the scenario has no line geometry)" +
      `${bases.length ? "; squares: bases at their km and distance from the line" : ""}.`
    );
  const offsets = bases.some((b) => b.foot)
    ? "; dashed: each base's position along the line, with bases given as (x, offsetKm) drawn " +
      `${baseSide === "right" ? "to the right" : "to the left"} of the line walking from km 0`
    : "";
  return (
    "Sectors along the contact line (equirectangular projection centred on the line; the geometry is the " +
    "scenario's approximate polyline, split by cumulative km). Squares: bases, sized by teams stationed " +
    `(number after the name)${offsets}.`
  );
}

function cumulative(result: Result): { id: string; name: string; from: number; to: number }[] {
  let km = 0;
  return result.sectors.map((s) => {
    const from = km;
    km += s.lengthKm;
    return { id: s.id, name: s.id, from, to: km };
  });
}

function niceKm(target: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(target, 1e-9)));
  for (const m of [1, 2, 5, 10]) if (m * p >= target) return m * p;
  return 10 * p;
}

function darken(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  const c = (v: number) =>
    Math.round(v * 0.7)
      .toString(16)
      .padStart(2, "0");
  return `#${c((n >> 16) & 255)}${c((n >> 8) & 255)}${c(n & 255)}`;
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

function sectorTable(r: Result, scenario: Scenario | null): string {
  let km = 0;
  const rows = r.sectors.map((s, i) => {
    const from = km;
    km += s.lengthKm;
    const name = scenario?.sectors[i]?.name ?? s.id;
    return [
      `<span class="swatch" style="background:${sectorColor(i)}"></span>${esc(s.id)}` +
        `<div class="sub">km ${fixed(from, 0)}–${fixed(km, 0)}${name !== s.id ? ` · ${esc(name)}` : ""}</div>`,
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
  if (r.teams.length > 0) {
    const rows = baseIds.map((id) => {
      const b = scenario?.bases.find((x) => x.id === id);
      const m = byBase.get(id) ?? new Map<string, number>();
      const n = [...m.values()].reduce((x, y) => x + y, 0);
      return [
        `${esc(id)}${b && b.name !== id ? `<div class="sub">${esc(b.name)}</div>` : ""}`,
        b ? `${fixed(b.x, 0)} km, ${fixed(b.offsetKm, 0)} km off` : "–",
        b ? (b.capacity >= 1e6 ? "∞" : String(b.capacity)) : "–",
        String(n),
        esc(
          [...m]
            .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
            .map(([st, c]) => `${st} ${c}`)
            .join(", "),
        ),
      ];
    });
    out.push(`<h3>Teams by base</h3>`, table(["Base", "Position", "Capacity", "Teams", "By state"], rows, "num"));
  }
  const states = r.states
    .filter((s) => s.teams + s.sensors > 0)
    .sort((x, y) => y.assetShare - x.assetShare || x.id.localeCompare(y.id));
  if (states.length > 0) {
    const rows = states.map((s) => {
      const name = scenario?.states.find((x) => x.id === s.id)?.name;
      const t = s.teams > 0;
      return [
        `${esc(s.id)}${name && name !== s.id ? `<div class="sub">${esc(name)}</div>` : ""}`,
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
        .map((i) => `<li>${i.count} × ${esc(i.asset)} of ${esc(i.state)}: ${esc(i.why)}</li>`)
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
};

function withdrawalSection(t: WithdrawalTable): string {
  const metrics = Object.keys(t.baseline);
  const unitH = (m: string) => /^response\.|latency|queueWait/.test(m);
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
          `${esc(r.state)}<div class="sub">${esc(r.name)}</div>`,
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
  const notes = t.rows.flatMap((r) => [...(r.notes ?? []), ...(r.replanned?.notes ?? [])]);
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
p.lede { color: #444; margin: 4px 0 8px; }
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
        "Colours match the map. Coverage is by sensors (fixed and UAV); detection includes satellites, " +
        "team patrols and the parties' own reports.",
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
  const figures: string[] = [];
  for (const [i, c] of charts.entries()) {
    // The title and subtitle go in the page (HTML text wraps; SVG text does not), the rest is drawn.
    const { title, ...spec } = vegaLite(c.data as never, c.chart, { width: CHART_WIDTH });
    const svg = await render.svg(spec as VegaLiteSpec, `chart${i + 1}`);
    figures.push(
      `<figure class="chart-figure" data-chart="${c.chart}"><h3>${esc(title.text)}</h3>` +
        `<p class="subtitle">${(title.subtitle ?? []).map(esc).join("<br>")}</p>${svg}` +
        `<figcaption>${esc(c.caption)}</figcaption></figure>`,
    );
  }
  const withdrawalFigure = o.withdrawal ? figures.pop()! : "";
  const map = mapSvg(r, o.scenario, o.baseSide);
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
${description ? `<p class="lede">${esc(description)}</p>` : ""}
<p class="run">${run}</p>
</header>
<section id="headline">
<h2>Headline metrics</h2>
${headline(r)}
</section>
<section id="map-section">
<h2>Sectors along the line</h2>
<figure>${map.svg}<figcaption>${esc(map.caption)}</figcaption></figure>
${sectorTable(r, o.scenario)}
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
