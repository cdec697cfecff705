// Quick start: run the default scenario, read the headline metrics, and ask "what if the UK pulls out?"
// Run: npm run build && npx tsx examples/quickstart.ts
import { defaultScenario, simulate, toRows } from "ceasefire-sim";

const scenario = defaultScenario(); // an editable copy of the embedded coalition-2026 scenario
const base = await simulate(scenario, { replications: 100, seed: 7 });

const { response, withinStandard, coverage, detection } = base.line;
console.log(`detected:          ${(100 * detection.probability.value).toFixed(1)}% of incidents`);
console.log(
  `sensor coverage:   ${(100 * coverage.overall.value).toFixed(1)}% of line-km-hours (night ${(100 * coverage.night.value).toFixed(1)}%)`,
);
console.log(
  `mean response:     ${response.mean.value.toFixed(1)} h (95% CI ${response.mean.lo.toFixed(1)}–${response.mean.hi.toFixed(1)} h)`,
);
console.log(`within 24 h:       ${(100 * withinStandard.value).toFixed(1)}% of incidents needing verification`);

// Same seed ⇒ the same incidents (common random numbers), so the difference is the UK's contribution.
scenario.contributions = scenario.contributions?.filter((c) => c.state !== "gb");
const withoutUk = await simulate(scenario, { replications: 100, seed: 7 });
console.log(
  `without the UK:    mean response ${withoutUk.line.response.mean.value.toFixed(1)} h, within 24 h ${(100 * withoutUk.line.withinStandard.value).toFixed(1)}%`,
);

// Tidy rows for a data frame or Observable Plot.
const rows = toRows(base).filter((r) => r.scope === "sector" && r.metric === "response.mean");
console.log(rows.slice(0, 3));
