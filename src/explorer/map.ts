/**
 * The explorer's map: the contact line with each sector coloured by a metric, the stretches no fixed sensor
 * or UAV watches marked over it, the bases with their teams, and a legend with the metric's unit. The line's
 * geometry (projection, sectors split by km, bases) is the report's (src/report/map.ts); this draws it as an
 * SVG string for the page.
 */
import type { Result } from "../experiment/simulate.js";
import type { Scenario } from "../model/types.js";
import { escapeHtml as esc } from "../report/html.js";
import {
  fitFrame,
  lineGeometry,
  mapBases,
  pathOf,
  PERFORMANCE_CLASSES,
  squareSize,
  type MapLayout,
  type MapSector,
  type Pt,
} from "../report/map.js";
import { metricTitle, unitOf } from "../report/vega.js";
import { SECTOR_METRICS } from "../stats/accumulator.js";
import { formatMetric, withCi } from "./headline.js";
import { metricAt } from "../experiment/run.js";

/** The explorer's layout: 820 px wide, a narrow margin (the legend and the values are the page's, not the map's). */
const LAYOUT: MapLayout = {
  width: 820,
  pad: { left: 36, right: 36, top: 36, bottom: 36 },
  maxHeight: { geographic: 440, schematic: 80 },
};
/** Colour stops from worse to better: the report's performance classes (ColorBrewer RdYlBu; colour-blind safe). */
const RAMP = PERFORMANCE_CLASSES.map((c) => c.color);
const NEUTRAL = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"];

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
 * The map as SVG: sectors coloured by `metric` (value and 95% CI in each sector's tooltip), the stretches no fixed
 * sensor or UAV orbit watches (`result.allocation.unwatched`) dashed in black over the line, bases as squares with
 * their team counts. The geometry (projection, stretches, bases, fitting) is the report's (src/report/map.ts).
 */
export function mapSvg(result: Result, scenario: Scenario, metric: string): string {
  const sectors: MapSector[] = scenario.sectors.map((s) => ({ id: s.id, name: s.name, from: s.from, to: s.to }));
  const geo = lineGeometry(scenario.geometry, scenario.lineKm);
  const lines = sectors.map((s) => geo.stretch(s.from, s.to));
  const bases = mapBases(result, scenario, geo, 1);
  const { W, H, px } = fitFrame(lines, bases, scenario.geometry !== null, LAYOUT);
  const f = (v: number) => v.toFixed(1);
  const path = (pts: readonly Pt[]) => pathOf(px, pts);

  const values = result.sectors.map((sec) => metricAt(sec, metric).value);
  const scale = colourScale(metric, values);
  const title = metricTitle(metric);
  const out: string[] = [
    `<svg id="map-svg" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="map-title" ` +
      `xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">`,
    `<title id="map-title">${esc(`Sectors coloured by ${title}; black dashes: unwatched stretches`)}</title>`,
    `<rect width="${W}" height="${H}" fill="#fbfbf8"/>`,
    `<g fill="none" stroke-linecap="round" stroke-linejoin="round">`,
    ...lines.map((pts) => `<path d="${path(pts)}" stroke="#333" stroke-width="13"/>`),
  ];
  lines.forEach((pts, i) => {
    const sec = result.sectors[i]!;
    const e = metricAt(sec, metric);
    const { name, from, to } = sectors[i]!;
    const tip = `${name}: ${withCi(e, (v) => formatMetric(metric, v))} (km ${from.toFixed(0)}–${to.toFixed(0)})`;
    out.push(
      `<path class="sector" data-sector="${esc(sec.id)}" data-value="${e.value}" d="${path(pts)}" ` +
        `stroke="${scale.colour(e.value)}" stroke-width="10"><title>${esc(tip)}</title></path>`,
    );
  });
  for (const g of result.allocation.unwatched) {
    const km = `km ${g.from.toFixed(0)}–${g.to.toFixed(0)} (${g.km.toFixed(0)} km)`;
    const tip = `Unwatched by fixed sensors or UAVs: ${km}`;
    out.push(
      `<path class="gap" d="${path(geo.stretch(g.from, g.to))}" stroke="#111" stroke-width="4" ` +
        `stroke-dasharray="2 4"><title>${esc(tip)}</title></path>`,
    );
  }
  out.push(`</g><g font-size="10" paint-order="stroke" stroke="#fbfbf8" stroke-width="3">`);
  for (const b of bases) {
    const c = px(b.at);
    const r = squareSize(b.teams);
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
