/**
 * `mapSvg(result, options)`: the sectors along the contact line as one SVG, coloured by a performance metric
 * of each sector (a legend with its unit), the stretches no fixed sensor or UAV orbit watches marked as
 * coverage gaps, and the bases with the number of teams stationed at each (0 included). Labels are placed by a
 * collision pass over boxes estimated from the text (`MapSvg.labels`), moving a label outwards with a leader
 * line when its first places are taken. Used by the HTML report and the notebook display; plain strings, no DOM.
 * The geometry (`lineGeometry`: the line projected to km-space and cut into stretches by km, `mapBases`,
 * `fitFrame` with a `MapLayout`) is exported for the explorer's map (src/explorer/map.ts), which draws its own.
 */
import type { Result } from "../experiment/simulate.js";
import { metricAt } from "../experiment/run.js";
import { pointAlong, polylineLengthKm } from "../model/geometry.js";
import type { Scenario } from "../model/types.js";
import { escapeHtml as esc, shortName } from "./html.js";

/** The sector metrics the map can be coloured by (shares, drawn in %). */
export const MAP_METRICS = Object.freeze([
  "withinStandard",
  "coverage.effective.night",
  "coverage.effective.day",
  "detection.probability",
  "outcomes.verified",
] as const);
/** A sector metric the map can be coloured by. */
export type MapMetric = (typeof MAP_METRICS)[number];

export interface MapOptions {
  /**
   * The parsed scenario the result came from: the line's geometry, the sectors' names and the bases. Without
   * it the map is a schematic of the sectors laid end to end, labelled by id, without bases.
   */
  scenario?: Scenario | null;
  /** Side of the line (walking towards increasing km) on which bases given as `{ x, offsetKm }` are drawn. */
  baseSide?: "left" | "right";
  /** The sector metric that colours the line (default "withinStandard"). */
  metric?: MapMetric;
  /** The SVG element's id (default "map"); prefix of nothing else. */
  id?: string;
}

/** A label's box in the SVG's coordinates (px, y down), as placed by the collision pass. */
export interface LabelBox {
  kind: "sector" | "base" | "legend" | "scale";
  /** The sector's or base's id ("legend" and "scale" for those blocks). */
  id: string;
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What `mapSvg` returns. */
export interface MapSvg {
  svg: string;
  caption: string;
  /** Every label and block of text drawn, with its box; no two overlap. */
  labels: LabelBox[];
  /** Each sector's colour on the map (its class of the metric), by sector id. */
  colors: Record<string, string>;
}

/** The classes of the performance scale: values below `upTo` take `color` (ColorBrewer RdYlBu, 5 classes). */
export const PERFORMANCE_CLASSES: readonly { upTo: number; color: string; label: string }[] = Object.freeze([
  { upTo: 0.2, color: "#d7191c", label: "under 20%" },
  { upTo: 0.4, color: "#fdae61", label: "20–40%" },
  { upTo: 0.6, color: "#ffffbf", label: "40–60%" },
  { upTo: 0.8, color: "#abd9e9", label: "60–80%" },
  { upTo: Infinity, color: "#2c7bb6", label: "80% or more" },
]);
const NO_DATA = "#bdbdbd";

/** The colour of a share on the performance scale (grey when it is not a number). */
export function performanceColor(v: number): string {
  if (!Number.isFinite(v)) return NO_DATA;
  return PERFORMANCE_CLASSES.find((c) => v < c.upTo)!.color;
}

/** The metric's name in the legend, with its unit. */
export function mapMetricTitle(metric: MapMetric, standardHours: number): string {
  switch (metric) {
    case "withinStandard":
      return `Verified within ${formatHours(standardHours)} (% of incidents needing verification)`;
    case "coverage.effective.night":
      return "Effective sensor coverage by night (%)";
    case "coverage.effective.day":
      return "Effective sensor coverage by day (%)";
    case "detection.probability":
      return "Incidents detected (%)";
    case "outcomes.verified":
      return "Verified on site (% of incidents needing verification)";
  }
}

const formatHours = (h: number) => (Number.isInteger(h) ? `${h} h` : `${h.toFixed(1)} h`);

/** A point: [lon, lat] in degrees, or [x, y] in km-space. */
export type Pt = [number, number];
/** Km per degree of latitude (mean Earth radius 6371.0088 km, IUGG). */
export const KM_PER_DEG = 6371.0088 * (Math.PI / 180);
const f = (v: number) => v.toFixed(1);
const MAP_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const BG = "#fbfbf8";
/** A halo of the background colour around label text, so labels stay legible over lines. */
const HALO = `paint-order="stroke" stroke="${BG}" stroke-width="3" stroke-linejoin="round"`;

/** A base in km-space: where it is drawn, its foot on the line (if any), and the teams stationed there. */
export interface MapBase {
  id: string;
  name: string;
  at: Pt;
  foot: Pt | null;
  teams: number;
}

/** A sector's extent along the line (km from its start). */
export interface MapSector {
  id: string;
  name: string;
  from: number;
  to: number;
}

/** Km-space (x east, y north): the projection, stretches of the line, and points along it with normals. */
export interface MapGeometry {
  toKm: (p: Pt) => Pt;
  /** The polyline of the line from km `from` to km `to` (a sector's, a gap's). */
  stretch: (from: number, to: number) => Pt[];
  /** The point at km along the line and the line's right-hand unit normal there. */
  along: (km: number) => { p: Pt; normal: Pt };
  /** The projection's centre and cos φ₀, when the line is geographic. */
  lonlat: { lon0: number; lat0: number; k: number } | null;
}

/** The viewBox: its size, the scale (px per km) and the projection of km-space into it (y flipped: north up). */
export interface MapFrame {
  W: number;
  H: number;
  s: number;
  ox: number;
  padT: number;
  x0: number;
  y1: number;
  px: (p: Pt) => Pt;
}

/**
 * The map of a result (see the module's header). Sectors come from the scenario when given (checked against
 * the result's by id), else from the result (schematic).
 */
export function mapSvg(result: Result, options: MapOptions = {}): MapSvg {
  const scenario = options.scenario ?? null;
  const metric = options.metric ?? "withinStandard";
  if (!MAP_METRICS.includes(metric))
    throw new RangeError(`metric: expected one of ${MAP_METRICS.join(", ")}; got ${JSON.stringify(metric)}`);
  const baseSide = options.baseSide ?? "right";
  const sectors: MapSector[] = scenario
    ? scenario.sectors.map((s) => ({ id: s.id, name: s.name, from: s.from, to: s.to }))
    : cumulative(result);
  if (sectors.length !== result.sectors.length || sectors.some((s, i) => s.id !== result.sectors[i]!.id))
    throw new RangeError("scenario: its sectors are not the result's");
  const values = result.sectors.map((s) => metricAt(s, metric).value);
  const colors = Object.fromEntries(sectors.map((s, i) => [s.id, performanceColor(values[i]!)]));
  const lineKm = sectors.length ? sectors[sectors.length - 1]!.to : 0;
  const geometry = scenario?.geometry ?? null;
  const side = baseSide === "right" ? 1 : -1;
  const geo = lineGeometry(geometry, lineKm);
  const lines = sectors.map((s) => geo.stretch(s.from, s.to));
  const bases = scenario ? mapBases(result, scenario, geo, side) : [];
  const frame = fitFrame(lines, bases, geometry !== null, REPORT_LAYOUT);
  const { W, H } = frame;
  const id = options.id ?? "map";
  const label = `Map of the ${sectors.length} sectors along the contact line${
    bases.length ? ` and ${bases.length} bases` : ""
  }, coloured by ${mapMetricTitle(metric, result.provenance.responseStandardHours)}`;
  const placer = new Placer(W, H);
  const out: string[] = [
    `<svg id="${esc(id)}" class="map" role="img" aria-label="${esc(label)}" viewBox="0 0 ${W} ${H}" ` +
      `width="${W}" height="${H}" font-family="${MAP_FONT}">`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="${BG}"/>`,
  ];
  if (geo.lonlat) out.push(...graticule(frame, geo.lonlat, geo.toKm));
  out.push(...legend(placer, metric, result));
  out.push(...scaleAndNorth(placer, frame, geometry !== null));
  out.push(...baseLeaders(frame, bases));
  out.push(...sectorPaths(frame, sectors, lines, values, metric));
  const gaps = result.allocation.unwatched ?? [];
  out.push(...gapPaths(frame, gaps, geo));
  out.push(...boundaries(frame, sectors, geo.along, lineKm));
  for (const b of bases) placer.block(squareBox(frame.px(b.at), b.teams));
  // The line itself is an obstacle: labels sit beside it, never on it.
  for (const pts of lines)
    for (const q of sample(pts.map(frame.px), 5)) placer.block({ x: q[0] - 5, y: q[1] - 5, width: 10, height: 10 });
  const sectorText = sectorLabels(placer, frame, sectors, values, geo.along, side, scenario !== null);
  const baseText = baseLabels(placer, frame, bases);
  out.push(...baseMarks(frame, bases), ...sectorText, ...baseText, `</svg>`);
  return {
    svg: out.join("\n"),
    caption: mapCaption(geometry !== null, bases, baseSide, gaps.length, metric, result),
    labels: placer.labels,
    colors,
  };
}

// ---------------------------------------------------------------------------
// Geometry

/**
 * The map's geometry of a line of `lineKm` km: its polyline (`Scenario.geometry`, two points or more) projected
 * equirectangularly, centred on the line, and cut into stretches by cumulative km; else the schematic.
 */
export function lineGeometry(geometry: Scenario["geometry"] | null, lineKm: number): MapGeometry {
  return geometry && geometry.coordinates.length >= 2 ? geographic(geometry.coordinates, lineKm) : schematic();
}

/** The line's polyline projected to km-space; stretches cut from it by km along the line. */
export function geographic(coords: readonly Pt[], lineKm: number): MapGeometry {
  const lons = coords.map((c) => c[0]),
    lats = coords.map((c) => c[1]);
  const lon0 = (Math.min(...lons) + Math.max(...lons)) / 2,
    lat0 = (Math.min(...lats) + Math.max(...lats)) / 2;
  const k = Math.cos((lat0 * Math.PI) / 180);
  const toKm = (c: Pt): Pt => [(c[0] - lon0) * k * KM_PER_DEG, (c[1] - lat0) * KM_PER_DEG];
  const total = polylineLengthKm(coords);
  const cum: number[] = [0];
  for (let i = 1; i < coords.length; i++) cum.push(cum[i - 1]! + polylineLengthKm([coords[i - 1]!, coords[i]!]));
  const frac = (km: number) => (lineKm > 0 ? km / lineKm : 0);
  const at = (km: number): Pt => toKm(pointAlong(coords, frac(km)));
  const stretch = (from: number, to: number): Pt[] => {
    const f0 = frac(from),
      f1 = frac(to);
    const pts: Pt[] = [toKm(pointAlong(coords, f0))];
    for (let i = 0; i < coords.length; i++) {
      const fr = total > 0 ? cum[i]! / total : 0;
      if (fr > f0 && fr < f1) pts.push(toKm(coords[i]!));
    }
    pts.push(toKm(pointAlong(coords, f1)));
    return pts;
  };
  const along = (km: number): { p: Pt; normal: Pt } => {
    const d = Math.max(1, lineKm / 500);
    const a = at(Math.max(0, km - d)),
      b = at(Math.min(lineKm, km + d));
    const dx = b[0] - a[0],
      dy = b[1] - a[1],
      n = Math.hypot(dx, dy) || 1;
    return { p: at(km), normal: [dy / n, -dx / n] }; // right-hand normal (y north)
  };
  return { toKm, stretch, along, lonlat: { lon0, lat0, k } };
}

/** A straight line from km 0 eastwards, the sectors laid end to end. */
export function schematic(): MapGeometry {
  return {
    toKm: (c) => c,
    stretch: (from, to) => [
      [from, 0],
      [to, 0],
    ],
    along: (km) => ({ p: [km, 0], normal: [0, -1] }), // right of an eastward line: south, drawn below
    lonlat: null,
  };
}

/** Bases in km-space: at their lon/lat on a geographic map, else at (x, offsetKm) on the bases' side. */
export function mapBases(result: Result, scenario: Scenario, geo: MapGeometry, side: number): MapBase[] {
  const teamsAt = new Map<string, number>();
  for (const t of result.teams) teamsAt.set(t.base, (teamsAt.get(t.base) ?? 0) + 1);
  const src = (scenario.source as { bases?: { location?: { lon?: unknown; lat?: unknown } }[] } | null)?.bases;
  return scenario.bases.map((b, i) => {
    const loc = src?.[i]?.location;
    const { p, normal } = geo.along(b.x);
    const teams = teamsAt.get(b.id) ?? 0;
    if (geo.lonlat && loc && typeof loc.lon === "number" && typeof loc.lat === "number")
      return { id: b.id, name: b.name, at: geo.toKm([loc.lon, loc.lat]), foot: p, teams };
    const at: Pt = [p[0] + side * normal[0] * b.offsetKm, p[1] + side * normal[1] * b.offsetKm];
    return { id: b.id, name: b.name, at, foot: p, teams };
  });
}

/**
 * A map's layout: the viewBox's width, the padding around the drawing (room for labels), and the drawing's
 * greatest height for a geographic line and for the schematic (px).
 */
export interface MapLayout {
  width: number;
  pad: { left: number; right: number; top: number; bottom: number };
  maxHeight: { geographic: number; schematic: number };
}

/** The report's and the notebook's layout: 900 px wide, room for the labels and the legend around the line. */
const REPORT_LAYOUT: MapLayout = {
  width: 900,
  pad: { left: 190, right: 190, top: 90, bottom: 70 },
  maxHeight: { geographic: 640, schematic: 60 },
};

/** Fit km-space into a viewBox of the layout's width (y flipped: north up), with its padding around. */
export function fitFrame(
  lines: readonly Pt[][],
  bases: readonly MapBase[],
  geographicMap: boolean,
  layout: MapLayout,
): MapFrame {
  const W = layout.width;
  const all: Pt[] = [...lines.flat(), ...bases.map((b) => b.at)];
  const xs = all.map((p) => p[0]),
    ys = all.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const { left: padL, right: padR, top: padT, bottom: padB } = layout.pad;
  const spanX = Math.max(x1 - x0, 1),
    spanY = Math.max(y1 - y0, 1);
  const { geographic: hGeo, schematic: hSchematic } = layout.maxHeight;
  const s = Math.min((W - padL - padR) / spanX, geographicMap ? hGeo / spanY : hSchematic / spanY);
  const H = Math.round(spanY * s + padT + padB);
  const ox = padL + (W - padL - padR - spanX * s) / 2;
  const px = (p: Pt): Pt => [ox + (p[0] - x0) * s, padT + (y1 - p[1]) * s];
  return { W, H, s, ox, padT, x0, y1, px };
}

// ---------------------------------------------------------------------------
// Labels: estimated boxes and a greedy collision pass

type Box = { x: number; y: number; width: number; height: number };

/** Width of a text in px, estimated from its characters (system sans-serif; bold a little wider). */
export function textWidth(text: string, size: number, bold = false): number {
  let w = 0;
  for (const c of text)
    w += /[iljtf.,:'·()| ]/.test(c) ? 0.32 : /[mwMW]/.test(c) ? 0.86 : /[A-Z0-9%]/.test(c) ? 0.66 : 0.55;
  return w * size * (bold ? 1.07 : 1) + 2;
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Keeps the boxes placed so far; a new label takes the first candidate that overlaps none and stays inside. */
class Placer {
  readonly labels: LabelBox[] = [];
  private readonly taken: Box[] = [];
  constructor(
    readonly W: number,
    readonly H: number,
  ) {}
  /** An obstacle that is not a label (a base's square). */
  block(b: Box): void {
    this.taken.push(b);
  }
  free(b: Box, margin = 1): boolean {
    const m = { x: b.x - margin, y: b.y - margin, width: b.width + 2 * margin, height: b.height + 2 * margin };
    return (
      b.x >= 2 &&
      b.y >= 2 &&
      b.x + b.width <= this.W - 2 &&
      b.y + b.height <= this.H - 2 &&
      !this.taken.some((t) => overlaps(m, t))
    );
  }
  place(label: LabelBox): void {
    this.taken.push(label);
    this.labels.push(label);
  }
}

/** The anchor (start, baseline) of a text whose box is `box`. */
function anchorOf(box: Box, size: number): { x: number; y: number } {
  return { x: box.x, y: box.y + 0.82 * size };
}

/** Half the side of a base's square (px), sized by the teams stationed there. */
export const squareSize = (teams: number) => (teams > 0 ? 3 + Math.sqrt(teams) : 3);
function squareBox(c: Pt, teams: number): Box {
  const r = squareSize(teams) + 1;
  return { x: c[0] - r, y: c[1] - r, width: 2 * r, height: 2 * r };
}

/**
 * Candidate boxes around a point (px), nearest first: right, left, below, above, then the diagonals, then the
 * same ring farther out (those get a leader line).
 */
function* around(c: Pt, w: number, h: number, gap: number): Generator<{ box: Box; far: boolean }> {
  for (const [ring, far] of [
    [gap, false],
    [gap + 12, true],
    [gap + 26, true],
    [gap + 44, true],
    [gap + 66, true],
    [gap + 92, true],
  ] as const) {
    const r = ring;
    const cands: Box[] = [
      { x: c[0] + r, y: c[1] - h / 2, width: w, height: h },
      { x: c[0] - r - w, y: c[1] - h / 2, width: w, height: h },
      { x: c[0] - w / 2, y: c[1] + r, width: w, height: h },
      { x: c[0] - w / 2, y: c[1] - r - h, width: w, height: h },
      { x: c[0] + r * 0.7, y: c[1] + r * 0.7, width: w, height: h },
      { x: c[0] + r * 0.7, y: c[1] - r * 0.7 - h, width: w, height: h },
      { x: c[0] - r * 0.7 - w, y: c[1] + r * 0.7, width: w, height: h },
      { x: c[0] - r * 0.7 - w, y: c[1] - r * 0.7 - h, width: w, height: h },
    ];
    for (const box of cands) yield { box, far };
  }
}

/** The point of a box nearest to p (for leader lines). */
function nearest(b: Box, p: Pt): Pt {
  return [Math.min(Math.max(p[0], b.x), b.x + b.width), Math.min(Math.max(p[1], b.y), b.y + b.height)];
}

function leader(from: Pt, box: Box): string {
  const to = nearest(box, from);
  return (
    `<line class="leader" x1="${f(from[0])}" y1="${f(from[1])}" x2="${f(to[0])}" y2="${f(to[1])}" ` +
    `stroke="#777" stroke-width="0.8"/>`
  );
}

const pctText = (v: number) => (Number.isFinite(v) ? `${Math.round(100 * v)}%` : "–");

/** Each sector's name and value, on the side of the line away from the bases first. */
function sectorLabels(
  placer: Placer,
  { px }: MapFrame,
  sectors: readonly MapSector[],
  values: readonly number[],
  along: MapGeometry["along"],
  side: number,
  named: boolean,
): string[] {
  const size = 11;
  const out = [`<g class="labels" font-size="${size}" ${HALO}>`];
  sectors.forEach((sec, i) => {
    const text = `${named ? shortName(sec.name) : sec.id} ${pctText(values[i]!)}`;
    const w = textWidth(text, size, true),
      h = 1.1 * size;
    const { p, normal } = along((sec.from + sec.to) / 2);
    const q = px(p);
    // Screen-space normal pointing away from the bases (screen y points down), then towards them.
    const nx = -side * normal[0],
      ny = side * normal[1];
    let chosen: { box: Box; far: boolean } | null = null;
    for (const [d, far] of [
      [14, false],
      [26, true],
      [40, true],
      [-18, false],
      [-32, true],
      [56, true],
      [74, true],
    ] as const) {
      const cx = q[0] + nx * d,
        cy = q[1] + ny * d;
      const dir = d >= 0 ? nx : -nx;
      const left = Math.abs(dir) < 0.3 ? cx - w / 2 : dir > 0 ? cx : cx - w;
      const box = { x: left, y: cy - h / 2, width: w, height: h };
      if (placer.free(box)) {
        chosen = { box, far };
        break;
      }
    }
    chosen ??= firstFree(placer, q, w, h, 12);
    const { box, far } = chosen;
    placer.place({ kind: "sector", id: sec.id, text, ...box });
    const a = anchorOf(box, size);
    if (far) out.push(leader(q, box));
    out.push(
      `<text class="sector-label" data-sector="${esc(sec.id)}" x="${f(a.x)}" y="${f(a.y)}" fill="#222" ` +
        `font-weight="600">${esc(text)}</text>`,
    );
  });
  out.push(`</g>`);
  return out;
}

/** The first free candidate around a point; the last one tried if none is free (never expected on our maps). */
function firstFree(placer: Placer, c: Pt, w: number, h: number, gap: number): { box: Box; far: boolean } {
  let last: { box: Box; far: boolean } | null = null;
  for (const cand of around(c, w, h, gap)) {
    if (placer.free(cand.box)) return cand;
    last = cand;
  }
  return last!;
}

/** Each base's name and the number of teams stationed there ("· 0" for none), placed by the collision pass. */
function baseLabels(placer: Placer, { px }: MapFrame, bases: readonly MapBase[]): string[] {
  const size = 10;
  const out = [`<g class="base-labels" font-size="${size}" ${HALO}>`];
  // Crowded bases first (most neighbours within 60 px), so they get the near places.
  const crowd = (b: MapBase) => bases.filter((o) => o !== b && dist(px(o.at), px(b.at)) < 60).length;
  const order = [...bases].sort((a, b) => crowd(b) - crowd(a) || a.id.localeCompare(b.id));
  for (const b of order) {
    const c = px(b.at);
    const text = `${shortName(b.name)} · ${b.teams}`;
    const w = textWidth(text, size),
      h = 1.1 * size;
    const { box, far } = firstFree(placer, c, w, h, squareSize(b.teams) + 3);
    placer.place({ kind: "base", id: b.id, text, ...box });
    const a = anchorOf(box, size);
    if (far) out.push(leader(c, box));
    out.push(
      `<text class="base-label" data-base="${esc(b.id)}" x="${f(a.x)}" y="${f(a.y)}" fill="#222">` +
        `${esc(text)}</text>`,
    );
  }
  out.push(`</g>`);
  return out;
}

const dist = (a: Pt, b: Pt) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** Points along a polyline (px) every `step` px or less, its vertices included. */
function sample(pts: readonly Pt[], step: number): Pt[] {
  const out: Pt[] = pts.length ? [pts[0]!] : [];
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!,
      b = pts[i]!;
    const n = Math.max(1, Math.ceil(dist(a, b) / step));
    for (let k = 1; k <= n; k++) out.push([a[0] + ((b[0] - a[0]) * k) / n, a[1] + ((b[1] - a[1]) * k) / n]);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Layers

/** Whole-degree meridians and parallels, labelled. */
function graticule(frame: MapFrame, lonlat: NonNullable<MapGeometry["lonlat"]>, toKm: (p: Pt) => Pt): string[] {
  const { W, H, s, ox, padT, x0, y1, px } = frame;
  const { lon0, lat0, k } = lonlat;
  const inv = (p: Pt): Pt => [lon0 + p[0] / (k * KM_PER_DEG), lat0 + p[1] / KM_PER_DEG];
  const tl = inv([x0 - (ox - 0) / s, y1 + padT / s]),
    br = inv([x0 + (W - ox) / s, y1 - (H - padT) / s]);
  const out = [`<g class="graticule" stroke="#e2e2dc" stroke-width="1" fill="#aaa" font-size="9">`];
  for (let lon = Math.ceil(tl[0]); lon <= br[0]; lon++) {
    const a = px(toKm([lon, tl[1]])),
      b = px(toKm([lon, br[1]]));
    out.push(
      `<line x1="${f(a[0])}" y1="0" x2="${f(b[0])}" y2="${H}"/>` +
        `<text x="${f(b[0] + 2)}" y="${H - 4}" stroke="none">${lon}°E</text>`,
    );
  }
  for (let lat = Math.ceil(br[1]); lat <= tl[1]; lat++) {
    const a = px(toKm([tl[0], lat]));
    out.push(
      `<line x1="0" y1="${f(a[1])}" x2="${W}" y2="${f(a[1])}"/>` +
        `<text x="${W - 4}" y="${f(a[1] - 3)}" stroke="none" text-anchor="end">${lat}°N</text>`,
    );
  }
  out.push(`</g>`);
  return out;
}

/** The legend, top left: the metric with its unit, its classes, the gaps and the bases. */
function legend(placer: Placer, metric: MapMetric, result: Result): string[] {
  const title = mapMetricTitle(metric, result.provenance.responseStandardHours);
  const x = 12,
    y = 10;
  const rows = PERFORMANCE_CLASSES.map((c) => c.label);
  const sw = 22;
  const classW = Math.max(...rows.map((r) => textWidth(r, 10))) + sw + 6;
  const width = Math.max(textWidth(title, 11, true), PERFORMANCE_CLASSES.length * classW) + 12;
  const height = 74;
  const out = [
    `<g class="legend" font-size="10" fill="#222">`,
    `<rect x="${x}" y="${y}" width="${f(width)}" height="${height}" fill="#fff" fill-opacity="0.9" stroke="#ccc"/>`,
    `<text x="${x + 6}" y="${y + 15}" font-size="11" font-weight="600">${esc(title)}</text>`,
  ];
  PERFORMANCE_CLASSES.forEach((c, i) => {
    const cx = x + 6 + i * classW;
    out.push(
      `<line x1="${cx}" y1="${y + 28}" x2="${cx + sw}" y2="${y + 28}" stroke="#555" stroke-width="9"/>` +
        `<line x1="${cx + 1}" y1="${y + 28}" x2="${cx + sw - 1}" y2="${y + 28}" stroke="${c.color}" ` +
        `stroke-width="7"/>` +
        `<text x="${cx + sw + 4}" y="${y + 32}">${esc(c.label)}</text>`,
    );
  });
  out.push(
    `<line x1="${x + 6}" y1="${y + 46}" x2="${x + 6 + sw}" y2="${y + 46}" stroke="#111" stroke-width="3" ` +
      `stroke-dasharray="3 2"/><text x="${x + 12 + sw}" y="${y + 50}">coverage gap: no fixed sensor or UAV ` +
      `orbit watches it</text>`,
    `<rect x="${x + 12}" y="${y + 58}" width="8" height="8" fill="#222"/>` +
      `<text x="${x + 12 + sw}" y="${y + 66}">base · teams stationed there (square sized by teams)</text>`,
    `</g>`,
  );
  placer.place({ kind: "legend", id: "legend", text: title, x, y, width, height });
  return out;
}

/** A scale bar of a round number of km (bottom left), and a north arrow on geographic maps (top right). */
function scaleAndNorth(placer: Placer, { W, H, s }: MapFrame, geographicMap: boolean): string[] {
  const bar = niceKm(120 / s);
  const out = [
    `<g class="scale" font-size="10" fill="#333"><rect x="16" y="${H - 30}" width="${f(bar * s)}" height="4" ` +
      `fill="#333"/><text x="16" y="${H - 36}">${bar} km</text></g>`,
  ];
  placer.place({ kind: "scale", id: "scale", text: `${bar} km`, x: 14, y: H - 48, width: bar * s + 4, height: 24 });
  if (geographicMap) {
    out.push(
      `<g class="north" fill="#333" font-size="11" font-weight="600"><path d="M${W - 30},18 l6,16 l-6,-4 l-6,4 z"/>` +
        `<text x="${W - 30}" y="48" text-anchor="middle">N</text></g>`,
    );
    placer.block({ x: W - 40, y: 14, width: 20, height: 38 });
  }
  return out;
}

/** Dashed lines from each base given by offset to its position along the line (drawn under the line). */
function baseLeaders({ px }: MapFrame, bases: readonly MapBase[]): string[] {
  const out = [`<g class="bases">`];
  for (const b of bases) {
    if (!b.foot) continue;
    const a = px(b.foot),
      c = px(b.at);
    out.push(
      `<line x1="${f(a[0])}" y1="${f(a[1])}" x2="${f(c[0])}" y2="${f(c[1])}" ` +
        `stroke="#bbb" stroke-width="1" stroke-dasharray="3 3"/>`,
    );
  }
  out.push(`</g>`);
  return out;
}

/** An SVG path's `d` of a polyline in km-space. */
export const pathOf = (px: MapFrame["px"], pts: readonly Pt[]) =>
  pts.map((p, i) => `${i ? "L" : "M"}${f(px(p)[0])},${f(px(p)[1])}`).join("");

/** One path per sector in its class's colour over a dark casing, with its name, extent and value as a tooltip. */
function sectorPaths(
  { px }: MapFrame,
  sectors: readonly MapSector[],
  lines: readonly Pt[][],
  values: readonly number[],
  metric: MapMetric,
): string[] {
  const out = [`<g class="sectors" fill="none" stroke-linejoin="round" stroke-linecap="butt">`];
  for (const pts of lines) out.push(`<path d="${pathOf(px, pts)}" stroke="#555" stroke-width="10"/>`);
  lines.forEach((pts, i) => {
    const sec = sectors[i]!;
    const title = `${sec.name}: km ${sec.from.toFixed(0)}–${sec.to.toFixed(0)}, ${metric} ${pctText(values[i]!)}`;
    out.push(
      `<path class="sector" data-sector="${esc(sec.id)}" d="${pathOf(px, pts)}" ` +
        `stroke="${performanceColor(values[i]!)}" ` +
        `stroke-width="8"><title>${esc(title)}</title></path>`,
    );
  });
  out.push(`</g>`);
  return out;
}

/** The unwatched stretches, drawn dashed black on top of the line. */
function gapPaths({ px }: MapFrame, gaps: readonly { from: number; to: number }[], geo: MapGeometry): string[] {
  const out = [`<g class="gaps" fill="none" stroke="#111" stroke-width="3" stroke-dasharray="3 2">`];
  for (const g of gaps)
    out.push(
      `<path class="gap" data-from="${g.from}" data-to="${g.to}" d="${pathOf(px, geo.stretch(g.from, g.to))}">` +
        `<title>coverage gap: km ${g.from.toFixed(0)}–${g.to.toFixed(0)}, no fixed sensor or UAV orbit</title></path>`,
    );
  out.push(`</g>`);
  return out;
}

/** Sector boundaries as small circles. */
function boundaries({ px }: MapFrame, sectors: readonly MapSector[], along: MapGeometry["along"], lineKm: number) {
  const out = [`<g class="boundaries" fill="#fff" stroke="#333" stroke-width="1">`];
  const kms = [...sectors.map((s) => s.from), ...(sectors.length ? [lineKm] : [])];
  for (const km of kms) {
    const b = px(along(km).p);
    out.push(`<circle cx="${f(b[0])}" cy="${f(b[1])}" r="3"/>`);
  }
  out.push(`</g>`);
  return out;
}

/** Bases as squares sized by the teams stationed there; a base with none is an empty square. */
function baseMarks({ px }: MapFrame, bases: readonly MapBase[]): string[] {
  const out = [`<g class="base-marks">`];
  for (const b of bases) {
    const c = px(b.at);
    const r = squareSize(b.teams);
    const title = `${b.name} (${b.id}): ${b.teams} team${b.teams === 1 ? "" : "s"}`;
    out.push(
      `<rect data-base="${esc(b.id)}" x="${f(c[0] - r)}" y="${f(c[1] - r)}" width="${f(2 * r)}" height="${f(2 * r)}" ` +
        `fill="${b.teams > 0 ? "#222" : "#fff"}" stroke="${b.teams > 0 ? "#fff" : "#222"}" stroke-width="1.2">` +
        `<title>${esc(title)}</title></rect>`,
    );
  }
  out.push(`</g>`);
  return out;
}

function mapCaption(
  geographicMap: boolean,
  bases: readonly MapBase[],
  baseSide: "left" | "right",
  gaps: number,
  metric: MapMetric,
  result: Result,
): string {
  const colour =
    `Colour: ${mapMetricTitle(metric, result.provenance.responseStandardHours).toLowerCase()}, each sector's ` +
    "value after its name" +
    (gaps ? `; dashed black: ${gaps} stretch${gaps === 1 ? "" : "es"} no fixed sensor or UAV orbit watches` : "") +
    ". ";
  if (!geographicMap)
    return (
      colour +
      "Schematic of the sectors laid end to end from km 0 (the scenario has no line geometry)" +
      `${bases.length ? "; squares: bases at their km and distance from the line" : ""}.`
    );
  const offsets = bases.some((b) => b.foot)
    ? "; dashed grey: each base's position along the line, with bases given as (x, offsetKm) drawn " +
      `${baseSide === "right" ? "to the right" : "to the left"} of the line walking from km 0`
    : "";
  return (
    colour +
    "Equirectangular projection centred on the line; the geometry is the scenario's approximate polyline, split " +
    "by cumulative km. Squares: bases, sized by the teams stationed there (the number after the name; an empty " +
    `square has none)${offsets}.`
  );
}

function cumulative(result: Result): MapSector[] {
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
