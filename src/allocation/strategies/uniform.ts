import { weightedStrategy } from "./weighted.js";

/**
 * `uniform`: every sector weighs the same — teams spread evenly over the
 * bases that serve a sector, the same number of sensors on every sector.
 */
export const uniform = weightedStrategy(
  "uniform",
  "the same weight for every sector: teams spread evenly over bases, sensors evenly over sectors",
  "number of sectors",
  (s) => s.sectors.map(() => 1),
);
