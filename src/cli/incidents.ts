/**
 * The CLI's incident log (`run --incidents FILE`): the file is checked before the run (its extension, and that
 * it can be written), and written after it from the same scenario, seed, replications, horizon and strategy,
 * by replaying the run's replications on the calling thread (src/experiment/incidents.ts). The run itself is
 * untouched by the flag.
 */
import { incidentLog, type IncidentLogOptions } from "../experiment/incidents.js";
import { checkOutputFile, outputTarget } from "../node/files.js";
import { incidentLogFormat, writeIncidentLog as writeLog } from "../node/incident-log.js";
import { asUsageError, UsageError } from "./common.js";

/** The flag's line of `run --help`. */
export const INCIDENTS_HELP =
  "      --incidents FILE   also write one row per incident to FILE: .csv, or .arrow (Arrow IPC file for\n" +
  "                         pandas, Polars, DuckDB); --force to replace it (docs/incident-log.md)";

/**
 * Check --incidents FILE before any work: a name ending in .csv or .arrow, writable (see `checkOutputFile`),
 * and not the same file as --out. A UsageError or InputError says what is wrong.
 */
export function checkIncidentsFile(file: string, options: { force?: boolean; out?: string } = {}): void {
  if (file === "") throw new UsageError("--incidents: expected a file name; got an empty one");
  if (incidentLogFormat(file) === null)
    throw new UsageError(
      `--incidents: expected a file name ending in .csv or .arrow (Arrow IPC file); got ${JSON.stringify(file)}`,
    );
  checkOutputFile(file, { force: Boolean(options.force) });
  if (options.out !== undefined && outputTarget(options.out) === outputTarget(file))
    throw new UsageError("--out and --incidents name the same file");
}

/** What `writeIncidentLog` wrote. */
export interface WrittenIncidentLog {
  file: string;
  format: "csv" | "arrow";
  rows: number;
  replications: { from: number; to: number };
}

/**
 * Write the incident log of a run to `file` (CSV or Arrow IPC by its extension; any other is a UsageError):
 * the scenario and options as the run had them (seed, replications or from/to, horizon, allocation).
 * Library errors about options come back as UsageErrors naming the flag.
 */
export async function writeIncidentLog(
  file: string,
  scenario: unknown,
  options: IncidentLogOptions & { force?: boolean },
): Promise<WrittenIncidentLog> {
  const { force, ...rest } = options;
  checkIncidentsFile(file, { force: Boolean(force) });
  let log: Awaited<ReturnType<typeof incidentLog>>;
  try {
    log = await incidentLog(scenario, rest);
  } catch (e) {
    throw asUsageError(e, { maxRows: "--incidents" });
  }
  const format = await writeLog(file, log, { force: Boolean(force) });
  return { file, format, rows: log.rows, replications: log.provenance.replications };
}

/** The line the CLI prints on stderr once the log is written. */
export function incidentLogMessage(w: WrittenIncidentLog): string {
  const { from, to } = w.replications;
  const reps = from === 0 ? `${to} replications` : `replications ${from}–${to - 1}`;
  return `wrote ${w.file}: ${w.rows} incidents of ${reps} (${w.format === "csv" ? "CSV" : "Arrow IPC"})\n`;
}
