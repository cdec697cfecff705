/**
 * Greedy marginal coverage: how `augment` places new fixed sensors and UAVs on top of a placement it keeps.
 *
 * The line is cut into cells of about `CELL_KM` (each sector into equal pieces). A cell weighs its sector's
 * weight (the allocation's `sectorWeights`) × the share of the sector's incident profile inside it, and carries
 * the chance that an incident there is missed by every sensor already placed: the product of (1 − q) over the
 * sensors whose stretch holds the cell's midpoint, where q is a sensor's *yield* — its mean day/night detection
 * probability × the share of time it watches (a fixed sensor's up-time from its outages; a UAV's time on station
 * from its base, after jamming). A new sensor goes to the stretch that adds the most weighted detections:
 * q × Σ weight × miss over the cells it would watch, among stretches centred on the cells of the sectors its
 * state may watch (a UAV only where the nearest base reaches the orbit's centre, and flying from that base, as
 * the strategies place UAVs). Ties go to the stretch nearer the line's start. Overlap with sensors already
 * there counts for less (diminishing returns), so gaps fill first; satellites and patrols are not counted
 * (a satellite watches the whole line, so it does not change which stretch gains most).
 */
import { distMean } from "../model/distributions.js";
import { nearestBaseAt, roundTripHours, stretchAt } from "../model/placement.js";
import type { Base, FixedAsset, Scenario, Sector, UavAsset } from "../model/types.js";
import type { SensorUnit } from "./allocation.js";

/** Target length of a cell of the coverage field, km. */
export const CELL_KM = 1;

/** Share of a sector's incident profile inside the piece [a, b] (km along the line). */
export function profileShare(sec: Sector, a: number, b: number): number {
  let share = 0;
  for (const p of sec.profile) {
    const lo = Math.max(a, sec.from + p.from),
      hi = Math.min(b, sec.from + p.to);
    if (hi > lo && p.to > p.from) share += (p.share * (hi - lo)) / (p.to - p.from);
  }
  return share;
}

/**
 * Expected share of incidents a sensor detects where it watches: mean day/night detection × share of time
 * watching. A UAV's share is its time on station per cycle from `base`, (endurance − 2 × transit) /
 * (endurance + turnaround), times the mean detection factor under jamming.
 */
export function sensorYield(asset: FixedAsset | UavAsset, stretch: { from: number; to: number }, base?: Base): number {
  const det = (asset.detection.day + asset.detection.night) / 2;
  if (asset.kind === "fixed") {
    if (!asset.outages) return det;
    const up = asset.outages.mtbf;
    return (det * up) / (up + distMean(asset.outages.repair));
  }
  if (!base) return 0;
  const onStation = Math.max(0, asset.endurance - roundTripHours(base, stretch, asset.speed));
  const jam = 1 - asset.jamming.probability * (1 - asset.jamming.factor);
  return (det * onStation * jam) / (asset.endurance + asset.turnaround);
}

/** A sensor's placement as `augment` chose it, with the weighted detections it adds. */
export interface MarginalPick {
  from: number;
  to: number;
  /** Base index a UAV flies from (−1 for a fixed sensor). */
  base: number;
  sector: number;
  gain: number;
}

/** The cells of the line with their weights and miss chances (see the module's header). */
export class CoverageField {
  private readonly mid: number[] = [];
  private readonly weight: number[] = [];
  private readonly miss: number[] = [];
  private readonly sectorOf: number[] = [];

  /** `weights`: one per sector (the allocation's sector weights). */
  constructor(
    private readonly s: Scenario,
    weights: readonly number[],
  ) {
    for (const sec of s.sectors) {
      const n = Math.max(1, Math.ceil(sec.lengthKm / CELL_KM));
      for (let k = 0; k < n; k++) {
        const a = sec.from + (k * sec.lengthKm) / n,
          b = sec.from + ((k + 1) * sec.lengthKm) / n;
        this.mid.push((a + b) / 2);
        this.weight.push(weights[sec.index]! * profileShare(sec, a, b));
        this.miss.push(1);
        this.sectorOf.push(sec.index);
      }
    }
  }

  /** First cell whose midpoint is at or after x (binary search: midpoints increase along the line). */
  private first(x: number): number {
    let lo = 0,
      hi = this.mid.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (this.mid[m]! < x) lo = m + 1;
      else hi = m;
    }
    return lo;
  }

  /** Weighted detections a sensor of yield q over the stretch would add. */
  private gain(from: number, to: number, q: number): number {
    let g = 0;
    for (let c = this.first(from); c < this.mid.length && this.mid[c]! < to; c++) g += this.weight[c]! * this.miss[c]!;
    return q * g;
  }

  /** Count a sensor of yield q over the stretch as placed. */
  private watch(from: number, to: number, q: number): void {
    for (let c = this.first(from); c < this.mid.length && this.mid[c]! < to; c++) this.miss[c]! *= 1 - q;
  }

  /** Count a sensor already placed (fixed or UAV; satellites are ignored). */
  keep(u: SensorUnit): void {
    const asset = this.s.assets.find((a) => a.id === u.asset);
    if (!asset || (asset.kind !== "fixed" && asset.kind !== "uav")) return;
    const base = u.base === null ? undefined : this.s.bases.find((b) => b.id === u.base);
    this.watch(u.from, u.to, sensorYield(asset, u, base));
  }

  /**
   * Where a new sensor of this asset adds most, among stretches centred on the cells of the sectors in `mayWatch`
   * (UAVs: where the nearest base reaches the orbit); the pick is counted as placed. Null when no stretch qualifies.
   */
  place(asset: FixedAsset | UavAsset, mayWatch: ReadonlySet<number>): MarginalPick | null {
    let best: MarginalPick | null = null;
    for (let c = 0; c < this.mid.length; c++) {
      if (!mayWatch.has(this.sectorOf[c]!)) continue;
      const st = stretchAt(this.mid[c]!, asset.coverKm, this.s.lineKm);
      let base = -1,
        q: number;
      if (asset.kind === "uav") {
        if (this.s.bases.length === 0) continue;
        base = nearestBaseAt(this.s.bases, (st.from + st.to) / 2);
        const b = this.s.bases[base]!;
        if (asset.endurance <= roundTripHours(b, st, asset.speed)) continue;
        q = sensorYield(asset, st, b);
      } else q = sensorYield(asset, st);
      const g = this.gain(st.from, st.to, q);
      if (best === null || g > best.gain) best = { from: st.from, to: st.to, base, sector: this.sectorOf[c]!, gain: g };
    }
    if (best) {
      const b = best.base >= 0 ? this.s.bases[best.base] : undefined;
      this.watch(best.from, best.to, sensorYield(asset, best, b));
    }
    return best;
  }
}
