/**
 * `optimize(scenario, options)`: the least force that meets a standard. One resource is varied — every
 * team in proportion (`"teams"`), one state's teams (`"teams:gb"`), or any whole-number parameter path
 * (`"contributions[state=us,asset=uav-lr].count"`) — and the smallest amount whose target metric meets the
 * target with confidence is found:
 *
 * 1. a coarse grid of amounts between `min` and `max`, all on common random numbers (one seed: replication r
 *    of every amount draws from the same streams), `replications` each;
 * 2. bisection between the last grid amount that falls short and the first that meets (point estimates);
 * 3. confirmation at the answer n and at n − 1, doubling the replications of both (up to `maxReplications`)
 *    while a 95% interval straddles the target: n is the answer when its interval lies on the target's side
 *    and n − 1's estimate does not meet it.
 *
 * Meeting the target is assumed monotone in the amount (more teams never do worse: the reason the default
 * scenario serves incidents within the standard first). When the largest amount does not meet it, the
 * answer is null and `unreachable` says what bounds the metric there (incidents never detected, denied
 * access, with no eligible team or unfinished at the horizon). Amounts whose scenario is infeasible (e.g.
 * more teams than a rule allows) are frontier rows with their reason.
 */
import type { Strategy } from "../allocation/strategy.js";
import { SECTOR_METRICS } from "../stats/accumulator.js";
import type { Estimate } from "../stats/estimate.js";
import type { SectorMetrics } from "../stats/summarize.js";
import { checkComparable, runArms, type Arm } from "./compare.js";
import { resolveRunOptions, show, type RunOptions } from "./options.js";
import { getParameter, isIntegerPath, scenarioInput, setParameters } from "./parameters.js";
import { metricAt, prepare, resolveAllocation, scenarioOf } from "./run.js";

/** The standard to meet: a comparable metric of the whole line, `>=` or `<=`, a value (a share as a fraction). */
export interface OptimizeTarget {
  metric: string;
  op: ">=" | "<=";
  value: number;
}

/** Options of `optimize`. */
export interface OptimizeOptions extends Omit<RunOptions, "until"> {
  /** The standard, e.g. "withinStandard>=0.9" (or ">=90%"), or an `OptimizeTarget`. */
  target: string | OptimizeTarget;
  /**
   * The resource varied: "teams" (every team contribution scaled in proportion, largest remainders), "teams:ID"
   * (state ID's teams only), or a whole-number parameter path as `sweep` takes it. Base capacities grow in
   * proportion when the teams outgrow them.
   */
  vary: string;
  /** Smallest amount tried (default 1). */
  min?: number;
  /** Largest amount tried (default four times today's amount, at least today's + 1). */
  max?: number;
  /** Most replications per amount while confirming (default 8 × replications). */
  maxReplications?: number;
  /** Allocation strategy at every amount (default: the scenario's, else risk-weighted); units placed afresh. */
  strategy?: string | Strategy;
}

/** One amount tried, at the most replications it was run with. */
export interface FrontierPoint {
  amount: number;
  replications: number;
  /** The target metric (null when infeasible). */
  estimate: Estimate | null;
  /**
   * "yes": the 95% interval lies on the target's side; "no": the estimate does not meet it; "undecided": the
   * estimate meets it but the interval straddles it; "infeasible": the amount could not be run.
   */
  meets: "yes" | "no" | "undecided" | "infeasible";
  /** Why the amount could not be run. */
  infeasible?: string;
}

/** What `optimize` returns. */
export interface OptimizeResult {
  format: "ceasefire-sim/optimize@1";
  target: OptimizeTarget;
  vary: string;
  seed: string;
  /** Today's amount in the scenario. */
  current: number;
  min: number;
  max: number;
  /** The least amount that meets the target with confidence; null when none in [min, max] does. */
  answer: number | null;
  /** In words: the answer, its interval, and what is known about the amount below it. */
  statement: string;
  /** Every amount tried, by amount. */
  frontier: FrontierPoint[];
  /** When the target is not met at `max`: what bounds the metric there. */
  unreachable: { statement: string; ceiling: number | null } | null;
  /** Replications run in all (every amount, every round). */
  replications: number;
}

const TARGET = /^\s*([A-Za-z][A-Za-z0-9.]*)\s*(>=|<=)\s*([-+0-9.eE]+)(%?)\s*$/;

/** A target from its text ("withinStandard>=0.9", "withinStandard >= 90%") or object, checked. */
export function parseTarget(t: unknown): OptimizeTarget {
  let out: OptimizeTarget;
  if (typeof t === "string") {
    const m = TARGET.exec(t);
    if (!m)
      throw new RangeError(
        `target: expected METRIC>=VALUE or METRIC<=VALUE (e.g. withinStandard>=0.9); got ${show(t)}`,
      );
    out = { metric: m[1]!, op: m[2] as ">=" | "<=", value: Number(m[3]) / (m[4] ? 100 : 1) };
  } else if (typeof t === "object" && t !== null) out = { ...(t as OptimizeTarget) };
  else
    throw new RangeError(
      `target: expected a text such as "withinStandard>=0.9" or { metric, op, value }; got ${show(t)}`,
    );
  checkComparable([out.metric]);
  if (out.op !== ">=" && out.op !== "<=") throw new RangeError(`target: op must be ">=" or "<="; got ${show(out.op)}`);
  if (typeof out.value !== "number" || !Number.isFinite(out.value))
    throw new RangeError(`target: expected a finite value; got ${show(out.value)}`);
  const def = SECTOR_METRICS.find((d) => d.path === out.metric);
  if (def && def.range[1] === 1 && !(out.value > 0 && out.value < 1))
    throw new RangeError(
      `target: ${out.metric} is a share: expected a value between 0 and 1 (or 0%–100%); got ${out.value}`,
    );
  return out;
}

interface Input {
  assets: { id: string; kind: string }[];
  contributions: { state: string; asset: string; count: number }[];
  bases?: { id: string; capacity?: number }[];
}

/** Today's amount of the varied resource, and the scenario input with another amount. */
function resourceOf(input: Input, vary: string): { current: number; at: (amount: number) => unknown } {
  if (typeof vary !== "string")
    throw new RangeError(`vary: expected "teams", "teams:STATE" or a parameter path; got ${show(vary)}`);
  if (vary === "teams" || vary.startsWith("teams:")) {
    const state = vary === "teams" ? null : vary.slice(6);
    const teamAssets = new Set(input.assets.filter((a) => a.kind === "team").map((a) => a.id));
    const picked = input.contributions
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => teamAssets.has(c.asset) && (state === null || c.state === state));
    if (picked.length === 0)
      throw new RangeError(
        `vary: ${show(vary)}: no team contribution${state === null ? "" : ` of state ${show(state)}`}`,
      );
    const current = picked.reduce((a, { c }) => a + c.count, 0);
    return {
      current,
      at(amount) {
        const x = structuredClone(input);
        // Largest remainders: amount × each contribution's share, rounded so that they sum to the amount.
        const exact = picked.map(({ c }) => (current > 0 ? (amount * c.count) / current : amount / picked.length));
        const counts = exact.map(Math.floor);
        let left = amount - counts.reduce((a, b) => a + b, 0);
        const order = exact.map((e, k) => ({ k, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.k - b.k);
        for (const { k } of order) if (left-- > 0) counts[k]! += 1;
        picked.forEach(({ i }, k) => {
          x.contributions[i]!.count = counts[k]!;
        });
        // Base capacity linked: when the teams outgrow the bases, every capacity grows in proportion.
        const cap = (x.bases ?? []).reduce((a, b) => a + (b.capacity ?? 0), 0);
        const teams = x.contributions.filter((c) => teamAssets.has(c.asset)).reduce((a, c) => a + c.count, 0);
        if (cap > 0 && teams > cap)
          for (const b of x.bases ?? [])
            if (b.capacity !== undefined) b.capacity = Math.ceil((b.capacity * teams) / cap);
        return x;
      },
    };
  }
  if (!isIntegerPath(vary))
    throw new RangeError(
      'vary: expected "teams", "teams:STATE" or a whole-number parameter path ' +
        `(e.g. contributions[state=us,asset=uav-lr].count); got ${show(vary)}`,
    );
  const current = getParameter(input, vary).value;
  return { current, at: (amount) => setParameters(input, { [vary]: amount }) };
}

const whole = (v: unknown, name: string, least: number): number => {
  if (typeof v !== "number" || !Number.isInteger(v) || v < least)
    throw new RangeError(`${name}: expected a whole number of at least ${least}; got ${show(v)}`);
  return v;
};

const pct = (v: number, share: boolean) => (share ? `${(100 * v).toFixed(1)}%` : v.toPrecision(4));

/**
 * The least amount of a resource that meets a target with confidence (see the module's header).
 *
 * @example
 * const o = await optimize(defaultScenario(), { target: "withinStandard>=0.5", vary: "teams" });
 * o.answer;     // the least number of teams, or null
 * o.statement;  // in words, with the interval
 * o.frontier;   // every amount tried, with the metric's estimate
 */
export async function optimize(scenario: unknown, options: OptimizeOptions): Promise<OptimizeResult> {
  if (typeof options !== "object" || options === null)
    throw new RangeError(`options: expected an object; got ${show(options)}`);
  const { target: t, vary, min, max, maxReplications, strategy, ...run } = options;
  const target = parseTarget(t);
  const o0 = resolveRunOptions({ ...run }, "optimize");
  const r0 = o0.replications!;
  const rMax = maxReplications === undefined ? 8 * r0 : whole(maxReplications, "maxReplications", r0);
  const base = scenarioOf(scenario, o0.horizon);
  const input = scenarioInput(base) as Input;
  const resource = resourceOf(input, vary);
  const lo = min === undefined ? 1 : whole(min, "min", 0);
  const hi =
    max === undefined ? Math.max(4 * resource.current, resource.current + 1, lo + 1) : whole(max, "max", lo + 1);
  const share = SECTOR_METRICS.find((d) => d.path === target.metric)?.range[1] === 1;
  const ok = (v: number) => (target.op === ">=" ? v >= target.value : v <= target.value);
  const sure = (e: Estimate) => (target.op === ">=" ? e.lo >= target.value : e.hi <= target.value);

  const points = new Map<number, FrontierPoint>();
  const lines = new Map<number, SectorMetrics>();
  let used = 0;
  /** Run these amounts on common random numbers with r replications each; keep each one's best-run point. */
  async function evaluate(amounts: number[], r: number): Promise<void> {
    const arms: Arm[] = [];
    // Replication r of an amount is the same whenever it runs (its streams are (seed, r, name)): an amount
    // already run with r replications is not run again.
    for (const a of amounts.filter((x) => (points.get(x)?.replications ?? -1) < r)) {
      if (points.get(a)?.meets === "infeasible") continue;
      try {
        const s = scenarioOf(resource.at(a), o0.horizon);
        arms.push({ name: String(a), prepared: await prepare(s, await resolveAllocation(s, strategy)) });
      } catch (e) {
        points.set(a, {
          amount: a,
          replications: 0,
          estimate: null,
          meets: "infeasible",
          infeasible: (e as Error).message,
        });
      }
    }
    if (arms.length === 0) return;
    const o = resolveRunOptions({ ...run, replications: r }, "optimize");
    const c = await runArms(arms, o, { metrics: [target.metric] });
    used += r * arms.length;
    arms.forEach((arm, j) => {
      const a = Number(arm.name);
      const e = metricAt(c.results[j]!.line, target.metric);
      points.set(a, {
        amount: a,
        replications: r,
        estimate: e,
        meets: !ok(e.value) ? "no" : sure(e) ? "yes" : "undecided",
      });
      lines.set(a, c.results[j]!.line);
    });
  }
  const meetsAt = (a: number) => {
    const p = points.get(a);
    return p !== undefined && p.estimate !== null && ok(p.estimate.value);
  };

  /** An amount's verdict: run with more replications (doubling, up to rMax) while its interval straddles. */
  async function decide(a: number): Promise<FrontierPoint["meets"]> {
    let r = Math.max(r0, points.get(a)?.replications ?? 0);
    await evaluate([a], r);
    while (points.get(a)!.meets === "undecided" && r < rMax) {
      r = Math.min(rMax, 2 * r);
      await evaluate([a], r);
    }
    return points.get(a)!.meets;
  }

  // 1. A coarse grid on common random numbers.
  const steps = Math.min(6, hi - lo);
  const grid = [...new Set(Array.from({ length: steps + 1 }, (_, k) => Math.round(lo + ((hi - lo) * k) / steps)))];
  await evaluate(grid, r0);
  // 2. The least grid amount shown to meet the target (replications raised where the estimate meets it), then
  //    the grid amounts below it, from the largest down, until one does not.
  let yes: number | null = null;
  for (const a of grid)
    if (meetsAt(a) && (await decide(a)) === "yes") {
      yes = a;
      break;
    }
  let below = lo - 1;
  if (yes !== null)
    for (const a of grid.filter((x) => x < yes!).reverse()) {
      if ((await decide(a)) === "yes") yes = a;
      else {
        below = a;
        break;
      }
    }
  // 3. Bisection between the two, every amount decided as in 2: "undecided" at the most replications counts as
  //    not shown to meet, so the answer is always an amount whose interval lies on the target's side.
  if (yes !== null)
    while (yes - below > 1) {
      const mid = Math.floor((below + yes) / 2);
      if ((await decide(mid)) === "yes") yes = mid;
      else below = mid;
    }
  // 4. The amount below the answer on the answer's replications (the same seeds: a paired look): if it meets
  //    the target with confidence there, it is the answer, and so on down.
  while (yes !== null && yes - 1 >= lo) {
    below = yes - 1;
    await evaluate([below], points.get(yes)!.replications);
    if (points.get(below)!.meets !== "yes") break;
    yes = below;
  }
  let statement: string;
  let unreachable: OptimizeResult["unreachable"] = null;
  if (yes !== null) {
    const pn = points.get(yes)!;
    const e = pn.estimate!;
    const eb = below >= lo ? (points.get(below)?.estimate ?? null) : null;
    const belowText =
      eb === null
        ? ""
        : `; at ${below}, ${pct(eb.value, share)} [${pct(eb.lo, share)}, ${pct(eb.hi, share)}], ` +
          ((target.op === ">=" ? eb.hi < target.value : eb.lo > target.value)
            ? "short of the target with 95% confidence"
            : ok(eb.value)
              ? `not shown to meet it with ${points.get(below)!.replications} replications (one less might do)`
              : "short of the target by its estimate (its interval reaches the target: one less might do)");
    statement =
      `${yes} (${vary}) is the least amount meeting ${target.metric} ${target.op} ${pct(target.value, share)}: ` +
      `${pct(e.value, share)} [${pct(e.lo, share)}, ${pct(e.hi, share)}], its 95% interval on the target's ` +
      `side (${pn.replications} replications, common random numbers)${belowText}.`;
  } else {
    unreachable = bound(target, lines.get(hi) ?? null, hi, share);
    statement =
      `${target.metric} ${target.op} ${pct(target.value, share)} is not met with 95% confidence by any amount of ` +
      `${vary} from ${lo} to ${hi} (up to ${rMax} replications each): ${unreachable.statement}`;
  }
  const answer = yes;
  const frontier = [...points.values()].sort((a, b) => a.amount - b.amount);
  return {
    format: "ceasefire-sim/optimize@1",
    target,
    vary,
    seed: o0.seed,
    current: resource.current,
    min: lo,
    max: hi,
    answer,
    statement,
    frontier,
    unreachable,
    replications: used,
  };
}

/** What bounds the target metric at an amount: incidents no team can verify however many there are. */
function bound(
  target: OptimizeTarget,
  line: SectorMetrics | null,
  amount: number,
  share: boolean,
): { statement: string; ceiling: number | null } {
  if (line === null) return { statement: `the amount ${amount} could not be run.`, ceiling: null };
  const c = line.counts;
  const v = Math.max(c.verifiable, 1);
  const lost = { undetected: c.undetected / v, denied: c.denied / v, noTeam: c.noEligibleTeam / v };
  const ceiling = 1 - lost.undetected - lost.denied - lost.noTeam;
  const e = metricAt(line, target.metric);
  const parts =
    `never detected ${pct(lost.undetected, true)}, denied access ${pct(lost.denied, true)}, ` +
    `no eligible team ${pct(lost.noTeam, true)} of verifiable incidents`;
  const verifiedShare = ["withinStandard", "outcomes.verified"].includes(target.metric);
  return {
    statement:
      `at ${amount}, ${target.metric} is ${pct(e.value, share)} [${pct(e.lo, share)}, ${pct(e.hi, share)}]. ` +
      `More teams cannot verify what is ${parts}: ${pct(ceiling, true)} is the most that could be verified` +
      (verifiedShare ? "" : ", whatever the metric") +
      `; the rest of the gap is time (the queue, dawn waits for teams that do not move at night, travel).`,
    ceiling: verifiedShare ? ceiling : null,
  };
}
