/**
 * The canonical scenario: what `parseScenario` returns. Every quantity is in
 * canonical units — hours, km, km/h, per hour — and every reference is
 * resolved to an index into the owning array. The object is deeply frozen.
 */

import type { ScenarioIssue } from "./errors.js";
import type { Daylight } from "./daylight.js";

/** A duration distribution, parameters in hours. */
export type Distribution =
  | { kind: "fixed"; value: number }
  | { kind: "exponential"; mean: number }
  | { kind: "lognormal"; median: number; p95: number; mu: number; sigma: number }
  | { kind: "uniform"; min: number; max: number }
  | { kind: "triangular"; min: number; mode: number; max: number }
  | { kind: "gamma"; mean: number; cv: number; shape: number; scale: number }
  | { kind: "empirical"; values: number[] };

export type Severity = "minor" | "major" | "critical";

/**
 * The channels that detect incidents, as named in results (`detection.byChannel`): fixed sensors, UAVs,
 * satellites, team patrols and the parties' own reports. The same as the declared channel codes' labels (a type
 * test in tests/stats.test.ts checks).
 */
export type Channel = "fixed" | "uav" | "satellite" | "patrol" | "parties";
export const SEVERITIES: readonly Severity[] = ["minor", "major", "critical"];

export interface DayNight {
  day: number;
  night: number;
}

/**
 * A sensor type's detection: its probability by day and by night, and a factor on it for each severity (1 unless
 * the scenario gives one): an incident of severity v at night is detected with probability night × severity[v].
 */
export interface Detection extends DayNight {
  severity: Record<Severity, number>;
}

export interface Sector {
  id: string;
  name: string;
  index: number;
  /** Start and end on the line, km. */
  from: number;
  to: number;
  lengthKm: number;
  /** Mean incidents per hour at a regime multiplier of 1. */
  rate: number;
  nightShare: number;
  severity: Record<Severity, number>;
  /** Piecewise-constant placement profile within the sector, offsets in km from the sector start; shares sum to 1. */
  profile: { from: number; to: number; share: number }[];
  access: { delay: Distribution | null; denial: number };
  lead: number;
  priority: number;
  risk: number;
}

export interface Regime {
  id: string;
  name: string;
  multiplier: number;
  meanDuration: number;
  /** Jump probabilities to every regime (index), zero on the diagonal. */
  next: number[];
  /** Long-run share of time in this regime (the initial distribution). */
  stationary: number;
}

export interface State {
  id: string;
  name: string;
  index: number;
  role: "lead" | "contributor" | "host" | "party";
  caveats: { allowedSectors: number[]; nightMovement: boolean; maxRisk: number };
}

export interface TeamAsset {
  kind: "team";
  id: string;
  name: string;
  index: number;
  speed: number;
  nightCapable: boolean;
  onSite: Distribution;
  availability: { share: number; downtime: number };
  /**
   * Patrol detection: `hours` null — the per-base rule (teams based in a sector detect there at any time);
   * else hours per day on patrol in the team's sector of responsibility, after dusk too when `night`, over
   * `sweepKm` of it (null: the whole sector).
   */
  patrol: {
    detection: number;
    latency: Distribution | null;
    hours: number | null;
    night: boolean;
    sweepKm: number | null;
  } | null;
  personnel: number;
  /** Cost of one unit over the mission (null: not given). */
  unitCost: number | null;
}

export interface FixedAsset {
  kind: "fixed";
  id: string;
  name: string;
  index: number;
  coverKm: number;
  detection: Detection;
  latency: Distribution | null;
  outages: { mtbf: number; repair: Distribution } | null;
  /** Cost of one unit over the mission (null: not given). */
  unitCost: number | null;
}

export interface UavAsset {
  kind: "uav";
  id: string;
  name: string;
  index: number;
  coverKm: number;
  speed: number;
  endurance: number;
  turnaround: number;
  detection: Detection;
  latency: Distribution | null;
  jamming: { probability: number; factor: number };
  /** Cost of one unit over the mission (null: not given). */
  unitCost: number | null;
  /** When sorties may be on station: around the clock, in daylight only, or at night only. */
  schedule: "24h" | "day" | "night";
}

export interface SatelliteAsset {
  kind: "satellite";
  id: string;
  name: string;
  index: number;
  revisit: number;
  detection: Detection;
  latency: Distribution | null;
  sees: Record<Severity, boolean>;
  window: number;
  /** Cost of one unit over the mission (null: not given). */
  unitCost: number | null;
  /** Share of passes obscured by cloud, each pass independently (0 for radar). */
  cloud: number;
}

export type Asset = TeamAsset | FixedAsset | UavAsset | SatelliteAsset;

export interface Base {
  id: string;
  name: string;
  index: number;
  /** Position along the line (km) and distance off the line (km). */
  x: number;
  offsetKm: number;
  capacity: number;
  /** Index of the sector containing x. */
  sector: number;
}

export interface Contribution {
  state: number;
  asset: number;
  count: number;
}

/** One placement of an explicit allocation, with references resolved. */
export interface TeamPlacement {
  state: number;
  asset: number;
  base: number;
  count: number;
  /** The sector these teams patrol on a schedule (null: by the rule of src/compile/patrols.ts). */
  patrols: number | null;
}
export interface SensorPlacement {
  state: number;
  asset: number;
  count: number;
  from: number;
  to: number;
  base: number | null;
}

export type AllocationSpec =
  | { kind: "strategy"; strategy: string; options: Record<string, unknown> }
  | { kind: "explicit"; teams: TeamPlacement[]; sensors: SensorPlacement[] };

export interface Scenario {
  format: "ceasefire-sim/scenario@1";
  name: string;
  description: string;
  /** Hours. */
  horizon: number;
  warmup: number;
  drain: number;
  /** A fixed dawn and dusk (hours after midnight), or civil twilight from the sun (src/model/daylight.ts). */
  daylight: Daylight;
  lineKm: number;
  geometry: { type: "LineString"; coordinates: [number, number][] } | null;
  sectors: Sector[];
  regimes: Regime[];
  states: State[];
  assets: Asset[];
  bases: Base[];
  contributions: Contribution[];
  reporting: { latency: Distribution | null; parties: { probability: number; latency: Distribution | null } | null };
  coordination: {
    lead: number;
    tasking: Distribution | null;
    crossNational: Distribution | null;
    dispatch: "nearest-available" | "earliest-arrival" | "fixed-preference";
    /** Per sector (index), base indices in preference order (empty: nearest first). */
    preference: number[][];
    queue: "fifo-critical-first" | "fifo" | "in-standard-first";
    retaskFromField: boolean;
  };
  travel: { kind: "circuity"; circuity: number } | { kind: "matrix"; hours: number[][] /* sector × base */ };
  standards: { response: number };
  allocation: AllocationSpec | null;
  /** The input as given (after JSON round-trip), kept for hashing and provenance. */
  source: unknown;
  /**
   * What parsing accepted but the author should see, each with its JSON path: duplicate keys of a JSON text
   * (JSON keeps only the last value). Empty for a scenario given as an object.
   */
  warnings: readonly ScenarioIssue[];
}
