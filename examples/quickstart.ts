// Quick start: run the default scenario, read the headline metrics, and ask "what if the UK pulls out?"
// Run: npm run build && npx tsx examples/quickstart.ts
import { defaultScenario, simulate, toRows } from "ceasefire-sim";

const scenario = defaultScenario(); // an editable copy of the embedded coalition-2026 scenario
const base = await simulate(scenario, { replications: 100, seed: 7 });

const { response, withinStandard, coverage, detection } = base.line;
const pct = (share: number) => `${(100 * share).toFixed(1)}%`;
console.log(`detected:          ${pct(detection.probability.value)} of incidents`);
console.log(`sensor coverage:   ${pct(coverage.overall.value)} of line-km-hours (night ${pct(coverage.night.value)})`);
const { value, lo, hi } = response.mean;
console.log(`mean response:     ${value.toFixed(1)} h (95% CI ${lo.toFixed(1)}–${hi.toFixed(1)} h)`);
console.log(`within 24 h:       ${pct(withinStandard.value)} of incidents needing verification`);

// Same seed ⇒ the same incidents (common random numbers), so the difference is the UK's contribution.
scenario.contributions = scenario.contributions?.filter((c) => c.state !== "gb");
const withoutUk = (await simulate(scenario, { replications: 100, seed: 7 })).line;
console.log(
  `without the UK:    mean response ${withoutUk.response.mean.value.toFixed(1)} h, ` +
    `within 24 h ${pct(withoutUk.withinStandard.value)}`,
);

// Tidy rows for a data frame or Observable Plot.
const rows = toRows(base).filter((r) => r.scope === "sector" && r.metric === "response.mean");
console.log(rows.slice(0, 3));
