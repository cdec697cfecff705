/** Types read off the declaration table (./declaration.ts), so that the host's views and columns match it. */
import type { ARRAYS, Element, SCALARS } from "./declaration.js";

/** The typed array of an element type. */
export type ArrayOf<E extends Element> = E extends "f64"
  ? Float64Array
  : E extends "i32"
    ? Int32Array
    : E extends "u8"
      ? Uint8Array
      : Int8Array;

type Declared = (typeof ARRAYS)[number];

/** Every array of the core's memory, by name, as its typed array. */
export type CoreArrays = { [A in Declared as A["name"]]: ArrayOf<A["type"]> };

/** The compiled model's columns that the core reads, by name, as declared. */
export type ModelColumns = { [A in Declared as A["size"] extends "model" ? A["name"] : never]: ArrayOf<A["type"]> };

/** The engine's constant tables (ziggurats, exp). */
export type TableName = Extract<Declared, { size: "table" }>["name"];

/** Scalars that are the compiled model's fields, and those the host sets. */
export type ModelScalarName = Extract<(typeof SCALARS)[number], { model: true }>["name"];
export type HostScalarName = Exclude<(typeof SCALARS)[number]["name"], ModelScalarName>;
