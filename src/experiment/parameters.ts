/**
 * Numeric scenario parameters addressed by readable paths on the scenario
 * INPUT (the form users write, with unit strings), for sweeps and
 * sensitivity analyses.
 *
 * Path syntax: dot-separated keys, each optionally followed by array
 * selectors in brackets — an index (`sectors[3]`) or one or more
 * `key=value` pairs that must match exactly one element
 * (`sectors[id=pokrovsk]`, `contributions[state=gb,asset=team]`):
 *
 * ```
 * horizon
 * sectors[id=pokrovsk].incidents.rate
 * sectors[3].lengthKm
 * contributions[state=gb,asset=team].count
 * coordination.tasking.median          (a lognormal's median)
 * sectors[id=pokrovsk].access.denial
 * assets[id=team].speed
 * ```
 *
 * A parameter's number is in the unit the scenario writes it in: for
 * `"20 min"` the value is 20 with unit `"min"`, and setting 30 writes
 * `"30 min"`; a bare number is the number itself (unit `null`). Fields the
 * schema types as booleans (`assets[id=team].nightCapable`), enums
 * (`coordination.dispatch`) or free text (`allocation.strategy`,
 * `sectors[id=pokrovsk].lead`) take `true`/`false`, one of the enum's names,
 * or a string (`parameterInfo` says which, from the zod schema). Fields the
 * scenario leaves out (taking their defaults) cannot be addressed: write
 * them into the scenario first.
 */
import { parseQuantity, DIMENSIONS, type Dimension } from "../model/units.js";
import { fieldKind } from "../model/field-kind.js";
import { show } from "./options.js";

/** A value a parameter may be set to: a number, a boolean or a name (see `parameterInfo`). */
export type ParameterScalar = number | boolean | string;

/**
 * What a parameter holds and may be set to, from the scenario's schema: a number (in `unit`, `null` for a bare
 * number), a boolean, one of an enum's `values`, or free text.
 */
export type ParameterInfo =
  | { kind: "number"; value: number; unit: string | null }
  | { kind: "boolean"; value: boolean }
  | { kind: "enum"; value: string; values: readonly string[] }
  | { kind: "text"; value: string };

/** A parameter's current value, in the unit its unit string uses (`null` for a bare number). */
export interface ParameterValue {
  value: number;
  unit: string | null;
}

type Selector = { kind: "index"; index: number } | { kind: "match"; pairs: [string, string][] };
interface Segment {
  key: string;
  selectors: Selector[];
  /** The path text up to and including this segment, for messages. */
  text: string;
}

/** Schema fields that hold whole numbers (counts): sweeps and sensitivity round them by default. */
export const INTEGER_FIELDS: readonly string[] = Object.freeze(["count", "capacity", "personnel"]);

/** Whether a path addresses a whole-number field (its last key is one of `INTEGER_FIELDS`). */
export function isIntegerPath(path: string): boolean {
  const segs = parsePath(path);
  return INTEGER_FIELDS.includes(segs[segs.length - 1]!.key);
}

const cache = new Map<string, Segment[]>();

/**
 * Parse a parameter path into segments; RangeError on bad syntax.
 * @internal
 */
export function parsePath(path: string): Segment[] {
  if (typeof path !== "string" || path.length === 0)
    throw new RangeError(
      `parameter path: expected a path such as "sectors[id=pokrovsk].incidents.rate"; got ${show(path)}`,
    );
  const hit = cache.get(path);
  if (hit) return hit;
  const segs: Segment[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new RangeError(`parameter path ${show(path)}: ${why} at character ${i + 1}`);
  };
  while (i < path.length) {
    let key = "";
    while (i < path.length && path[i] !== "." && path[i] !== "[" && path[i] !== "]") key += path[i++];
    if (key === "") fail("expected a key");
    const selectors: Selector[] = [];
    while (path[i] === "[") {
      const close = path.indexOf("]", i);
      if (close < 0) fail("unclosed '['");
      const body = path.slice(i + 1, close).trim();
      if (/^\d+$/.test(body)) selectors.push({ kind: "index", index: Number(body) });
      else {
        const pairs: [string, string][] = [];
        for (const part of body.split(",")) {
          const eq = part.indexOf("=");
          const k = part.slice(0, eq).trim(),
            v = part.slice(eq + 1).trim();
          if (eq < 0 || k === "" || v === "") fail(`expected an index or key=value pairs in [${body}]`);
          pairs.push([k, v]);
        }
        selectors.push({ kind: "match", pairs });
      }
      i = close + 1;
    }
    segs.push({ key, selectors, text: path.slice(0, i) });
    if (i < path.length) {
      if (path[i] !== ".") fail(`expected '.' or '[' after ${show(path.slice(0, i))}`);
      i++;
      if (i === path.length) fail("expected a key after '.'");
    }
  }
  if (cache.size > 1000) cache.clear();
  cache.set(path, segs);
  return segs;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const describe = (v: unknown): string =>
  Array.isArray(v)
    ? `a list of ${v.length}`
    : v === null
      ? "null"
      : isRecord(v)
        ? `an object with keys ${Object.keys(v).join(", ") || "(none)"}`
        : `${typeof v} ${show(v)}`;

/** The input object of a scenario: a parsed `Scenario`'s `source`, or the input itself. */
export function scenarioInput(scenario: unknown): unknown {
  if (isRecord(scenario) && Object.isFrozen(scenario) && "source" in scenario && "lineKm" in scenario)
    return scenario.source;
  return scenario;
}

/** Walk to the container and key of the path's leaf. */
function locate(
  input: unknown,
  path: string,
): { holder: Record<string, unknown> | unknown[]; key: string | number; where: string; json: (string | number)[] } {
  const segs = parsePath(path);
  let cur: unknown = scenarioInput(input);
  if (!isRecord(cur)) throw new RangeError(`${path}: expected a scenario object; got ${describe(cur)}`);
  let holder: Record<string, unknown> | unknown[] = cur;
  let key: string | number = "";
  let where = "";
  const json: (string | number)[] = [];
  for (let s = 0; s < segs.length; s++) {
    const seg = segs[s]!;
    const before = s === 0 ? "the scenario" : segs[s - 1]!.text;
    if (!isRecord(cur))
      throw new RangeError(`${path}: ${before} is ${describe(cur)}, not an object, so it has no key "${seg.key}"`);
    if (!Object.hasOwn(cur, seg.key)) {
      throw new RangeError(
        `${path}: no key "${seg.key}" in ${before}; keys: ${Object.keys(cur).join(", ") || "(none)"} (fields ` +
          `left to their defaults must be written into the scenario before they can be varied)`,
      );
    }
    holder = cur;
    key = seg.key;
    json.push(seg.key);
    where = s === 0 ? seg.key : `${segs[s - 1]!.text}.${seg.key}`;
    cur = cur[seg.key];
    for (const sel of seg.selectors) {
      if (!Array.isArray(cur))
        throw new RangeError(`${path}: ${where} is ${describe(cur)}, not a list, so it cannot take a [selector]`);
      if (sel.kind === "index") {
        if (sel.index >= cur.length)
          throw new RangeError(
            `${path}: ${where}[${sel.index}] is out of range; ${where} has ${cur.length} ` +
              `element${cur.length === 1 ? "" : "s"}`,
          );
        holder = cur;
        key = sel.index;
        json.push(sel.index);
        where = `${where}[${sel.index}]`;
        cur = cur[sel.index];
      } else {
        const sel_ = `[${sel.pairs.map(([k, v]) => `${k}=${v}`).join(",")}]`;
        const hits: number[] = [];
        cur.forEach((el, j) => {
          if (
            isRecord(el) &&
            sel.pairs.every(
              ([k, v]) =>
                Object.hasOwn(el, k) &&
                (typeof el[k] === "string" || typeof el[k] === "number" || typeof el[k] === "boolean") &&
                String(el[k]) === v,
            )
          )
            hits.push(j);
        });
        if (hits.length !== 1) {
          const [k0] = sel.pairs[0]!;
          const seen = [
            ...new Set(
              cur
                .filter(isRecord)
                .map((el) => el[k0])
                .filter((v) => v !== undefined)
                .map(String),
            ),
          ];
          const known =
            seen.length > 0 ? `; ${k0} values: ${seen.slice(0, 40).join(", ")}${seen.length > 40 ? ", …" : ""}` : "";
          if (hits.length === 0) throw new RangeError(`${path}: ${where}${sel_} matches no element${known}`);
          throw new RangeError(
            `${path}: ${where}${sel_} matches ${hits.length} elements (indices ${hits.join(", ")}); add ` +
              `key=value pairs to pick one`,
          );
        }
        holder = cur;
        key = hits[0]!;
        json.push(hits[0]!);
        where = `${where}${sel_}`;
        cur = cur[hits[0]!];
      }
    }
  }
  return { holder, key, where, json };
}

/**
 * Longest unit string a parameter may hold ("1.5e-3 km/h" is 11 characters; `parseQuantity` reads no longer
 * one): a longer one is refused at once, whatever it holds, so that no string makes reading a parameter slow.
 */
export const MAX_QUANTITY_CHARS = 64;
/** A number at the start of a unit string (sticky: matched at one position, so linear in its length). */
const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/y;
const isSpace = (c: string) => /\s/.test(c);
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * Split a unit string into its number and unit, if it is a quantity of some scenario dimension: optional
 * spaces, a number, optional spaces (kept, to write the string back alike), a unit, optional spaces. One pass
 * over the string.
 */
function splitQuantity(text: string): { value: number; sep: string; unit: string } | null {
  let start = 0,
    end = text.length;
  while (start < end && isSpace(text[start]!)) start++;
  while (end > start && isSpace(text[end - 1]!)) end--;
  NUMBER.lastIndex = start;
  const m = NUMBER.exec(text);
  if (!m) return null;
  let u = NUMBER.lastIndex;
  while (u < end && isSpace(text[u]!)) u++;
  const sep = text.slice(NUMBER.lastIndex, u),
    unit = text.slice(u, end);
  if (unit === "" || LINE_BREAK.test(unit)) return null;
  if (!(Object.keys(DIMENSIONS) as Dimension[]).some((d) => parseQuantity(text, d).ok)) return null;
  return { value: Number(m[0]), sep, unit };
}

function leaf(input: unknown, path: string) {
  const loc = locate(input, path);
  const v = (loc.holder as Record<string | number, unknown>)[loc.key];
  if (typeof v === "number") return { loc, value: v, quantity: null };
  if (typeof v === "string") {
    if (v.length > MAX_QUANTITY_CHARS)
      throw new RangeError(
        `${path}: ${loc.where} is a string of ${v.length} characters, longer than any unit string ` +
          `(at most ${MAX_QUANTITY_CHARS}); expected a number or a unit string such as "20 min"`,
      );
    const q = splitQuantity(v);
    if (q) return { loc, value: q.value, quantity: q };
  }
  throw new RangeError(`${path}: ${loc.where} is ${describe(v)}, not a number or a unit string such as "20 min"`);
}

/**
 * Read a numeric parameter of a scenario input.
 *
 * @example
 * getParameter(defaultScenario(), "sectors[id=pokrovsk].incidents.rate") // { value: 22.5, unit: "/d" }
 * getParameter(defaultScenario(), "contributions[state=gb,asset=team].count") // { value: 20, unit: null }
 */
export function getParameter(input: unknown, path: string): ParameterValue {
  const { value, quantity } = leaf(input, path);
  return { value, unit: quantity ? quantity.unit : null };
}

/**
 * What a parameter holds and may be set to (its kind from the schema, src/model/schema.ts) and its value.
 *
 * @example
 * parameterInfo(defaultScenario(), "assets[id=team].nightCapable") // { kind: "boolean", value: false }
 * parameterInfo(defaultScenario(), "coordination.dispatch")
 * // { kind: "enum", value: "nearest-available",
 * //   values: ["nearest-available", "earliest-arrival", "fixed-preference"] }
 * parameterInfo(defaultScenario(), "horizon") // { kind: "number", value: 30, unit: "d" }
 */
export function parameterInfo(input: unknown, path: string): ParameterInfo {
  const loc = locate(input, path);
  const v = (loc.holder as Record<string | number, unknown>)[loc.key];
  const kind = fieldKind(scenarioInput(input), loc.json);
  if (kind.kind === "boolean" && typeof v === "boolean") return { kind: "boolean", value: v };
  if (kind.kind === "enum" && typeof v === "string") return { kind: "enum", value: v, values: kind.values };
  if (kind.kind === "text" && typeof v === "string") return { kind: "text", value: v };
  if (kind.kind !== "other")
    throw new RangeError(`${path}: ${loc.where} is ${describe(v)}; the format expects ${kindText(kind)} there`);
  const { value, quantity } = leaf(input, path);
  return { kind: "number", value, unit: quantity ? quantity.unit : null };
}

const kindText = (k: { kind: "boolean" } | { kind: "enum"; values: readonly string[] } | { kind: "text" }) =>
  k.kind === "boolean"
    ? "true or false"
    : k.kind === "enum"
      ? `one of ${k.values.map((x) => JSON.stringify(x)).join(", ")}`
      : "a string";

/**
 * A parameter's value read from text (a command line's `true`, `earliest-arrival`, `12.5`), by the kind the
 * schema gives the path: RangeError naming what the path takes. A number is in the unit the scenario writes
 * there, without the unit.
 *
 * @example
 * parameterValue(defaultScenario(), "assets[id=team].nightCapable", "true") // true
 * parameterValue(defaultScenario(), "contributions[state=gb,asset=team].count", "25") // 25
 */
export function parameterValue(input: unknown, path: string, text: string): ParameterScalar {
  const info = parameterInfo(input, path);
  const t = text.trim();
  if (info.kind === "boolean") {
    if (t === "true" || t === "false") return t === "true";
    throw new RangeError(`${path}: expected true or false; got ${show(text)}`);
  }
  if (info.kind === "enum") {
    if (info.values.includes(t)) return t;
    throw new RangeError(`${path}: expected one of ${info.values.join(", ")}; got ${show(text)}`);
  }
  if (info.kind === "text") return t;
  if (!PLAIN_NUMBER.test(t))
    throw new RangeError(
      `${path}: expected a number; got ${show(text)} (numbers are in the unit the scenario writes` +
        `${info.unit === null ? "" : `, ${info.unit}`}, without the unit)`,
    );
  return Number(t);
}

const PLAIN_NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** Check a value for a parameter; RangeError saying what the path takes. @internal */
export function checkValue(input: unknown, path: string, v: unknown): ParameterInfo {
  const info = parameterInfo(input, path);
  const ok =
    info.kind === "number"
      ? typeof v === "number" && Number.isFinite(v)
      : info.kind === "boolean"
        ? typeof v === "boolean"
        : info.kind === "enum"
          ? typeof v === "string" && info.values.includes(v)
          : typeof v === "string";
  if (!ok)
    throw new RangeError(
      `${path}: expected ${info.kind === "number" ? "a finite number" : kindText(info)} to set; got ${show(v)}`,
    );
  return info;
}

/**
 * A deep copy of the scenario input with one parameter set; the input is
 * left untouched. For a unit string the number replaces the string's
 * number and keeps its unit (`"20 min"` set to 30 gives `"30 min"`); a
 * boolean, enum or text field takes a boolean or a string (see
 * `parameterInfo`). Validity (a whole count, median below p95, …) is
 * checked when the result is parsed or simulated.
 *
 * @example
 * const s = setParameter(defaultScenario(), "coordination.tasking.median", 30);
 * s.coordination.tasking; // { dist: "lognormal", median: "30 min", p95: "1.5 h" }
 * setParameter(defaultScenario(), "assets[id=team].nightCapable", true).assets[0].nightCapable; // true
 */
export function setParameter<T>(input: T, path: string, value: ParameterScalar): T {
  return setParameters(input, { [path]: value });
}

/**
 * A deep copy of the scenario input with several parameters set (one copy
 * for all), in the order given.
 *
 * @example
 * setParameters(defaultScenario(), { horizon: 60, "assets[id=team].speed": 30 }); // horizon "60 d", speed "30 km/h"
 */
export function setParameters<T>(input: T, values: Readonly<Record<string, ParameterScalar>>): T {
  if (scenarioInput(input) !== input)
    throw new RangeError(
      "setParameter: expected a scenario input (with unit strings), not a parsed Scenario; pass its .source",
    );
  for (const [path, v] of Object.entries(values)) checkValue(input, path, v); // check every path before copying
  const copy = structuredClone(input);
  for (const [path, v] of Object.entries(values)) {
    if (typeof v !== "number") {
      const loc = locate(copy, path);
      (loc.holder as Record<string | number, unknown>)[loc.key] = v;
      continue;
    }
    const { loc, quantity } = leaf(copy, path);
    (loc.holder as Record<string | number, unknown>)[loc.key] = quantity ? `${v}${quantity.sep}${quantity.unit}` : v;
  }
  return copy;
}
