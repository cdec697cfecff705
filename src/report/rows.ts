/**
 * `toRows(result)`: the result as tidy rows — one row per (scope, id,
 * metric) with value and 95% CI — for data frames, Observable Plot and CSV.
 */
import { intervalWarnings, type Estimate } from "../stats/estimate.js";
import type { Result } from "../experiment/simulate.js";

export interface Row {
  /** "line", "sector", "state" or "team". */
  scope: "line" | "sector" | "state" | "team";
  id: string;
  /** Dotted metric name, e.g. "response.p90" or "coverage.night". */
  metric: string;
  value: number | null;
  lo: number | null;
  hi: number | null;
  /** Why the interval needs care (too few replications for its method), or null. */
  warning: string | null;
}

function isEstimate(v: unknown): v is Estimate {
  return typeof v === "object" && v !== null && "value" in v && "halfWidth" in v;
}
const num = (v: number) => (Number.isFinite(v) ? v : null);
/** The warning of an estimate from n replications (none for n = 0: it has no value to warn about). */
const warningOf = (n: number) => (n > 0 ? (intervalWarnings(n)[0] ?? null) : null);

function walk(scope: Row["scope"], id: string, prefix: string, o: Record<string, unknown>, out: Row[]): void {
  for (const [k, v] of Object.entries(o)) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (isEstimate(v))
      out.push({ scope, id, metric: name, value: num(v.value), lo: num(v.lo), hi: num(v.hi), warning: warningOf(v.n) });
    else if (typeof v === "number")
      out.push({ scope, id, metric: name, value: num(v), lo: null, hi: null, warning: null });
    else if (typeof v === "object" && v !== null && !Array.isArray(v))
      walk(scope, id, name, v as Record<string, unknown>, out);
  }
}

/**
 * @example
 * toRows(result).filter((r) => r.metric === "response.mean")
 * // [{ scope: "line", id: "line", metric: "response.mean", value: 15.5, lo: 11.9, hi: 19.1, warning: null }, …]
 */
export function toRows(result: Result): Row[] {
  const out: Row[] = [];
  walk("line", "line", "", result.line as unknown as Record<string, unknown>, out);
  for (const s of result.sectors) {
    const { id, ...rest } = s;
    walk("sector", id, "", rest as unknown as Record<string, unknown>, out);
  }
  for (const s of result.states) {
    const { id, ...rest } = s;
    walk("state", id, "", rest as unknown as Record<string, unknown>, out);
  }
  for (const t of result.teams) {
    const { id, state: _s, asset: _a, base: _b, ...rest } = t;
    walk("team", id, "", rest as unknown as Record<string, unknown>, out);
  }
  return out;
}

/** Rows as CSV text (RFC 4180 quoting, header first). */
export function rowsToCsv(rows: readonly Row[]): string {
  const q = (v: string | number | null) =>
    v === null ? "" : typeof v === "number" ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  const lines = ["scope,id,metric,value,lo,hi,warning"];
  for (const r of rows) lines.push([r.scope, r.id, r.metric, r.value, r.lo, r.hi, r.warning].map(q).join(","));
  return `${lines.join("\n")}\n`;
}
