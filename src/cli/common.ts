/** Shared pieces of the CLI commands: I/O, argument parsing, scenario loading, usage errors. */
import { parseArgs } from "node:util";
import { stat } from "node:fs/promises";
import { parseScenario } from "../model/parse.js";
import type { Scenario } from "../model/types.js";
import { defaultScenario, scenarioNames, scenario as embedded, type ScenarioName } from "../scenarios/index.js";
import { InputError, readScenarioFile } from "../node/files.js";
import { NODE_RUNTIME } from "../node/parallel.js";
import {
  RUN_DEFAULTS,
  cliDefaultWorkers,
  resolveRunOptions,
  withRuntime,
  type ExperimentName,
  type ResolvedRunOptions,
  type RunOptions,
} from "../experiment/options.js";

/** Where a command writes: stdout and stderr (the process's, or a test's). */
export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
}

/** Wrong command-line usage: exit code 2 with the command's help pointer. */
export class UsageError extends Error {}

/** The flag of each run option, for messages: the library names the option, the CLI its flag. */
const FLAGS: readonly (readonly [string, string])[] = [
  ["until.relHalfWidth", "--rel"],
  ["until.halfWidth", "--half-width"],
  ["until.maxReplications", "--max-replications"],
  ["until.metric", "--until"],
  ["replications", "--replications"],
  ["seed", "--seed"],
  ["horizon", "--horizon"],
  ["workers", "--workers"],
  ["chunk", "--chunk"],
];

/**
 * What a command rethrows for an error from the library: a RangeError (a bad option value) as a UsageError,
 * naming the flag of a run option ("replications: …" becomes "--replications: …"; `flags` renames more).
 */
export function asUsageError(e: unknown, flags: Readonly<Record<string, string>> = {}): unknown {
  if (!(e instanceof RangeError)) return e;
  for (const [name, flag] of [...Object.entries(flags), ...FLAGS])
    if (e.message.startsWith(`${name}:`)) return new UsageError(`${flag}${e.message.slice(name.length)}`);
  return new UsageError(e.message);
}

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** A flag's text as the library takes it: a number where it reads as one, else the text (refused there). */
export function cliNumber(text: string): number | string {
  return NUMBER.test(text.trim()) ? Number(text) : text;
}

/** A --seed: a whole number as a number, anything else as a string (default 1). */
export function cliSeed(text: unknown): number | string | undefined {
  if (text === undefined) return undefined;
  const s = String(text);
  return /^-?\d+$/.test(s) ? Number(s) : s;
}

/**
 * The run options of a command's flags (--replications, --seed, --horizon, --workers, with `extra`), checked
 * by `resolveRunOptions` — the library's one check — before any work; a bad value is a UsageError naming
 * its flag. `resolved` holds the defaults (with --workers unset: 1 until `withWorkers` says otherwise).
 */
export function runFlags(
  v: Flags,
  experiment: ExperimentName,
  extra: RunOptions = {},
  flags: Readonly<Record<string, string>> = {},
): { given: RunOptions; resolved: ResolvedRunOptions } {
  const given: RunOptions = { ...extra };
  if (v.replications !== undefined) given.replications = cliNumber(String(v.replications)) as number;
  if (v.seed !== undefined) given.seed = cliSeed(v.seed)!;
  if (v.horizon !== undefined) given.horizon = String(v.horizon);
  if (v.workers !== undefined) given.workers = (v.workers === "auto" ? "auto" : cliNumber(String(v.workers))) as number;
  try {
    return { given, resolved: resolveRunOptions(withRuntime(given, NODE_RUNTIME), experiment) };
  } catch (e) {
    throw asUsageError(e, flags);
  }
}

/**
 * The options with --workers' default when it was not given: all cores for experiments of many replications
 * in all (`runs` simulations of the resolved replications each), else the calling thread (`cliDefaultWorkers`).
 */
export function withWorkers(given: RunOptions, resolved: ResolvedRunOptions, runs = 1): RunOptions {
  if (given.workers !== undefined) return given;
  const n = resolved.replications ?? resolved.until?.maxReplications ?? 0;
  return { ...given, workers: cliDefaultWorkers(n * runs) };
}

/** A scenario from a file, an embedded name, or the default. */
export async function loadScenario(arg: string | undefined): Promise<Scenario> {
  if (arg === undefined) return parseScenario(defaultScenario());
  if ((scenarioNames as readonly string[]).includes(arg)) return parseScenario(embedded(arg as ScenarioName));
  return readScenarioFile(arg);
}

/** The --workers line of every command's help (the default from `RUN_DEFAULTS`). */
export const WORKERS_HELP = `  -w, --workers N        worker threads ("auto" = all cores; default: all cores from \
${RUN_DEFAULTS.cliAutoWorkersFrom} replications in all, else 1)`;

/** Parsed flags. */
export type Flags = Record<string, string | boolean | undefined>;

/** Parse a command's arguments; unknown flags are a UsageError. */
/** The output format: --json or --csv, else the --out file's extension, else text. */
export function outputFormat(v: { json?: unknown; csv?: unknown }, out: string | undefined): "json" | "csv" | "text" {
  if (v.json) return "json";
  if (v.csv) return "csv";
  if (out?.endsWith(".json")) return "json";
  if (out?.endsWith(".csv")) return "csv";
  return "text";
}

export function parse(
  args: string[],
  options: NonNullable<Parameters<typeof parseArgs>[0]>["options"],
): { values: Flags; positionals: string[] } {
  try {
    const r = parseArgs({
      args,
      options: { help: { type: "boolean", short: "h" }, ...options },
      allowPositionals: true,
      strict: true,
    });
    return { values: r.values as Flags, positionals: r.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** A whole-number flag of at least 1 that is no run option (--points, --samples, --p). */
export function positiveInt(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < 1)
    throw new UsageError(`--${name}: expected a whole number of at least 1; got ${JSON.stringify(v)}`);
  return Number(v);
}

/** Refuse an existing output file before any work, unless --force. */
export async function refuseExisting(out: string | undefined, force: unknown): Promise<void> {
  if (
    out &&
    !force &&
    (await stat(out).then(
      () => true,
      () => false,
    ))
  )
    throw new InputError(`${out} exists; pass --force to replace it`);
}

/**
 * The progress bar every long command shows on stderr — only on a terminal and without --quiet (undefined
 * otherwise, so piped output stays clean). `update` takes the progress callback's argument and an optional
 * label; `done` clears the line.
 */
export function progressBar(io: Io, quiet: unknown, unit = "replications") {
  if (quiet || !io.stderr.isTTY) return undefined;
  const start = Date.now();
  let shown = false;
  return {
    update: ({ done, total }: { done: number; total: number }, label = "") => {
      const f = total > 0 ? done / total : 0,
        width = 30,
        fill = Math.round(f * width);
      const el = (Date.now() - start) / 1000,
        eta = f > 0 ? el / f - el : 0;
      io.stderr.write(
        `\r${label ? `${label} ` : ""}[${"#".repeat(fill)}${"-".repeat(width - fill)}] ` +
          `${(f * 100).toFixed(0).padStart(3)}% ${done}/${total} ${unit}, ${eta.toFixed(0)} s left `,
      );
      shown = true;
    },
    done: () => {
      if (shown) io.stderr.write("\r\x1b[2K");
      shown = false;
    },
  };
}
