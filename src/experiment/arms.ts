/**
 * `compareScenarios(arms, options)`: what-if arms — several scenarios (the UK out, a third satellite, …)
 * compared on common random numbers, as `compare` compares strategies.
 *
 * An arm is a scenario object (input or parsed), an embedded scenario's name, or edits of a base by parameter
 * paths (the sweep's syntax, src/experiment/parameters.ts): `{ base: "base", edits: { PATH: value } }`, where
 * `base` names an earlier-or-later arm, an embedded scenario, or is a scenario object (default: the first arm).
 * A value is a number in the unit the scenario writes at that path, or a unit string ("45 min") converted to it.
 *
 * Every arm runs through `runArms` on the same replication seeds, so each difference against the baseline arm
 * is paired; all arms must share horizon and warm-up (a `horizon` option overrides every arm's). Each arm is
 * allocated by its own `allocation` if the list gives one, else by `strategy`, else by its scenario's own
 * allocation (else risk-weighted).
 *
 * Allocation modes (`mode` for every arm, or an arm's `allocation: { mode, base? }`): with "augment" or "remove"
 * an arm starts from a base placement — the arm named by its `base` if given, else the arm its edits are made
 * on, else the first arm (which keeps its own placement) — and keeps it, adding or withdrawing only the units
 * its scenario adds or withdraws; "replan" (the default) places every arm afresh. A base arm's placement is its
 * own final one, so chains of edits keep placing on top of each other.
 */
import type { Allocation } from "../allocation/allocation.js";
import { isAllocationMode, MODES_TEXT, type AllocationMode } from "../allocation/modes.js";
import type { Strategy } from "../allocation/strategy.js";
import { ScenarioError } from "../model/errors.js";
import type { Scenario } from "../model/types.js";
import { DIMENSIONS, parseQuantity, type Dimension } from "../model/units.js";
import { scenario as embedded, scenarioNames, type ScenarioName } from "../scenarios/index.js";
import { checkComparable, runArms, type Arm, type CompareOptions, type Comparison } from "./compare.js";
import { resolveRunOptions, show } from "./options.js";
import {
  getParameter,
  parameterInfo,
  parameterValue,
  scenarioInput,
  setParameters,
  type ParameterScalar,
} from "./parameters.js";
import { isModeAllocation, prepare, resolveAllocation, scenarioOf, type ModeAllocation } from "./run.js";

/** Edits of a base scenario by parameter paths. */
export interface ScenarioEdits {
  /** An arm's name, an embedded scenario's name, or a scenario object (default: the first arm). */
  base?: string | object;
  /** Path → number (in the unit the scenario writes there), unit string such as "45 min", boolean or name. */
  edits: Readonly<Record<string, ParameterScalar>>;
}

/** One arm's scenario: a scenario object (input or parsed), an embedded scenario's name, or edits of a base. */
export type ScenarioArm = string | ScenarioEdits | object;

/**
 * An arm's allocation mode: `base` names the arm (or is a scenario or allocation) whose placement it starts from
 * (default: see the module's header); `strategy` as in `ModeAllocation`.
 */
export interface ArmMode {
  mode: AllocationMode;
  base?: string | object;
  strategy?: string | Strategy;
}

/**
 * Arms by name (`{ base, ukOut, thirdSat }`), or a list of `{ name, scenario, allocation? }`: an arm's own
 * `allocation` (a strategy's name, a strategy, a ready allocation, or a mode) takes precedence over `strategy`
 * and `mode`.
 */
export type ScenarioArms =
  | Readonly<Record<string, ScenarioArm>>
  | readonly { name: string; scenario: ScenarioArm; allocation?: string | Strategy | Allocation | ArmMode }[];

/** Options of `compareScenarios`: those of `compare`, one strategy and one allocation mode for every arm. */
export interface CompareScenariosOptions extends CompareOptions {
  /** Allocation strategy of every arm (default: each arm's own scenario's allocation, else risk-weighted). */
  strategy?: string | Strategy;
  /**
   * Allocation mode of every arm (default "replan"): "augment" and "remove" keep the placement of the arm each
   * arm is made from (see the module's header).
   */
  mode?: AllocationMode;
}

/** What an arm was made of, for the record. */
export interface ArmInfo {
  name: string;
  /** The scenario's `name`. */
  scenario: string;
  /** The scenario's hash (as in each result's provenance). */
  hash: string;
  /** The base the edits were applied to: an arm's or embedded scenario's name, or a scenario object's name. */
  base?: string;
  edits?: Record<string, ParameterScalar>;
}

/** What `compareScenarios` returns: a comparison whose "strategies" are the arms, and what each arm was. */
export interface ScenarioComparison extends Comparison {
  arms: ArmInfo[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isEdits = (v: unknown): v is ScenarioEdits => isRecord(v) && Object.hasOwn(v, "edits");
const PLAIN_NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * A value for `path` of `base` as `setParameters` takes it: in the unit the scenario writes there, or a boolean
 * or name where the schema types the field so (`"true"` for `assets[id=team].nightCapable`).
 */
function editValue(base: unknown, path: string, value: unknown): ParameterScalar {
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value !== "string")
    throw new RangeError(`${path}: expected a number or a unit string such as "45 min"; got ${show(value)}`);
  if (parameterInfo(base, path).kind !== "number") return parameterValue(base, path, value);
  const text = value.trim();
  if (PLAIN_NUMBER.test(text)) return Number(text);
  const { unit } = getParameter(base, path);
  if (unit === null)
    throw new RangeError(`${path}: takes a bare number (the scenario writes no unit there); got ${show(value)}`);
  const dim = (Object.keys(DIMENSIONS) as Dimension[]).find((d) => parseQuantity(`1 ${unit}`, d).ok)!;
  const given = parseQuantity(text, dim);
  if (!given.ok) throw new RangeError(`${path}: ${given.message}`);
  const per = parseQuantity(`1 ${unit}`, dim) as { ok: true; value: number };
  // 12 significant digits: "1 h" at a path in minutes is 60, not 60.00000000000001.
  return Number((given.value / per.value).toPrecision(12));
}

/**
 * Compare scenarios on common random numbers (see the module's header): every difference is paired against
 * the baseline arm (the first, or `baseline`).
 *
 * @example
 * const c = await compareScenarios(
 *   {
 *     base: defaultScenario(),
 *     ukOut: { base: "base", edits: { "contributions[state=gb,asset=team].count": 0 } },
 *     thirdSat: { base: "base", edits: { "contributions[state=us,asset=sat-eo].count": 2 } },
 *   },
 *   { replications: 100 },
 * );
 * c.metrics[0].differences; // ukOut − base and thirdSat − base, paired, with 95% CIs
 */
export async function compareScenarios(
  arms: ScenarioArms,
  options: CompareScenariosOptions = {},
): Promise<ScenarioComparison> {
  type Allocated = string | Strategy | Allocation | ArmMode | undefined;
  const list: { name: string; scenario: ScenarioArm; allocation: Allocated }[] = Array.isArray(arms)
    ? arms.map((a, i) => {
        if (!isRecord(a) || typeof a.name !== "string" || a.name === "" || !Object.hasOwn(a, "scenario"))
          throw new RangeError(`arms[${i}]: expected { name, scenario } with a non-empty name; got ${show(a)}`);
        const allocation = a.allocation as Allocated;
        if (!(allocation === undefined || typeof allocation === "string" || isRecord(allocation)))
          throw new RangeError(
            `arms[${i}].allocation: expected a strategy's name, a strategy or an allocation; got ${show(allocation)}`,
          );
        return { name: a.name, scenario: a.scenario as ScenarioArm, allocation };
      })
    : isRecord(arms)
      ? Object.entries(arms).map(([name, scenario]) => ({ name, scenario, allocation: undefined as Allocated }))
      : [];
  if (!Array.isArray(arms) && !isRecord(arms))
    throw new RangeError(`arms: expected { name: scenario, … } or [{ name, scenario }, …]; got ${show(arms)}`);
  if (list.length < 2) throw new RangeError(`arms: expected at least two arms; got ${list.length}`);
  const names = list.map((a) => a.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new RangeError(`arms: names must differ; ${show(dup)} is given twice`);
  const { strategy, mode, ...rest } = options;
  if (mode !== undefined && !isAllocationMode(mode))
    throw new RangeError(`mode: expected ${MODES_TEXT}; got ${show(mode)}`);
  const o = resolveRunOptions(rest, "compare");
  checkComparable(options.metrics); // before the scenarios are built

  // Each arm's scenario input and record, resolved on demand (an edit's base may be a later arm).
  const inputs = new Map<string, { input: unknown; info: Omit<ArmInfo, "scenario" | "hash"> }>();
  const resolving = new Set<string>();
  const inputOf = (name: string): unknown => {
    const hit = inputs.get(name);
    if (hit) return hit.input;
    if (resolving.has(name))
      throw new RangeError(`arm ${show(name)}: its edits' base leads back to itself (${[...resolving].join(" → ")})`);
    resolving.add(name);
    const spec = list.find((a) => a.name === name)!.scenario;
    let input: unknown;
    const info: Omit<ArmInfo, "scenario" | "hash"> = { name };
    if (typeof spec === "string") input = embeddedInput(name, spec);
    else if (isEdits(spec)) {
      const b = spec.base ?? names[0]!;
      if (b === name) throw new RangeError(`arm ${show(name)}: its edits need a base other than itself`);
      const base =
        typeof b === "string"
          ? names.includes(b)
            ? inputOf(b)
            : embeddedInput(name, b, "base")
          : isRecord(b)
            ? scenarioInput(b)
            : (() => {
                throw new RangeError(
                  `arm ${show(name)}: base: expected an arm's or embedded scenario's name, or a scenario; ` +
                    `got ${show(b)}`,
                );
              })();
      if (!isRecord(spec.edits))
        throw new RangeError(`arm ${show(name)}: edits: expected { PATH: value, … }; got ${show(spec.edits)}`);
      const values: Record<string, ParameterScalar> = {};
      try {
        for (const [path, v] of Object.entries(spec.edits)) values[path] = editValue(base, path, v);
        input = setParameters(base, values);
      } catch (e) {
        if (e instanceof RangeError) throw new RangeError(`arm ${show(name)}: ${e.message}`, { cause: e });
        throw e;
      }
      const named = (base as { name?: unknown }).name;
      info.base = typeof b === "string" ? b : typeof named === "string" ? named : "(object)";
      info.edits = values;
    } else if (isRecord(spec)) input = spec;
    else
      throw new RangeError(
        `arm ${show(name)}: expected a scenario, an embedded scenario's name or { base, edits }; got ${show(spec)}`,
      );
    resolving.delete(name);
    inputs.set(name, { input, info });
    return input;
  };

  const scenarios: Scenario[] = [];
  for (const { name } of list) {
    const input = inputOf(name);
    try {
      scenarios.push(scenarioOf(input, o.horizon));
    } catch (e) {
      if (e instanceof ScenarioError) throw new ScenarioError([...e.issues], `arm ${show(name)}`);
      if (e instanceof RangeError) throw new RangeError(`arm ${show(name)}: ${e.message}`, { cause: e });
      throw e;
    }
  }
  const first = scenarios[0]!;
  scenarios.forEach((s, i) => {
    for (const [what, a, b] of [
      ["horizon", s.horizon, first.horizon],
      ["warm-up", s.warmup, first.warmup],
    ] as const)
      if (a !== b)
        throw new RangeError(
          `arm ${show(names[i])}: its ${what} (${a} h) differs from arm ${show(names[0])}'s (${b} h); paired ` +
            `arms share horizon and warm-up` +
            (what === "horizon" ? " (the horizon option sets every arm's)" : ""),
        );
  });
  // Each arm's allocation, made on demand: a mode's base arm is allocated first.
  const allocations = new Map<string, Allocation>();
  const allocating = new Set<string>();
  const allocationOf = async (i: number): Promise<Allocation> => {
    const name = names[i]!;
    const hit = allocations.get(name);
    if (hit) return hit;
    if (allocating.has(name))
      throw new RangeError(
        `arm ${show(name)}: its allocation's base leads back to itself (${[...allocating, name].join(" → ")})`,
      );
    allocating.add(name);
    const own = list[i]!.allocation;
    const spec = own ?? (mode !== undefined && mode !== "replan" ? { mode } : strategy);
    let a: Allocation;
    try {
      if (isModeAllocation(spec) && spec.mode !== "replan") {
        const m = spec as ArmMode;
        const armBase = typeof m.base === "string" ? m.base : m.base === undefined ? defaultBaseArm(i) : null;
        if (armBase !== null && !names.includes(armBase))
          throw new RangeError(`allocation.base: ${show(armBase)} is no arm; arms: ${names.join(", ")}`);
        const withStrategy: ModeAllocation = {
          mode: m.mode,
          ...(m.strategy !== undefined ? { strategy: m.strategy } : own === undefined && strategy ? { strategy } : {}),
        };
        a =
          armBase === name
            ? await resolveAllocation(scenarios[i]!, withStrategy.strategy)
            : await resolveAllocation(scenarios[i]!, {
                ...withStrategy,
                base: armBase === null ? m.base : await allocationOf(names.indexOf(armBase)),
              });
      } else a = await resolveAllocation(scenarios[i]!, spec as string | Strategy | Allocation | undefined);
    } catch (e) {
      if (e instanceof RangeError && !e.message.startsWith("arm "))
        throw new RangeError(`arm ${show(name)}: ${e.message}`, { cause: e });
      throw e;
    }
    allocating.delete(name);
    allocations.set(name, a);
    return a;
  };
  // The arm a mode starts from by default: the arm the edits are made on, else the first (itself for the first).
  const defaultBaseArm = (i: number): string => {
    const base = inputs.get(names[i]!)!.info.base;
    return base !== undefined && names.includes(base) && isEdits(list[i]!.scenario) ? base : names[0]!;
  };
  const prepared: Arm[] = [];
  for (let i = 0; i < list.length; i++) {
    const a = await allocationOf(i);
    try {
      prepared.push({ name: names[i]!, prepared: await prepare(scenarios[i]!, a) });
    } catch (e) {
      if (e instanceof RangeError) throw new RangeError(`arm ${show(names[i])}: ${e.message}`, { cause: e });
      throw e;
    }
  }
  const comparison = await runArms(prepared, o, options);
  const infos: ArmInfo[] = prepared.map((a) => ({
    ...inputs.get(a.name)!.info,
    scenario: a.prepared.scenario.name,
    hash: a.prepared.hash,
  }));
  return { ...comparison, arms: infos };
}

function embeddedInput(arm: string, name: string, field?: string): unknown {
  if (!(scenarioNames as readonly string[]).includes(name))
    throw new RangeError(
      `arm ${show(arm)}: ${field ? `${field}: ${show(name)} is no arm and` : `${show(name)} is`} no embedded ` +
        `scenario; embedded: ${scenarioNames.join(", ")}`,
    );
  return embedded(name as ScenarioName);
}
