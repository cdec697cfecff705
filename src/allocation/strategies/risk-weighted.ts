import { sectorWeights } from "../common.js";
import { weightedStrategy } from "./weighted.js";

/**
 * `risk-weighted` (the default): weight = expected verifiable incidents per
 * hour (rate × share of major and critical) × priority.
 */
export const riskWeighted = weightedStrategy(
  "risk-weighted",
  "teams to bases and sensors to sectors in proportion to expected verifiable incidents × priority (D'Hondt), " +
    "within caveats and capacities",
  "expected verifiable incidents/h × priority",
  sectorWeights,
);
