/** Facts about the duration distributions of the scenario format. */
import type { Distribution } from "./types.js";

/** Mean of a distribution, hours (0 for none). */
export function distMean(d: Distribution | null): number {
  if (!d) return 0;
  switch (d.kind) {
    case "fixed":
      return d.value;
    case "exponential":
      return d.mean;
    case "lognormal":
      return Math.exp(d.mu + (d.sigma * d.sigma) / 2);
    case "uniform":
      return (d.min + d.max) / 2;
    case "triangular":
      return (d.min + d.mode + d.max) / 3;
    case "gamma":
      return d.mean;
    case "empirical":
      return d.values.reduce((a, b) => a + b, 0) / d.values.length;
  }
}
