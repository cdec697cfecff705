/**
 * The scenario format v1 ("ceasefire-sim/scenario@1") as users write it: plain
 * TypeScript types, written by hand from the schema in `schema.ts` (which
 * validates, converts units and fills defaults) and kept equal to its input
 * type by a type test (tests/schema.test.ts). The JSON Schema of the same
 * format ships as `ceasefire-sim/scenario.schema.json`.
 *
 * Optional fields have the defaults named in their comments.
 */

/** The format tag every scenario carries in its `format` field. */
export const SCENARIO_FORMAT = "ceasefire-sim/scenario@1";

/** A duration as a unit string, e.g. `"90 min"`, `"2 h"`, `"1.5 d"`. */
export type DurationText = string;
/** A length as a unit string (`"120 km"`) or a bare number of km. */
export type LengthText = string | number;
/** A speed as a unit string, e.g. `"40 km/h"`. */
export type SpeedText = string;
/** A rate as a unit string, e.g. `"36 /d"`, `"2 /h"`. */
export type RateText = string;

/** A duration: a fixed value, or a distribution of durations. */
export type DistributionInput =
  | DurationText
  | { dist: "exponential"; mean: DurationText }
  | { dist: "lognormal"; median: DurationText; p95: DurationText }
  | { dist: "uniform"; min: DurationText; max: DurationText }
  | { dist: "triangular"; min: DurationText; mode: DurationText; max: DurationText }
  | { dist: "gamma"; mean: DurationText; cv: number }
  | { dist: "empirical"; values: DurationText[] };

/** A probability that may differ by day and night: one number, or `{ day, night }`. */
export type DayNightInput = number | { day: number; night: number };
/**
 * A sensor type's detection probability: a number, or `{ day, night }` with optional factors per severity
 * (`severity: { minor: 0.4 }`: minor incidents are detected with 0.4 × the day or night probability; a severity
 * not given keeps factor 1).
 */
export type DetectionInput =
  | number
  | { day: number; night: number; severity?: { minor?: number; major?: number; critical?: number } };

/** One stretch of the line with its incident process. */
export interface SectorInput {
  id: string;
  name?: string;
  notes?: string;
  lengthKm: LengthText;
  incidents: {
    rate: RateText;
    /** Default 0.5. */
    nightShare?: number;
    /** Shares summing to 1. */
    severity: { minor: number; major: number; critical: number };
    /** Stretches (km from the sector start) that get a share of the incidents. Default none. */
    hotspots?: { from: LengthText; to: LengthText; share: number }[];
  };
  /** Default: no delay, no denial. */
  access?: { delay?: DistributionInput; denial?: number };
  /** Id of the state that leads the sector. */
  lead: string;
  /** Default 1. */
  priority?: number;
  /** Default 0. */
  risk?: number;
}

/** A state of the incident process (calm, escalation, …) that multiplies every sector's rate. */
export interface RegimeInput {
  id: string;
  name?: string;
  notes?: string;
  multiplier: number;
  meanDuration: DurationText;
  /** Where the process goes when it leaves this regime: regime id → probability. Default: the others equally. */
  next?: Record<string, number>;
}

/** A contributing, hosting or leading state, or a party. */
export interface StateInput {
  id: string;
  name: string;
  notes?: string;
  /** Default "contributor". */
  role?: "lead" | "contributor" | "host" | "party";
  /** National caveats. Default: every sector, night movement allowed, any risk. */
  caveats?: {
    allowedSectors?: string[];
    excludedSectors?: string[];
    nightMovement?: boolean;
    maxRisk?: number;
  };
}

/** A verification team. */
export interface TeamAssetInput {
  id: string;
  kind: "team";
  name?: string;
  notes?: string;
  speed: SpeedText;
  /** Default false. */
  nightCapable?: boolean;
  onSite: DistributionInput;
  /** Long-run share of time available and the mean unavailable spell. Default `{ share: 1, downtime: "24 h" }`. */
  availability?: { share: number; downtime: DurationText };
  /**
   * Patrol detection. Without `hours`, the teams based in a sector detect there at any time (the per-base rule);
   * with `hours` (per day, at most 24 h), each team patrols its sector of responsibility on a schedule, by day
   * only unless `night`; `sweepKm` (default: the whole sector) is the stretch one patrol sweeps.
   */
  patrol?: {
    detection: number;
    latency?: DistributionInput;
    hours?: DurationText;
    /** Default false. */
    night?: boolean;
    sweepKm?: LengthText;
  };
  /** Default 6. */
  personnel?: number;
  /** Cost of one unit over the mission, in one currency unit for every asset (only shares are reported). */
  unitCost?: number;
}

/** A fixed sensor (camera, acoustic sensor) watching `coverKm` of line. */
export interface FixedAssetInput {
  id: string;
  kind: "fixed";
  name?: string;
  notes?: string;
  coverKm: LengthText;
  detection: DetectionInput;
  latency?: DistributionInput;
  outages?: { mtbf: DurationText; repair: DistributionInput };
  /** Cost of one unit over the mission (see `TeamAssetInput.unitCost`). */
  unitCost?: number;
}

/** A UAV type. */
export interface UavAssetInput {
  id: string;
  kind: "uav";
  name?: string;
  notes?: string;
  coverKm: LengthText;
  speed: SpeedText;
  endurance: DurationText;
  turnaround: DurationText;
  detection: DetectionInput;
  latency?: DistributionInput;
  /** Default `{ probability: 0, factor: 1 }`. */
  jamming?: { probability: number; factor: number };
  /** Cost of one unit over the mission (see `TeamAssetInput.unitCost`). */
  unitCost?: number;
  /**
   * When the UAVs are on station: `"24h"` (default), `"day"` (daylight only) or `"night"` (night only). Sorties
   * keep their cycle; time on station outside the allowed period is dropped.
   */
  schedule?: "24h" | "day" | "night";
}

/** Satellite imagery. */
export interface SatelliteAssetInput {
  id: string;
  kind: "satellite";
  name?: string;
  notes?: string;
  revisit: DurationText;
  detection: DetectionInput;
  latency?: DistributionInput;
  /** Severities it can see. Default `["major", "critical"]`. */
  sees?: ("minor" | "major" | "critical")[];
  /** How long an incident's traces stay visible from orbit. Default: one revisit. */
  window?: DurationText;
  /** Cost of one unit over the mission (see `TeamAssetInput.unitCost`). */
  unitCost?: number;
  /**
   * Share of passes obscured by cloud (an optical sensor), each pass independently: a pass detects with
   * probability (1 − cloud) × its day or night probability. Default 0 (radar, or clear skies).
   */
  cloud?: number;
}

/** An asset type, by `kind`. */
export type AssetInput = TeamAssetInput | FixedAssetInput | UavAssetInput | SatelliteAssetInput;

/** A base: on the line (`x` km along it, `offsetKm` off it, default 0) or at a longitude and latitude. */
export interface BaseInput {
  id: string;
  name?: string;
  notes?: string;
  location: { x: LengthText; offsetKm?: LengthText } | { lon: number; lat: number };
  /** Teams it can hold. Default 1,000,000. */
  capacity?: number;
  /** The state that runs it. */
  state?: string;
}

/** What a state contributes: `count` of one asset type. */
export interface ContributionInput {
  state: string;
  asset: string;
  count: number;
  notes?: string;
}

/**
 * Where the contributed units go: a strategy by name (with its options), or
 * explicit placements of teams at bases and sensors over sectors or stretches.
 */
export type AllocationInput =
  | { strategy: string; options?: Record<string, unknown> }
  | {
      /** `patrols`: the sector these teams patrol when their asset has patrol `hours` (default: by the rule). */
      teams?: { state: string; asset: string; base: string; count: number; patrols?: string }[];
      sensors?: {
        state: string;
        asset: string;
        count: number;
        /** Spread the sensors evenly over this sector… */
        sector?: string;
        /** …or over this stretch of the line (km from the start). */
        from?: LengthText;
        to?: LengthText;
        /** UAVs fly from this base. Default: the nearest base. */
        base?: string;
      }[];
    };

/** A scenario as users write it (JSON with unit strings); `parseScenario` turns it into a `Scenario`. */
export interface ScenarioInput {
  /** Editors' schema reference, e.g. "./node_modules/ceasefire-sim/schema/scenario.schema.json"; ignored. */
  $schema?: string;
  format: typeof SCENARIO_FORMAT;
  name: string;
  description?: string;
  notes?: string;
  horizon: DurationText;
  /** Default 0. */
  warmup?: DurationText;
  /** How long verifications started before the horizon's end are followed after it. Default 72 h. */
  drain?: DurationText;
  /**
   * Day and night. Default `{ dawn: "6 h", dusk: "18 h" }`, the same every day; or civil twilight from the sun
   * (`SolarDaylightInput`), each day its own.
   */
  daylight?: { dawn: DurationText; dusk: DurationText } | SolarDaylightInput;
  line?: {
    notes?: string;
    lengthKm?: LengthText;
    geometry?: { type: "LineString"; coordinates: [number, number][] };
  };
  sectors: SectorInput[];
  regimes?: RegimeInput[];
  states: StateInput[];
  assets?: AssetInput[];
  bases?: BaseInput[];
  contributions?: ContributionInput[];
  /** Reporting delay, and the parties' own reports (hotline): probability and delay. */
  reporting?: {
    latency?: DistributionInput;
    parties?: { probability: number; latency?: DistributionInput };
  };
  coordination: {
    /** Id of the lead state. */
    lead: string;
    tasking?: DistributionInput;
    crossNational?: DistributionInput;
    /** Default "nearest-available". */
    dispatch?: "nearest-available" | "earliest-arrival" | "fixed-preference";
    /** For "fixed-preference": per sector id, base ids in the order their teams are asked. */
    preference?: Record<string, string[]>;
    /**
     * The order in which waiting incidents get a team (default "fifo-critical-first"): oldest first, critical
     * before major ("fifo-critical-first") or not ("fifo"); "in-standard-first" is "fifo-critical-first" with
     * the incidents still within the response standard (younger than it) served before the overdue ones.
     */
    queue?: "fifo-critical-first" | "fifo" | "in-standard-first";
    /** After a verification a team may be tasked again from the site (true, the default) or return first. */
    retaskFromField?: boolean;
  };
  /** Road distance = circuity × straight line (default 1.3), or travel times: sector id → base id → duration. */
  travel?: { circuity: number } | { hours: Record<string, Record<string, DurationText>> };
  /** Default `{ response: "24 h" }`. */
  standards?: { response: DurationText };
  allocation?: AllocationInput;
}

/**
 * Daylight from the sun: each day's dawn and dusk are civil twilight (the sun 6° below the horizon, NOAA's solar
 * equations) at one place for the whole line.
 *
 * @example
 * ```ts
 * const winter: SolarDaylightInput = { date: "2026-12-01", latitude: 48.5, longitude: 37.5, utcOffset: "+02:00" };
 * ```
 */
export interface SolarDaylightInput {
  /** The ISO date (YYYY-MM-DD) of hour 0: the clock starts at that day's local midnight. */
  date: string;
  /** Degrees north. Default: the midpoint of the line's geometry (required without one). */
  latitude?: number;
  /** Degrees east. Default: the midpoint of the line's geometry (required without one). */
  longitude?: number;
  /** The clock's offset from UTC, "+02:00"; fixed for the run. Default: round(longitude / 15) hours. */
  utcOffset?: string;
}
