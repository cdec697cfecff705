/** Shared pieces of the CLI commands: I/O, argument parsing, scenario loading, usage errors. */
import { parseArgs } from "node:util";
import { stat } from "node:fs/promises";
import { parseScenario } from "../model/parse.js";
import type { Scenario } from "../model/types.js";
import { defaultScenario, scenarioNames, scenario as embedded, type ScenarioName } from "../scenarios/index.js";
import { InputError, readScenarioFile } from "../node/files.js";

export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
}

/** Wrong command-line usage: exit code 2 with the command's help pointer. */
export class UsageError extends Error {}

/** What a command rethrows for an error from the library: a RangeError (a bad option value) as a UsageError. */
export function asUsageError(e: unknown): unknown {
  return e instanceof RangeError ? new UsageError(e.message) : e;
}

/** A scenario from a file, an embedded name, or the default. */
export async function loadScenario(arg: string | undefined): Promise<Scenario> {
  if (arg === undefined) return parseScenario(defaultScenario());
  if ((scenarioNames as readonly string[]).includes(arg)) return parseScenario(embedded(arg as ScenarioName));
  return readScenarioFile(arg);
}

export type Flags = Record<string, string | boolean | undefined>;

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
        `\r${label ? `${label} ` : ""}[${"#".repeat(fill)}${"-".repeat(width - fill)}] ${(f * 100).toFixed(0).padStart(3)}% ${done}/${total} ${unit}, ${eta.toFixed(0)} s left `,
      );
      shown = true;
    },
    done: () => {
      if (shown) io.stderr.write("\r\x1b[2K");
      shown = false;
    },
  };
}
