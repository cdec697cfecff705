/**
 * `simulate(scenario, options)`: parse → allocate → compile → run
 * replications → summarize, with progress and cancellation.
 */
import { scenarioAllocation, allocate } from "../allocation/allocate.js";
import { validateAllocation, type Allocation } from "../allocation/allocation.js";
import { compile, type CompiledModel } from "../model/compile.js";
import { scenarioHash } from "../model/hash.js";
import { parseScenario } from "../model/parse.js";
import type { Scenario } from "../model/types.js";
import { parseQuantity } from "../model/units.js";
import { runReplication } from "../engine/replication.js";
import { createWorkspace } from "../engine/workspace.js";
import { RNG_ALGORITHM, stream } from "../rng/streams.js";
import { addReplication, createAccumulator, type Accumulator } from "../stats/accumulator.js";
import { longestUnwatchedKm, summarizeSectors, summarizeStates, summarizeTeams, type SectorMetrics, type StateMetrics, type TeamMetrics } from "../stats/summarize.js";
import type { Strategy } from "../allocation/strategy.js";
import { VERSION } from "../version.js";

export interface SimulateOptions {
  /** Independent replications (default 200). */
  replications?: number;
  /** Seed of every random stream (default 1). Same version + scenario + seed ⇒ same result. */
  seed?: number | string;
  /** Override the scenario's horizon: hours, or a unit string such as "60 d". */
  horizon?: number | string;
  /** A strategy name or object, or a ready allocation (default: the scenario's own, else risk-weighted). */
  allocation?: string | Strategy | Allocation;
  /** Called after each batch of replications. */
  onProgress?: (p: { done: number; total: number }) => void;
  /** Cancels the run; the promise then rejects with a `SimulationAborted` holding the partial result. */
  signal?: AbortSignal;
}

export interface Result {
  format: "ceasefire-sim/result@1";
  provenance: {
    library: "ceasefire-sim";
    version: string;
    scenario: { name: string; hash: string };
    seed: string;
    rng: string;
    replications: number;
    /** Hours simulated per replication after the warm-up, the warm-up, and the drain allowance. */
    horizonHours: number;
    warmupHours: number;
    drainHours: number;
    responseStandardHours: number;
    strategy: string;
    ciMethod: string;
    quantileMethod: string;
    wallTimeMs: number;
    startedAt: string;
    complete: boolean;
  };
  /** The whole line. */
  line: SectorMetrics;
  sectors: (SectorMetrics & { id: string; lengthKm: number })[];
  states: StateMetrics[];
  teams: TeamMetrics[];
  allocation: { strategy: string; teams: number; sensors: { fixed: number; uav: number; satellite: number }; idle: Allocation["idle"]; longestUnwatchedKm: number };
}

export class SimulationAborted extends Error {
  override readonly name = "AbortError";
  constructor(readonly partial: Result) {
    super(`simulation stopped after ${partial.provenance.replications} replications`);
  }
}

export const CI_METHOD = "95% CI over independent replications: ratio estimator Σy/Σx with delta-method standard error and Student-t quantile";
export const QUANTILE_METHOD = "pooled log-linear histogram (64 bins per octave), linear within bins; CI half-width from per-replication quantiles (sectioning)";

interface Resolved { replications: number; seed: string }

function resolveOptions(o: SimulateOptions): Resolved {
  const replications = o.replications ?? 200;
  if (!Number.isInteger(replications) || replications < 1 || replications > 1e9) throw new RangeError(`replications: expected a whole number from 1 to 1e9; got ${o.replications}`);
  const seed = o.seed ?? 1;
  if (typeof seed === "number" && !Number.isFinite(seed)) throw new RangeError(`seed: expected a finite number or a string; got ${seed}`);
  if (typeof seed !== "number" && typeof seed !== "string") throw new RangeError("seed: expected a number or a string");
  return { replications, seed: String(seed) };
}

function withHorizon(s: Scenario, h: number | string | undefined): Scenario {
  if (h === undefined) return s;
  let hours: number;
  if (typeof h === "number") hours = h;
  else {
    const r = parseQuantity(h, "duration");
    if (!r.ok) throw new RangeError(`horizon: ${r.message}`);
    hours = r.value;
  }
  if (!(hours > 0 && Number.isFinite(hours))) throw new RangeError(`horizon: expected a positive duration; got ${h}`);
  return Object.freeze({ ...s, horizon: hours });
}

/** Resolve the allocation option against a parsed scenario. */
export async function resolveAllocation(s: Scenario, a: SimulateOptions["allocation"]): Promise<Allocation> {
  if (a === undefined) return scenarioAllocation(s);
  if (typeof a === "string" || "allocate" in a) return allocate(s, a);
  validateAllocation(s, a);
  return a;
}

/**
 * Run a Monte Carlo simulation of the scenario.
 *
 * @example
 * const r = await simulate(defaultScenario(), { replications: 50, seed: 7 });
 * r.line.response.mean.value; // mean hours from incident to a team on site
 */
export async function simulate(scenario: unknown, options: SimulateOptions = {}): Promise<Result> {
  const started = Date.now();
  const opt = resolveOptions(options);
  const parsed = withHorizon(isScenario(scenario) ? scenario : parseScenario(scenario), options.horizon);
  const allocation = await resolveAllocation(parsed, options.allocation);
  const model = compile(parsed, allocation);
  const hash = await scenarioHash(parsed.source);
  const acc = createAccumulator(model);
  const ws = createWorkspace(model);
  let lastYield = Date.now();
  for (let r = 0; r < opt.replications; r++) {
    if (options.signal?.aborted) throw new SimulationAborted(buildResult(parsed, allocation, model, acc, opt.seed, hash, started, false));
    runReplication(model, {
      incidents: stream(opt.seed, r, "incidents"),
      detection: stream(opt.seed, r, "detection"),
      dispatch: stream(opt.seed, r, "dispatch"),
      availability: stream(opt.seed, r, "availability"),
    }, ws);
    addReplication(acc, model, ws.tally, ws.respHist, ws.detHist);
    if (Date.now() - lastYield > 50 || r === opt.replications - 1) {
      options.onProgress?.({ done: r + 1, total: opt.replications });
      // Let timers, I/O and abort events run between batches.
      await new Promise((res) => setTimeout(res, 0));
      lastYield = Date.now();
    }
  }
  if (options.signal?.aborted) throw new SimulationAborted(buildResult(parsed, allocation, model, acc, opt.seed, hash, started, false));
  return buildResult(parsed, allocation, model, acc, opt.seed, hash, started, true);
}

function isScenario(v: unknown): v is Scenario {
  return typeof v === "object" && v !== null && Object.isFrozen(v) && (v as Scenario).format === "ceasefire-sim/scenario@1" && Array.isArray((v as Scenario).sectors) && typeof (v as Scenario).lineKm === "number";
}

export function buildResult(s: Scenario, a: Allocation, m: CompiledModel, acc: Accumulator, seed: string, hash: string, started: number, complete: boolean): Result {
  const { line, sectors } = summarizeSectors(acc, m);
  const count = (k: string) => a.sensors.filter((u) => u.kind === k).length;
  return {
    format: "ceasefire-sim/result@1",
    provenance: {
      library: "ceasefire-sim",
      version: VERSION,
      scenario: { name: s.name, hash },
      seed,
      rng: RNG_ALGORITHM,
      replications: acc.replications,
      horizonHours: s.horizon,
      warmupHours: s.warmup,
      drainHours: s.drain,
      responseStandardHours: s.standards.response,
      strategy: a.strategy,
      ciMethod: CI_METHOD,
      quantileMethod: QUANTILE_METHOD,
      wallTimeMs: Date.now() - started,
      startedAt: new Date(started).toISOString(),
      complete,
    },
    line,
    sectors: sectors.map((x, i) => ({ id: s.sectors[i]!.id, lengthKm: s.sectors[i]!.lengthKm, ...x })),
    states: summarizeStates(acc, m),
    teams: summarizeTeams(acc, m),
    allocation: {
      strategy: a.strategy,
      teams: a.teams.length,
      sensors: { fixed: count("fixed"), uav: count("uav"), satellite: count("satellite") },
      idle: a.idle,
      longestUnwatchedKm: longestUnwatchedKm(m),
    },
  };
}
