/** CLI commands `compare` and `withdrawal`: paired experiments on common random numbers. */
import type { Comparison } from "../experiment/compare.js";
import type { WithdrawalTable } from "../experiment/withdrawal.js";
import type { Until } from "../experiment/run.js";
import type { Estimate } from "../stats/estimate.js";
import { strategies } from "../allocation/allocate.js";
import { writeFileAtomic } from "../node/files.js";
import { compare as compareParallel, withdrawal as withdrawalParallel } from "../node/parallel.js";
import { EXPERIMENTS, RUN_DEFAULTS } from "../experiment/options.js";
import { SimulationAborted } from "../experiment/simulate.js";
import {
  cliNumber,
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
  type Flags,
  type Io,
  asUsageError,
  WORKERS_HELP,
} from "./common.js";

/** `compare --help`. */
export const COMPARE_HELP = `Usage: ceasefire-sim compare [scenario] --strategies A,B[,C…] [options]

Run allocation strategies on the same replication seeds (common random numbers)
and report each metric per strategy, paired differences against the first
strategy with 95% CIs, the unpaired half-width for contrast, the variance
ratio CRN achieved, and a ranking by Bonferroni-corrected paired comparisons.

Options:
  -S, --strategies LIST  comma-separated strategy names (${Object.keys(strategies)
    .filter((n) => n !== "custom")
    .join(", ")})
  -m, --metric M         metric to compare (repeatable; default response.mean, response.p90,
                         withinStandard, outcomes.verified, detection.probability, coverage.overall)
  -r, --replications N   replications per strategy (default ${EXPERIMENTS.compare.replications}, \
at least ${EXPERIMENTS.compare.minReplications})
      --until M          sequential stopping on metric M (instead of -r) with --rel X or --half-width X
      --rel X            target relative half-width, e.g. 0.02
      --half-width X     target absolute half-width
      --max-replications N  stop there even if the target is not met (default ${RUN_DEFAULTS.until.maxReplications})
  -s, --seed S           seed (default ${RUN_DEFAULTS.seed})
${WORKERS_HELP}
      --json | --csv     machine-readable output on stdout
  -o, --out FILE         write the output to FILE;  --force to replace it
  -q, --quiet            no progress bar

Ctrl-C (exit 130) or SIGTERM (exit 143) stops it, saying how many replications finished; nothing is written.

Examples:
  ceasefire-sim compare --strategies risk-weighted,uniform,p-median
  ceasefire-sim compare smm-density -S risk-weighted,greedy-coverage --until response.mean --rel 0.02 --json`;

/** `withdrawal --help`. */
export const WITHDRAWAL_HELP = `Usage: ceasefire-sim withdrawal [scenario] [options]

Remove each contributing state in turn (its assets gone, the same strategy
re-run, the same replication seeds) and report the change of the headline
metrics with 95% CIs — most critical contributor first.

Options:
  -S, --strategy NAME    allocation strategy (default: the scenario's, else risk-weighted)
      --rank-by M        metric that orders the table (default withinStandard)
      --states LIST      only these state ids
  -m, --metric M         metric to report (repeatable)
  -r, --replications N   replications per variant (default ${EXPERIMENTS.withdrawal.replications}, \
at least ${EXPERIMENTS.withdrawal.minReplications})
  -s, --seed S           seed (default ${RUN_DEFAULTS.seed})
${WORKERS_HELP}
      --json | --csv     machine-readable output on stdout
  -o, --out FILE         write the output to FILE;  --force to replace it
  -q, --quiet            no progress bar

Ctrl-C (exit 130) or SIGTERM (exit 143) stops it, saying how many replications finished; nothing is written.

Examples:
  ceasefire-sim withdrawal
  ceasefire-sim withdrawal --states gb,fr,us -r 200 --csv --out withdrawal.csv`;

const COMMON = {
  metric: { type: "string", short: "m", multiple: true },
  replications: { type: "string", short: "r" },
  seed: { type: "string", short: "s" },
  workers: { type: "string", short: "w" },
  json: { type: "boolean" },
  csv: { type: "boolean" },
  out: { type: "string", short: "o" },
  force: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
} as const;

/** --until and its target flags as an `Until` (the values are checked by the library, named by their flags). */
function untilOf(v: Flags): Until | undefined {
  if (v.until === undefined) {
    if (v.rel !== undefined || v["half-width"] !== undefined || v["max-replications"] !== undefined)
      throw new UsageError("--rel, --half-width and --max-replications need --until METRIC");
    return undefined;
  }
  if ((v.rel === undefined) === (v["half-width"] === undefined))
    throw new UsageError("--until needs exactly one of --rel and --half-width");
  const u: Until = { metric: v.until as string };
  if (v["max-replications"] !== undefined) u.maxReplications = cliNumber(v["max-replications"] as string) as number;
  if (v.rel !== undefined) u.relHalfWidth = cliNumber(v.rel as string) as number;
  else u.halfWidth = cliNumber(v["half-width"] as string) as number;
  return u;
}

const f = (e: Estimate, d = 3) =>
  Number.isFinite(e.value)
    ? `${e.value.toFixed(d)}${Number.isFinite(e.halfWidth) ? ` ±${e.halfWidth.toFixed(d)}` : ""}`
    : "–";
const signed = (e: Estimate, d = 3) =>
  Number.isFinite(e.value) ? `${e.value >= 0 ? "+" : ""}${e.value.toFixed(d)} ±${e.halfWidth.toFixed(d)}` : "–";

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!)))
      .join("  ")
      .trimEnd();
  return [line(head), w.map((x) => "-".repeat(x)).join("  "), ...rows.map(line)].join("\n");
}

/** The text table of a comparison. */
export function comparisonText(c: Comparison, title: string): string {
  const out = [
    `${title}: ${c.strategies.length} strategies × ${c.replications} replications on common random numbers (seed ` +
      `${c.seed}); incidents seen: ${[...new Set(c.incidents)].join(" / ")}`,
  ];
  if (c.stopping)
    out.push(
      `Sequential stopping on ${c.stopping.metric}: target ±${c.stopping.targetHalfWidth.toPrecision(3)} ` +
        `${c.stopping.met ? "met" : "NOT met"} after ${c.stopping.replications} replications`,
    );
  for (const m of c.metrics) {
    out.push("", `${m.metric} (${m.better} is better)`);
    const rank = new Map(m.ranking.map((r) => [r.strategy, r.rank]));
    out.push(
      table(
        ["strategy", "estimate", `paired diff vs ${c.baseline}`, "unpaired ±", "CRN var ratio", "rank"],
        m.estimates.map((e) => {
          const d = m.differences.find((x) => x.strategy === e.strategy);
          return [
            e.strategy,
            f(e.estimate),
            d ? signed(d.paired) : "(baseline)",
            d ? `±${d.unpairedHalfWidth.toFixed(3)}` : "",
            d ? d.crnVarianceRatio.toFixed(3) : "",
            String(rank.get(e.strategy)),
          ];
        }),
      ),
    );
    if (m.established.length > 0) out.push(`established: ${m.established.map(([a, b]) => `${a} > ${b}`).join("; ")}`);
  }
  out.push("", `Ranking guarantee: ${c.guarantee}.`);
  return out.join("\n") + "\n";
}

function comparisonCsv(c: Comparison): string {
  const lines = [
    "metric,strategy,value,lo,hi,paired_diff,paired_lo,paired_hi,unpaired_half_width,crn_variance_ratio,rank",
  ];
  const n = (x: number) => (Number.isFinite(x) ? String(x) : "");
  for (const m of c.metrics) {
    const rank = new Map(m.ranking.map((r) => [r.strategy, r.rank]));
    for (const e of m.estimates) {
      const d = m.differences.find((x) => x.strategy === e.strategy);
      lines.push(
        [
          m.metric,
          e.strategy,
          n(e.estimate.value),
          n(e.estimate.lo),
          n(e.estimate.hi),
          d ? n(d.paired.value) : "0",
          d ? n(d.paired.lo) : "",
          d ? n(d.paired.hi) : "",
          d ? n(d.unpairedHalfWidth) : "",
          d ? n(d.crnVarianceRatio) : "",
          String(rank.get(e.strategy)),
        ].join(","),
      );
    }
  }
  return lines.join("\n") + "\n";
}

async function emit(io: Io, v: Flags, text: string): Promise<void> {
  const out = fileFlag(v, "out");
  if (out !== undefined) {
    await writeFileAtomic(out, text, { force: Boolean(v.force) });
    io.stderr.write(`wrote ${out}\n`);
  } else io.stdout.write(text);
}

/**
 * Run a paired experiment with SIGINT/SIGTERM handling: its result, or the exit code of the interruption (after
 * reporting how many replications finished).
 */
async function stoppable<T>(
  io: Io,
  quiet: unknown,
  total: number,
  work: (extra: { signal: AbortSignal; onProgress: (p: { done: number; total: number }) => void }) => Promise<T>,
): Promise<{ value: T } | { code: number }> {
  const bar = progressBar(io, quiet);
  const track = tracked(bar?.update, undefined, total);
  const stop = listenForStop();
  try {
    return { value: await work({ signal: stop.signal, onProgress: track.onProgress }) };
  } catch (e) {
    bar?.done();
    if (stop.received && (e instanceof SimulationAborted || (e instanceof Error && e.name === "AbortError")))
      return {
        code: stop.report(io, `${track.last.done} of ${track.last.total} replications finished; nothing written`),
      };
    throw asUsageError(e);
  } finally {
    bar?.done();
    stop.dispose();
  }
}

/** `ceasefire-sim compare`: see COMPARE_HELP. */
export async function compareCommand(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parse(args, {
    ...COMMON,
    strategies: { type: "string", short: "S" },
    until: { type: "string" },
    rel: { type: "string" },
    "half-width": { type: "string" },
    "max-replications": { type: "string" },
  });
  if (v.help) {
    io.stdout.write(COMPARE_HELP + "\n");
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`compare takes one scenario; got ${positionals.length}`);
  if (v.json && v.csv) throw new UsageError("--json and --csv: choose one");
  const names = ((v.strategies as string | undefined) ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  if (names.length < 2) throw new UsageError("--strategies: give at least two names, comma-separated");
  for (const n of names)
    if (!(n in strategies) || n === "custom")
      throw new UsageError(
        `--strategies: unknown strategy ${JSON.stringify(n)}; known: ${Object.keys(strategies)
          .filter((x) => x !== "custom")
          .join(", ")}`,
      );
  const until = untilOf(v);
  const { given, resolved } = runFlags(v, "compare", until ? { until } : {});
  const scenario = await loadScenario(positionals[0], io);
  checkOutput(fileFlag(v, "out"), v.force);
  const r = await stoppable(io, v.quiet, resolved.replications ?? resolved.until?.maxReplications ?? 0, (extra) =>
    compareParallel(scenario, names, {
      ...withWorkers(given, resolved, names.length),
      ...(v.metric ? { metrics: v.metric as unknown as string[] } : {}),
      ...extra,
    }),
  );
  if ("code" in r) return r.code;
  const c: Comparison = r.value;
  const text = v.json ? JSON.stringify(c, null, 2) + "\n" : v.csv ? comparisonCsv(c) : comparisonText(c, scenario.name);
  await emit(io, v, text);
  return EXIT.ok;
}

/** The text table of a withdrawal analysis. */
export function withdrawalText(t: WithdrawalTable, title: string): string {
  const metrics = Object.keys(t.baseline);
  const out = [
    `${title}: each contributor withdrawn in turn, ${t.comparison.replications} replications on common random ` +
      `numbers (seed ${t.comparison.seed}); ordered by the change in ${t.rankBy} (${t.better} is better), most ` +
      `critical first`,
    "",
  ];
  out.push(`full coalition: ${metrics.map((m) => `${m} ${f(t.baseline[m]!)}`).join(", ")}`, "");
  out.push(
    table(
      ["state", "teams", "sensors", ...metrics.map((m) => `Δ ${m}`)],
      t.rows.map((r) => [
        r.state,
        String(r.teams),
        String(r.sensors),
        ...metrics.map((m) => signed(r.metrics[m]!.change)),
      ]),
    ),
  );
  return out.join("\n") + "\n";
}

function withdrawalCsv(t: WithdrawalTable): string {
  const lines = ["state,teams,sensors,metric,without,without_lo,without_hi,change,change_lo,change_hi"];
  const n = (x: number) => (Number.isFinite(x) ? String(x) : "");
  for (const r of t.rows)
    for (const [m, v] of Object.entries(r.metrics))
      lines.push(
        [
          r.state,
          r.teams,
          r.sensors,
          m,
          n(v.without.value),
          n(v.without.lo),
          n(v.without.hi),
          n(v.change.value),
          n(v.change.lo),
          n(v.change.hi),
        ].join(","),
      );
  return lines.join("\n") + "\n";
}

/** `ceasefire-sim withdrawal`: see WITHDRAWAL_HELP. */
export async function withdrawalCommand(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parse(args, {
    ...COMMON,
    strategy: { type: "string", short: "S" },
    "rank-by": { type: "string" },
    states: { type: "string" },
  });
  if (v.help) {
    io.stdout.write(WITHDRAWAL_HELP + "\n");
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`withdrawal takes one scenario; got ${positionals.length}`);
  if (v.json && v.csv) throw new UsageError("--json and --csv: choose one");
  const strategy = v.strategy as string | undefined;
  if (strategy !== undefined && (!(strategy in strategies) || strategy === "custom"))
    throw new UsageError(`--strategy: unknown strategy ${JSON.stringify(strategy)}`);
  const { given, resolved } = runFlags(v, "withdrawal");
  const scenario = await loadScenario(positionals[0], io);
  checkOutput(fileFlag(v, "out"), v.force);
  const states = v.states ? (v.states as string).split(",").map((x) => x.trim()) : undefined;
  const variants =
    1 +
    (states?.length ??
      scenario.states.filter((st) => scenario.contributions.some((c) => c.state === st.index && c.count > 0)).length);
  const r = await stoppable(io, v.quiet, resolved.replications ?? 0, (extra) =>
    withdrawalParallel(scenario, {
      ...withWorkers(given, resolved, variants),
      ...(strategy ? { strategy } : {}),
      ...(v["rank-by"] ? { rankBy: v["rank-by"] as string } : {}),
      ...(states ? { states } : {}),
      ...(v.metric ? { metrics: v.metric as unknown as string[] } : {}),
      ...extra,
    }),
  );
  if ("code" in r) return r.code;
  const t: WithdrawalTable = r.value;
  const text = v.json
    ? JSON.stringify({ ...t, comparison: { ...t.comparison, results: undefined } }, null, 2) + "\n"
    : v.csv
      ? withdrawalCsv(t)
      : withdrawalText(t, scenario.name);
  await emit(io, v, text);
  return EXIT.ok;
}
