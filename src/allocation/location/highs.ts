/**
 * The HiGHS MIP solver (npm package `highs`, HiGHS compiled to WebAssembly),
 * loaded lazily: the first solve imports the package and instantiates its
 * WASM module; later solves reuse it. Users who never call a location model
 * never load the WASM.
 *
 * The package is imported through a specifier held in a variable, so that
 * bundlers (esbuild, Vite, webpack) leave the import to run time: the
 * package's ESM build holds a Node-only `import("node:module")` that a plain
 * browser bundle cannot resolve, and its 3.5 MB WebAssembly would otherwise
 * have to be copied beside the bundle. In Node and Deno the import finds the
 * installed package. In a browser it needs an import map entry,
 * `{ "imports": { "highs": "<URL of node_modules/highs/build/highs.mjs>" } }`;
 * the package's loader then fetches `highs.wasm` from beside `highs.mjs`
 * (`new URL("highs.wasm", import.meta.url)`), so nothing is copied by hand.
 * This file imports nothing from Node. The package has no install scripts.
 *
 * HiGHS runs synchronously once loaded: a long solve blocks its thread (in a
 * browser, call the location models from a Web Worker).
 */
import type { Highs, ModelData } from "highs";

let loading: Promise<Highs> | undefined;

/** The package's name, in a variable so that bundlers do not follow the import (see the module's header). */
const HIGHS_PACKAGE = "highs";

/** `import("highs")` at run time, with a message saying how to provide it when it cannot be found. */
async function importHighs(): Promise<unknown> {
  try {
    return await import(/* @vite-ignore */ /* webpackIgnore: true */ HIGHS_PACKAGE);
  } catch (e) {
    throw new Error(
      "the location models need the HiGHS solver (npm package `highs`), which could not be imported; in a " +
        'browser, map it with an import map: { "imports": { "highs": ' +
        '"<URL of node_modules/highs/build/highs.mjs>" } }' +
        ` (${(e as Error).message})`,
      { cause: e },
    );
  }
}

/** The loaded HiGHS runtime (imported and instantiated once, then cached). */
export function loadHighs(): Promise<Highs> {
  loading ??= importHighs().then((module) => {
    // ESM gives `{ default: loader }`; some CJS interop layers nest it once more.
    const loader = (module as { default: unknown }).default as unknown;
    const load = (
      typeof loader === "function" ? loader : (loader as { default: unknown }).default
    ) as () => Promise<Highs>;
    return load();
  });
  loading.catch(() => {
    loading = undefined; // let a later call retry (e.g. after a network failure in a browser)
  });
  return loading;
}

/** Outcome of one HiGHS run, reduced to what the location models need. */
export interface MipOutcome {
  /** `optimal`: proved; `infeasible`: proved; `stopped`: time limit or target reached; `failed`: anything else. */
  kind: "optimal" | "infeasible" | "stopped" | "failed";
  /** Primal values when HiGHS has a feasible point, else null. */
  x: Float64Array | null;
  /** Reduced costs (LP solves only), else null. */
  reducedCost: Float64Array | null;
  /** Objective of `x` (including the offset), NaN without `x`. */
  objective: number;
  /** Best proved lower bound (every model here minimises); -Infinity if none. */
  bound: number;
  /** HiGHS version string, e.g. "1.15.1". */
  version: string;
}

/** Options of one HiGHS run. */
export interface MipRun {
  /** Seconds; Infinity for none. */
  timeLimit: number;
  /** Solve the LP relaxation (integrality dropped) instead of the MIP. */
  relax?: boolean;
  /** A feasible starting point (full column vector) for the MIP. */
  start?: Float64Array;
  /** Stop as soon as an incumbent at least this good is found (MIP only). */
  target?: number;
}

// HiGHS model-status codes (highs.constants.modelStatus).
const OPTIMAL = 7;
const INFEASIBLE = 8;
const OBJECTIVE_TARGET = 12;
const TIME_LIMIT = 13;
const ITERATION_LIMIT = 14;
const SOLUTION_LIMIT = 16;
const INTERRUPTED = 17;

/**
 * Solve one model with HiGHS. Exact settings: `mip_rel_gap = 0` (HiGHS's
 * default 1e-4 would report "optimal" up to 0.01 % away), restarts off (they
 * cost more than they save on these models), no console output.
 */
export async function solveMip(model: ModelData, run: MipRun): Promise<MipOutcome> {
  const highs = await loadHighs();
  const version = highs.version.string;
  const data: ModelData = run.relax ? { ...model, integrality: undefined } : model;
  const instance = highs.createModel(data);
  try {
    const options: Record<string, number | boolean | string> = {
      output_flag: false,
      mip_rel_gap: 0,
      mip_allow_restart: false,
    };
    if (Number.isFinite(run.timeLimit)) options.time_limit = Math.max(run.timeLimit, 1e-3);
    if (run.target !== undefined) options.objective_target = run.target;
    if (run.relax) options.solver = "simplex";
    instance.options.set(options);
    if (run.start && !run.relax) instance.setSolution({ colValue: run.start });
    instance.run();
    const status = instance.getModelStatus() as number;
    let x: Float64Array | null = null;
    let reducedCost: Float64Array | null = null;
    let objective = NaN;
    const primal = Number(instance.info.get("primal_solution_status"));
    if (primal === highs.constants.solutionStatus.feasible) {
      const solution = instance.getSolution();
      x = solution.colValue;
      if (run.relax) reducedCost = solution.colDual;
      objective = instance.getObjectiveValue();
    }
    let bound = -Infinity;
    if (run.relax) {
      if (status === OPTIMAL) bound = objective;
    } else {
      const dual = Number(instance.info.get("mip_dual_bound"));
      if (Number.isFinite(dual)) bound = dual;
      if (status === OPTIMAL) bound = objective;
    }
    let kind: MipOutcome["kind"] = "failed";
    if (status === OPTIMAL) kind = "optimal";
    else if (status === INFEASIBLE) kind = "infeasible";
    else if (
      status === TIME_LIMIT ||
      status === OBJECTIVE_TARGET ||
      status === ITERATION_LIMIT ||
      status === SOLUTION_LIMIT ||
      status === INTERRUPTED
    )
      kind = "stopped";
    return { kind, x, reducedCost, objective, bound, version };
  } finally {
    instance.dispose();
  }
}
