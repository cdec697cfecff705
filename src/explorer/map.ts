/**
 * The explorer's map: the contact line with each sector coloured by a metric, the stretches no fixed sensor
 * or UAV watches marked over it, the bases with their teams, and a legend with the metric's unit. The line's
 * geometry (projection, sectors split by km, bases) is the report's (src/report/map.ts); this draws it as an
 * SVG string for the page.
 */
import type { Result } from "../experiment/simulate.js";
import type { Scenario } from "../model/types.js";
import { geographic, mapBases, schematic, type MapSector, type Pt } from "../report/geometry.js";
import { metricTitle, unitOf } from "../report/vega.js";
import { SECTOR_METRICS } from "../stats/accumulator.js";
import type { UnwatchedStretch } from "../stats/summarize.js";
import { formatMetric, withCi } from "./headline.js";
import { metricAt } from "../experiment/run.js";

const W = 820;
const PAD = 36;
/** Colour stops from worse to better (ColorBrewer RdYlBu, 5 classes; colour-blind safe). */
const RAMP = ["#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6"];
const NEUTRAL = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"];

/** HTML-escape text for the SVG. */
export const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
/** The colour at t in [0, 1] along a ramp, linearly between its stops. */
function colourAt(ramp: readonly string[], t: number): string {
  const x = Math.max(0, Math.min(1, t)) * (ramp.length - 1);
  const i = Math.min(ramp.length - 2, Math.floor(x));
  const a = hex(ramp[i]!),
    b = hex(ramp[i + 1]!);
  const c = a.map((v, k) => Math.round(v + (b[k]! - v) * (x - i)));
  return `#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
}

/** Which way is better for a metric ("higher", "lower" or "none"), from the metric table. */
export function better(metric: string): string {
  return SECTOR_METRICS.find((d) => d.path === metric)?.better ?? "none";
}

/** The colour scale of a metric over the values shown: shares on [0, 1], others from 0 to a round maximum. */
export function colourScale(metric: string, values: readonly number[]) {
  const share = unitOf(metric) === "share";
  const top = Math.max(0, ...values.filter(Number.isFinite));
  const max = share ? 1 : top > 0 ? niceCeil(top) : 1;
  const dir = better(metric);
  const ramp = dir === "none" ? NEUTRAL : RAMP;
  const colour = (v: number) =>
    Number.isFinite(v) ? colourAt(ramp, dir === "lower" ? 1 - v / max : v / max) : "#bdbdbd";
  return { min: 0, max, colour, ramp: dir === "lower" ? [...ramp].reverse() : ramp, better: dir };
}

function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/**
 * The map as SVG: sectors coloured by `metric` (value and 95% CI in each sector's tooltip), unwatched stretches
 * hatched in black over the line, bases as squares with their team counts.
 */
export function mapSvg(result: Result, scenario: Scenario, metric: string, gaps: readonly UnwatchedStretch[]): string {
  const sectors: MapSector[] = scenario.sectors.map((s) => ({ id: s.id, name: s.name, from: s.from, to: s.to }));
  const lineKm = scenario.lineKm;
  const coords = scenario.geometry?.coordinates ?? null;
  const project = (list: readonly MapSector[]) =>
    coords && coords.length >= 2 ? geographic(coords as Pt[], list, lineKm) : schematic(list);
  const geo = project(sectors);
  const gapGeo = project(gaps.map((g, i) => ({ id: `gap-${i}`, name: "unwatched", from: g.from, to: g.to })));
  const bases = mapBases(result, scenario, geo, 1);
  const all: Pt[] = [...geo.lines.flat(), ...bases.map((b) => b.at)];
  const xs = all.map((p) => p[0]),
    ys = all.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const spanX = Math.max(x1 - x0, 1),
    spanY = Math.max(y1 - y0, 1);
  const s = Math.min((W - 2 * PAD) / spanX, coords ? 440 / spanY : 80 / spanY);
  const H = Math.round(spanY * s + 2 * PAD);
  const ox = (W - spanX * s) / 2;
  const px = (p: Pt): Pt => [ox + (p[0] - x0) * s, PAD + (y1 - p[1]) * s];
  const f = (v: number) => v.toFixed(1);
  const path = (pts: readonly Pt[]) => pts.map((p, i) => `${i ? "L" : "M"}${f(px(p)[0])},${f(px(p)[1])}`).join("");

  const values = result.sectors.map((sec) => metricAt(sec, metric).value);
  const scale = colourScale(metric, values);
  const title = metricTitle(metric);
  const out: string[] = [
    `<svg id="map-svg" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="map-title" ` +
      `xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">`,
    `<title id="map-title">${esc(`Sectors coloured by ${title}; black dashes: unwatched stretches`)}</title>`,
    `<rect width="${W}" height="${H}" fill="#fbfbf8"/>`,
    `<g fill="none" stroke-linecap="round" stroke-linejoin="round">`,
    ...geo.lines.map((pts) => `<path d="${path(pts)}" stroke="#333" stroke-width="13"/>`),
  ];
  geo.lines.forEach((pts, i) => {
    const sec = result.sectors[i]!;
    const e = metricAt(sec, metric);
    const { name, from, to } = sectors[i]!;
    const tip = `${name}: ${withCi(e, (v) => formatMetric(metric, v))} (km ${from.toFixed(0)}–${to.toFixed(0)})`;
    out.push(
      `<path class="sector" data-sector="${esc(sec.id)}" data-value="${e.value}" d="${path(pts)}" ` +
        `stroke="${scale.colour(e.value)}" stroke-width="10"><title>${esc(tip)}</title></path>`,
    );
  });
  gapGeo.lines.forEach((pts, i) => {
    const g = gaps[i]!;
    const km = `km ${g.from.toFixed(0)}–${g.to.toFixed(0)} (${g.km.toFixed(0)} km)`;
    const tip = `Unwatched by fixed sensors or UAVs: ${km}`;
    out.push(
      `<path class="gap" d="${path(pts)}" stroke="#111" stroke-width="4" stroke-dasharray="2 4">` +
        `<title>${esc(tip)}</title></path>`,
    );
  });
  out.push(`</g><g font-size="10" paint-order="stroke" stroke="#fbfbf8" stroke-width="3">`);
  for (const b of bases) {
    const c = px(b.at);
    const r = b.teams > 0 ? 3 + Math.sqrt(b.teams) : 3;
    out.push(
      `<rect class="base" x="${f(c[0] - r)}" y="${f(c[1] - r)}" width="${f(2 * r)}" height="${f(2 * r)}" ` +
        `fill="${b.teams ? "#222" : "#fff"}" stroke="#222"><title>${esc(`${b.name}: ${b.teams} teams`)}</title></rect>`,
      `<text x="${f(c[0] + r + 3)}" y="${f(c[1] + 3)}" fill="#222">${b.teams}</text>`,
    );
  }
  out.push(`</g></svg>`);
  return out.join("\n");
}

/** The legend of the map's colours: a gradient with its end values in the metric's unit. */
export function legendHtml(metric: string, values: readonly number[]): string {
  const scale = colourScale(metric, values);
  const stops = scale.ramp.map((c, i) => `${c} ${(100 * i) / (scale.ramp.length - 1)}%`).join(", ");
  const lo = formatMetric(metric, scale.min),
    hi = formatMetric(metric, scale.max);
  const dir = scale.better === "none" ? "" : ` (${scale.better} is better: blue)`;
  return (
    `<div class="legend-title">${esc(metricTitle(metric))}${esc(dir)}</div>` +
    `<div class="legend-bar" style="background: linear-gradient(to right, ${stops})"></div>` +
    `<div class="legend-ends"><span>${esc(lo)}</span><span>${esc(hi)}</span></div>` +
    `<div class="legend-gap"><svg width="40" height="8" aria-hidden="true"><line x1="2" y1="4" x2="38" y2="4" ` +
    `stroke="#111" stroke-width="4" stroke-dasharray="2 4"/></svg> no fixed sensor or UAV watches this stretch` +
    `</div>`
  );
}
