/**
 * The map's geometry, shared by the HTML report (src/node/report.ts) and the explorer (src/explorer/): the
 * contact line projected to km-space (x east, y north; equirectangular, centred on the line) and split into
 * sectors by cumulative km, or a straight schematic line when the scenario has no geometry, and the bases
 * placed in the same space. Drawing (viewBox, labels, colours) is each consumer's own.
 */
import type { Result } from "../experiment/simulate.js";
import { pointAlong, polylineLengthKm } from "../model/geometry.js";
import type { Scenario } from "../model/types.js";

/** A point: [lon, lat] in degrees, or [x, y] in km-space. */
export type Pt = [number, number];
/** Km per degree of latitude (mean Earth radius 6371.0088 km, IUGG). */
export const KM_PER_DEG = 6371.0088 * (Math.PI / 180);

/** A base in km-space: where it is drawn, its foot on the line (if any), and the teams stationed there. */
export interface MapBase {
  id: string;
  name: string;
  at: Pt;
  foot: Pt | null;
  teams: number;
}

/** A sector's extent along the line (km from its start). */
export type MapSector = { id: string; name: string; from: number; to: number };

/** Km-space (x east, y north): the projection, the sectors' polylines, and points along the line with normals. */
export interface MapGeometry {
  toKm: (p: Pt) => Pt;
  lines: Pt[][];
  along: (km: number) => { p: Pt; normal: Pt };
  /** The projection's centre and cos φ₀, when the line is geographic. */
  lonlat: { lon0: number; lat0: number; k: number } | null;
}

/** The line's polyline projected to km-space and split into sectors by cumulative km. */
export function geographic(coords: readonly Pt[], sectors: readonly MapSector[], lineKm: number): MapGeometry {
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
export function schematic(sectors: readonly MapSector[]): MapGeometry {
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
export function mapBases(result: Result, scenario: Scenario, geo: MapGeometry, side: number): MapBase[] {
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
