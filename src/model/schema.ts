/**
 * The scenario format v1 ("ceasefire-sim/scenario@1") as a zod schema.
 *
 * This file is the single source of truth for the format: `parseScenario`
 * validates with it, and `schema/scenario.schema.json` is generated from it
 * (`npm run schema`). Quantities are unit strings converted to canonical
 * units (hours, km, km/h, per hour) by the transforms below; cross-references
 * (ids, sums) are checked afterwards in `parse.ts`.
 */
import * as z from "zod";
import { parseQuantity, type Dimension } from "./units.js";
import type { Distribution } from "./types.js";
import { SCENARIO_FORMAT } from "./input.js";
import { belowMinimum, MAX_QUANTITY, MIN_CYCLE, MIN_HORIZON, MIN_WARMUP, type DurationMinimum } from "./limits.js";

interface QuantityOptions {
  min?: number;
  positive?: boolean;
  /** A duration's minimum (limits.ts), refused with its text. */
  atLeast?: DurationMinimum;
}

/** Reads one quantity into its canonical unit, or adds an issue saying why it cannot. */
function canonical(v: string | number, ctx: z.RefinementCtx, dimension: Dimension, opts: QuantityOptions): number {
  let value: number;
  if (typeof v === "number") {
    value = v;
    if (!Number.isFinite(value)) {
      ctx.addIssue({ code: "custom", message: `expected a finite number of km; got ${v}` });
      return z.NEVER;
    }
  } else {
    const r = parseQuantity(v, dimension);
    if (!r.ok) {
      ctx.addIssue({ code: "custom", message: r.message });
      return z.NEVER;
    }
    value = r.value;
  }
  if (opts.positive && !(value > 0)) {
    ctx.addIssue({ code: "custom", message: `expected a ${dimension} greater than zero; got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  const max = MAX_QUANTITY[dimension];
  if (Math.abs(value) > max.value) {
    ctx.addIssue({
      code: "custom",
      message: `expected a ${dimension} of at most ${max.text}; got ${JSON.stringify(v)}`,
    });
    return z.NEVER;
  }
  if (opts.atLeast && belowMinimum(value, opts.atLeast)) {
    ctx.addIssue({
      code: "custom",
      message: `expected a ${dimension} of at least ${opts.atLeast.text}; got ${JSON.stringify(v)}`,
    });
    return z.NEVER;
  }
  if (value < (opts.min ?? 0)) {
    ctx.addIssue({
      code: "custom",
      message: `expected a ${dimension} of at least ${opts.min ?? 0}; got ${JSON.stringify(v)}`,
    });
    return z.NEVER;
  }
  return value;
}

/** A quantity of the given dimension as a unit string. */
function quantity(dimension: Exclude<Dimension, "length">, opts: QuantityOptions = {}) {
  return z
    .string()
    .meta({ description: `a ${dimension} as a unit string` })
    .transform((v, ctx) => canonical(v, ctx, dimension, opts));
}

/** A length: a unit string, or a bare number of km. */
function length(opts: QuantityOptions = {}) {
  return z
    .union([z.string(), z.number()])
    .meta({ description: "a length as a unit string (or a number of km)" })
    .transform((v, ctx) => canonical(v, ctx, "length", opts));
}

const duration = () => quantity("duration");
const probability = () =>
  z
    .number()
    .check(
      z.refine((p) => Number.isFinite(p) && p >= 0 && p <= 1, { message: "expected a probability between 0 and 1" }),
    );
const id = () =>
  z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, {
    error: (issue) => {
      const v = issue.input;
      const got = typeof v === "string" && v.length <= 70 ? `; got ${JSON.stringify(v)}` : "";
      return (
        "expected an id of letters, digits, '_', '.', '-', starting with a letter or digit " +
        `(at most 64 characters)${got}`
      );
    },
  });
/** Free-text notes (sources, assumptions) allowed on the main objects; ignored by the engine. */
const notes = () => z.string().max(10_000).optional();
const count = () =>
  z
    .number()
    .int("expected a whole number")
    .min(0, "expected a count of at least 0")
    .max(1_000_000, "expected a count of at most 1,000,000");

/** Every duration accepts a fixed value or one of these distributions (all in canonical hours after parsing). */
export const distributionSchema = z.union([
  duration().transform((value): Distribution => ({ kind: "fixed", value })),
  z
    .strictObject({ dist: z.literal("exponential"), mean: duration() })
    .transform((d): Distribution => ({ kind: "exponential", mean: d.mean })),
  z
    .strictObject({
      dist: z.literal("lognormal"),
      median: quantity("duration", { positive: true }),
      p95: quantity("duration", { positive: true }),
    })
    .check(z.refine((d) => d.p95 > d.median, { message: "expected p95 greater than median", path: ["p95"] }))
    .transform(
      (d): Distribution => ({
        kind: "lognormal",
        median: d.median,
        p95: d.p95,
        mu: Math.log(d.median),
        sigma: Math.log(d.p95 / d.median) / 1.6448536269514722,
      }),
    ),
  z
    .strictObject({ dist: z.literal("uniform"), min: duration(), max: duration() })
    .check(z.refine((d) => d.max >= d.min, { message: "expected max at least min", path: ["max"] }))
    .transform((d): Distribution => ({ kind: "uniform", min: d.min, max: d.max })),
  z
    .strictObject({ dist: z.literal("triangular"), min: duration(), mode: duration(), max: duration() })
    .check(
      z.refine((d) => d.min <= d.mode && d.mode <= d.max && d.max > d.min, {
        message: "expected min <= mode <= max with min < max",
        path: ["mode"],
      }),
    )
    .transform((d): Distribution => ({ kind: "triangular", min: d.min, mode: d.mode, max: d.max })),
  z
    .strictObject({
      dist: z.literal("gamma"),
      mean: quantity("duration", { positive: true }),
      cv: z.number().gt(0, "expected cv > 0").lte(10, "expected cv <= 10"),
    })
    .transform(
      (d): Distribution => ({
        kind: "gamma",
        mean: d.mean,
        cv: d.cv,
        shape: 1 / (d.cv * d.cv),
        scale: d.mean * d.cv * d.cv,
      }),
    ),
  z
    .strictObject({
      dist: z.literal("empirical"),
      values: z.array(duration()).min(1, "expected at least one value").max(100_000),
    })
    .transform((d): Distribution => ({ kind: "empirical", values: d.values })),
]);

/** Factors on a sensor type's detection probability for incidents of each severity (1 where not given). */
const severityFactors = () =>
  z
    .strictObject({
      minor: probability().optional(),
      major: probability().optional(),
      critical: probability().optional(),
    })
    .meta({
      description:
        "factors (0 to 1) on the detection probability for incidents of each severity, e.g. { minor: 0.4 } for " +
        "small-arms fire an acoustic array hears less well than artillery; a severity not given keeps factor 1",
    });
/**
 * A detection probability that may differ by day and night and by severity: a number, or { day, night,
 * severity? }. The probability for an incident is the day or night probability times its severity's factor.
 */
const detection = () =>
  z.union([
    probability().transform((p) => ({ day: p, night: p, severity: { minor: 1, major: 1, critical: 1 } })),
    z
      .strictObject({ day: probability(), night: probability(), severity: severityFactors().optional() })
      .transform((d) => ({
        day: d.day,
        night: d.night,
        severity: { minor: d.severity?.minor ?? 1, major: d.severity?.major ?? 1, critical: d.severity?.critical ?? 1 },
      })),
  ]);

const severity = z.strictObject({ minor: probability(), major: probability(), critical: probability() }).check(
  z.refine((s) => Math.abs(s.minor + s.major + s.critical - 1) < 1e-6, {
    message: "expected severity shares (minor + major + critical) summing to 1",
  }),
);

const hotspot = z.strictObject({
  from: length(),
  to: length(),
  share: probability(),
});

export const sectorSchema = z.strictObject({
  id: id(),
  name: z.string().max(200).optional(),
  notes: notes(),
  lengthKm: length({ positive: true }),
  incidents: z.strictObject({
    rate: quantity("rate"),
    nightShare: probability().default(0.5),
    severity,
    hotspots: z.array(hotspot).max(100).default([]),
  }),
  access: z
    .strictObject({ delay: distributionSchema.optional(), denial: probability().default(0) })
    .default({ denial: 0 }),
  lead: id(),
  priority: z.number().gt(0, "expected priority > 0").lte(1000).default(1),
  risk: probability().default(0),
});

export const regimeSchema = z.strictObject({
  id: id(),
  name: z.string().max(200).optional(),
  notes: notes(),
  multiplier: z.number().min(0, "expected a rate multiplier of at least 0").lte(1000),
  meanDuration: quantity("duration", { positive: true, atLeast: MIN_CYCLE }),
  /** Where the process goes when it leaves this regime: regime id → probability. Default: the others equally. */
  next: z.record(z.string(), probability()).optional(),
});

export const stateSchema = z.strictObject({
  id: id(),
  name: z.string().max(200),
  notes: notes(),
  role: z.enum(["lead", "contributor", "host", "party"]).default("contributor"),
  caveats: z
    .strictObject({
      allowedSectors: z.array(id()).max(1000).optional(),
      excludedSectors: z.array(id()).max(1000).default([]),
      nightMovement: z.boolean().default(true),
      maxRisk: probability().default(1),
    })
    .default({ excludedSectors: [], nightMovement: true, maxRisk: 1 }),
});

/** An asset type's cost per unit (optional): what the burden's cost-weighted shares weigh units by. */
const unitCost = () =>
  z
    .number()
    .check(
      z.refine((c) => Number.isFinite(c) && c >= 0, {
        message: "expected a unit cost: a finite number of at least 0",
      }),
    )
    .optional()
    .meta({
      description:
        "cost of one unit over the mission, in one currency unit used for every asset of the scenario " +
        "(only shares are reported)",
    });

const teamAsset = z.strictObject({
  id: id(),
  kind: z.literal("team"),
  name: z.string().max(200).optional(),
  notes: notes(),
  speed: quantity("speed", { positive: true }),
  nightCapable: z.boolean().default(false),
  onSite: distributionSchema,
  /** Long-run share of time a team is available, and the mean unavailable spell (rotation, maintenance). */
  availability: z
    .strictObject({
      share: z.number().gt(0, "expected an availability share > 0").lte(1, "expected an availability share <= 1"),
      downtime: quantity("duration", { positive: true, atLeast: MIN_CYCLE }),
    })
    .default({ share: 1, downtime: 24 }),
  /**
   * Patrol detection. Without `hours`: the teams based in a sector detect its incidents at any time, busy or not
   * (the per-base rule). With `hours`: patrols as an activity — each team patrols its sector of responsibility
   * that many hours a day, by day only unless `night` (src/compile/patrols.ts, docs/estimands.md).
   */
  patrol: z
    .strictObject({
      detection: probability().meta({
        description: "probability that a patrol present in the sector detects an incident in the stretch it sweeps",
      }),
      latency: distributionSchema.optional(),
      hours: quantity("duration")
        .optional()
        .meta({ description: "hours a day each team patrols its sector of responsibility (at most 24 h)" }),
      night: z
        .boolean()
        .default(false)
        .meta({ description: "patrols continue after dusk (only for teams that may move at night); default false" }),
      sweepKm: length({ positive: true })
        .optional()
        .meta({ description: "length of line one patrol sweeps (default: its whole sector)" }),
    })
    .optional(),
  personnel: count().default(6),
  unitCost: unitCost(),
});

const fixedAsset = z.strictObject({
  id: id(),
  kind: z.literal("fixed"),
  name: z.string().max(200).optional(),
  notes: notes(),
  /** Length of line one sensor watches. */
  coverKm: length({ positive: true }),
  detection: detection(),
  latency: distributionSchema.optional(),
  /** Mean time between failures, and the repair time (its mean at least MIN_CYCLE, checked in parse.ts). */
  outages: z
    .strictObject({ mtbf: quantity("duration", { positive: true, atLeast: MIN_CYCLE }), repair: distributionSchema })
    .optional(),
  unitCost: unitCost(),
});

const uavAsset = z.strictObject({
  id: id(),
  kind: z.literal("uav"),
  name: z.string().max(200).optional(),
  notes: notes(),
  coverKm: length({ positive: true }),
  speed: quantity("speed", { positive: true }),
  endurance: quantity("duration", { positive: true }),
  turnaround: quantity("duration"),
  detection: detection(),
  latency: distributionSchema.optional(),
  jamming: z.strictObject({ probability: probability(), factor: probability() }).default({ probability: 0, factor: 1 }),
  unitCost: unitCost(),
  /** When sorties may be on station: around the clock (default), in daylight only, or at night only. */
  schedule: z
    .enum(["24h", "day", "night"])
    .default("24h")
    .meta({
      description:
        'when the UAVs are on station: "24h" (default), "day" (daylight only) or "night" (night only); sorties ' +
        "keep their cycle, and the time on station outside the allowed period is dropped",
    }),
});

const satelliteAsset = z.strictObject({
  id: id(),
  kind: z.literal("satellite"),
  name: z.string().max(200).optional(),
  notes: notes(),
  revisit: quantity("duration", { positive: true, atLeast: MIN_CYCLE }),
  detection: detection(),
  latency: distributionSchema.optional(),
  /** Severities a satellite can see (default: major and critical). */
  sees: z
    .array(z.enum(["minor", "major", "critical"]))
    .min(1)
    .default(["major", "critical"]),
  /** How long the traces of an incident stay visible from orbit (default: one revisit). */
  window: quantity("duration", { positive: true }).optional(),
  unitCost: unitCost(),
  /** Share of passes obscured by cloud (optical sensors; 0 for radar), each pass independently. */
  cloud: probability()
    .default(0)
    .meta({
      description:
        "share of passes obscured by cloud (an optical sensor; 0, the default, for radar): each pass is obscured " +
        "independently, so its detection probability is multiplied by 1 − cloud",
    }),
});

export const assetSchema = z.discriminatedUnion("kind", [teamAsset, fixedAsset, uavAsset, satelliteAsset]);

const baseLocation = z.union([
  z.strictObject({
    x: length(),
    offsetKm: length().default(0),
  }),
  z.strictObject({
    lon: z.number().gte(-180, "expected longitude >= -180").lte(180, "expected longitude <= 180"),
    lat: z.number().gte(-90, "expected latitude >= -90").lte(90, "expected latitude <= 90"),
  }),
]);

export const baseSchema = z.strictObject({
  id: id(),
  name: z.string().max(200).optional(),
  notes: notes(),
  location: baseLocation,
  capacity: count().default(1_000_000),
  state: id().optional(),
});

export const contributionSchema = z.strictObject({ state: id(), asset: id(), count: count(), notes: notes() });

const teamPlacement = z.strictObject({
  state: id(),
  asset: id(),
  base: id(),
  count: count(),
  patrols: id()
    .optional()
    .meta({ description: "sector these teams patrol when their asset has a patrol schedule (default: by the rule)" }),
});
const sensorPlacement = z.strictObject({
  state: id(),
  asset: id(),
  count: count(),
  /** Spread the sensors evenly over this sector... */
  sector: id().optional(),
  /** ...or over this stretch of the line (km from the start). */
  from: length().optional(),
  to: length().optional(),
  /** UAVs fly from this base (default: the nearest base). */
  base: id().optional(),
});

export const allocationSchema = z.union([
  z.strictObject({ strategy: z.string().max(100), options: z.record(z.string(), z.unknown()).optional() }),
  z.strictObject({
    teams: z.array(teamPlacement).max(100_000).default([]),
    sensors: z.array(sensorPlacement).max(100_000).default([]),
  }),
]);

const geometry = z.strictObject({
  type: z.literal("LineString"),
  coordinates: z
    .array(z.tuple([z.number().gte(-180).lte(180), z.number().gte(-90).lte(90)]))
    .min(2)
    .max(100_000),
});

export const scenarioSchema = z.strictObject({
  /** Editors' schema reference, e.g. "./node_modules/ceasefire-sim/schema/scenario.schema.json"; ignored. */
  $schema: z.string().max(2000).optional(),
  format: z.literal(SCENARIO_FORMAT, { message: `expected "format": "${SCENARIO_FORMAT}"` }),
  name: z.string().min(1).max(200),
  description: z.string().max(10_000).optional(),
  notes: notes(),
  horizon: quantity("duration", { positive: true, atLeast: MIN_HORIZON }),
  warmup: quantity("duration", { atLeast: MIN_WARMUP }).default(0),
  /** In-flight verifications started before the horizon's end are followed this long after it. */
  drain: duration().default(72),
  /**
   * Day and night: a fixed dawn and dusk (hours after midnight, the same every day), or civil twilight from the
   * sun (src/model/daylight.ts): the date of hour 0, the place (default: the midpoint of the line's geometry)
   * and the clock's UTC offset (default: the longitude's nominal zone, round(longitude / 15) h).
   */
  daylight: z
    .union([
      z
        .strictObject({ dawn: duration(), dusk: duration() })
        .check(z.refine((d) => d.dawn <= d.dusk && d.dusk <= 24, { message: "expected 0 <= dawn <= dusk <= 24 h" })),
      z.strictObject({
        /** The date of hour 0 (local midnight at utcOffset), e.g. "2026-12-01". */
        date: z.iso.date({ message: 'expected an ISO date "YYYY-MM-DD"' }).check(
          z.refine((d) => +d.slice(0, 4) >= 1901 && +d.slice(0, 4) <= 2099, {
            message: "expected a date in the years 1901 to 2099",
          }),
        ),
        /** Degrees north (negative: south). */
        latitude: z.number().gte(-90, "expected a latitude >= -90").lte(90, "expected a latitude <= 90").optional(),
        /** Degrees east (negative: west). */
        longitude: z
          .number()
          .gte(-180, "expected a longitude >= -180")
          .lte(180, "expected a longitude <= 180")
          .optional(),
        /** The clock's offset from UTC, "+02:00" (no daylight-saving change within a run). */
        utcOffset: z
          .string()
          .regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, { message: 'expected an offset from UTC such as "+02:00" or "-05:30"' })
          .transform((o) => (o[0] === "-" ? -1 : 1) * (+o.slice(1, 3) + +o.slice(4, 6) / 60))
          .optional(),
      }),
    ])
    .default({ dawn: 6, dusk: 18 }),
  line: z
    .strictObject({
      notes: notes(),
      lengthKm: length({ positive: true }).optional(),
      geometry: geometry.optional(),
    })
    .optional(),
  sectors: z.array(sectorSchema).min(1, "expected at least one sector").max(10_000),
  regimes: z.array(regimeSchema).max(100).default([]),
  states: z.array(stateSchema).min(1, "expected at least one state").max(1000),
  assets: z.array(assetSchema).max(1000).default([]),
  bases: z.array(baseSchema).max(10_000).default([]),
  contributions: z.array(contributionSchema).max(100_000).default([]),
  reporting: z
    .strictObject({
      latency: distributionSchema.optional(),
      /** The parties' own reports (hotline): probability an incident is reported, and the delay. */
      parties: z.strictObject({ probability: probability(), latency: distributionSchema.optional() }).optional(),
    })
    .default({}),
  coordination: z.strictObject({
    lead: id(),
    tasking: distributionSchema.optional(),
    crossNational: distributionSchema.optional(),
    dispatch: z.enum(["nearest-available", "earliest-arrival", "fixed-preference"]).default("nearest-available"),
    /** For "fixed-preference": per sector, bases in the order their teams are asked (others follow, nearest first). */
    preference: z.record(z.string(), z.array(id()).max(10_000)).optional(),
    queue: z.enum(["fifo-critical-first", "fifo", "in-standard-first"]).default("fifo-critical-first"),
    /** After a verification, a team may be tasked again from the site (true) or returns to base first. */
    retaskFromField: z.boolean().default(true),
  }),
  travel: z
    .union([
      z.strictObject({ circuity: z.number().gte(1, "expected circuity >= 1").lte(10, "expected circuity <= 10") }),
      z.strictObject({ hours: z.record(z.string(), z.record(z.string(), quantity("duration"))) }),
    ])
    .default({ circuity: 1.3 }),
  standards: z.strictObject({ response: quantity("duration", { positive: true }) }).default({ response: 24 }),
  allocation: allocationSchema.optional(),
});

/** Scenario input as the schema reads it; equal to the hand-written `ScenarioInput` of input.ts (a test checks). */
export type ScenarioSchemaInput = z.input<typeof scenarioSchema>;
/** Scenario after schema validation and unit conversion, before cross-references are resolved. */
export type ScenarioParsed = z.output<typeof scenarioSchema>;
