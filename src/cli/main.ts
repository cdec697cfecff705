/**
 * The `ceasefire-sim` command line: thin argument handling around the
 * library. `main(argv, io)` returns the exit code — one table, `EXIT` in
 * common.ts (docs/cli.md) — and never prints a stack trace for user errors.
 */
import { ScenarioError } from "../model/errors.js";
import { lintAllocation } from "../allocation/lint.js";
import { SimulationAborted, type Checkpoint, type Result } from "../experiment/simulate.js";
import { rowsToCsv, toRows } from "../report/rows.js";
import { InputError, outputTarget, writeFileAtomic } from "../node/files.js";
import { summaryText } from "./summary.js";
import { readFile, stat, unlink } from "node:fs/promises";
import { mergeResults, shardSlice } from "../experiment/shard.js";
import { IntegrityError, verifyCheckpoint } from "../experiment/integrity.js";
import { runShard, simulate as simulateParallel } from "../node/parallel.js";
import { reportCommand, REPORT_HELP } from "./report.js";
import { exploreCommand, EXPLORE_HELP } from "./explore.js";
import { sweepCommand, sensitivityCommand, SWEEP_HELP, SENSITIVITY_HELP } from "./experiments.js";
import { compareCommand, withdrawalCommand, COMPARE_HELP, WITHDRAWAL_HELP } from "./compare.js";
import { optimizeCommand, OPTIMIZE_HELP } from "./optimize.js";
import {
  cliNumber,
  modeFlag,
  loadScenario,
  printLint,
  parse,
  positiveInt,
  progressBar,
  checkOutput,
  EXIT,
  fileFlag,
  isSystemError,
  listenForStop,
  tracked,
  runFlags,
  UsageError,
  withWorkers,
  type Io,
  asUsageError,
  outputFormat,
  WORKERS_HELP,
} from "./common.js";
import { allocationText } from "./allocation-table.js";
import { checkTableFile, INCIDENTS_HELP, writeIncidentLog, writePerReplication, writtenMessage } from "./incidents.js";
import { allocate, scenarioAllocation, strategies } from "../allocation/allocate.js";
import type { Allocation } from "../allocation/allocation.js";
import type { AllocationOption } from "../experiment/run.js";
import { VERSION } from "../version.js";
import { EXPERIMENTS, RUN_DEFAULTS, cliCheckpointEvery } from "../experiment/options.js";
import { scenarioNames } from "../scenarios/index.js";

const STRATEGIES = Object.keys(strategies).join(", ");
const HELP: Record<string, string> = {
  get compare() {
    return COMPARE_HELP;
  },
  get withdrawal() {
    return WITHDRAWAL_HELP;
  },
  get sweep() {
    return SWEEP_HELP;
  },
  get optimize() {
    return OPTIMIZE_HELP;
  },
  get report() {
    return REPORT_HELP;
  },
  get explore() {
    return EXPLORE_HELP;
  },
  get sensitivity() {
    return SENSITIVITY_HELP;
  },
  main: `ceasefire-sim ${VERSION} — scenario simulation of ceasefire-monitoring coverage

Usage: ceasefire-sim <command> [options]

Commands:
  run [scenario]       simulate a scenario (default: the embedded coalition-2026) and print its metrics
  allocate [scenario]  place teams and sensors with a strategy and print the allocation
  compare [scenario]   compare strategies on common random numbers, with paired CIs and a ranking
  withdrawal [scenario]  each contributing state removed in turn: the change of each headline metric
  sweep [scenario]     run a grid or Latin hypercube over scenario parameters; tidy rows
  sensitivity [scenario]  tornado (one at a time) or Sobol indices of a metric
  optimize [scenario]  the least teams (or other resource) meeting a target, with 95% confidence
  merge <parts...>     combine the partial results of 'run --shard I/N' into one result
  report [scenario]    simulate and write a self-contained HTML report (map, charts, tables)
  explore              open the interactive explorer in the browser (served locally)
  validate <scenario>  check a scenario file and list every problem with its path

A scenario is a JSON file or the name of an embedded scenario (${scenarioNames.join(", ")}).
Run 'ceasefire-sim <command> --help' for the options of a command.
Exit codes: 0 ok, 1 internal error (a bug), 2 invalid usage or input (files included),
130 interrupted (SIGINT), 143 stopped (SIGTERM); see docs/cli.md.`,
  run: `Usage: ceasefire-sim run [scenario] [options]

Simulate a scenario and print the headline metrics, per sector and per state.

Options:
  -S, --strategy NAME    allocation strategy (default: the scenario's, else risk-weighted)
      --mode M --base B  place the units relative to scenario B (a file or an embedded name): augment
                         (B's placement kept, only the units added placed), remove (B's placement less the
                         units withdrawn) or replan (placed afresh, the default)
  -r, --replications N   independent replications (default ${EXPERIMENTS.simulate.replications})
  -s, --seed S           seed of all random streams (default ${RUN_DEFAULTS.seed})
      --horizon D        override the horizon, e.g. "60 d"
      --json             print the full result as JSON
      --csv              print tidy rows (scope,id,metric,value,lo,hi,warning) as CSV
  -o, --out FILE         write the output to FILE (format from --json/--csv or the extension)
${INCIDENTS_HELP}
${WORKERS_HELP}
      --checkpoint FILE  save the run's state to FILE as it goes; if FILE exists, resume from it
                         (the resumed run gives exactly the uninterrupted result)
      --max-incidents N  refuse runs simulating more incidents in all (default 5e9)
      --max-incidents-per-replication N   likewise per replication (default 2e7)
      --shard I/N        run shard I of N (0-based) of the replications and write a partial result
                         (I may be "env": JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID); combine with 'merge'
      --force            replace FILE if it is a regular file (never a directory, device or FIFO;
                         a symbolic link is written through to its target)
  -q, --quiet            no progress bar
  -h, --help             this help

Ctrl-C (SIGINT, exit 130) or SIGTERM (exit 143) stops the run, says how many replications finished and
removes temporary files; with --checkpoint the same command resumes.

Examples:
  ceasefire-sim run
  ceasefire-sim run smm-density --replications 500 --seed 7
  ceasefire-sim run my-scenario.json --json --out result.json
  ceasefire-sim run plus-20-uavs.json --mode augment --base coalition-2026
  ceasefire-sim run -r 4000 --shard 2/8 --out parts/2.json   # then: ceasefire-sim merge parts/*.json`,
  merge: `Usage: ceasefire-sim merge <part.json>... [--json | --csv] [--out FILE] [--force]

Combine the partial results written by 'run --shard I/N' into the run's result.
The merged result equals a one-machine run of the same replications exactly
(apart from timing). Missing or duplicated shards and parts from another
scenario, seed, version or allocation are refused.

Examples:
  ceasefire-sim merge parts/*.json --json --out result.json`,
  allocate: `Usage: ceasefire-sim allocate [scenario] [options]

Place every contributed unit with an allocation strategy and print teams per
base and state, sensors per sector, idle units and why.

Options:
  -S, --strategy NAME    ${STRATEGIES} (default: the scenario's, else risk-weighted)
      --p N              number of bases for p-median and max-cover
      --json             print the allocation as JSON (serialisable; pass it to simulate)
  -o, --out FILE         write the output to FILE;  --force to replace it
  -h, --help             this help

Examples:
  ceasefire-sim allocate --strategy p-median
  ceasefire-sim allocate smm-density --strategy greedy-coverage --json --out allocation.json`,
  validate: `Usage: ceasefire-sim validate <scenario>

Check a scenario file (or an embedded scenario's name) against the format and
print a short description, or every problem with its JSON path (exit code 2).
Lint warnings (exit code 0) go to stderr, each with its JSON path and what to
do: a lead state barred from its sector, a sector no team may enter, a base
with room that its allocation leaves without teams, a sensor blind at night on
long nights, and defaults that matter left implicit (sensor latency, team
availability, access delay, warm-up, nightCapable). 'run' prints them too.

Examples:
  ceasefire-sim validate my-scenario.json`,
};

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
    strategy: { type: "string", short: "S" },
    mode: { type: "string" },
    base: { type: "string" },
    workers: { type: "string", short: "w" },
    shard: { type: "string" },
    checkpoint: { type: "string" },
    "max-incidents": { type: "string" },
    "max-incidents-per-replication": { type: "string" },
    incidents: { type: "string" },
    "per-replication": { type: "string" },
  });
  if (v.help) {
    io.stdout.write(HELP.run + "\n");
    return 0;
  }
  if (positionals.length > 1)
    throw new UsageError(`run takes one scenario; got ${positionals.length}: ${positionals.join(" ")}`);
  if (v.json && v.csv) throw new UsageError("--json and --csv: choose one");
  const budgetFlags = {
    "budget.incidents": "--max-incidents",
    "budget.incidentsPerReplication": "--max-incidents-per-replication",
  };
  const budget: { incidents?: number; incidentsPerReplication?: number } = {};
  for (const [flag, key] of [
    ["max-incidents", "incidents"],
    ["max-incidents-per-replication", "incidentsPerReplication"],
  ] as const)
    if (v[flag] !== undefined) budget[key] = cliNumber(v[flag] as string) as number;
  const shard = v.shard !== undefined ? parseShard(v.shard as string) : undefined;
  if (shard && v.csv) throw new UsageError("--shard writes a partial result (JSON); --csv applies to 'merge'");
  if (shard && v.checkpoint !== undefined) throw new UsageError("--shard and --checkpoint: choose one");
  const { given, resolved } = runFlags(
    v,
    shard ? "shard" : "simulate",
    { budget, ...(shard ? { shard } : {}) },
    budgetFlags,
  );
  const replications = resolved.replications!;
  const out = fileFlag(v, "out");
  const format = outputFormat(v, out);
  const scenario = await loadScenario(positionals[0], io);
  // Refuse an output that cannot be written before the run, not after it.
  checkOutput(out, v.force);
  const ckFile = fileFlag(v, "checkpoint");
  if (ckFile !== undefined) {
    checkOutput(ckFile, true); // an existing checkpoint is resumed, then replaced as the run goes
    if (out !== undefined && outputTarget(out) === outputTarget(ckFile))
      throw new UsageError("--out and --checkpoint name the same file");
  }
  const incidentsFile = fileFlag(v, "incidents");
  const perReplicationFile = fileFlag(v, "per-replication");
  if (shard && (incidentsFile ?? perReplicationFile) !== undefined)
    throw new UsageError("--incidents and --per-replication apply to a whole run, not to --shard");
  // Lint warnings once the flags and files are checked, before the run.
  printLint(io, positionals[0], scenario);
  const others = { "--out": out, "--checkpoint": ckFile };
  if (incidentsFile !== undefined) checkTableFile("--incidents", incidentsFile, { force: Boolean(v.force), others });
  if (perReplicationFile !== undefined)
    checkTableFile("--per-replication", perReplicationFile, {
      force: Boolean(v.force),
      others: { ...others, "--incidents": incidentsFile },
    });
  const mode = modeFlag(v);
  if (v.base !== undefined && mode === undefined) throw new UsageError("--base goes with --mode augment or remove");
  if ((mode === "augment" || mode === "remove") && v.base === undefined)
    throw new UsageError(`--mode ${mode} needs --base: the scenario whose placement is kept`);
  const strategy = v.strategy !== undefined ? strategyName(v.strategy as string) : undefined;
  const base = v.base !== undefined ? await loadScenario(v.base as string, io) : undefined;
  const allocation: AllocationOption | undefined =
    mode !== undefined
      ? { mode, ...(base ? { base } : {}), ...(strategy !== undefined ? { strategy } : {}) }
      : strategy;
  const options = { ...withWorkers(given, resolved), ...(allocation !== undefined ? { allocation } : {}) };

  if (shard) {
    const stop = listenForStop();
    const progress = progressBar(io, v.quiet);
    const track = tracked(progress?.update);
    const slice = shardSlice(replications, shard.index, shard.count);
    let part: Awaited<ReturnType<typeof runShard>>;
    try {
      part = await runShard(scenario, { ...options, shard, signal: stop.signal, onProgress: track.onProgress });
    } catch (e) {
      progress?.done();
      if (stop.received)
        return stop.report(
          io,
          `shard ${shard.index}/${shard.count}: ${track.last.done} of ` +
            `${track.last.total || slice.to - slice.from} replications finished; nothing written`,
        );
      throw asUsageError(e, budgetFlags);
    } finally {
      stop.dispose();
    }
    progress?.done();
    const text = JSON.stringify(part) + "\n";
    if (out) {
      await writeFileAtomic(out, text, { force: Boolean(v.force) });
      io.stderr.write(
        `wrote ${out}: shard ${shard.index}/${shard.count}, replications ` +
          `${part.replications.from}–${part.replications.to - 1} of ${part.replications.total}\n`,
      );
    } else io.stdout.write(text);
    return 0;
  }

  const checkpointFile = v.checkpoint as string | undefined;
  let resume: Checkpoint | undefined;
  if (
    checkpointFile &&
    (await stat(checkpointFile).then(
      () => true,
      () => false,
    ))
  ) {
    try {
      resume = await verifyCheckpoint(JSON.parse(await readFile(checkpointFile, "utf8")), checkpointFile);
    } catch (e) {
      if (e instanceof IntegrityError) throw new InputError(`checkpoint ${e.message}`);
      throw new InputError(`${checkpointFile} is not a readable checkpoint: ${(e as Error).message}`);
    }
    io.stderr.write(`resuming from ${checkpointFile}: ${resume.done} replications done\n`);
  }
  const checkpoint = checkpointFile
    ? {
        every: cliCheckpointEvery(replications),
        save: (c: Checkpoint) => writeFileAtomic(checkpointFile, JSON.stringify(c), { force: true }),
        ...(resume ? { resume } : {}),
      }
    : undefined;

  const progress = progressBar(io, v.quiet);
  const stop = listenForStop();
  let result: Result;
  try {
    result = await simulateParallel(scenario, {
      ...options,
      ...(progress ? { onProgress: progress.update } : {}),
      signal: stop.signal,
      ...(checkpoint ? { checkpoint } : {}),
    });
  } catch (e) {
    progress?.done();
    if (e instanceof SimulationAborted && stop.received)
      return stop.report(
        io,
        `${e.partial.provenance.replications} of ${replications} replications finished; ` +
          (checkpointFile ? `state saved in ${checkpointFile}: run the same command to resume` : "nothing written"),
      );
    if (e instanceof IntegrityError && checkpointFile)
      throw new InputError(`checkpoint ${checkpointFile}: ${e.detail}`);
    throw asUsageError(e, budgetFlags);
  } finally {
    stop.dispose();
  }
  progress?.done();
  const text =
    format === "json"
      ? JSON.stringify(result, null, 2) + "\n"
      : format === "csv"
        ? rowsToCsv(toRows(result))
        : summaryText(result);
  // The checkpoint goes only once the output is safely written: a failed write keeps it.
  if (out) {
    try {
      await writeFileAtomic(out, text, { force: Boolean(v.force) });
    } catch (e) {
      if (!checkpointFile || !(e instanceof InputError || isSystemError(e))) throw e;
      throw new InputError(
        `${(e as Error).message}; the checkpoint ${checkpointFile} is kept: run the same command with a ` +
          `writable --out to finish from it`,
      );
    }
    io.stderr.write(`wrote ${out}\n`);
  } else io.stdout.write(text);
  if (incidentsFile !== undefined || perReplicationFile !== undefined) {
    // The same replications again, on this thread, each incident or metric read from the engine's workspace.
    const again = listenForStop();
    const replay = {
      seed: result.provenance.seed,
      replications: result.provenance.replications,
      ...(resolved.horizon !== null ? { horizon: resolved.horizon } : {}),
      ...(allocation !== undefined ? { allocation } : {}),
      ...(Object.keys(budget).length > 0 ? { budget } : {}),
      force: Boolean(v.force),
      signal: again.signal,
    };
    try {
      if (incidentsFile !== undefined)
        io.stderr.write(writtenMessage(await writeIncidentLog(incidentsFile, scenario, replay)));
      if (perReplicationFile !== undefined)
        io.stderr.write(writtenMessage(await writePerReplication(perReplicationFile, scenario, replay), "rows"));
    } catch (e) {
      if (again.received) return again.report(io, "the result is written; the incident log or rows are not");
      throw asUsageError(e, budgetFlags);
    } finally {
      again.dispose();
    }
  }
  if (checkpointFile) await unlink(checkpointFile).catch(() => {});
  return EXIT.ok;
}

function strategyName(name: string): string {
  if (!(name in strategies))
    throw new UsageError(`--strategy: unknown strategy ${JSON.stringify(name)}; known: ${STRATEGIES}`);
  if (name === "custom")
    throw new UsageError("--strategy custom needs placements: put them in the scenario's allocation field instead");
  return name;
}

async function allocateCmd(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parse(args, {
    strategy: { type: "string", short: "S" },
    p: { type: "string" },
    json: { type: "boolean" },
    out: { type: "string", short: "o" },
    force: { type: "boolean" },
  });
  if (v.help) {
    io.stdout.write(HELP.allocate + "\n");
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`allocate takes one scenario; got ${positionals.length}`);
  const scenario = await loadScenario(positionals[0], io);
  const out = fileFlag(v, "out");
  checkOutput(out, v.force);
  const options: Record<string, unknown> = {};
  if (v.p !== undefined) options.p = positiveInt("p", v.p as string, 1);
  const t0 = Date.now();
  let allocation: Allocation;
  try {
    allocation =
      v.strategy !== undefined
        ? await allocate(scenario, strategyName(v.strategy as string), options)
        : await scenarioAllocation(scenario);
  } catch (e) {
    throw asUsageError(e);
  }
  const text =
    v.json || out?.endsWith(".json")
      ? JSON.stringify(allocation, null, 2) + "\n"
      : allocationText(scenario, allocation, (Date.now() - t0) / 1000);
  if (out) {
    await writeFileAtomic(out, text, { force: Boolean(v.force) });
    io.stderr.write(`wrote ${out}\n`);
  } else io.stdout.write(text);
  return 0;
}

/** "I/N" with I a 0-based index, or "env/N" reading JOB_COMPLETION_INDEX (Kubernetes) or SLURM_ARRAY_TASK_ID. */
function parseShard(spec: string): { index: number; count: number } {
  const m = /^(\d+|env)\/(\d+)$/.exec(spec);
  if (!m) throw new UsageError(`--shard: expected I/N (e.g. 0/4) or env/N; got ${JSON.stringify(spec)}`);
  const count = Number(m[2]);
  let idx = m[1]!;
  if (idx === "env") {
    const fromEnv = process.env.JOB_COMPLETION_INDEX ?? process.env.SLURM_ARRAY_TASK_ID;
    if (fromEnv === undefined || !/^\d+$/.test(fromEnv))
      throw new UsageError("--shard env/N: neither JOB_COMPLETION_INDEX nor SLURM_ARRAY_TASK_ID holds a whole number");
    idx = fromEnv;
  }
  const index = Number(idx);
  if (!(count >= 1) || index >= count) throw new UsageError(`--shard: expected 0 <= I < N; got ${index}/${count}`);
  return { index, count };
}

async function merge(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parse(args, {
    json: { type: "boolean" },
    csv: { type: "boolean" },
    out: { type: "string", short: "o" },
    force: { type: "boolean" },
  });
  if (v.help) {
    io.stdout.write(HELP.merge + "\n");
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("merge takes the partial result files to combine");
  if (v.json && v.csv) throw new UsageError("--json and --csv: choose one");
  const out = fileFlag(v, "out");
  checkOutput(out, v.force);
  const parts = [];
  for (const file of positionals) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      throw new InputError(
        `cannot read ${file}: ` +
          `${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`,
      );
    }
    try {
      parts.push(JSON.parse(text));
    } catch (e) {
      throw new InputError(`${file} is not valid JSON: ${(e as Error).message}`);
    }
  }
  let result: Result;
  try {
    result = await mergeResults(parts, { names: positionals });
  } catch (e) {
    if (e instanceof RangeError) throw new InputError(e.message);
    throw e;
  }
  const format = outputFormat(v, out);
  const text =
    format === "json"
      ? JSON.stringify(result, null, 2) + "\n"
      : format === "csv"
        ? rowsToCsv(toRows(result))
        : summaryText(result);
  if (out) {
    await writeFileAtomic(out, text, { force: Boolean(v.force) });
    io.stderr.write(`wrote ${out}\n`);
  } else io.stdout.write(text);
  return 0;
}

async function validate(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parse(args, {});
  if (v.help) {
    io.stdout.write(HELP.validate + "\n");
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("validate takes exactly one scenario file");
  const s = await loadScenario(positionals[0], io);
  // The allocation's lint needs the scenario's own allocation (its strategy, else risk-weighted).
  printLint(io, positionals[0], s, lintAllocation(s, await scenarioAllocation(s)));
  const teams = s.contributions.filter((c) => s.assets[c.asset]!.kind === "team").reduce((a, c) => a + c.count, 0);
  const sensors = s.contributions.filter((c) => s.assets[c.asset]!.kind !== "team").reduce((a, c) => a + c.count, 0);
  io.stdout.write(
    `ok: ${s.name} — ${s.sectors.length} sectors over ${Math.round(s.lineKm)} km, ${s.states.length} states, ` +
      `${teams} teams, ${sensors} sensors, ${s.bases.length} bases, horizon ${s.horizon} h\n`,
  );
  return 0;
}

/** Run the CLI with arguments (without the node and script paths); resolves to the exit code. */
export async function main(argv: string[], io: Io = process): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === undefined || cmd === "-h" || cmd === "--help" || cmd === "help") {
      io.stdout.write(HELP.main + "\n");
      return cmd === undefined ? 2 : 0;
    }
    if (cmd === "-v" || cmd === "--version") {
      io.stdout.write(VERSION + "\n");
      return 0;
    }
    if (cmd === "run") return await run(rest, io);
    if (cmd === "validate") return await validate(rest, io);
    if (cmd === "allocate") return await allocateCmd(rest, io);
    if (cmd === "compare") return await compareCommand(rest, io);
    if (cmd === "withdrawal") return await withdrawalCommand(rest, io);
    if (cmd === "merge") return await merge(rest, io);
    if (cmd === "report") return await reportCommand(rest, io);
    if (cmd === "explore") return await exploreCommand(rest, io);
    if (cmd === "sweep") return await sweepCommand(rest, io);
    if (cmd === "sensitivity") return await sensitivityCommand(rest, io);
    if (cmd === "optimize") return await optimizeCommand(rest, io);
    throw new UsageError(
      `unknown command ${JSON.stringify(cmd)}; commands: run, allocate, compare, withdrawal, sweep, sensitivity, ` +
        `optimize, merge, report, explore, validate`,
    );
  } catch (e) {
    if (e instanceof ScenarioError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof InputError || isSystemError(e)) {
      io.stderr.write(`error: ${(e as Error).message}\n`);
      return EXIT.input;
    }
    if (e instanceof UsageError) {
      io.stderr.write(
        `error: ${e.message}\nRun 'ceasefire-sim ${cmd && HELP[cmd] ? cmd + " " : ""}--help' for usage.\n`,
      );
      return 2;
    }
    io.stderr.write(`error: ${(e as Error).message ?? String(e)}\n`);
    if (process.env.CEASEFIRE_SIM_DEBUG) io.stderr.write(`${(e as Error).stack}\n`);
    else io.stderr.write("This is a bug of ceasefire-sim: CEASEFIRE_SIM_DEBUG=1 shows where it happened.\n");
    return EXIT.internal;
  }
}
