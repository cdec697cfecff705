// The coalition's resilience table: each contributing state withdrawn in turn, on common random numbers; the
// immediate gap (every other unit where it was) and the gap after re-planning (the units left placed afresh).
// Run: npm run build && npx tsx examples/withdrawal.ts
import { defaultScenario, withdrawal } from "ceasefire-sim";

const t = await withdrawal(defaultScenario(), {
  replications: 20,
  seed: 1,
  states: ["us", "gb", "fr", "se", "de"],
  metrics: ["withinStandard", "response.mean", "detection.probability"],
});

console.log(`full coalition: within standard ${(100 * t.baseline.withinStandard!.value).toFixed(1)}%`);
for (const r of t.rows) {
  const w = r.metrics.withinStandard!.change,
    d = r.metrics["detection.probability"]!.change,
    dr = r.replanned!.metrics["detection.probability"]!.change;
  const points = (e: { value: number; halfWidth: number }) =>
    `${(100 * e.value).toFixed(1)} ±${(100 * e.halfWidth).toFixed(1)} points`;
  console.log(
    `without ${r.state.padEnd(3)} (${r.teams} teams, ${r.sensors} sensors): ` +
      `within standard ${points(w)}, detection ${points(d)} (${points(dr)} after re-planning)`,
  );
}
