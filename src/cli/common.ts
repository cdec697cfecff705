/** Shared pieces of the CLI commands: I/O, argument parsing, scenario loading, usage errors. */
import { parseArgs } from "node:util";
import { ALLOCATION_MODES, isAllocationMode, type AllocationMode } from "../allocation/modes.js";
import { parseScenario } from "../model/parse.js";
import type { Scenario } from "../model/types.js";
import { lintScenario } from "../model/lint.js";
import { formatPath, type ScenarioIssue } from "../model/errors.js";
import { defaultScenario, scenarioNames, scenario as embedded, type ScenarioName } from "../scenarios/index.js";
import { checkOutputFile, readScenarioFile } from "../node/files.js";
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

/**
 * The exit codes of every command: the one table (docs/cli.md shows it). A signal's code is 128 + its number,
 * as shells report it.
 */
export const EXIT = Object.freeze({
  /** Done: the output was printed or written. */
  ok: 0,
  /** An internal error: a bug of ceasefire-sim (CEASEFIRE_SIM_DEBUG=1 prints its stack). */
  internal: 1,
  /**
   * Bad usage or input: unknown or bad flags, an invalid scenario, a refused checkpoint or part, a run over the
   * budget, a file that cannot be read or written (EACCES, EROFS, ENOSPC, ENOENT… all alike).
   */
  input: 2,
  /** Interrupted by SIGINT (Ctrl-C): temporary files removed, progress reported. */
  sigint: 130,
  /** Stopped by SIGTERM: likewise. */
  sigterm: 143,
});

/** Whether `e` is an error of the file system or the operating system (it has an errno code and a syscall). */
export function isSystemError(e: unknown): boolean {
  const x = e as { code?: unknown; syscall?: unknown } | null;
  return typeof x?.code === "string" && /^E[A-Z0-9]+$/.test(x.code) && typeof x.syscall === "string";
}

/** The signals that stop a long command. */
export type StopSignal = "SIGINT" | "SIGTERM";

/** A long command's signal handling (see `listenForStop`). */
export interface Stop {
  /** Aborts on the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** The signal received, or null. */
  readonly received: StopSignal | null;
  /** Run `f` (synchronously) if a second signal ends the process before the command has cleaned up. */
  onForce(f: () => void): void;
  /** Report `what` ("12 of 80 replications finished; nothing written") and give the signal's exit code. */
  report(io: Io, what: string): number;
  /** Stop listening. */
  dispose(): void;
}

/**
 * Listen for SIGINT and SIGTERM while a long command runs: the first aborts `signal` (the command then removes
 * its temporary files, reports how far it got and exits with EXIT.sigint or EXIT.sigterm); a second one runs the
 * `onForce` clean-ups and exits at once with the same code.
 */
export function listenForStop(): Stop {
  const controller = new AbortController();
  let received: StopSignal | null = null;
  const cleanups: (() => void)[] = [];
  const code = (sig: StopSignal) => (sig === "SIGINT" ? EXIT.sigint : EXIT.sigterm);
  const on = (sig: StopSignal) => () => {
    if (received) {
      for (const f of cleanups)
        try {
          f();
        } catch {
          /* exiting anyway */
        }
      process.exit(code(received));
    }
    received = sig;
    controller.abort();
  };
  const onInt = on("SIGINT"),
    onTerm = on("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    onForce: (f) => cleanups.push(f),
    report(io, what) {
      io.stderr.write(`interrupted by ${received ?? "a signal"}: ${what}\n`);
      return code(received ?? "SIGINT");
    },
    dispose() {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
    },
  };
}

/**
 * A progress callback that remembers the last progress (for "N of M finished"; `total` until the first call)
 * and feeds the bar, if any.
 */
export function tracked(
  update?: (p: { done: number; total: number }, label?: string) => void,
  label?: string,
  total = 0,
) {
  const last = { done: 0, total };
  return {
    last,
    onProgress: (p: { done: number; total: number }) => {
      last.done = p.done;
      last.total = p.total;
      update?.(p, label);
    },
  };
}

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

/**
 * A --seed: a whole number as a number, anything else as a string (default 1). Negative numbers are seeds like
 * any other (`-s -1`, `--seed -1` and `--seed=-1` alike); a whole number beyond ±(2^53 − 1) cannot be held
 * exactly and is refused rather than rounded.
 */
export function cliSeed(text: unknown): number | string | undefined {
  if (text === undefined) return undefined;
  const s = String(text);
  if (!/^-?\d+$/.test(s)) return s;
  if (!Number.isSafeInteger(Number(s)))
    throw new UsageError(
      `--seed: a whole-number seed must lie within ±${Number.MAX_SAFE_INTEGER} (2^53 − 1) to be exact; got ${s}`,
    );
  return Number(s);
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

/** A scenario from a file, an embedded name, or the default; a file's duplicate keys are warned of on stderr. */
export async function loadScenario(arg: string | undefined, io?: Io): Promise<Scenario> {
  if (arg === undefined) return parseScenario(defaultScenario());
  if ((scenarioNames as readonly string[]).includes(arg)) return parseScenario(embedded(arg as ScenarioName));
  const s = await readScenarioFile(arg);
  for (const w of s.warnings) io?.stderr.write(`warning: ${arg}: ${formatPath(w.path)}: ${w.message}\n`);
  return s;
}

/**
 * Print lint warnings (`lintScenario`, and those given, e.g. `lintAllocation`'s) on stderr, each as
 * "warning: SCENARIO: PATH: MESSAGE"; `validate` and `run` call it once their flags and files are checked.
 */
export function printLint(io: Io, arg: string | undefined, s: Scenario, more: readonly ScenarioIssue[] = []): void {
  for (const w of [...lintScenario(s), ...more])
    io.stderr.write(`warning: ${arg ?? s.name}: ${formatPath(w.path)}: ${w.message}\n`);
}

/** The --workers line of every command's help (the default from `RUN_DEFAULTS`). */
export const WORKERS_HELP = `  -w, --workers N        worker threads ("auto" = all cores; default: all cores from \
${RUN_DEFAULTS.cliAutoWorkersFrom} replications in all, else 1)`;

/** Parsed flags. */
export type Flags = Record<string, string | boolean | undefined>;

/** The output format: --json or --csv, else the --out file's extension, else text. */
export function outputFormat(v: { json?: unknown; csv?: unknown }, out: string | undefined): "json" | "csv" | "text" {
  if (v.json) return "json";
  if (v.csv) return "csv";
  if (out?.endsWith(".json")) return "json";
  if (out?.endsWith(".csv")) return "csv";
  return "text";
}

type Options = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>["options"]>;

const NEGATIVE = /^-(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * The arguments with a negative number after a flag that takes a value joined to it (`-s -1` → `--seed=-1`),
 * so that every spelling of a value reads alike (parseArgs takes "-1" for a flag otherwise).
 */
function joinNegativeValues(args: string[], options: Options): string[] {
  const long = new Map<string, string>();
  for (const [name, o] of Object.entries(options))
    if (o.type === "string") {
      long.set(`--${name}`, name);
      if (o.short) long.set(`-${o.short}`, name);
    }
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!,
      next = args[i + 1];
    if (a === "--") {
      out.push(...args.slice(i));
      break;
    }
    const name = long.get(a);
    if (name !== undefined && next !== undefined && NEGATIVE.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** Parse a command's arguments; unknown flags are a UsageError. */
export function parse(args: string[], options: Options): { values: Flags; positionals: string[] } {
  try {
    const r = parseArgs({
      args: joinNegativeValues(args, options),
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

/** A file flag's value (--out, --checkpoint): undefined when absent; an empty name is a UsageError. */
export function fileFlag(v: Flags, name: string): string | undefined {
  const f = v[name];
  if (f === undefined) return undefined;
  if (f === "" || typeof f !== "string")
    throw new UsageError(
      `--${name}: expected a file name; got an empty one` +
        (name === "out" ? " (without --out the output goes to stdout)" : ""),
    );
  return f;
}

/**
 * Check the output file before any work (see `checkOutputFile`): a regular file or nothing, replaced only with
 * --force; a directory, device or FIFO never; its folder must exist and be writable.
 */
export function checkOutput(out: string | undefined, force: unknown): void {
  if (out !== undefined) checkOutputFile(out, { force: Boolean(force) });
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

/**
 * --mode as an allocation mode (undefined when absent); a UsageError names the flag and the modes. `allowed`
 * narrows the modes a command takes.
 */
export function modeFlag(v: Flags, allowed: readonly AllocationMode[] = ALLOCATION_MODES): AllocationMode | undefined {
  const m = v.mode;
  if (m === undefined) return undefined;
  if (!isAllocationMode(m) || !allowed.includes(m))
    throw new UsageError(`--mode: expected ${allowed.join(", ")}; got ${JSON.stringify(m)}`);
  return m;
}
