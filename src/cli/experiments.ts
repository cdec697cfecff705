/**
 * The `sweep` and `sensitivity` commands: thin argument handling around
 * `sweepRows`, `sensitivity` and `tornado`. Like `run`, they return the exit
 * code (`EXIT` in common.ts: 0 ok, 130/143 interrupted by SIGINT/SIGTERM) and
 * throw `UsageError` (exit 2) for bad flags; output goes to stdout only for
 * --json/--csv/tables, progress to stderr only on a terminal.
 */
import {
  sweepDesign,
  SweepAborted,
  DEFAULT_SWEEP_METRICS,
  type SweepParameter,
  type SweepRow,
} from "../experiment/sweep.js";
import type { SensitivityResult, TornadoResult } from "../experiment/sensitivity.js";
import { sensitivity, sweepRows, tornado } from "../node/parallel.js";
import { EXPERIMENTS, RUN_DEFAULTS } from "../experiment/options.js";
import { parameterValue, type ParameterScalar } from "../experiment/parameters.js";
import { SimulationAborted } from "../experiment/simulate.js";
import { strategies } from "../allocation/allocate.js";
import { openAtomicWriter, writeFileAtomic } from "../node/files.js";
import {
  loadScenario,
  parse,
  positiveInt,
  progressBar,
  checkOutput,
  EXIT,
  fileFlag,
  listenForStop,
  tracked,
  type Stop,
  runFlags,
  UsageError,
  withWorkers,
  type Io,
  asUsageError,
  modeFlag,
  outputFormat,
  WORKERS_HELP,
} from "./common.js";

/** `sweep --help`. */
export const SWEEP_HELP = `Usage: ceasefire-sim sweep [scenario] --param SPEC [--param SPEC ...] [options]

Simulate the scenario at every point of a design over parameters and print
each metric with its 95% CI per point. Every point runs on the same seed
(common random numbers). Parameters are paths into the scenario as written,
numbers in the unit the scenario's string uses ("20 min" → 20):
  horizon   sectors[id=pokrovsk].incidents.rate   sectors[3].lengthKm
  contributions[state=gb,asset=team].count   coordination.tasking.median
Counts (count, capacity, personnel) are rounded to whole numbers. Fields the
format types as booleans or names take those: assets[id=team].nightCapable=
true,false   coordination.dispatch=nearest-available,earliest-arrival.

Parameter SPEC (one --param each):
  PATH=MIN:MAX:LEVELS    LEVELS evenly spaced values from MIN to MAX (grid)
  PATH=MIN:MAX           a range: 5 levels in a grid, sampled in a Latin hypercube
  PATH=V1,V2,...         these values (grid)
  NAME: SPEC             linked: every --param with the same NAME moves together,
                         their first values at one point, their second at the next,
                         … (a grid's linked parameters need as many values each)

A point whose scenario is invalid (e.g. more teams than the bases hold) is
infeasible: its rows say why (column "infeasible"), the sweep goes on, and
the exit code stays 0; stderr counts the infeasible points.

Options:
  -p, --param SPEC       a swept parameter (repeatable)
      --design D         grid (default, full factorial) or lhs (Latin hypercube)
      --points N         points of the Latin hypercube (default 10 per parameter)
  -m, --metric M         whole-line metric (repeatable; default ${DEFAULT_SWEEP_METRICS.join(", ")})
  -r, --replications N   replications per point (default ${EXPERIMENTS.sweep.replications})
  -s, --seed S           seed of every point and of the hypercube (default ${RUN_DEFAULTS.seed})
${WORKERS_HELP}
      --horizon D        override the horizon, e.g. "60 d"
  -S, --strategy NAME    allocation strategy at every point (default: the scenario's)
      --mode M           allocation mode at every point: replan (default: placed afresh), augment
                         (the scenario's placement kept, only added units placed) or remove (kept,
                         less the units a point withdraws)
      --json             print the sweep (settings and rows) as JSON
      --csv              print tidy rows as CSV, one line per point × metric, as points finish
  -o, --out FILE         write the output to FILE (format from --json/--csv or the extension)
      --force            replace FILE if it exists
  -q, --quiet            no progress bar
  -h, --help             this help

Ctrl-C (exit 130) or SIGTERM (exit 143) stops the sweep, says how many points finished and removes the
temporary file of --out; rows already printed to stdout stay printed.

Examples:
  ceasefire-sim sweep --param "sectors[id=pokrovsk].incidents.rate=15:45:4" -r 20
  ceasefire-sim sweep --param "assets[id=team].nightCapable=true,false" -r 20
  ceasefire-sim sweep --param "teams: contributions[state=gb,asset=team].count=20,40,80" \\
      --param "teams: bases[id=kharkiv].capacity=12,32,52" -r 20
  ceasefire-sim sweep --param "contributions[state=gb,asset=team].count=10,20,30" \\
      --param "coordination.tasking.median=10:60:3" --metric response.mean --csv
  ceasefire-sim sweep examples/scenarios/mmc.json --param "sectors[0].incidents.rate=2:3.5" \\
      --design lhs --points 20 -r 10 --horizon "300 h" --out sweep.csv
  ceasefire-sim sweep --param "contributions[state=us,asset=uav-lr].count=16,36" --mode augment -r 20`;

/** `sensitivity --help`. */
export const SENSITIVITY_HELP = `Usage: ceasefire-sim sensitivity [scenario] --param PATH=MIN:MAX ... \
--metric M [options]

What a metric depends on. Parameters are paths into the scenario as written
(see 'ceasefire-sim sweep --help'), varied between MIN and MAX in the unit
the scenario's string uses.

  sobol (default)  variance-based indices: the first-order index is the share of
                   the metric's variance over the box due to the parameter alone,
                   the total-order index the share it has any part in (Saltelli 2010
                   design and first-order estimator, Jansen total order, bootstrap 95%
                   CIs). Runs samples × (parameters + 2) short simulations, all on the
                   same seed (common random numbers); replication noise left in the
                   metric shows as small spurious indices.
  tornado          one parameter at a time at MIN and at MAX, the others at the
                   scenario's values; sorted by the swing of the metric.

Options:
  -p, --param PATH=MIN:MAX   a varied parameter (repeatable)
  -m, --metric M             whole-line metric, e.g. response.mean, withinStandard
      --method M             sobol (default) or tornado
  -n, --samples N            sobol base sample size (default 32)
      --bootstrap B          sobol bootstrap resamples (default 200)
  -r, --replications N       replications per simulation \
(default ${EXPERIMENTS.sensitivity.replications} for sobol, ${EXPERIMENTS.tornado.replications} for tornado)
  -s, --seed S               seed (default ${RUN_DEFAULTS.seed})
${WORKERS_HELP.replace("N        ", "N            ")}
      --horizon D            override the horizon, e.g. "60 d"
  -S, --strategy NAME        allocation strategy (default: the scenario's)
      --json                 print the result as JSON
  -o, --out FILE             write the output to FILE (JSON with --json or a .json name)
      --force                replace FILE if it exists
  -q, --quiet                no progress bar
  -h, --help                 this help

Ctrl-C (exit 130) or SIGTERM (exit 143) stops it, saying how many simulations finished; nothing is written.

Examples:
  ceasefire-sim sensitivity --metric response.mean --method tornado \\
      --param "contributions[state=gb,asset=team].count=10:30" --param "assets[id=team].speed=30:60"
  ceasefire-sim sensitivity --metric withinStandard --samples 64 -r 5 \\
      --param "contributions[state=gb,asset=team].count=10:30" \\
      --param "coordination.tasking.median=10:60" --param "sectors[id=pokrovsk].incidents.rate=15:30"`;

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

function number(flag: string, spec: string, text: string): number {
  const t = text.trim();
  if (!NUMBER.test(t))
    throw new UsageError(
      `--${flag} ${JSON.stringify(spec)}: expected a number; got ${JSON.stringify(text)} (numbers are in the ` +
        `unit the scenario writes, without the unit)`,
    );
  return Number(t);
}

/** Split "path=rhs" at the last "=" (selectors inside the path may hold "="). */
function splitSpec(flag: string, spec: string, form: string): [string, string] {
  const eq = spec.lastIndexOf("=");
  const close = spec.lastIndexOf("]");
  if (eq < 0 || eq < close || eq === 0 || eq === spec.length - 1)
    throw new UsageError(`--${flag}: expected ${form}; got ${JSON.stringify(spec)}`);
  return [spec.slice(0, eq).trim(), spec.slice(eq + 1)];
}

/** A --param of the sweep as written: its values' text is read once the scenario says the path's kind. */
export type SweepParamSpec =
  | { path: string; texts: string[]; link?: string; spec: string }
  | { path: string; min: number; max: number; levels?: number; link?: string; spec: string };

/** The link name of "NAME: PATH=…" (a ':' before the path's first '[' and its '='), and the rest. */
function linkOf(spec: string): { link?: string; rest: string } {
  const colon = spec.indexOf(":");
  const cut = Math.min(...[spec.indexOf("="), spec.indexOf("[")].map((k) => (k < 0 ? Infinity : k)));
  if (colon < 0 || colon > cut) return { rest: spec };
  const link = spec.slice(0, colon).trim();
  if (!/^[A-Za-z0-9_.-]+$/.test(link))
    throw new UsageError(
      `--param ${JSON.stringify(spec)}: expected a link name of letters, digits, '_', '.' or '-' before ':'`,
    );
  return { link, rest: spec.slice(colon + 1).trim() };
}

/** A --param of the sweep: [NAME:] PATH=MIN:MAX[:LEVELS] or [NAME:] PATH=V1,V2,... */
export function parseSweepParam(spec: string, design: "grid" | "lhs"): SweepParamSpec {
  const form = '"PATH=MIN:MAX:LEVELS", "PATH=MIN:MAX" or "PATH=V1,V2,..." (after "NAME: " to link)';
  const { link, rest } = linkOf(spec);
  const named = link === undefined ? { spec } : { link, spec };
  const [path, rhs] = splitSpec("param", rest, form);
  if (rhs.includes(":")) {
    const parts = rhs.split(":");
    if (parts.length > 3) throw new UsageError(`--param ${JSON.stringify(spec)}: expected MIN:MAX or MIN:MAX:LEVELS`);
    const min = number("param", spec, parts[0]!),
      max = number("param", spec, parts[1]!);
    if (parts.length === 3) {
      if (design === "lhs")
        throw new UsageError(
          `--param ${JSON.stringify(spec)}: a Latin hypercube takes MIN:MAX (its size is --points), not levels`,
        );
      const levels = parts[2]!.trim();
      if (!/^\d+$/.test(levels) || Number(levels) < 2)
        throw new UsageError(
          `--param ${JSON.stringify(spec)}: LEVELS: expected a whole number of at least 2; got ` +
            `${JSON.stringify(parts[2])}`,
        );
      return { path, min, max, levels: Number(levels), ...named };
    }
    return { path, min, max, ...named };
  }
  if (design === "lhs")
    throw new UsageError(
      `--param ${JSON.stringify(spec)}: a Latin hypercube needs a range MIN:MAX, not a list of values`,
    );
  return { path, texts: rhs.split(","), ...named };
}

/** A --param's values read by the kind of its path on the scenario (numbers, true/false, names). */
function typedParam(p: SweepParamSpec, input: unknown): SweepParameter {
  const { spec, ...rest } = p;
  if (!("texts" in rest)) return rest;
  const { texts, ...keep } = rest;
  const values = texts.map((t): ParameterScalar => {
    try {
      return parameterValue(input, p.path, t);
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(`--param ${JSON.stringify(spec)}: ${e.message}`);
      throw e;
    }
  });
  return { ...keep, values };
}

/** A --param of sensitivity: PATH=MIN:MAX. */
export function parseRangeParam(spec: string): { path: string; min: number; max: number } {
  const [path, rhs] = splitSpec("param", spec, '"PATH=MIN:MAX"');
  const parts = rhs.split(":");
  if (parts.length !== 2) throw new UsageError(`--param ${JSON.stringify(spec)}: expected PATH=MIN:MAX`);
  const min = number("param", spec, parts[0]!),
    max = number("param", spec, parts[1]!);
  return { path, min, max };
}

function strategyName(name: string): string {
  const known = Object.keys(strategies).join(", ");
  if (!(name in strategies))
    throw new UsageError(`--strategy: unknown strategy ${JSON.stringify(name)}; known: ${known}`);
  if (name === "custom")
    throw new UsageError("--strategy custom needs placements: put them in the scenario's allocation field instead");
  return name;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : typeof v === "string" ? [v] : []);

/** Numbers for tables: 4 significant digits, "–" when undefined. */
function fmt(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return "–";
  if (Math.abs(v) >= 10 ** digits) return v.toFixed(0);
  return String(Number(v.toPrecision(digits)));
}

/** A parameter's value in a table: numbers to 6 significant digits, booleans and names as they are. */
const param = (v: ParameterScalar) => (typeof v === "number" ? fmt(v, 6) : String(v));

/** RFC 4180 field. */
const csvField = (v: string | number | boolean) =>
  typeof v === "number"
    ? Number.isFinite(v)
      ? String(v)
      : ""
    : typeof v === "boolean"
      ? String(v)
      : /[",\n\r]/.test(v)
        ? `"${v.replace(/"/g, '""')}"`
        : v;

/** Run `work` with SIGINT and SIGTERM wired to its abort signal (see `listenForStop`). */
async function withStop<T>(stop: Stop, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  try {
    return await work(stop.signal);
  } finally {
    stop.dispose();
  }
}

const isAbort = (e: unknown) =>
  e instanceof SweepAborted || e instanceof SimulationAborted || (e instanceof Error && e.name === "AbortError");

/** `ceasefire-sim sweep`: see SWEEP_HELP. */
export async function sweepCommand(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parse(args, {
    param: { type: "string", short: "p", multiple: true },
    design: { type: "string" },
    points: { type: "string" },
    metric: { type: "string", short: "m", multiple: true },
    replications: { type: "string", short: "r" },
    seed: { type: "string", short: "s" },
    workers: { type: "string", short: "w" },
    horizon: { type: "string" },
    strategy: { type: "string", short: "S" },
    mode: { type: "string" },
    json: { type: "boolean" },
    csv: { type: "boolean" },
    out: { type: "string", short: "o" },
    force: { type: "boolean" },
    quiet: { type: "boolean", short: "q" },
  });
  if (v.help) {
    io.stdout.write(SWEEP_HELP + "\n");
    return 0;
  }
  if (positionals.length > 1)
    throw new UsageError(`sweep takes one scenario; got ${positionals.length}: ${positionals.join(" ")}`);
  if (v.json && v.csv) throw new UsageError("--json and --csv: choose one");
  const design = (v.design as string | undefined) ?? "grid";
  if (design !== "grid" && design !== "lhs")
    throw new UsageError(`--design: expected grid or lhs; got ${JSON.stringify(design)}`);
  if (v.points !== undefined && design !== "lhs")
    throw new UsageError("--points applies to --design lhs; a grid's size is the product of its levels");
  const specs = list(v.param);
  if (specs.length === 0)
    throw new UsageError(
      'sweep needs at least one --param, e.g. --param "sectors[id=pokrovsk].incidents.rate=15:45:4"',
    );
  const specParams = specs.map((s) => parseSweepParam(s, design));
  const mode = modeFlag(v);
  const metrics = list(v.metric);
  const { given, resolved } = runFlags(v, "sweep");
  const replications = resolved.replications!;
  const seed = resolved.seed;
  const out = fileFlag(v, "out");
  const format = outputFormat(v, out);
  const scenario = await loadScenario(positionals[0], io);
  checkOutput(out, v.force);
  const parameters = specParams.map((p) => typedParam(p, scenario.source));

  const designOptions = {
    parameters,
    design: design as "grid" | "lhs",
    ...(v.points !== undefined ? { points: positiveInt("points", v.points as string, 1) } : {}),
    ...(given.seed !== undefined ? { seed: given.seed } : {}),
  };
  // A message about a swept path names its --param (a path such as "horizon" is also a flag's name).
  const paramFlags = Object.fromEntries(parameters.map((p) => [p.path, `--param ${p.path}`]));
  let total: number;
  try {
    total = sweepDesign(designOptions).length;
  } catch (e) {
    throw asUsageError(e, paramFlags);
  }
  const options = {
    ...designOptions,
    ...withWorkers(given, resolved, total),
    ...(metrics.length > 0 ? { metrics } : {}),
    ...(mode !== undefined
      ? {
          allocation: {
            mode,
            ...(v.strategy !== undefined ? { strategy: strategyName(v.strategy as string) } : {}),
          },
        }
      : v.strategy !== undefined
        ? { allocation: strategyName(v.strategy as string) }
        : {}),
  };
  const metricNames = metrics.length > 0 ? metrics : [...DEFAULT_SWEEP_METRICS];
  const paths = parameters.map((p) => p.path);

  // Streamed to stdout, or to a temporary file for --out that is renamed into place at the end (atomic),
  // so deep sweeps never hold their rows in memory. A signal from here on removes the temporary file.
  const stop = listenForStop();
  let writer: ReturnType<typeof openAtomicWriter> | undefined;
  try {
    writer = out !== undefined ? openAtomicWriter(out, { force: Boolean(v.force) }) : undefined;
  } catch (e) {
    stop.dispose();
    throw e;
  }
  if (writer) stop.onForce(writer.abort);
  const emit = (s: string) => (writer ? writer.write(s) : io.stdout.write(s));
  const rows: SweepRow[] = [];
  let pending: SweepRow[] = [];
  let widths: number[] = [];
  const head =
    `sweep of ${scenario.name}: ${total} point${total === 1 ? "" : "s"} ` +
    `(${design === "grid" ? "grid" : "Latin hypercube"}), ${replications} replications each, seed ${seed}` +
    `${mode !== undefined ? `, allocation mode ${mode}` : ""}; values with 95% CI half-widths\n`;
  // Headers go out with the first row, after the sweep's checks passed.
  let started = false;
  const start = () => {
    started = true;
    if (format === "csv")
      emit(
        ["point", ...paths, "metric", "value", "lo", "hi", "halfWidth", "replications", "infeasible"]
          .map(csvField)
          .join(",") + "\n",
      );
    if (format === "text") {
      const cols = ["point", ...paths, ...metricNames];
      widths = cols.map((c, i) => Math.max(c.length, i === 0 ? 5 : i <= paths.length ? 8 : 24));
      emit(
        head +
          "\n" +
          cols.map((c, i) => c.padStart(widths[i]!)).join("  ") +
          "\n" +
          widths.map((w) => "-".repeat(w)).join("  ") +
          "\n",
      );
    }
  };
  let infeasible = 0;
  const onRow = (row: SweepRow) => {
    if (!started) start();
    if (row.infeasible !== undefined && row.metric === metricNames[0]) infeasible++;
    if (format === "json") {
      rows.push(row);
      return;
    }
    if (format === "csv") {
      emit(
        [
          row.point,
          ...paths.map((p) => row.parameters[p]!),
          row.metric,
          row.value,
          row.lo,
          row.hi,
          row.halfWidth,
          row.replications,
          row.infeasible ?? "",
        ]
          .map(csvField)
          .join(",") + "\n",
      );
      return;
    }
    pending.push(row);
    if (pending.length < metricNames.length) return;
    const cells = [String(row.point), ...paths.map((p) => param(row.parameters[p]!))];
    const line = cells.map((c, i) => c.padStart(widths[i]!)).join("  ");
    if (row.infeasible !== undefined) emit(`${line}  infeasible: ${row.infeasible}\n`);
    else
      emit(line + "  " + pending.map((r, i) => withInterval(r).padStart(widths[cells.length + i]!)).join("  ") + "\n");
    pending = [];
  };

  const progress = progressBar(io, v.quiet, "points");
  let done = 0;
  try {
    await withStop(stop, async (signal) => {
      for await (const row of sweepRows(scenario, {
        ...options,
        signal,
        onProgress: (p) => {
          done = p.done;
          progress?.update(p);
        },
      }))
        onRow(row);
    });
  } catch (e) {
    progress?.done();
    writer?.abort();
    if (stop.received && isAbort(e)) {
      const finished = e instanceof SweepAborted ? e.done : done;
      return stop.report(
        io,
        `${finished} of ${total} points finished; ` +
          `${out ? "nothing written" : format === "json" ? "nothing printed" : "their rows were printed"}`,
      );
    }
    throw asUsageError(e);
  }
  progress?.done();
  if (infeasible > 0)
    io.stderr.write(
      `infeasible points: ${infeasible} of ${total}; their rows say why` +
        `${format === "text" ? "" : ' (field "infeasible")'}\n`,
    );
  if (format === "json") {
    const doc = {
      format: "ceasefire-sim/sweep@1",
      scenario: scenario.name,
      design,
      points: total,
      parameters,
      metrics: metricNames,
      replications,
      seed,
      ...(v.horizon !== undefined ? { horizon: v.horizon } : {}),
      ...(mode !== undefined ? { mode } : {}),
      rows,
    };
    emit(JSON.stringify(doc, null, 2) + "\n");
  }
  if (writer) {
    writer.commit();
    io.stderr.write(`wrote ${out}\n`);
  }
  return EXIT.ok;
}

function sobolText(r: SensitivityResult, scenario: string): string {
  const d = r.indices.length;
  const ci = (x: { value: number; lo: number; hi: number }) =>
    `${fmt(x.value, 2).padStart(5)} [${fmt(x.lo, 2)}, ${fmt(x.hi, 2)}]`;
  const rows = r.indices.map((p) => [p.path, `${fmt(p.min, 6)}–${fmt(p.max, 6)}`, ci(p.first), ci(p.total)]);
  const head = ["parameter", "range", "first order (95% CI)", "total order (95% CI)"];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((x) => x[i]!.length)));
  const line = (x: string[]) =>
    x
      .map((c, i) => c.padEnd(w[i]!))
      .join("  ")
      .trimEnd();
  return [
    `Sobol' indices of ${r.metric} — ${scenario}: ${r.samples} samples × (${d} + 2) = ${r.evaluations} ` +
      `simulations of ${r.replications} replications, seed ${r.seed}`,
    "",
    line(head),
    w.map((x) => "-".repeat(x)).join("  "),
    ...rows.map(line),
    "",
    `Variance of ${r.metric} over the box: ${fmt(r.variance)}. First order: share of it due to the parameter ` +
      `alone; total order: share it takes any part in.`,
    `Note: ${r.note}.`,
    "",
  ].join("\n");
}

/** A value and its 95% interval as "v (lo–hi)": intervals need not be symmetric (shares, times). */
function withInterval(e: { value: number; lo: number; hi: number }): string {
  return `${fmt(e.value)}${Number.isFinite(e.lo) && Number.isFinite(e.hi) ? ` (${fmt(e.lo)}–${fmt(e.hi)})` : ""}`;
}

function tornadoText(r: TornadoResult, scenario: string): string {
  const max = Math.max(...r.rows.map((x) => Math.abs(x.swing)).filter(Number.isFinite), 0);
  const est = withInterval;
  const rows = r.rows.map((x) => [
    x.path,
    `${fmt(x.low, 6)} → ${est(x.valueLow)}`,
    `${fmt(x.high, 6)} → ${est(x.valueHigh)}`,
    Number.isFinite(x.swingInterval.lo) && Number.isFinite(x.swingInterval.hi)
      ? `${fmt(x.swing)} [${fmt(x.swingInterval.lo)}, ${fmt(x.swingInterval.hi)}]`
      : fmt(x.swing),
    max > 0 && Number.isFinite(x.swing) && x.swing !== 0
      ? "#".repeat(Math.max(1, Math.round((20 * Math.abs(x.swing)) / max)))
      : "",
  ]);
  const head = ["parameter", "low → metric", "high → metric", "swing (paired 95% CI)", ""];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((x) => x[i]!.length)));
  const line = (x: string[]) =>
    x
      .map((c, i) => (i === 3 ? c.padStart(w[i]!) : c.padEnd(w[i]!)))
      .join("  ")
      .trimEnd();
  return [
    `Tornado of ${r.metric} — ${scenario}: base ${est(r.base)}; ${1 + 2 * r.rows.length} runs of ` +
      `${r.replications} replications, seed ${r.seed} (common random numbers)`,
    "",
    line(head),
    w.map((x) => "-".repeat(x)).join("  "),
    ...rows.map(line),
    "",
    "Swing: metric at high − metric at low, one parameter at a time; interactions are not measured (use --method " +
      "sobol).",
    `Paired CI: ${r.method}.`,
    "",
  ].join("\n");
}

/** `ceasefire-sim sensitivity`: see SENSITIVITY_HELP. */
export async function sensitivityCommand(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parse(args, {
    param: { type: "string", short: "p", multiple: true },
    metric: { type: "string", short: "m" },
    method: { type: "string" },
    samples: { type: "string", short: "n" },
    bootstrap: { type: "string" },
    replications: { type: "string", short: "r" },
    seed: { type: "string", short: "s" },
    workers: { type: "string", short: "w" },
    horizon: { type: "string" },
    strategy: { type: "string", short: "S" },
    json: { type: "boolean" },
    out: { type: "string", short: "o" },
    force: { type: "boolean" },
    quiet: { type: "boolean", short: "q" },
  });
  if (v.help) {
    io.stdout.write(SENSITIVITY_HELP + "\n");
    return 0;
  }
  if (positionals.length > 1)
    throw new UsageError(`sensitivity takes one scenario; got ${positionals.length}: ${positionals.join(" ")}`);
  const method = (v.method as string | undefined) ?? "sobol";
  if (method !== "sobol" && method !== "tornado")
    throw new UsageError(`--method: expected sobol or tornado; got ${JSON.stringify(method)}`);
  const metric = v.metric as string | undefined;
  if (metric === undefined) throw new UsageError("sensitivity needs --metric, e.g. --metric response.mean");
  const specs = list(v.param);
  if (specs.length === 0)
    throw new UsageError(
      'sensitivity needs at least one --param, e.g. --param "contributions[state=gb,asset=team].count=10:30"',
    );
  const params = specs.map(parseRangeParam);
  if (method === "tornado" && (v.samples !== undefined || v.bootstrap !== undefined))
    throw new UsageError("--samples and --bootstrap apply to --method sobol");
  const { given, resolved } = runFlags(v, method === "sobol" ? "sensitivity" : "tornado");
  const samples = positiveInt("samples", v.samples as string | undefined, 32);
  if (samples < 2) throw new UsageError("--samples: expected at least 2");
  let bootstrap = 200;
  if (v.bootstrap !== undefined) {
    if (!/^\d+$/.test(v.bootstrap as string))
      throw new UsageError(`--bootstrap: expected a whole number; got ${JSON.stringify(v.bootstrap)}`);
    bootstrap = Number(v.bootstrap);
  }
  const out = fileFlag(v, "out");
  const json = Boolean(v.json) || Boolean(out?.endsWith(".json"));
  const scenario = await loadScenario(positionals[0], io);
  checkOutput(out, v.force);
  const runs = method === "sobol" ? samples * (params.length + 2) : 1 + 2 * params.length;
  const common = {
    metric,
    ...withWorkers(given, resolved, runs),
    ...(v.strategy !== undefined ? { allocation: strategyName(v.strategy as string) } : {}),
  };
  const progress = progressBar(io, v.quiet, method === "sobol" ? "simulations" : "replications");
  const track = tracked(progress?.update, undefined, runs);
  const stop = listenForStop();
  let text: string;
  try {
    text = await withStop(stop, async (signal) => {
      const extra = { signal, onProgress: track.onProgress };
      if (method === "tornado") {
        const r = await tornado(scenario, {
          ...common,
          ...extra,
          parameters: params.map((p) => ({ path: p.path, low: p.min, high: p.max })),
        });
        return json ? JSON.stringify(r, null, 2) + "\n" : tornadoText(r, scenario.name);
      }
      const r = await sensitivity(scenario, { ...common, ...extra, parameters: params, samples, bootstrap });
      return json ? JSON.stringify(r, null, 2) + "\n" : sobolText(r, scenario.name);
    });
  } catch (e) {
    progress?.done();
    if (stop.received && isAbort(e))
      return stop.report(
        io,
        `${track.last.done} of ${track.last.total} ${method === "sobol" ? "simulations" : "replications"} finished; ` +
          `nothing written`,
      );
    throw asUsageError(e);
  }
  progress?.done();
  if (out !== undefined) {
    await writeFileAtomic(out, text, { force: Boolean(v.force) });
    io.stderr.write(`wrote ${out}\n`);
  } else io.stdout.write(text);
  return EXIT.ok;
}
