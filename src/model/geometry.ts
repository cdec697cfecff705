/**
 * Small geodesy helpers for the optional line geometry (lon/lat). The
 * simulation is 1-D along the line; geometry only places lon/lat bases on it
 * and draws maps. Distances use a local equirectangular projection, accurate
 * to well under 1% over the few hundred km between neighbouring vertices.
 */
const R = 6371.0088; // mean Earth radius, km (IUGG)
const RAD = Math.PI / 180;

function segmentKm(a: readonly [number, number], b: readonly [number, number]): number {
  const k = Math.cos(((a[1] + b[1]) / 2) * RAD);
  return R * RAD * Math.hypot((b[0] - a[0]) * k, b[1] - a[1]);
}

/** Length of a lon/lat polyline in km. */
export function polylineLengthKm(coords: readonly (readonly [number, number])[]): number {
  let s = 0;
  for (let i = 1; i < coords.length; i++) s += segmentKm(coords[i - 1]!, coords[i]!);
  return s;
}

/** Project a lon/lat point onto a polyline: distance along it (km) and distance off it (km). */
export function projectOntoLine(
  coords: readonly (readonly [number, number])[],
  lon: number,
  lat: number,
): { alongKm: number; offsetKm: number } {
  let best = { alongKm: 0, offsetKm: Infinity };
  let along = 0;
  for (let i = 1; i < coords.length; i++) {
    const a = coords[i - 1]!;
    const b = coords[i]!;
    const k = Math.cos(((a[1] + b[1] + 2 * lat) / 4) * RAD);
    const bx = (b[0] - a[0]) * k,
      by = b[1] - a[1];
    const px = (lon - a[0]) * k,
      py = lat - a[1];
    const len2 = bx * bx + by * by;
    const t = len2 > 0 ? Math.max(0, Math.min(1, (px * bx + py * by) / len2)) : 0;
    const off = R * RAD * Math.hypot(px - t * bx, py - t * by);
    const seg = segmentKm(a, b);
    if (off < best.offsetKm) best = { alongKm: along + t * seg, offsetKm: off };
    along += seg;
  }
  return best;
}

/** The lon/lat point at a fraction f ∈ [0, 1] of the polyline's length. */
export function pointAlong(coords: readonly (readonly [number, number])[], f: number): [number, number] {
  const total = polylineLengthKm(coords);
  let target = Math.max(0, Math.min(1, f)) * total;
  for (let i = 1; i < coords.length; i++) {
    const a = coords[i - 1]!,
      b = coords[i]!;
    const seg = segmentKm(a, b);
    if (target <= seg || i === coords.length - 1) {
      const t = seg > 0 ? Math.min(1, target / seg) : 0;
      return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
    }
    target -= seg;
  }
  return [coords[0]![0], coords[0]![1]];
}

/**
 * Length of (dx, dy) in km. `Math.hypot` guards against overflow at a cost of
 * about 20 ns a call; scenario distances are bounded far below where the
 * plain formula could overflow, and the engine computes this per dispatch.
 */
export function dist2d(dx: number, dy: number): number {
  return Math.sqrt(dx * dx + dy * dy);
}
