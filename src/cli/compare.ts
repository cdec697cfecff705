/** CLI commands `compare` and `withdrawal`: paired experiments on common random numbers. */
import type { Comparison } from "../experiment/compare.js";
import { compareScenarios, type ScenarioArm, type ScenarioComparison } from "../experiment/arms.js";
import type { Scenario } from "../model/types.js";
import type { WithdrawalChange, WithdrawalTable } from "../experiment/withdrawal.js";
import type { Until } from "../experiment/run.js";
import type { Estimate } from "../stats/estimate.js";
import { strategies } from "../allocation/allocate.js";
import { scenarioNames } from "../scenarios/index.js";
import { basename, extname } from "node:path";
import { writeFileAtomic } from "../node/files.js";
import { compare as compareParallel, withdrawal as withdrawalParallel, NODE_RUNTIME } from "../node/parallel.js";
import { EXPERIMENTS, RUN_DEFAULTS, withRuntime } from "../experiment/options.js";
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
  modeFlag,
  WORKERS_HELP,
} from "./common.js";

/** `compare --help`. */
export const COMPARE_HELP = `Usage: ceasefire-sim compare [scenario] --strategies A,B[,C…] [options]
       ceasefire-sim compare [scenario] --arm ARM --arm ARM [--arm ARM…] [options]

Run allocation strategies, or scenarios (what-if arms), on the same replication
seeds (common random numbers) and report each metric per strategy or arm, paired
differences against the first (or --baseline) with 95% CIs, the unpaired
half-width for contrast, the variance ratio CRN achieved, and a ranking by
Bonferroni-corrected paired comparisons.

An ARM is one of:
  base                   the scenario given (default coalition-2026)
  NAME                   an embedded scenario (${scenarioNames.join(", ")})
  FILE                   a scenario file (the arm is named after the file)
  "NAME: PATH=V, PATH=V" the scenario given with parameters set (the sweep's paths;
                         V in the scenario's unit there, or with a unit: "45 min")
  "NAME: SOURCE"         base, an embedded scenario or a file, under another name
Arms must share horizon and warm-up (--horizon sets every arm's). Each arm is
allocated by its scenario's own allocation, unless --strategy is given.
With --mode augment (or remove), each arm keeps the placement of the arm it is
made from ("NAME: PATH=V" arms: base; others: the first arm) and places only
the units it adds (or withdraws only the units it removes); replan (default)
places every arm afresh.

Options:
  -S, --strategies LIST  comma-separated strategy names (${Object.keys(strategies)
    .filter((n) => n !== "custom")
    .join(", ")})
  -a, --arm ARM          a what-if arm (repeatable; not with --strategies)
      --strategy NAME    with --arm: allocation strategy of every arm
      --mode M           with --arm: allocation mode of every arm: replan (default), augment or remove
      --baseline NAME    the strategy or arm differences are taken against (default: the first)
      --horizon D        override the horizon (of every arm), e.g. "60 d"
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
  ceasefire-sim compare smm-density -S risk-weighted,greedy-coverage --until response.mean --rel 0.02 --json
  ceasefire-sim compare --arm base --arm "uk-out: contributions[state=gb,asset=team].count=0" \\
      --arm "third-sat: contributions[state=us,asset=sat-eo].count=2" -r 50
  ceasefire-sim compare --arm base --arm "uav+20: contributions[state=us,asset=uav-lr].count=36" --mode augment`;

/** `withdrawal --help`. */
export const WITHDRAWAL_HELP = `Usage: ceasefire-sim withdrawal [scenario] [options]

Remove each contributing state in turn (its assets gone, the same replication
seeds) and report the change of the headline metrics with 95% CIs, in two
allocation modes: remove — every other unit where it was (the immediate gap;
the table is ordered by it, most critical contributor first) — and replan —
the strategy re-run on the units left (the gap after re-planning).

Options:
  -S, --strategy NAME    allocation strategy (default: the scenario's, else risk-weighted)
      --mode remove      the immediate gap only (half the runs); default: remove and replan
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

/** The text table of a comparison (of strategies, or of what-if arms: `noun` "arm"). */
export function comparisonText(c: Comparison, title: string, noun: "strategy" | "arm" = "strategy"): string {
  const out = [
    `${title}: ${c.strategies.length} ${noun === "arm" ? "arms" : "strategies"} × ${c.replications} replications ` +
      `on common random numbers (seed ${c.seed}); incidents seen: ${[...new Set(c.incidents)].join(" / ")}`,
  ];
  if ("arms" in c)
    for (const a of (c as ScenarioComparison).arms) {
      const edits = Object.entries(a.edits ?? {}).map(([p, x]) => `${p}=${x}`);
      out.push(`  ${a.name}: ${a.edits ? `${a.base} with ${edits.join(", ")}` : a.scenario}`);
    }
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
        [noun, "estimate", `paired diff vs ${c.baseline}`, "unpaired ±", "CRN var ratio", "rank"],
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

function comparisonCsv(c: Comparison, noun: "strategy" | "arm" = "strategy"): string {
  const lines = [
    `metric,${noun},value,lo,hi,paired_diff,paired_lo,paired_hi,unpaired_half_width,crn_variance_ratio,rank`,
  ];
  const n = (x: number) => (Number.isFinite(x) ? String(x) : "");
  for (const m of c.metrics) {
    const rank = new Map(m.ranking.map((r) => [r.strategy, r.rank]));
    for (const e of m.estimates) {
      const d = m.differences.find((x) => x.strategy === e.strategy);
      lines.push(
        [
          m.metric,
          csvField(e.strategy),
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

/** Write the output to --out (atomically) or stdout. */
export async function emit(io: Io, v: Flags, text: string): Promise<void> {
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
export async function stoppable<T>(
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

/** RFC 4180 field. */
const csvField = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Split at the commas outside [brackets] (selectors such as [state=gb,asset=team] hold commas). */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0,
    from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "[") depth++;
    else if (text[i] === "]") depth = Math.max(0, depth - 1);
    else if (text[i] === "," && depth === 0) {
      out.push(text.slice(from, i));
      from = i + 1;
    }
  }
  out.push(text.slice(from));
  return out.map((x) => x.trim());
}

/** "PATH=VALUE" → [path, value]: split at the last "=" after the last "]" (selectors hold "="). */
function splitEdit(part: string): [string, string] | null {
  const eq = part.lastIndexOf("=");
  if (eq <= 0 || eq < part.lastIndexOf("]") || eq === part.length - 1) return null;
  return [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
}

const ARM_FORM = 'base, an embedded scenario, a scenario file, "NAME: PATH=VALUE, …" or "NAME: SOURCE"';

/** One --arm as the library's { name, scenario }: see COMPARE_HELP. */
async function armOf(spec: string, base: Scenario, io: Io): Promise<{ name: string; scenario: ScenarioArm }> {
  const named = /^([^:/\\=[\],]+):(.*)$/s.exec(spec);
  if (named) {
    const name = named[1]!.trim(),
      rest = named[2]!.trim();
    if (name === "" || rest === "") throw new UsageError(`--arm ${JSON.stringify(spec)}: expected ${ARM_FORM}`);
    const parts = splitTop(rest);
    const edits = parts.map(splitEdit);
    if (edits.every((e) => e !== null)) {
      const values: Record<string, number | string> = {};
      for (const [path, value] of edits as [string, string][]) {
        if (Object.hasOwn(values, path)) throw new UsageError(`--arm ${JSON.stringify(spec)}: ${path} is set twice`);
        values[path] = cliNumber(value);
      }
      return { name, scenario: { base, edits: values } };
    }
    if (parts.length > 1 || rest.includes("="))
      throw new UsageError(`--arm ${JSON.stringify(spec)}: expected ${ARM_FORM}`);
    return { name, scenario: (await armOf(rest, base, io)).scenario };
  }
  if (spec === "base") return { name: "base", scenario: base };
  if (spec === "") throw new UsageError(`--arm: expected ${ARM_FORM}; got an empty one`);
  const s = await loadScenario(spec, io);
  return {
    name: (scenarioNames as readonly string[]).includes(spec) ? spec : basename(spec, extname(spec)),
    scenario: s,
  };
}

/** `ceasefire-sim compare`: see COMPARE_HELP. */
export async function compareCommand(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parse(args, {
    ...COMMON,
    strategies: { type: "string", short: "S" },
    arm: { type: "string", short: "a", multiple: true },
    strategy: { type: "string" },
    mode: { type: "string" },
    baseline: { type: "string" },
    horizon: { type: "string" },
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
  const baseline = v.baseline as string | undefined;
  if (v.arm !== undefined) return armsCommand(v, positionals[0], io);
  if (v.strategy !== undefined)
    throw new UsageError("--strategy goes with --arm (one strategy for every arm); to compare strategies: -S A,B");
  if (v.mode !== undefined)
    throw new UsageError("--mode goes with --arm (how each arm is placed from the arm it is made from)");
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
      ...(baseline !== undefined ? { baseline } : {}),
      ...extra,
    }),
  );
  if ("code" in r) return r.code;
  const c: Comparison = r.value;
  const text = v.json ? JSON.stringify(c, null, 2) + "\n" : v.csv ? comparisonCsv(c) : comparisonText(c, scenario.name);
  await emit(io, v, text);
  return EXIT.ok;
}

/** `compare --arm …`: what-if arms on common random numbers. */
async function armsCommand(v: Flags, positional: string | undefined, io: Io): Promise<number> {
  if (v.strategies !== undefined)
    throw new UsageError("--arm and --strategies: choose one (compare scenarios, or strategies on one scenario)");
  const specs = v.arm as unknown as string[];
  if (specs.length < 2) throw new UsageError('--arm: give at least two arms (e.g. --arm base --arm "uk-out: …")');
  const strategy = v.strategy as string | undefined;
  if (strategy !== undefined && (!(strategy in strategies) || strategy === "custom"))
    throw new UsageError(
      `--strategy: unknown strategy ${JSON.stringify(strategy)}; known: ${Object.keys(strategies)
        .filter((x) => x !== "custom")
        .join(", ")}`,
    );
  const mode = modeFlag(v);
  const until = untilOf(v);
  const { given, resolved } = runFlags(v, "compare", until ? { until } : {});
  const scenario = await loadScenario(positional, io);
  const arms: { name: string; scenario: ScenarioArm }[] = [];
  for (const spec of specs) arms.push(await armOf(spec, scenario, io));
  checkOutput(fileFlag(v, "out"), v.force);
  const r = await stoppable(io, v.quiet, resolved.replications ?? resolved.until?.maxReplications ?? 0, (extra) =>
    compareScenarios(
      arms,
      withRuntime(
        {
          ...withWorkers(given, resolved, arms.length),
          ...(v.metric ? { metrics: v.metric as unknown as string[] } : {}),
          ...(v.baseline !== undefined ? { baseline: v.baseline as string } : {}),
          ...(strategy ? { strategy } : {}),
          ...(mode ? { mode } : {}),
          ...extra,
        },
        NODE_RUNTIME,
      ),
    ),
  );
  if ("code" in r) return r.code;
  const c = r.value;
  const text = v.json
    ? JSON.stringify(c, null, 2) + "\n"
    : v.csv
      ? comparisonCsv(c, "arm")
      : comparisonText(c, `${scenario.name}, what-if arms`, "arm");
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
  const gap = (changes: (r: WithdrawalTable["rows"][number]) => WithdrawalChange[] | null) =>
    table(
      ["state", "teams", "sensors", ...metrics.map((m) => `Δ ${m}`)],
      t.rows.map((r) => {
        const c = changes(r);
        return [r.state, String(r.teams), String(r.sensors), ...(c ?? []).map((x) => signed(x.change))];
      }),
    );
  const replanned = t.rows.some((r) => r.replanned);
  if (replanned) out.push("Immediate gap (remove: every other unit where it was):", "");
  out.push(gap((r) => metrics.map((m) => r.metrics[m]!)));
  if (replanned)
    out.push(
      "",
      "After re-planning (replan: the units left placed afresh by the strategy):",
      "",
      gap((r) => (r.replanned ? metrics.map((m) => r.replanned!.metrics[m]!) : null)),
    );
  const notes = t.rows.flatMap((r) => [...r.notes, ...(r.replanned?.notes ?? [])].map((n) => `  ${r.state}: ${n}`));
  if (notes.length > 0) out.push("", "Notes:", ...notes);
  out.push("", `Changes: ${t.comparison.method}.`);
  return out.join("\n") + "\n";
}

function withdrawalCsv(t: WithdrawalTable): string {
  const lines = ["state,teams,sensors,metric,without,without_lo,without_hi,change,change_lo,change_hi,mode"];
  const n = (x: number) => (Number.isFinite(x) ? String(x) : "");
  for (const r of t.rows)
    for (const [mode, changes] of [
      ["remove", r.metrics],
      ["replan", r.replanned?.metrics],
    ] as const)
      for (const [m, v] of Object.entries(changes ?? {}))
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
            mode,
          ].join(","),
        );
  return lines.join("\n") + "\n";
}

/** `ceasefire-sim withdrawal`: see WITHDRAWAL_HELP. */
export async function withdrawalCommand(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parse(args, {
    ...COMMON,
    strategy: { type: "string", short: "S" },
    mode: { type: "string" },
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
  // The table always has the immediate gap (remove); --mode remove leaves out the gap after re-planning.
  const replan = modeFlag(v, ["remove"]) === undefined;
  const { given, resolved } = runFlags(v, "withdrawal");
  const scenario = await loadScenario(positionals[0], io);
  checkOutput(fileFlag(v, "out"), v.force);
  const states = v.states ? (v.states as string).split(",").map((x) => x.trim()) : undefined;
  const variants =
    1 +
    (replan ? 2 : 1) *
      (states?.length ??
        scenario.states.filter((st) => scenario.contributions.some((c) => c.state === st.index && c.count > 0)).length);
  const r = await stoppable(io, v.quiet, resolved.replications ?? 0, (extra) =>
    withdrawalParallel(scenario, {
      ...withWorkers(given, resolved, variants),
      ...(strategy ? { strategy } : {}),
      replan,
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
