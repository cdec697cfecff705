/**
 * The `ceasefire-sim` command line: thin argument handling around the
 * library. `main(argv, io)` returns the exit code — 0 ok, 1 run failure,
 * 2 invalid input or usage — and never prints a stack trace for user errors.
 */
import { parseArgs } from "node:util";
import { stat } from "node:fs/promises";
import { ScenarioError } from "../model/errors.js";
import { parseScenario } from "../model/parse.js";
import type { Scenario } from "../model/types.js";
import { defaultScenario, scenarioNames, scenario as embedded, type ScenarioName } from "../scenarios/index.js";
import { simulate, SimulationAborted, type Result } from "../experiment/simulate.js";
import { rowsToCsv, toRows } from "../report/rows.js";
import { InputError, readScenarioFile, writeFileAtomic } from "../node/files.js";
import { summaryText } from "./summary.js";
import { VERSION } from "../version.js";

export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
}

class UsageError extends Error {}

const HELP: Record<string, string> = {
  main: `ceasefire-sim ${VERSION} — scenario simulation of ceasefire-monitoring coverage

Usage: ceasefire-sim <command> [options]

Commands:
  run [scenario]       simulate a scenario (default: the embedded coalition-2026) and print its metrics
  validate <scenario>  check a scenario file and list every problem with its path

A scenario is a JSON file or the name of an embedded scenario (${scenarioNames.join(", ")}).
Run 'ceasefire-sim <command> --help' for the options of a command.
Exit codes: 0 ok, 1 run failure, 2 invalid input or usage.`,
  run: `Usage: ceasefire-sim run [scenario] [options]

Simulate a scenario and print the headline metrics, per sector and per state.

Options:
  -r, --replications N   independent replications (default 200)
  -s, --seed S           seed of all random streams (default 1)
      --horizon D        override the horizon, e.g. "60 d"
      --json             print the full result as JSON
      --csv              print tidy rows (scope,id,metric,value,lo,hi) as CSV
  -o, --out FILE         write the output to FILE (format from --json/--csv or the extension)
      --force            replace FILE if it exists
  -q, --quiet            no progress bar
  -h, --help             this help

Examples:
  ceasefire-sim run
  ceasefire-sim run smm-density --replications 500 --seed 7
  ceasefire-sim run my-scenario.json --json --out result.json`,
  validate: `Usage: ceasefire-sim validate <scenario>

Check a scenario file (or an embedded scenario's name) against the format and
print a short description, or every problem with its JSON path (exit code 2).

Examples:
  ceasefire-sim validate my-scenario.json`,
};

async function loadScenario(arg: string | undefined): Promise<Scenario> {
  if (arg === undefined) return parseScenario(defaultScenario());
  if ((scenarioNames as readonly string[]).includes(arg)) return parseScenario(embedded(arg as ScenarioName));
  return readScenarioFile(arg);
}

type Flags = Record<string, string | boolean | undefined>;

function parse(args: string[], options: NonNullable<Parameters<typeof parseArgs>[0]>["options"]): { values: Flags; positionals: string[] } {
  try {
    const r = parseArgs({ args, options: { help: { type: "boolean", short: "h" }, ...options }, allowPositionals: true, strict: true });
    return { values: r.values as Flags, positionals: r.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function positiveInt(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--${name}: expected a whole number of at least 1; got ${JSON.stringify(v)}`);
  return Number(v);
}

async function run(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parse(args, {
    replications: { type: "string", short: "r" },
    seed: { type: "string", short: "s" },
    horizon: { type: "string" },
    json: { type: "boolean" },
    csv: { type: "boolean" },
    out: { type: "string", short: "o" },
    force: { type: "boolean" },
    quiet: { type: "boolean", short: "q" },
  });
  if (v.help) { io.stdout.write(HELP.run + "\n"); return 0; }
  if (positionals.length > 1) throw new UsageError(`run takes one scenario; got ${positionals.length}: ${positionals.join(" ")}`);
  if (v.json && v.csv) throw new UsageError("--json and --csv: choose one");
  const replications = positiveInt("replications", v.replications as string | undefined, 200);
  const seed = (v.seed as string | undefined) ?? "1";
  const out = v.out as string | undefined;
  const format = v.json ? "json" : v.csv ? "csv" : out?.endsWith(".json") ? "json" : out?.endsWith(".csv") ? "csv" : "text";
  const scenario = await loadScenario(positionals[0]);
  // Refuse an existing output file before the run, not after it.
  if (out && !v.force && (await stat(out).then(() => true, () => false))) throw new InputError(`${out} exists; pass --force to replace it`);

  const progress = !v.quiet && io.stderr.isTTY ? progressBar(io) : undefined;
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  let result: Result;
  try {
    result = await simulate(scenario, {
      replications,
      seed: /^-?\d+$/.test(seed) ? Number(seed) : seed,
      ...(v.horizon !== undefined ? { horizon: v.horizon as string } : {}),
      ...(progress ? { onProgress: progress.update } : {}),
      signal: controller.signal,
    });
  } catch (e) {
    progress?.done();
    if (e instanceof SimulationAborted) {
      io.stderr.write(`interrupted: ${e.partial.provenance.replications} of ${replications} replications finished; nothing written\n`);
      return 1;
    }
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  } finally {
    process.off("SIGINT", onSigint);
  }
  progress?.done();
  const text = format === "json" ? JSON.stringify(result, null, 2) + "\n" : format === "csv" ? rowsToCsv(toRows(result)) : summaryText(result);
  if (out) {
    await writeFileAtomic(out, text, { force: Boolean(v.force) });
    io.stderr.write(`wrote ${out}\n`);
  } else io.stdout.write(text);
  return 0;
}

async function validate(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parse(args, {});
  if (v.help) { io.stdout.write(HELP.validate + "\n"); return 0; }
  if (positionals.length !== 1) throw new UsageError("validate takes exactly one scenario file");
  const s = await loadScenario(positionals[0]);
  const teams = s.contributions.filter((c) => s.assets[c.asset]!.kind === "team").reduce((a, c) => a + c.count, 0);
  const sensors = s.contributions.filter((c) => s.assets[c.asset]!.kind !== "team").reduce((a, c) => a + c.count, 0);
  io.stdout.write(
    `ok: ${s.name} — ${s.sectors.length} sectors over ${Math.round(s.lineKm)} km, ${s.states.length} states, ` +
      `${teams} teams, ${sensors} sensors, ${s.bases.length} bases, horizon ${s.horizon} h\n`,
  );
  return 0;
}

function progressBar(io: Io) {
  const start = Date.now();
  let shown = false;
  return {
    update: ({ done, total }: { done: number; total: number }) => {
      const f = done / total, width = 30, fill = Math.round(f * width);
      const el = (Date.now() - start) / 1000, eta = f > 0 ? el / f - el : 0;
      io.stderr.write(`\r[${"#".repeat(fill)}${"-".repeat(width - fill)}] ${(f * 100).toFixed(0).padStart(3)}% ${done}/${total} replications, ${eta.toFixed(0)} s left `);
      shown = true;
    },
    done: () => { if (shown) io.stderr.write("\r\x1b[2K"); },
  };
}

/** Run the CLI with arguments (without the node and script paths); resolves to the exit code. */
export async function main(argv: string[], io: Io = process): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === undefined || cmd === "-h" || cmd === "--help" || cmd === "help") { io.stdout.write(HELP.main + "\n"); return cmd === undefined ? 2 : 0; }
    if (cmd === "-v" || cmd === "--version") { io.stdout.write(VERSION + "\n"); return 0; }
    if (cmd === "run") return await run(rest, io);
    if (cmd === "validate") return await validate(rest, io);
    throw new UsageError(`unknown command ${JSON.stringify(cmd)}; commands: run, validate`);
  } catch (e) {
    if (e instanceof ScenarioError) { io.stderr.write(`error: ${e.message}\n`); return 2; }
    if (e instanceof InputError) { io.stderr.write(`error: ${e.message}\n`); return 2; }
    if (e instanceof UsageError) { io.stderr.write(`error: ${e.message}\nRun 'ceasefire-sim ${cmd && HELP[cmd] ? cmd + " " : ""}--help' for usage.\n`); return 2; }
    io.stderr.write(`error: ${(e as Error).message ?? String(e)}\n`);
    if (process.env.CEASEFIRE_SIM_DEBUG) io.stderr.write(`${(e as Error).stack}\n`);
    return 1;
  }
}
