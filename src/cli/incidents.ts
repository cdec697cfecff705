/**
 * The CLI's per-incident and per-replication output (`run --incidents FILE`, `run --per-replication FILE`):
 * each file is checked before the run (its extension, and that it can be written), and written after it from
 * the same scenario, seed, replications, horizon and strategy, by replaying the run's replications on the
 * calling thread (src/experiment/incidents.ts). The run itself is untouched by the flags.
 */
import { incidentLog, replicationRows, type IncidentLogOptions } from "../experiment/incidents.js";
import { checkOutputFile, outputTarget } from "../node/files.js";
import { incidentLogFormat, writeIncidentLog as writeLog, writeReplicationRows } from "../node/incident-log.js";
import { asUsageError, UsageError } from "./common.js";

/** The flags' lines of `run --help`. */
export const INCIDENTS_HELP =
  "      --incidents FILE   also write one row per incident to FILE: .csv, or .arrow (Arrow IPC file for\n" +
  "                         pandas, Polars, DuckDB); --force to replace it (docs/incident-log.md)\n" +
  "      --per-replication FILE  also write each replication's metrics as tidy rows (replication, scope,\n" +
  "                         id, metric, value) to FILE: .csv or .arrow";

/**
 * Check an output flag's FILE before any work: a name ending in .csv or .arrow, writable (see
 * `checkOutputFile`), and not the same file as any of `others` (flag → file, e.g. { "--out": "r.json" }).
 * A UsageError or InputError says what is wrong.
 */
export function checkTableFile(
  flag: string,
  file: string,
  options: { force?: boolean; others?: Readonly<Record<string, string | undefined>> } = {},
): void {
  if (file === "") throw new UsageError(`${flag}: expected a file name; got an empty one`);
  if (incidentLogFormat(file) === null)
    throw new UsageError(
      `${flag}: expected a file name ending in .csv or .arrow (Arrow IPC file); got ${JSON.stringify(file)}`,
    );
  checkOutputFile(file, { force: Boolean(options.force) });
  for (const [other, f] of Object.entries(options.others ?? {}))
    if (f !== undefined && outputTarget(f) === outputTarget(file))
      throw new UsageError(`${other} and ${flag} name the same file`);
}

/** `checkTableFile` for --incidents, with --out as the other output. */
export function checkIncidentsFile(file: string, options: { force?: boolean; out?: string } = {}): void {
  checkTableFile("--incidents", file, { force: Boolean(options.force), others: { "--out": options.out } });
}

/** What `writeIncidentLog` or `writePerReplication` wrote. */
export interface WrittenTable {
  file: string;
  format: "csv" | "arrow";
  rows: number;
  replications: { from: number; to: number };
}

/**
 * Write the incident log of a run to `file` (CSV or Arrow IPC by its extension; any other is a UsageError):
 * the scenario and options as the run had them (seed, replications or from/to, horizon, allocation).
 * Library errors about options come back as UsageErrors.
 */
export async function writeIncidentLog(
  file: string,
  scenario: unknown,
  options: IncidentLogOptions & { force?: boolean },
): Promise<WrittenTable> {
  const { force, ...rest } = options;
  checkIncidentsFile(file, { force: Boolean(force) });
  let log: Awaited<ReturnType<typeof incidentLog>>;
  try {
    log = await incidentLog(scenario, rest);
  } catch (e) {
    throw asUsageError(e);
  }
  const format = await writeLog(file, log, { force: Boolean(force) });
  return { file, format, rows: log.rows, replications: log.provenance.replications };
}

/** Write the per-replication rows of a run to `file`, as `writeIncidentLog` writes the log. */
export async function writePerReplication(
  file: string,
  scenario: unknown,
  options: IncidentLogOptions & { force?: boolean },
): Promise<WrittenTable> {
  const { force, ...rest } = options;
  checkTableFile("--per-replication", file, { force: Boolean(force) });
  let rows: Awaited<ReturnType<typeof replicationRows>>;
  try {
    rows = await replicationRows(scenario, rest);
  } catch (e) {
    throw asUsageError(e);
  }
  const format = await writeReplicationRows(file, rows, { force: Boolean(force) });
  return { file, format, rows: rows.rows.length, replications: rows.provenance.replications };
}

/** The line the CLI prints on stderr once a file is written (`what`: "incidents" or "rows"). */
export function writtenMessage(w: WrittenTable, what: "incidents" | "rows" = "incidents"): string {
  const { from, to } = w.replications;
  const reps = from === 0 ? `${to} replications` : `replications ${from}–${to - 1}`;
  return `wrote ${w.file}: ${w.rows} ${what} of ${reps} (${w.format === "csv" ? "CSV" : "Arrow IPC"})\n`;
}
