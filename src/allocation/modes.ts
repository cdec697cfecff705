/**
 * Allocation modes: how a scenario's units are placed when it is a change of another (its base), e.g. more
 * UAVs, or a state withdrawn.
 *
 * - `replan` (the default): the strategy places every unit afresh on the new contributions — the best plan for
 *   the new force, which may move units that were already there.
 * - `augment`: every unit of the base placement stays where it is; only the new units (a contribution's count
 *   above the base's) are placed: teams by the strategy's own rule with the kept teams counted as placed, fixed
 *   sensors and UAVs by greedy marginal coverage on top of the kept sensors (./marginal.ts), satellites over the
 *   whole line. A contribution with fewer units than the base is refused.
 * - `remove`: the base placement less the withdrawn units; everything else stays where it is. Of a
 *   contribution's units, the base's idle ones go first, then placed ones from the last placed back. A
 *   contribution with more units than the base is refused.
 *
 * A base's units are counted per state and asset type (placed and idle), and matched to the scenario's
 * contributions by their ids (`contributions[state=…,asset=…]`).
 */
import { ScenarioError } from "../model/errors.js";
import { toScenario } from "../model/parse.js";
import type { Scenario } from "../model/types.js";
import { allocateInto, allocate, scenarioAllocation, scenarioStrategy } from "./allocate.js";
import { validateAllocation, type Allocation, type SensorUnit, type TeamUnit } from "./allocation.js";
import type { Strategy } from "./strategy.js";

/** The allocation modes, the default first. */
export const ALLOCATION_MODES = Object.freeze(["replan", "augment", "remove"] as const);

/** An allocation mode (see the module's header). */
export type AllocationMode = (typeof ALLOCATION_MODES)[number];

/** The mode when none is given: the strategy re-run on the new contributions (what every experiment did before). */
export const DEFAULT_ALLOCATION_MODE: AllocationMode = "replan";

/** Whether a value is one of `ALLOCATION_MODES`. */
export function isAllocationMode(v: unknown): v is AllocationMode {
  return typeof v === "string" && (ALLOCATION_MODES as readonly string[]).includes(v);
}

/** The modes as messages list them: "replan", "augment" or "remove". */
export const MODES_TEXT = ALLOCATION_MODES.map((m) => JSON.stringify(m))
  .join(", ")
  .replace(/, ([^,]*)$/, " or $1");

const key = (state: string, asset: string) => `${state}/${asset}`;

/** Units per `state/asset` of an allocation, placed and idle. */
function unitCounts(a: Allocation): Map<string, number> {
  const n = new Map<string, number>();
  const add = (k: string, c: number) => n.set(k, (n.get(k) ?? 0) + c);
  for (const u of [...a.teams, ...a.sensors]) add(key(u.state, u.asset), 1);
  for (const i of a.idle) add(key(i.state, i.asset), i.count);
  return n;
}

/**
 * The scenario's unit counts against the base's, refused where the mode cannot follow them (augment: fewer;
 * remove: more), naming the contribution. Returns the scenario's counts per `state/asset`.
 */
export function checkCounts(s: Scenario, base: Allocation, mode: "augment" | "remove"): Map<string, number> {
  const had = unitCounts(base);
  const now = new Map<string, number>();
  for (const c of s.contributions) {
    const k = key(s.states[c.state]!.id, s.assets[c.asset]!.id);
    now.set(k, (now.get(k) ?? 0) + c.count);
  }
  for (const k of new Set([...had.keys(), ...now.keys()])) {
    const a = had.get(k) ?? 0,
      b = now.get(k) ?? 0;
    const [state, asset] = k.split("/");
    const where = `contributions[state=${state},asset=${asset}]`;
    if (mode === "augment" && b < a)
      throw new RangeError(
        `allocation mode "augment": ${where} gives ${b} units, fewer than the base placement's ${a}; augment only ` +
          'adds units (withdraw them with mode "remove")',
      );
    if (mode === "remove" && b > a)
      throw new RangeError(
        `allocation mode "remove": ${where} gives ${b} units, more than the base placement's ${a}; remove only ` +
          'withdraws units (add them with mode "augment")',
      );
  }
  return now;
}

/** The base placement checked against the scenario it is kept in: a ScenarioError names the unit's path. */
function checkKept(s: Scenario, a: Allocation, mode: string): void {
  try {
    validateAllocation(s, a);
  } catch (e) {
    if (e instanceof ScenarioError) throw new ScenarioError([...e.issues], `the base placement kept by ${mode}`);
    throw e;
  }
}

/**
 * `remove`: the base placement less the units the scenario no longer contributes (see the module's header).
 *
 * @example
 * const full = await allocate(s, "risk-weighted");
 * const withoutGb = removeUnits(parseScenario({ ...input, contributions: input.contributions.filter(…) }), full);
 */
export function removeUnits(scenario: unknown, base: Allocation): Allocation {
  const s = toScenario(scenario);
  const now = checkCounts(s, base, "remove");
  // Per state/asset: the units to withdraw, idle ones first.
  const withdraw = new Map<string, number>();
  for (const [k, n] of unitCounts(base)) withdraw.set(k, n - (now.get(k) ?? 0));
  const idle: Allocation["idle"] = [];
  for (const i of base.idle) {
    const k = key(i.state, i.asset);
    const go = Math.min(i.count, withdraw.get(k)!);
    withdraw.set(k, withdraw.get(k)! - go);
    if (i.count > go) idle.push({ ...i, count: i.count - go });
  }
  const keep = <U extends TeamUnit | SensorUnit>(units: U[]): U[] => {
    const out: U[] = [];
    for (let i = units.length - 1; i >= 0; i--) {
      const u = units[i]!,
        k = key(u.state, u.asset);
      const left = withdraw.get(k) ?? 0;
      if (left > 0) withdraw.set(k, left - 1);
      else out.push(u);
    }
    return out.reverse();
  };
  const a: Allocation = {
    ...base,
    mode: "remove",
    teams: keep(base.teams),
    sensors: keep(base.sensors),
    idle,
  };
  checkKept(s, a, "remove");
  return a;
}

/**
 * `augment`: the base placement kept, the scenario's new units placed on top by `strategy` (default: the
 * scenario's named strategy, else risk-weighted; see the module's header). A strategy that moves or drops a
 * kept unit (the built-in `custom`, or a strategy object that ignores the units in its target) is refused.
 */
export async function augmentUnits(
  scenario: unknown,
  base: Allocation,
  strategy?: string | Strategy,
  options?: Record<string, unknown>,
): Promise<Allocation> {
  const s = toScenario(scenario);
  checkCounts(s, base, "augment");
  const named = strategy === undefined ? scenarioStrategy(s) : { strategy, options: options ?? {} };
  const name = typeof named.strategy === "string" ? named.strategy : named.strategy?.name;
  if (name === "custom")
    throw new RangeError(
      'allocation mode "augment": the custom strategy places every unit as its options say; give the new units ' +
        'there, or use mode "replan"',
    );
  const kept: Allocation = { ...base, mode: "augment" };
  checkKept(s, kept, "augment");
  const a = await allocateInto(s, named.strategy, named.options, kept);
  // Every kept unit where it was (its explanation may be rewritten by the strategy: the base's is kept).
  const place = ({ why: _, ...u }: TeamUnit | SensorUnit) => JSON.stringify(u);
  const same = (x: TeamUnit | SensorUnit, y: TeamUnit | SensorUnit | undefined) => y && place(x) === place(y);
  if (!base.teams.every((u, i) => same(u, a.teams[i])) || !base.sensors.every((u, i) => same(u, a.sensors[i])))
    throw new RangeError(
      `allocation mode "augment": strategy ${JSON.stringify(name)} moved or dropped units of the base placement; ` +
        "a strategy augments by keeping the units its target comes with (see placeUnits)",
    );
  return {
    ...a,
    teams: [...base.teams, ...a.teams.slice(base.teams.length)],
    sensors: [...base.sensors, ...a.sensors.slice(base.sensors.length)],
  };
}

/**
 * The scenario's allocation in a mode, from a base placement (ignored by `replan`): `replan` runs `strategy`
 * (default: the scenario's own allocation), `augment` and `remove` as above.
 */
export async function allocateFrom(
  s: Scenario,
  mode: AllocationMode,
  base: Allocation | null,
  strategy?: string | Strategy,
  options?: Record<string, unknown>,
): Promise<Allocation> {
  if (mode === "replan") return strategy === undefined ? scenarioAllocation(s) : allocate(s, strategy, options);
  if (base === null) throw new RangeError(`allocation mode ${JSON.stringify(mode)}: needs a base placement`);
  return mode === "remove" ? removeUnits(s, base) : augmentUnits(s, base, strategy, options);
}
