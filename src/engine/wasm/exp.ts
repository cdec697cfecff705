// AssemblyScript. exp(x) exactly as src/rng/exp.ts computes it (the same operations in the same order; see there
// for the method), so the core's durations equal the JavaScript engine's bit for bit. The host copies the table
// of 2^(j/64) into memory (A_EXP2_TABLE); 2^m is built from its bits, which is exact, as the JavaScript table is.
import { A_EXP2_TABLE } from "./layout";

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

export function exp(x: f64): f64 {
  if (!(x > -745.2)) return x == x ? 0 : x;
  if (x > 709.79) return Infinity;
  const kd = Math.floor(x * INV_LN2_64 + 0.5);
  const r = x - kd * LN2_64_HI - kd * LN2_64_LO;
  const ki = <i32>kd, j = ki & 63, m = ki >> 6;
  const t = load<f64>(table + (<usize>j << 4));
  const y = t + (load<f64>(table + (<usize>j << 4), 8) + t * (r + r * r * (0.5 + r * (0.16666666666666666 + r * (0.041666666666666664 + r * 0.008333333333333333)))));
  if (m >= -1022 && m <= 1023) return y * pow2(m);
  const m1 = m >> 1;
  return y * pow2(m1) * pow2(m - m1);
}
