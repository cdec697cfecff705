/**
 * The tables of a ziggurat (Marsaglia & Tsang, "The Ziggurat Method for
 * Generating Random Variables", J. Stat. Softw. 5(8), 2000) for a decreasing
 * density shape f on [0, ∞) with f(0) = 1 and inverse fInv: layers of equal
 * area `area`, the base strip's right edge at r, and points drawn as integers
 * in [0, scale). `normal.ts` and `exponential.ts` build theirs with it.
 *
 * Layer i accepts a point p outright when p < k[i] (x = p · w[i]); f[i] is
 * the density at layer i's edge, for the wedge test. Layer 0 is the base
 * strip with the tail; k[1] = 0 sends every point of the top layer to the
 * wedge test.
 */
export function zigguratTables(
  r: number,
  area: number,
  scale: number,
  f: (x: number) => number,
  fInv: (y: number) => number,
  k: Int32Array | Float64Array,
  w: Float64Array,
  fx: Float64Array,
): void {
  const layers = w.length;
  let d = r,
    prev = r;
  const q = area / f(d);
  k[0] = Math.floor((d / q) * scale);
  k[1] = 0;
  w[0] = q / scale;
  w[layers - 1] = d / scale;
  fx[0] = 1;
  fx[layers - 1] = f(d);
  for (let i = layers - 2; i >= 1; i--) {
    d = fInv(area / d + f(d));
    k[i + 1] = Math.floor((d / prev) * scale);
    prev = d;
    fx[i] = f(d);
    w[i] = d / scale;
  }
}
