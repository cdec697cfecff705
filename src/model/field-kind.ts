/**
 * What kind of value a field of the scenario format holds, read from the zod schema (schema.ts), the format's
 * one definition: sweeps use it to accept `true`/`false` for a boolean field, a name for an enum field
 * (`coordination.dispatch`) and text for a free-text field (`allocation.strategy`), and numbers everywhere else.
 */
import { scenarioSchema } from "./schema.js";

/** The kind of a scenario field: a boolean, one of a set of names, or anything else (numbers, unit strings, …). */
export type FieldKind =
  | { kind: "boolean" }
  | { kind: "enum"; values: readonly string[] }
  /** Free text (a strategy's name, a scenario's name): any string, checked when the scenario is parsed. */
  | { kind: "text" }
  /** Numbers, unit strings ("20 min"), objects and lists. */
  | { kind: "other" };

// zod keeps each schema's definition in `_zod.def` (its documented hook for tools that walk schemas).
interface Def {
  type: string;
  shape?: Record<string, Node>;
  element?: Node;
  innerType?: Node;
  in?: Node;
  out?: Node;
  options?: Node[];
  discriminator?: string;
  entries?: Record<string, string | number>;
  values?: unknown[];
}
interface Node {
  _zod: { def: Def };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The schemas a node stands for once wrappers (default, optional, pipe, …) are removed; a union's branches. */
function unwrap(node: Node, value: unknown): Node[] {
  const d = node._zod.def;
  switch (d.type) {
    case "default":
    case "optional":
    case "nullable":
    case "prefault":
    case "readonly":
    case "catch":
      return unwrap(d.innerType!, value);
    case "pipe":
      // A transform's input side is what the user writes; a transformed string is a quantity ("20 min").
      return unwrap(d.in!, value).map((n) => (n._zod.def.type === "string" ? node : n));
    case "union": {
      const options = d.options ?? [];
      if (d.discriminator !== undefined && isRecord(value)) {
        const tag = value[d.discriminator];
        const hit = options.filter((o) =>
          unwrap(o, value).some((b) => {
            const f = b._zod.def.shape?.[d.discriminator!];
            return f !== undefined && leafKind(f, tag).some((k) => k.kind === "enum" && k.values.includes(String(tag)));
          }),
        );
        if (hit.length > 0) return hit.flatMap((o) => unwrap(o, value));
      }
      return options.flatMap((o) => unwrap(o, value));
    }
    default:
      return [node];
  }
}

function leafKind(node: Node, value: unknown): FieldKind[] {
  return unwrap(node, value).map((b): FieldKind => {
    const d = b._zod.def;
    if (d.type === "boolean") return { kind: "boolean" };
    if (d.type === "string") return { kind: "text" };
    if (d.type === "enum") return { kind: "enum", values: Object.values(d.entries ?? {}).map(String) };
    if (d.type === "literal" && (d.values ?? []).every((v) => typeof v === "string"))
      return { kind: "enum", values: (d.values as string[]).slice() };
    return { kind: "other" };
  });
}

/**
 * The kind of the field at a JSON path of a scenario input (`["assets", 0, "nightCapable"]`), from the schema;
 * `input` picks the branch of a union where the schema has one (an asset's `kind`). A path the schema does not
 * know, or whose branches disagree, is `{ kind: "other" }`.
 *
 * @example
 * fieldKind(defaultScenario(), ["coordination", "dispatch"]);
 * // { kind: "enum", values: ["nearest-available", "earliest-arrival", "fixed-preference"] }
 */
export function fieldKind(input: unknown, path: readonly (string | number)[]): FieldKind {
  let nodes: Node[] = [scenarioSchema as unknown as Node];
  let value: unknown = input;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const next: Node[] = [];
    for (const n of nodes)
      for (const b of unwrap(n, value)) {
        const d = b._zod.def;
        if (typeof key === "number" && d.type === "array" && d.element) next.push(d.element);
        else if (typeof key === "string" && d.type === "object" && d.shape && Object.hasOwn(d.shape, key))
          next.push(d.shape[key]!);
      }
    if (next.length === 0) return { kind: "other" };
    nodes = next;
    value = Array.isArray(value) || isRecord(value) ? (value as Record<string | number, unknown>)[key] : undefined;
  }
  const kinds = nodes.flatMap((n) => leafKind(n, value));
  if (kinds.length > 0 && kinds.every((k) => k.kind === "boolean")) return { kind: "boolean" };
  if (kinds.length > 0 && kinds.every((k) => k.kind === "text")) return { kind: "text" };
  if (kinds.length > 0 && kinds.every((k) => k.kind === "enum"))
    return { kind: "enum", values: [...new Set(kinds.flatMap((k) => (k.kind === "enum" ? k.values : [])))] };
  return { kind: "other" };
}
