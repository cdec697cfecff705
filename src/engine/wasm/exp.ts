// AssemblyScript. The core's own exp(x) and log(x), for lognormal durations, gamma, and the ziggurats' wedge
// tests and tails. Math.exp and Math.log are not specified to the last bit (JavaScript engines differ there), so
// the core computes both itself and its draws are the same on every host. The host builds the ziggurats' tables
// with src/rng/exp.ts, which computes the same operations in the same order.
//
// exp: Tang's table-driven method ("Table-driven implementation of the exponential function in IEEE
// floating-point arithmetic", ACM TOMS 15(2), 1989): x = (64m + j)·ln2/64 + r with |r| ≤ ln2/128, so
// exp(x) = 2^m · 2^(j/64) · e^r; 2^(j/64) from a table of the 64 values, each as a pair (the value rounded, then
// its rest), which the host copies into memory (A_EXP2_TABLE); e^r − 1 from its Taylor polynomial to r^5.
// Within 1 ulp. 2^m is built from its bits, which is exact.
import { A_EXP2_TABLE } from "../../layout/slots.generated";

// 64/ln2, and ln2/64 split so that k·LN2_64_HI is exact for |k| < 2^17 (LN2_64_HI has 36 significant bits).
const INV_LN2_64: f64 = 92.33248261689366;
const LN2_64_HI: f64 = 0.010830424696223417;
const LN2_64_LO: f64 = 2.572804622327669e-14;

let table: usize = 0;

/** Read the table's address: call at the start of a phase. */
export function bindExp(): void {
  table = <usize>load<i32>(<usize>A_EXP2_TABLE << 2);
}

/** 2^m, exact, for m = −1022…1023. */
@inline function pow2(m: i32): f64 {
  return reinterpret<f64>(<u64>(m + 1023) << 52);
}

/** e^x, within 1 ulp; 0 below −745.2, Infinity above 709.79, NaN for NaN. */
export function exp(x: f64): f64 {
  if (!(x > -745.2)) return x == x ? 0 : x;
  if (x > 709.79) return Infinity;
  const kd = Math.floor(x * INV_LN2_64 + 0.5);
  const r = x - kd * LN2_64_HI - kd * LN2_64_LO;
  const ki = <i32>kd, j = ki & 63, m = ki >> 6;
  const t = load<f64>(table + (<usize>j << 4));
  const y = t + (load<f64>(table + (<usize>j << 4), 8) +
    t * (r + r * r * (0.5 + r * (0.16666666666666666 + r * (0.041666666666666664 + r * 0.008333333333333333)))));
  if (m >= -1022 && m <= 1023) return y * pow2(m);
  // Results near overflow or below the normal range: scale in two exact steps, the second rounding once.
  const m1 = m >> 1;
  return y * pow2(m1) * pow2(m - m1);
}

// log: x = 2^k · m with m in [√½, √2), so log x = k·ln2 + log m, and log m = 2·atanh(s) with s = (m − 1)/(m + 1),
// |s| ≤ 0.172: the series 2s(1 + s²/3 + s⁴/5 + …) to s^22/23 (truncation below 10^-18). Within 3 ulp of
// Math.log (tests/core.test.ts). The core needs log only in the ziggurats' rare tails and in gamma, where a few
// ulp do not matter, but the same bits on every host do.
const LN2_HI: f64 = 0.6931471803691238; // 32 fractional bits: k·LN2_HI is exact for |k| < 2^21
const LN2_LO: f64 = 1.9082149292705877e-10;
const SQRT2: f64 = 1.4142135623730951;

/** log(x), within 3 ulp; −Infinity at 0, NaN below 0 and for NaN. */
export function log(x: f64): f64 {
  if (!(x > 0)) return x == 0 ? -Infinity : NaN;
  if (x == Infinity) return x;
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54: subnormals become normal, exactly
    k = -54;
  }
  const bits = reinterpret<u64>(x);
  k += <i32>(bits >>> 52) - 1023;
  let m = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000);
  if (m > SQRT2) {
    m *= 0.5;
    k++;
  }
  const f = m - 1, s = f / (2 + f), z = s * s;
  const p = 1 + z * (0.3333333333333333 + z * (0.2 + z * (0.14285714285714285 + z * (0.1111111111111111 +
    z * (0.09090909090909091 + z * (0.07692307692307693 + z * (0.06666666666666667 + z * (0.058823529411764705 +
    z * (0.05263157894736842 + z * (0.047619047619047616 + z * 0.043478260869565216))))))))));
  return <f64>k * LN2_HI + (<f64>k * LN2_LO + 2 * s * p);
}
