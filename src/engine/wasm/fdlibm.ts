// AssemblyScript. exp(x) computed exactly as fdlibm's __ieee754_exp (Sun Microsystems, 1993) computes it: the
// algorithm V8 uses for Math.exp, so the core's draws equal the JavaScript engine's bit for bit
// (tests/core.test.ts compares the two on millions of arguments), including V8's one departure from fdlibm:
// exp(1) is e itself, where fdlibm's last bit is off. Argument reduction x = k·ln2 + r with
// |r| ≤ ln2/2, a degree-5 minimax rational approximation of exp(r), then scaling by 2^k.

const HALF_POS: f64 = 0.5, HALF_NEG: f64 = -0.5;
const O_THRESHOLD: f64 = 7.09782712893383973096e2;
const U_THRESHOLD: f64 = -7.45133219101941108420e2;
const LN2_HI: f64 = 6.93147180369123816490e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700;
const P1: f64 = 1.66666666666666019037e-1;
const P2: f64 = -2.77777777770155933842e-3;
const P3: f64 = 6.61375632143793436117e-5;
const P4: f64 = -1.65339022054652515390e-6;
const P5: f64 = 4.13813679705723846039e-8;
const TWO_M1000: f64 = 9.33263618503218878990e-302;
const E: f64 = 2.718281828459045;

/**
 * exp(x). The common range, 2^-28 ≤ |x| < 709.78 and x ≥ −707, takes one path without branches (the engine's arguments fall
 * anywhere in it, so branches would be mispredicted): fdlibm's three reductions there are one formula with
 * k = 0 (no reduction), ±1, or round(x/ln2), chosen by selects. fdlibm's own k = 0 formula,
 * 1 − ((x·c)/(c − 2) − x), is the general one with hi = x, lo = 0, since (x·c)/(c − 2) = −((x·c)/(2 − c))
 * exactly. Everything else goes to `expRare`, fdlibm's code as written.
 */
export function exp(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  const sign = <i32>(bits >>> 63);
  const hx = <u32>(bits >>> 32) & 0x7fffffff;
  if (hx >= 0x40862e42 || hx < 0x3e300000 || x < -707.0) return expRare(x);
  const big = hx >= 0x3ff0a2b2, reduce = hx > 0x3fd62e42;
  const kBig = <i32>(INV_LN2 * x + (sign ? HALF_NEG : HALF_POS));
  const k = select<i32>(kBig, select<i32>(1 - sign - sign, 0, reduce), big);
  const t = <f64>k;
  const hi = x - t * LN2_HI, lo = t * LN2_LO;
  const r = hi - lo;
  const tt = r * r;
  const c = r - tt * (P1 + tt * (P2 + tt * (P3 + tt * (P4 + tt * P5))));
  const y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
  // k ≥ −1021 here (x ≥ −707), so scaling is adding k to the exponent; V8 returns e itself for exp(1).
  return select<f64>(E, reinterpret<f64>(reinterpret<u64>(y) + (<u64>k << 52)), x == 1.0);
}

/** fdlibm's __ieee754_exp as written (the rare arguments: tiny, huge, infinite, NaN). */
function expRare(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  const sign = <i32>(bits >>> 63);
  const hx = <u32>(bits >>> 32) & 0x7fffffff;
  let hi: f64 = 0, lo: f64 = 0, k: i32 = 0;
  if (hx >= 0x40862e42) {
    // |x| ≥ 709.78: NaN, ±Infinity, overflow or underflow.
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | <u32>bits) != 0) return x + x;
      return sign == 0 ? x : 0.0;
    }
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0.0;
  }
  if (hx > 0x3fd62e42) {
    // |x| > ln2/2: reduce.
    if (hx < 0x3ff0a2b2) {
      if (x == 1.0) return E;
      hi = sign ? x + LN2_HI : x - LN2_HI;
      lo = sign ? -LN2_LO : LN2_LO;
      k = 1 - sign - sign;
    } else {
      k = <i32>(INV_LN2 * x + (sign ? HALF_NEG : HALF_POS));
      const t = <f64>k;
      hi = x - t * LN2_HI;
      lo = t * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1.0 + x; // |x| < 2^-28
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) return reinterpret<f64>(reinterpret<u64>(y) + (<u64>k << 52));
  return reinterpret<f64>(reinterpret<u64>(y) + (<u64>(k + 1000) << 52)) * TWO_M1000;
}
