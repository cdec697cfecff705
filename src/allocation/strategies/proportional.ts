import { weightedStrategy } from "./weighted.js";

/** `proportional`: weight = sector length — teams and sensors in proportion to the length of line. */
export const proportional = weightedStrategy(
  "proportional",
  "teams to bases and sensors to sectors in proportion to sector length (D'Hondt), within caveats and capacities",
  "km of line",
  (s) => s.sectors.map((x) => x.lengthKm),
);
