/**
 * Where placed sensors sit on the line, shared by the scenario parser (which checks an explicit allocation's
 * UAVs can reach their stretches, with the JSON path) and the allocation layer (which builds the units).
 */

/** A stretch of length `cover` centred at c, shifted to stay within [0, lineKm]. */
export function stretchAt(c: number, cover: number, lineKm: number): { from: number; to: number } {
  const len = Math.min(cover, lineKm);
  const from = Math.max(0, Math.min(lineKm - len, c - len / 2));
  return { from, to: from + len };
}

/** n stretches of length `cover` centred at evenly spaced points of [from, to], kept on the line. */
export function spreadStretches(
  p: { from: number; to: number; count: number },
  cover: number,
  lineKm: number,
): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (let k = 0; k < p.count; k++)
    out.push(stretchAt(p.from + ((k + 0.5) * (p.to - p.from)) / p.count, cover, lineKm));
  return out;
}

/** Index of the base nearest to line position x (straight-line distance; the first of equals; 0 without bases). */
export function nearestBaseAt(bases: readonly { x: number; offsetKm: number; index: number }[], x: number): number {
  let best = 0,
    bd = Infinity;
  for (const b of bases) {
    const d = Math.hypot(b.x - x, b.offsetKm);
    if (d < bd) {
      bd = d;
      best = b.index;
    }
  }
  return best;
}

/** Hours of flight from base `b` to the middle of a stretch and back, at `speed` km/h. */
export function roundTripHours(
  b: { x: number; offsetKm: number },
  stretch: { from: number; to: number },
  speed: number,
): number {
  return 2 * (Math.hypot((stretch.from + stretch.to) / 2 - b.x, b.offsetKm) / speed);
}
