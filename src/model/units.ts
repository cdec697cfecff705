/**
 * Quantities in scenarios are unit strings ("40 km/h", "90 min", "36 /d"),
 * parsed with mathjs units into the engine's canonical units: hours, km,
 * km/h and per hour. mathjs is used for unit parsing only, never to evaluate
 * an expression from input.
 */
import { create, unitDependencies, createUnitDependencies, type FactoryFunctionMap, type Unit } from "mathjs";

const math = create({ unitDependencies, createUnitDependencies } as FactoryFunctionMap);
const unit = (text: string): Unit => math.unit(text) as Unit;
// "d" for days, as analysts write it ("36 /d", "1.5 d").
math.createUnit("d", { definition: "1 day", aliases: [] });

/** The dimensions a scenario quantity can have, with their canonical unit. */
export const DIMENSIONS = {
  duration: { unit: "h", example: '"90 min", "2 h", "1.5 d"' },
  length: { unit: "km", example: '"120 km"' },
  speed: { unit: "km/h", example: '"40 km/h"' },
  rate: { unit: "h^-1", example: '"36 /d", "2 /h"' },
} as const;

export type Dimension = keyof typeof DIMENSIONS;

const REFERENCE: Record<Dimension, Unit> = {
  duration: unit("1 h"),
  length: unit("1 km"),
  speed: unit("1 km/h"),
  rate: unit("1 h^-1"),
};

/** Outcome of reading one quantity: the canonical value, or why it failed. */
export type QuantityResult = { ok: true; value: number } | { ok: false; message: string };

/**
 * Parse a unit string into the canonical unit of `dimension`.
 *
 * @example parseQuantity("90 min", "duration") // { ok: true, value: 1.5 }
 * @example parseQuantity("36 /d", "rate")      // { ok: true, value: 1.5 }
 */
export function parseQuantity(text: string, dimension: Dimension): QuantityResult {
  if (typeof dimension !== "string" || !Object.hasOwn(DIMENSIONS, dimension))
    throw new RangeError(
      `parseQuantity: unknown dimension ${JSON.stringify(dimension)}; known: ${Object.keys(DIMENSIONS).join(", ")}`,
    );
  if (typeof text !== "string") return { ok: false, message: `expected a ${dimension} as a unit string` };
  const spec = DIMENSIONS[dimension];
  const expected = `a ${dimension} such as ${spec.example}`;
  if (text.length > 64)
    return { ok: false, message: `expected ${expected}; got a string of ${text.length} characters` };
  let u: Unit;
  try {
    u = unit(text);
  } catch (e) {
    return {
      ok: false,
      message: `expected ${expected}; could not read ${JSON.stringify(text)} (${(e as Error).message})`,
    };
  }
  if (u.value === null)
    return { ok: false, message: `expected ${expected}; ${JSON.stringify(text)} has a unit but no number` };
  if (!u.equalBase(REFERENCE[dimension])) {
    return { ok: false, message: `expected ${expected}; ${JSON.stringify(text)} is not a ${dimension}` };
  }
  const value = u.toNumber(spec.unit);
  if (!Number.isFinite(value))
    return { ok: false, message: `expected a finite ${dimension}; ${JSON.stringify(text)} is not finite` };
  return { ok: true, value };
}
