/**
 * Scenario hash for provenance: SHA-256 (Web Crypto, in browsers and Node)
 * of the input's canonical JSON — object keys sorted, no whitespace — so the
 * same scenario hashes the same however its file is formatted.
 */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

export async function sha256Hex(text: string): Promise<string> {
  const data = new TextEncoder().encode(text);
  const digest = await globalThis.crypto.subtle.digest("SHA-256", data);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function scenarioHash(source: unknown): Promise<string> {
  return `sha256:${(await sha256Hex(canonicalJson(source))).slice(0, 16)}`;
}

/**
 * Canonical JSON of what `JSON.stringify(v)` writes — object keys sorted, no whitespace, `undefined` and
 * functions left out of objects (null in arrays), non-finite numbers as null, `toJSON` honoured — so a value
 * and the same value read back from its JSON file give the same text (and the same digest), without the round
 * trip. `canonicalJson` writes `undefined` members as null instead, which such a file no longer holds.
 */
export function canonicalJsonOf(v: unknown): string {
  return canonicalMember(v) ?? "null";
}

function canonicalMember(v: unknown): string | undefined {
  if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function")
    v = (v as { toJSON(): unknown }).toJSON();
  if (v === null) return "null";
  if (typeof v === "number") return Number.isFinite(v) ? JSON.stringify(v) : "null";
  if (typeof v === "string" || typeof v === "boolean") return JSON.stringify(v);
  if (typeof v === "bigint") throw new TypeError("a BigInt has no JSON form");
  if (typeof v !== "object") return undefined;
  if (Array.isArray(v)) return `[${v.map((x) => canonicalMember(x) ?? "null").join(",")}]`;
  const members: string[] = [];
  for (const k of Object.keys(v).sort()) {
    const text = canonicalMember((v as Record<string, unknown>)[k]);
    if (text !== undefined) members.push(`${JSON.stringify(k)}:${text}`);
  }
  return `{${members.join(",")}}`;
}

/** The digest of a value's canonical JSON (`canonicalJsonOf`): "sha256:" and 64 hex digits. */
export async function contentDigest(v: unknown): Promise<string> {
  return `sha256:${await sha256Hex(canonicalJsonOf(v))}`;
}
