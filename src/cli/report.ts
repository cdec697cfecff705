/** CLI command `report`: simulate a scenario and write a self-contained HTML report. */
import { strategies } from "../allocation/allocate.js";
import { SimulationAborted, type Result } from "../experiment/simulate.js";
import type { WithdrawalTable } from "../experiment/withdrawal.js";
import { simulate, withdrawal } from "../node/parallel.js";
import { EXPERIMENTS, RUN_DEFAULTS } from "../experiment/options.js";
import { writeFileAtomic } from "../node/files.js";
import { renderReport } from "../node/report.js";
import {
  cliNumber,
  loadScenario,
  parse,
  progressBar,
  refuseExisting,
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
      --withdrawal       add the withdrawal analysis (each contributing state removed in turn)
      --withdrawal-replications N  replications per withdrawal variant
                         (default: a fifth of --replications, at least ${EXPERIMENTS.withdrawal.minReplications})
      --title TEXT       page title
  -q, --quiet            no progress bar
  -h, --help             this help

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
  const out = v.out as string | undefined;
  if (!out) throw new UsageError("--out FILE: give the HTML file to write");
  const { given, resolved } = runFlags(v, "simulate");
  const replications = resolved.replications!;
  if (v["withdrawal-replications"] !== undefined && !v.withdrawal)
    throw new UsageError("--withdrawal-replications needs --withdrawal");
  // The withdrawal's replications: the flag, else a fifth of the run's (at least the withdrawal's minimum).
  const wGiven = {
    ...given,
    replications:
      v["withdrawal-replications"] !== undefined
        ? (cliNumber(v["withdrawal-replications"] as string) as number)
        : Math.max(EXPERIMENTS.withdrawal.minReplications, Math.round(replications / 5)),
  };
  const w = v.withdrawal
    ? runFlags({}, "withdrawal", wGiven, { replications: "--withdrawal-replications" })
    : undefined;
  const strategy = v.strategy as string | undefined;
  if (strategy !== undefined && !STRATEGIES.includes(strategy))
    throw new UsageError(`--strategy: unknown strategy ${JSON.stringify(strategy)}; known: ${STRATEGIES.join(", ")}`);
  const scenario = await loadScenario(positionals[0]);
  // Refuse an existing output file before the run, not after it.
  await refuseExisting(out, v.force);

  const progress = progressBar(io, v.quiet);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  let result: Result;
  let table: WithdrawalTable | undefined;
  try {
    result = await simulate(scenario, {
      ...withWorkers(given, resolved),
      ...(strategy !== undefined ? { allocation: strategy } : {}),
      ...(progress ? { onProgress: (p) => progress.update(p, "simulate  ") } : {}),
      signal: controller.signal,
    });
    progress?.done();
    if (w) {
      const variants =
        1 +
        scenario.states.filter((st) => scenario.contributions.some((c) => c.state === st.index && c.count > 0)).length;
      table = await withdrawal(scenario, {
        ...withWorkers(w.given, w.resolved, variants),
        ...(strategy !== undefined ? { strategy } : {}),
        ...(progress ? { onProgress: (p) => progress.update(p, "withdrawal") } : {}),
        signal: controller.signal,
      });
    }
  } catch (e) {
    progress?.done();
    if (e instanceof SimulationAborted || (e instanceof Error && e.name === "AbortError")) {
      io.stderr.write("interrupted: nothing written\n");
      return 1;
    }
    throw asUsageError(e);
  } finally {
    process.off("SIGINT", onSigint);
  }
  progress?.done();
  const html = await renderReport(result, {
    scenario,
    ...(table ? { withdrawal: table } : {}),
    ...(v.title !== undefined ? { title: v.title as string } : {}),
  });
  await writeFileAtomic(out, html, { force: Boolean(v.force) });
  io.stderr.write(`wrote ${out}\n`);
  return 0;
}
