/**
 * `withdrawal(scenario, options)`: the coalition's resilience table. Each
 * contributing state is removed in turn, and every variant runs on the same
 * replication seeds as the full coalition, in two allocation modes:
 * `remove` — its contributions and its units gone, every other unit where the
 * full coalition's allocation put it (the scenario's own, or the strategy's):
 * the immediate gap — and `replan` — the strategy re-run on the contributions
 * left (or the scenario's own allocation less the state's placements): the
 * gap after re-planning (option `replan: false` leaves it out). The change
 * of each headline metric is the difference of the two estimates (without −
 * full), with a paired 95% CI (`runArms`). The full coalition's estimates are
 * `simulate`'s for the same seed and replications. Rows are sorted most
 * critical first: the largest loss in the `rankBy` metric (default: share
 * verified within the standard), in the immediate gap. A row notes a
 * conditional metric (response times over verified incidents) that improves
 * while its population shrinks.
 */
import type { Strategy } from "../allocation/strategy.js";
import { parseScenario } from "../model/parse.js";
import type { Scenario } from "../model/types.js";
import type { Estimate } from "../stats/estimate.js";
import { survivorshipNote } from "../stats/survival.js";
import type { SectorMetrics } from "../stats/summarize.js";
import {
  COMPARABLE_METRICS,
  checkComparable,
  runArms,
  type Arm,
  type CompareOptions,
  type Comparison,
} from "./compare.js";
import { resolveRunOptions, show } from "./options.js";
import { prepare, resolveAllocation, scenarioOf } from "./run.js";

/** Options of `withdrawal` (those of `compare` but the baseline, which is the full coalition). */
export interface WithdrawalOptions extends Omit<CompareOptions, "baseline"> {
  /**
   * Allocation strategy of the full coalition (default: the scenario's, else risk-weighted); each variant keeps
   * its placements, less the withdrawn state's units.
   */
  strategy?: string | Strategy;
  /** Metric that orders the table (default "withinStandard"). */
  rankBy?: string;
  /** Only these states (ids); default every state with a contribution. */
  states?: string[];
  /**
   * Also measure the gap after re-planning — each variant allocated afresh (mode `replan`) beside the immediate
   * gap (mode `remove`) — in `WithdrawalRow.replanned` (default true; false halves the runs).
   */
  replan?: boolean;
}

/** A metric without a state, and its change against the full coalition (see `WithdrawalRow.metrics`). */
export interface WithdrawalChange {
  without: Estimate;
  change: Estimate;
}

/** One contributing state withdrawn. */
export interface WithdrawalRow {
  state: string;
  name: string;
  /** Units the state contributes (teams, sensors). */
  teams: number;
  sensors: number;
  /**
   * The immediate gap (mode `remove`: every other unit where it was), per metric: the estimate without this
   * state, and the change against the full coalition — exactly `without.value − baseline.value`, with a paired
   * 95% CI (see `Comparison.method`). The table is ordered by it.
   */
  metrics: Record<string, WithdrawalChange>;
  /**
   * The gap after re-planning (mode `replan`: the units left placed afresh): its metrics as `metrics`, and its
   * notes as `notes`; null when the table was made with `replan: false`.
   */
  replanned: { metrics: Record<string, WithdrawalChange>; notes: string[] } | null;
  /**
   * Warnings on this row: a metric over a sub-population (response times over verified incidents, detection
   * latency over detected ones) that moves the "good" way while that population shrinks — an apparent
   * improvement that comes from fewer incidents counted, not from better monitoring (`survivorshipNote`).
   */
  notes: string[];
}

/** What `withdrawal` returns: rows most critical first, and the comparison behind them. */
export interface WithdrawalTable {
  format: "ceasefire-sim/withdrawal@1";
  rankBy: string;
  better: "lower" | "higher";
  /** The full coalition's metrics. */
  baseline: Record<string, Estimate>;
  /** The allocation modes measured: "remove" (the immediate gap, `metrics`), and "replan" (`replanned`). */
  modes: ("remove" | "replan")[];
  rows: WithdrawalRow[];
  comparison: Comparison;
}

/**
 * The notes of one row (see `WithdrawalRow.notes`): response times over verified incidents that fall while the
 * verified share falls (`survivorshipNote`), and detection latency over detected incidents that falls while
 * the detection probability falls.
 */
function notesOf(id: string, full: SectorMetrics, arm: SectorMetrics): string[] {
  const out: string[] = [];
  const response = survivorshipNote(full, arm);
  if (response) out.push(`without ${id}: ${response}`);
  const lb = full.detection.latency.mean.value,
    la = arm.detection.latency.mean.value,
    pb = full.detection.probability.value,
    pa = arm.detection.probability.value;
  if (la < lb && pa < pb)
    out.push(
      `without ${id}: detection.latency.mean ${lb.toFixed(2)} → ${la.toFixed(2)} h over detected incidents only, ` +
        `while the share of incidents detected fell from ${(100 * pb).toFixed(1)}% to ${(100 * pa).toFixed(1)}%: ` +
        "not faster detection, fewer incidents detected",
    );
  return out;
}

function without(s: Scenario, state: string): Scenario {
  const src = structuredClone(s.source) as Record<string, unknown> & {
    contributions?: { state: string }[];
    allocation?: { teams?: { state: string }[]; sensors?: { state: string }[] };
  };
  src.contributions = (src.contributions ?? []).filter((c) => c.state !== state);
  if (src.allocation && ("teams" in src.allocation || "sensors" in src.allocation)) {
    src.allocation = {
      teams: (src.allocation.teams ?? []).filter((t) => t.state !== state),
      sensors: (src.allocation.sensors ?? []).filter((t) => t.state !== state),
    };
  }
  const parsed = parseScenario(src);
  return s.horizon === parsed.horizon ? parsed : Object.freeze({ ...parsed, horizon: s.horizon });
}

/** The name of a state's re-planned variant among the comparison's arms. */
const replannedArm = (id: string) => `without ${id}, re-planned`;

/**
 * Withdraw each contributing state in turn and measure the paired change of the headline metrics (see the
 * module's header). Options as `compare`'s (replications default 200, at least 2).
 *
 * @example
 * const t = await withdrawal(defaultScenario(), { replications: 100 });
 * t.rows[0]; // the state whose departure hurts most, with paired changes and CIs
 */
export async function withdrawal(scenario: unknown, options: WithdrawalOptions = {}): Promise<WithdrawalTable> {
  const o = resolveRunOptions(options, "withdrawal");
  const s = scenarioOf(scenario, o.horizon);
  const rankBy = options.rankBy ?? "withinStandard";
  const metrics = checkComparable(options.metrics);
  if (!COMPARABLE_METRICS.includes(rankBy as string))
    throw new RangeError(
      `rankBy: cannot rank by ${show(rankBy)}; comparable metrics: ${COMPARABLE_METRICS.join(", ")}`,
    );
  const allMetrics = metrics.includes(rankBy) ? metrics : [rankBy, ...metrics];
  const contributing = s.states.filter((st) => s.contributions.some((c) => c.state === st.index && c.count > 0));
  if (options.states !== undefined && !Array.isArray(options.states))
    throw new RangeError(`states: expected a list of state ids; got ${show(options.states)}`);
  const chosen = options.states ?? contributing.map((st) => st.id);
  for (const id of chosen)
    if (!contributing.some((st) => st.id === id))
      throw new RangeError(
        `states: ${show(id)} is not a contributing state; contributing: ` +
          `${contributing.map((x) => x.id).join(", ")}`,
      );
  if (options.replan !== undefined && typeof options.replan !== "boolean")
    throw new RangeError(`replan: expected true or false; got ${show(options.replan)}`);
  const replan = options.replan ?? true;
  const strategy = options.strategy;
  const full = await resolveAllocation(s, strategy);
  const arms: Arm[] = [{ name: "full coalition", prepared: await prepare(s, full) }];
  // Removing capacity in place measures only what the state brought; re-planning the rest mixes the loss with a
  // different plan (which can look like an improvement when the strategy is not monotone): both are shown.
  for (const id of chosen) {
    const v = without(s, id);
    arms.push({
      name: `without ${id}`,
      prepared: await prepare(v, await resolveAllocation(v, { mode: "remove", base: full })),
    });
    if (replan)
      arms.push({
        name: replannedArm(id),
        prepared: await prepare(v, await resolveAllocation(v, strategy)),
      });
  }
  const comparison = await runArms(arms, o, { metrics: allMetrics, baseline: 0 });
  const byMetric = new Map(comparison.metrics.map((m) => [m.metric, m]));
  const rank = byMetric.get(rankBy)!;
  const rows: WithdrawalRow[] = chosen.map((id) => {
    const st = s.states.find((x) => x.id === id)!;
    const units = (kind: "team" | "sensor") =>
      s.contributions
        .filter((c) => c.state === st.index && (s.assets[c.asset]!.kind === "team") === (kind === "team"))
        .reduce((a, c) => a + c.count, 0);
    const changes = (arm: string) => {
      const out: Record<string, WithdrawalChange> = {};
      for (const m of comparison.metrics)
        out[m.metric] = {
          without: m.estimates.find((e) => e.strategy === arm)!.estimate,
          change: m.differences.find((d) => d.strategy === arm)!.paired,
        };
      return out;
    };
    const notes = (arm: string, label: string) =>
      notesOf(label, comparison.results[0]!.line, comparison.results[comparison.strategies.indexOf(arm)]!.line);
    return {
      state: id,
      name: st.name,
      teams: units("team"),
      sensors: units("sensor"),
      metrics: changes(`without ${id}`),
      replanned: replan
        ? { metrics: changes(replannedArm(id)), notes: notes(replannedArm(id), `${id}, after re-planning`) }
        : null,
      notes: notes(`without ${id}`, id),
    };
  });
  // Most critical first: the largest change in the bad direction.
  const harm = (r: WithdrawalRow) => (rank.better === "lower" ? 1 : -1) * r.metrics[rankBy]!.change.value;
  rows.sort((a, b) => harm(b) - harm(a) || a.state.localeCompare(b.state));
  const baseline: Record<string, Estimate> = {};
  for (const m of comparison.metrics) baseline[m.metric] = m.estimates[0]!.estimate;
  return {
    format: "ceasefire-sim/withdrawal@1",
    rankBy,
    better: rank.better,
    baseline,
    modes: replan ? ["remove", "replan"] : ["remove"],
    rows,
    comparison,
  };
}
