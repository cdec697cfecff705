/** `ceasefire-sim optimize`: the least amount of a resource that meets a target (src/experiment/optimize.ts). */
import type { OptimizeResult } from "../experiment/optimize.js";
import { strategies } from "../allocation/allocate.js";
import { optimize as optimizeParallel } from "../node/parallel.js";
import { EXPERIMENTS } from "../experiment/options.js";
import { emit, stoppable } from "./compare.js";
import {
  checkOutput,
  EXIT,
  fileFlag,
  loadScenario,
  parse,
  positiveInt,
  runFlags,
  UsageError,
  withWorkers,
  WORKERS_HELP,
  type Io,
} from "./common.js";

/** `optimize --help`. */
export const OPTIMIZE_HELP = `Usage: ceasefire-sim optimize [scenario] --target "METRIC>=VALUE" --vary RESOURCE [opts]

Find the least amount of a resource that meets a target with 95% confidence:
a coarse grid of amounts, bisection, then more replications at the answer and
the amount below it while an interval straddles the target. Every amount runs
on the same replication seeds (common random numbers). Prints the answer in
words, and the frontier: every amount tried, with the metric and its 95% CI.
When no amount up to --max meets the target, says what bounds it.

Options:
      --target T         e.g. "withinStandard>=0.9" (or ">=90%"), "timeToVerification.restrictedMean<=24"
      --vary R           teams (every state's teams in proportion), teams:STATE (one state's teams), or
                         a whole-number parameter path, e.g. "contributions[state=us,asset=uav-lr].count";
                         base capacities grow in proportion when the teams outgrow them
      --min N, --max N   amounts tried (default 1 and four times today's amount)
  -S, --strategy NAME    allocation strategy at every amount (default: the scenario's, else risk-weighted)
  -r, --replications N   replications per amount in the search (default ${EXPERIMENTS.optimize.replications}, at least
                         2)
      --max-replications N   most replications per amount while confirming (default 8 × -r)
  -s, --seed S           seed (default 1)
      --horizon D        override the horizon, e.g. "10 d"
${WORKERS_HELP}
      --json             machine-readable output on stdout
  -o, --out FILE         write the output to FILE;  --force to replace it
  -q, --quiet            no progress bar

Examples:
  ceasefire-sim optimize --target "withinStandard>=0.5" --vary teams
  ceasefire-sim optimize --target "withinStandard>=0.6" --vary teams:gb --max 80 --json`;

/** The answer and the frontier as text. */
export function optimizeText(o: OptimizeResult, name: string): string {
  const share = o.frontier.some((p) => p.estimate && p.estimate.hi <= 1) && o.target.value < 1;
  const f = (v: number) => (share ? `${(100 * v).toFixed(1)}%` : v.toPrecision(4));
  const lines = [
    `${name}: the least ${o.vary} meeting ${o.target.metric} ${o.target.op} ${f(o.target.value)} ` +
      `(today ${o.current}; tried ${o.min}–${o.max}; seed ${o.seed}; ${o.replications} replications in all)`,
    "",
    o.statement,
    "",
    `${"amount".padStart(7)}  ${"reps".padStart(5)}  ${o.target.metric.padStart(14)}  ${"95% CI".padEnd(17)}  meets`,
  ];
  for (const p of o.frontier) {
    const e = p.estimate;
    const ci = e ? `[${f(e.lo)}, ${f(e.hi)}]` : "";
    lines.push(
      e
        ? `${String(p.amount).padStart(7)}  ${String(p.replications).padStart(5)}  ${f(e.value).padStart(14)}  ` +
            `${ci.padEnd(17)}  ${p.meets}`
        : `${String(p.amount).padStart(7)}  infeasible: ${p.infeasible}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

export async function optimizeCommand(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parse(args, {
    target: { type: "string" },
    vary: { type: "string" },
    min: { type: "string" },
    max: { type: "string" },
    strategy: { type: "string", short: "S" },
    "max-replications": { type: "string" },
    replications: { type: "string", short: "r" },
    seed: { type: "string", short: "s" },
    horizon: { type: "string" },
    workers: { type: "string", short: "w" },
    json: { type: "boolean" },
    out: { type: "string", short: "o" },
    force: { type: "boolean" },
    quiet: { type: "boolean", short: "q" },
  });
  if (v.help) {
    io.stdout.write(`${OPTIMIZE_HELP}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`optimize takes one scenario; got ${positionals.length}`);
  if (v.target === undefined) throw new UsageError('--target is required, e.g. --target "withinStandard>=0.9"');
  if (v.vary === undefined) throw new UsageError("--vary is required: teams, teams:STATE or a parameter path");
  const strategy = v.strategy as string | undefined;
  if (strategy !== undefined && (!(strategy in strategies) || strategy === "custom"))
    throw new UsageError(`--strategy: unknown strategy ${JSON.stringify(strategy)}`);
  const whole = (name: string) => (v[name] === undefined ? undefined : positiveInt(name, v[name] as string, 0));
  const { given, resolved } = runFlags(v, "optimize");
  const scenario = await loadScenario(positionals[0], io);
  checkOutput(fileFlag(v, "out"), v.force);
  const min = whole("min"),
    max = whole("max"),
    maxReplications = whole("max-replications");
  const r = await stoppable(io, v.quiet, resolved.replications ?? 0, (extra) =>
    optimizeParallel(scenario, {
      ...withWorkers(given, resolved, 8),
      target: v.target as string,
      vary: v.vary as string,
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
      ...(maxReplications !== undefined ? { maxReplications } : {}),
      ...(strategy ? { strategy } : {}),
      ...extra,
    }),
  );
  if ("code" in r) return r.code;
  await emit(io, v, v.json ? `${JSON.stringify(r.value, null, 2)}\n` : optimizeText(r.value, scenario.name));
  return EXIT.ok;
}
