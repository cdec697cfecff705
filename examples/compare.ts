// Compare allocation strategies on the default scenario with common random numbers.
// Run: npm run build && npx tsx examples/compare.ts
import { compare, defaultScenario } from "ceasefire-sim";

const c = await compare(defaultScenario(), ["risk-weighted", "uniform", "greedy-coverage"], {
  replications: 30,
  seed: 1,
  metrics: ["response.mean", "withinStandard", "detection.probability"],
});

for (const m of c.metrics) {
  console.log(`\n${m.metric} (${m.better} is better)`);
  for (const e of m.estimates)
    console.log(`  ${e.strategy.padEnd(16)} ${e.estimate.value.toFixed(3)} ±${e.estimate.halfWidth.toFixed(3)}`);
  for (const d of m.differences)
    console.log(
      `  ${d.strategy} − ${c.baseline}: ${d.paired.value.toFixed(3)} ±${d.paired.halfWidth.toFixed(3)} paired ` +
        `(±${d.unpairedHalfWidth.toFixed(3)} unpaired; CRN variance ratio ${d.crnVarianceRatio.toFixed(3)})`,
    );
  console.log(`  ranking: ${m.ranking.map((r) => `${r.rank}. ${r.strategy}`).join(", ")}`);
}
console.log(`\n${c.guarantee}`);
