/**
 * exp(x) and log(x) for the engine's draws (lognormal durations, the
 * ziggurats' tables, wedge tests and tails), the same in every JavaScript
 * engine and in the WebAssembly core: `src/engine/wasm/exp.ts` computes them
 * with the same operations in the same order, and tests/core.test.ts checks
 * the two bit for bit. `Math.exp` and `Math.log` are not specified to the
 * last bit, and engines differ there (Chromium 156's and Node 20's `Math.exp`
 * disagree on about one argument in ten), so the engine uses neither.
 *
 * exp:
 * Method (Tang, "Table-driven implementation of the exponential function in
 * IEEE floating-point arithmetic", ACM TOMS 15(2), 1989):
 * x = (64m + j)·ln2/64 + r with |r| ≤ ln2/128, so exp(x) = 2^m · 2^(j/64) · e^r;
 * 2^(j/64) from a table of the 64 values in two parts (the sum carries about
 * 70 bits), e^r − 1 from its Taylor polynomial to r^5 (truncation below
 * 4·10^-17). Within 1 ulp of the exact value (the largest error found, over
 * 200,000 arguments checked against 50-digit arithmetic, is 0.82 ulp); no
 * division, and no branch but the range checks.
 */

/**
 * 2^(j/64), j = 0…63, as pairs: the value correctly rounded, then the rest (2^(j/64) − value, rounded);
 * computed to 60 digits.
 */
export const EXP2_TABLE = new Float64Array([
  1.0, 0.0, 1.0108892860517005, -1.5234778603368577e-17, 1.0218971486541166, 5.109225028973444e-17, 1.0330248790212284,
  7.600838874027088e-18, 1.0442737824274138, 8.551889705537965e-17, 1.0556451783605572, 1.759325738772092e-18,
  1.0671404006768237, -7.899853966841582e-17, 1.0787607977571199, -6.656660436056593e-17, 1.0905077326652577,
  -3.046782079812471e-17, 1.102382583307841, 5.2660368715706944e-17, 1.1143867425958924, 1.0410278456845571e-16,
  1.1265216186082418, 5.165856758795457e-17, 1.1387886347566916, 8.912812676025408e-17, 1.1511892299529827,
  3.250710218863827e-17, 1.1637248587775775, 3.8292048369240935e-17, 1.1763969916502812, 5.554203254218079e-17,
  1.189207115002721, 3.982015231465646e-17, 1.202156731452703, 6.644981499252301e-17, 1.215247359980469,
  -7.712630692681488e-17, 1.22848053610687, -1.89878163130253e-17, 1.241857812073484, 4.658027591836937e-17,
  1.255380757024691, -6.7113898212968784e-18, 1.2690509571917332, 2.667932131342186e-18, 1.2828700160787783,
  1.713594918243561e-17, 1.2968395546510096, 2.5382502794888315e-17, 1.3109612115247644, -7.181536135519454e-17,
  1.3252366431597413, -2.8587312100388614e-17, 1.339667524053303, 8.927282594831732e-17, 1.3542555469368927,
  7.70094837980299e-17, 1.3690024229745905, 9.593797919118849e-17, 1.383909881963832, -6.770511658794786e-17,
  // biome-ignore lint/suspicious/noApproximativeNumericConstant: a table entry, 2^(32/64) rounded, with its rest
  1.3989796725383112, -9.614213209051323e-17, 1.4142135623730951, -9.667293313452913e-17, 1.42961333839197,
  -1.2031642489053655e-17, 1.4451808069770467, -3.0237581349939873e-17, 1.460917794180647, -5.600377186075216e-17,
  1.4768261459394993, -3.483994556892796e-17, 1.4929077282912648, 1.4192920154284036e-17, 1.5091644275934228,
  -1.016455327754295e-16, 1.5255981507445384, -1.1024941712342561e-16, 1.5422108254079407, 7.949834809697621e-17,
  1.559004400237837, 3.7812070533575275e-17, 1.5759808451078865, -1.0136916471278304e-17, 1.593142151342267,
  -1.0094406542311964e-16, 1.6104903319492543, 2.4707192569797888e-17, 1.6280274218573478, -6.712955084707084e-17,
  1.645755478153965, -1.0125679913674773e-16, 1.6636765803267364, 5.8909926967131e-17, 1.681792830507429,
  8.199010020581497e-17, 1.7001063537185235, -8.0237193703977e-18, 1.718619298122478, -1.851380418263111e-17,
  1.7373338352737062, 3.164389299292957e-17, 1.7562521603732995, 2.960140695448873e-17, 1.7753764925265212,
  6.429731796556572e-17, 1.7947090750031072, 1.8227458427912087e-17, 1.8142521755003989, -9.969531538920349e-17,
  1.8340080864093424, 3.283107224245627e-17, 1.8539791250833855, 9.761887490727594e-17, 1.8741676341103,
  -6.122763413004143e-17, 1.8945759815869656, 3.4034035352165297e-17, 1.9152065613971474, -1.0619946056195963e-16,
  1.9360617934922943, 1.0332385960676326e-16, 1.9571441241754002, 8.960767791036668e-17, 1.978456026387951,
  4.0388753109278167e-17,
]);

/** 64/ln2, and ln2/64 split so that k·LN2_64_HI is exact for |k| < 2^17 (LN2_64_HI has 36 significant bits). */
const INV_LN2_64 = 92.33248261689366;
const LN2_64_HI = 0.010830424696223417;
const LN2_64_LO = 2.572804622327669e-14;

/** 2^k for k = −1074…1023, exact (built by doubling and halving), at index k + 1074. */
const POW2 = new Float64Array(2098);
{
  let p = 1;
  for (let k = 0; k <= 1023; k++, p *= 2) POW2[k + 1074] = p;
  p = 1;
  for (let k = 0; k >= -1074; k--, p /= 2) POW2[k + 1074] = p;
}

/** e^x, within 1 ulp; 0 below −745.2, Infinity above 709.79, NaN for NaN. */
export function exp(x: number): number {
  if (!(x > -745.2)) return Number.isNaN(x) ? x : 0;
  if (x > 709.79) return Infinity;
  const kd = Math.floor(x * INV_LN2_64 + 0.5);
  const r = x - kd * LN2_64_HI - kd * LN2_64_LO;
  const ki = kd | 0,
    j = ki & 63,
    m = ki >> 6;
  const t = EXP2_TABLE[2 * j]!;
  const y =
    t +
    (EXP2_TABLE[2 * j + 1]! +
      t * (r + r * r * (0.5 + r * (0.16666666666666666 + r * (0.041666666666666664 + r * 0.008333333333333333)))));
  if (m >= -1022 && m <= 1023) return y * POW2[m + 1074]!;
  // Results near overflow or below the normal range: scale in two exact steps, the second rounding once.
  const m1 = m >> 1;
  return y * POW2[m1 + 1074]! * POW2[m - m1 + 1074]!;
}

// log: x = 2^k · m with m in [√½, √2), so log x = k·ln2 + log m, and log m = 2·atanh(s) with s = (m − 1)/(m + 1),
// |s| ≤ 0.172: the series 2s(1 + s²/3 + s⁴/5 + …) to s^22/23 (truncation below 10^-18). Within 3 ulp of
// Math.log (tests/rng.test.ts; 83% of arguments give the same double). The engine needs log only to build the
// ziggurats' tables and in their rare tails, where a few ulp do not matter, but the same bits everywhere do.
const LN2_HI = 0.6931471803691238; // 32 fractional bits: k·LN2_HI is exact for |k| < 2^21
const LN2_LO = 1.9082149292705877e-10;
const SQRT2 = Math.SQRT2;
/** For reading and setting x's exponent: a double's bytes, little-endian (log is off the hot path). */
const BITS = new DataView(new ArrayBuffer(8));

/** log(x), within 3 ulp; −Infinity at 0, NaN below 0 and for NaN. */
export function log(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return x;
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54: subnormals become normal, exactly
    k = -54;
  }
  BITS.setFloat64(0, x, true);
  const hi = BITS.getUint32(4, true);
  k += (hi >>> 20) - 1023;
  BITS.setUint32(4, (hi & 0x000fffff) | 0x3ff00000, true);
  let m = BITS.getFloat64(0, true);
  if (m > SQRT2) {
    m *= 0.5;
    k++;
  }
  const f = m - 1,
    s = f / (2 + f),
    z = s * s;
  const p =
    1 +
    z *
      (0.3333333333333333 +
        z *
          (0.2 +
            z *
              (0.14285714285714285 +
                z *
                  (0.1111111111111111 +
                    z *
                      (0.09090909090909091 +
                        z *
                          (0.07692307692307693 +
                            z *
                              (0.06666666666666667 +
                                z *
                                  (0.058823529411764705 +
                                    z *
                                      (0.05263157894736842 +
                                        z * (0.047619047619047616 + z * 0.043478260869565216))))))))));
  return k * LN2_HI + (k * LN2_LO + 2 * s * p);
}
