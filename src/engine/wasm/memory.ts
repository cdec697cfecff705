// AssemblyScript. Reading and writing the core's memory: the table of array addresses, typed elements, the
// scalars the host set and the results the host reads (their slots: src/layout/declaration.ts).
import * as L from "../../layout/slots.generated";

@inline export function addr(slot: i32): usize { return <usize>load<i32>(<usize>slot << 2); }
@inline export function f64At(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline export function i32At(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }
@inline export function u8At(base: usize, i: i32): i32 { return <i32>load<u8>(base + <usize>i); }
@inline export function setF64(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }
@inline export function setI32(base: usize, i: i32, v: i32): void { store<i32>(base + (<usize>i << 2), v); }
@inline export function setU8(base: usize, i: i32, v: i32): void { store<u8>(base + <usize>i, <u8>v); }

/** The scalar in slot `slot` (S_*). */
@inline export function scalar(slot: i32): f64 {
  return load<f64>(<usize>L.SCALARS + (<usize>slot << 3));
}
/** The result in slot `slot` (R_*). */
@inline export function result(slot: i32): i32 {
  return load<i32>(<usize>L.RESULTS + (<usize>slot << 2));
}
/** Set result `slot` (R_*). */
@inline export function setResult(slot: i32, v: i32): void {
  store<i32>(<usize>L.RESULTS + (<usize>slot << 2), v);
}
