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
