/** CLI command `report`: simulate a scenario and write a self-contained HTML report. */
import { strategies } from "../allocation/allocate.js";
import { SimulationAborted, type Result } from "../experiment/simulate.js";
import type { WithdrawalTable } from "../experiment/withdrawal.js";
import { simulate, withdrawal } from "../node/parallel.js";
import { EXPERIMENTS, RUN_DEFAULTS } from "../experiment/options.js";
import { writeFileAtomic } from "../node/files.js";
import { renderReport } from "../node/report.js";
import {
  loadScenario,
  parse,
  progressBar,
  checkOutput,
  EXIT,
  fileFlag,
  listenForStop,
  tracked,
  runFlags,
  UsageError,
  withWorkers,
  type Io,
  asUsageError,
  WORKERS_HELP,
} from "./common.js";

const STRATEGIES = Object.keys(strategies).filter((n) => n !== "custom");

/** `report --help`. */
export const REPORT_HELP = `Usage: ceasefire-sim report [scenario] --out FILE [options]

Simulate a scenario and write one self-contained HTML file: headline metrics
with 95% CIs, a map of the sectors along the line with the bases, charts
(response times, coverage and detection by sector, detection channels,
burden by state), the allocation and the run's provenance. The file loads
nothing: no scripts, fonts or styles from the network.

Options:
  -o, --out FILE         the HTML file to write (required); never replaced without --force
      --force            replace FILE if it exists
  -r, --replications N   replications (default ${EXPERIMENTS.simulate.replications})
  -s, --seed S           seed of all random streams (default ${RUN_DEFAULTS.seed})
${WORKERS_HELP}
  -S, --strategy NAME    allocation strategy: ${STRATEGIES.join(", ")}
                         (default: the scenario's, else risk-weighted)
      --horizon D        override the horizon, e.g. "60 d"
      --withdrawal       add the withdrawal analysis (each contributing state removed in turn), on the
                         same replications as the headline: its full-coalition row is the headline run
                         (at least ${EXPERIMENTS.withdrawal.minReplications} replications)
      --title TEXT       page title
  -q, --quiet            no progress bar
  -h, --help             this help

Ctrl-C (exit 130) or SIGTERM (exit 143) stops it, saying how many replications finished; nothing is written.

Examples:
  ceasefire-sim report --out report.html
  ceasefire-sim report smm-density -r 500 --withdrawal --out smm.html --force`;

/** `ceasefire-sim report`: see REPORT_HELP. Resolves to the exit code. */
export async function reportCommand(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parse(args, {
    out: { type: "string", short: "o" },
    force: { type: "boolean" },
    replications: { type: "string", short: "r" },
    seed: { type: "string", short: "s" },
    workers: { type: "string", short: "w" },
    strategy: { type: "string", short: "S" },
    horizon: { type: "string" },
    withdrawal: { type: "boolean" },
    "withdrawal-replications": { type: "string" },
    title: { type: "string" },
    quiet: { type: "boolean", short: "q" },
  });
  if (v.help) {
    io.stdout.write(REPORT_HELP + "\n");
    return 0;
  }
  if (positionals.length > 1)
    throw new UsageError(`report takes one scenario; got ${positionals.length}: ${positionals.join(" ")}`);
  const out = fileFlag(v, "out");
  if (out === undefined) throw new UsageError("--out FILE: give the HTML file to write");
  if (v["withdrawal-replications"] !== undefined)
    throw new UsageError(
      "--withdrawal-replications: not taken: the withdrawal section runs on the report's replications (-r N), " +
        "so that its full-coalition row is the headline",
    );
  // With --withdrawal one run makes both: the withdrawal's full coalition is the headline result.
  // The headline's replications default to `run`'s either way.
  const { given, resolved } = v.withdrawal
    ? runFlags(v, "withdrawal", { replications: EXPERIMENTS.simulate.replications })
    : runFlags(v, "simulate");
  const replications = resolved.replications!;
  const strategy = v.strategy as string | undefined;
  if (strategy !== undefined && !STRATEGIES.includes(strategy))
    throw new UsageError(`--strategy: unknown strategy ${JSON.stringify(strategy)}; known: ${STRATEGIES.join(", ")}`);
  const scenario = await loadScenario(positionals[0], io);
  // Refuse an output that cannot be written before the run, not after it.
  checkOutput(out, v.force);

  const progress = progressBar(io, v.quiet);
  const stop = listenForStop();
  const sim = tracked(progress?.update, v.withdrawal ? "withdrawal" : "simulate  ", replications);
  let result: Result;
  let table: WithdrawalTable | undefined;
  try {
    if (v.withdrawal) {
      const variants =
        1 +
        scenario.states.filter((st) => scenario.contributions.some((c) => c.state === st.index && c.count > 0)).length;
      table = await withdrawal(scenario, {
        ...withWorkers(given, resolved, variants),
        ...(strategy !== undefined ? { strategy } : {}),
        onProgress: sim.onProgress,
        signal: stop.signal,
      });
      // The full coalition's run: the same numbers `simulate` gives for this seed and these replications.
      result = table.comparison.results[0]!;
    } else
      result = await simulate(scenario, {
        ...withWorkers(given, resolved),
        ...(strategy !== undefined ? { allocation: strategy } : {}),
        onProgress: sim.onProgress,
        signal: stop.signal,
      });
    progress?.done();
  } catch (e) {
    progress?.done();
    if (stop.received && (e instanceof SimulationAborted || (e instanceof Error && e.name === "AbortError")))
      return stop.report(io, `${sim.last.done} of ${sim.last.total} replications finished; nothing written`);
    throw asUsageError(e);
  } finally {
    stop.dispose();
  }
  progress?.done();
  const html = await renderReport(result, {
    scenario,
    ...(table ? { withdrawal: table } : {}),
    ...(v.title !== undefined ? { title: v.title as string } : {}),
  });
  await writeFileAtomic(out, html, { force: Boolean(v.force) });
  io.stderr.write(`wrote ${out}\n`);
  return EXIT.ok;
}
