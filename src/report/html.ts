/** HTML text helpers shared by the report, its map and the notebook display. */

/** Escape text for HTML and SVG text and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;",
  );
}

/** A name's short form for labels: the part before a parenthesis ("Orikhiv (Zaporizhzhia)" → "Orikhiv"). */
export function shortName(name: string): string {
  const i = name.indexOf(" (");
  return i > 0 ? name.slice(0, i) : name;
}

/**
 * Display names by id for charts and tables: each state's name and each sector's short name (`shortName`),
 * for `vegaLite(…, { names })`.
 *
 * @example
 * namesOf(parseScenario(defaultScenario())).gb; // "United Kingdom"
 */
export function namesOf(scenario: {
  states: readonly { id: string; name: string }[];
  sectors: readonly { id: string; name: string }[];
}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of scenario.states) out[s.id] = s.name;
  for (const s of scenario.sectors) out[s.id] = shortName(s.name);
  return out;
}
