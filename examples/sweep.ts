// How does the share verified within 24 h depend on the UK's team count and on the tasking delay?
// A small factorial sweep on common random numbers, streamed row by row.
// Run: npm run build && npx tsx examples/sweep.ts
import { defaultScenario, sweepRows } from "ceasefire-sim";

for await (const row of sweepRows(defaultScenario(), {
  parameters: [
    { path: "contributions[state=gb,asset=team].count", values: [10, 20, 30] },
    { path: "coordination.tasking.median", values: [20, 60] }, // minutes, the unit the scenario uses
  ],
  design: "grid",
  replications: 10,
  seed: 1,
  metrics: ["withinStandard", "response.mean"],
})) {
  const p = Object.values(row.parameters).join(" / ");
  console.log(`${p.padEnd(10)} ${row.metric.padEnd(15)} ${row.value.toFixed(3)} ±${row.halfWidth.toFixed(3)}`);
}
