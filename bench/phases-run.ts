// Where a replication's time goes: each phase of runReplication timed on its own, per incident, for the
// default scenario and the M/M/c scenario, on one thread. Run by bench/phases.mjs (npm run bench:phases),
// which bundles it with the engine sources.
// Writes bench/results/phases.json (the path is relative to the working directory: the project root).
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import { allocate } from "../src/allocation/allocate.js";
import { compile } from "../src/compile/compile.js";
import { parseScenario } from "../src/model/parse.js";
import { createWorkspace } from "../src/engine/workspace.js";
import { PHASES } from "../src/engine/replication.js";
import { replicationStreams } from "../src/rng/streams.js";
import { defaultScenario } from "../src/scenarios/index.js";
import { VERSION } from "../src/version.js";

const option = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const R = Number(option("--replications") ?? 2000);
// --scenario FILE: that scenario JSON in place of the default scenario (e.g. an older version's default).
const scenarioFile = option("--scenario");
const first: unknown = scenarioFile === undefined ? defaultScenario() : JSON.parse(readFileSync(scenarioFile, "utf8"));

async function phases(name: string, input: unknown) {
  const s = parseScenario(input);
  const m = compile(s, await allocate(s, "risk-weighted"));
  const ws = createWorkspace(m);
  const spent = new Float64Array(PHASES.length);
  let incidents = 0;
  for (let r = -100; r < R; r++) {
    // The first 100 replications warm up the JIT and are not counted.
    const rng = replicationStreams(1, 1000 + r);
    for (let p = 0; p < PHASES.length; p++) {
      const t = performance.now();
      PHASES[p]![1](m, rng, ws);
      if (r >= 0) spent[p]! += performance.now() - t;
    }
    if (r >= 0) incidents += ws.n;
  }
  const total = spent.reduce((a, b) => a + b, 0);
  return {
    scenario: name,
    replications: R,
    incidentsPerReplication: incidents / R,
    microsecondsPerReplication: (1000 * total) / R,
    phases: PHASES.map(([phase], p) => ({
      phase,
      microsecondsPerReplication: (1000 * spent[p]!) / R,
      nanosecondsPerIncident: (1e6 * spent[p]!) / incidents,
      share: spent[p]! / total,
    })),
  };
}

const mmc = JSON.parse(readFileSync("examples/scenarios/mmc.json", "utf8"));
const results = {
  library: "ceasefire-sim",
  version: VERSION,
  date: new Date().toISOString(),
  machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version },
  scenarios: [await phases(scenarioFile ?? "coalition-2026", first), await phases("mmc", mmc)],
};
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/phases.json", JSON.stringify(results, null, 2) + "\n");
console.log(
  `ceasefire-sim ${VERSION} phases of a replication — ${results.machine.cpu}, ${results.machine.node}, ` +
    `one thread, ${R} replications`,
);
for (const sc of results.scenarios) {
  console.log(
    `  ${sc.scenario}: ${sc.microsecondsPerReplication.toFixed(0)} µs per replication, ` +
      `${Math.round(sc.incidentsPerReplication)} incidents`,
  );
  for (const p of sc.phases)
    console.log(
      `    ${p.phase.padEnd(24)} ${p.microsecondsPerReplication.toFixed(1).padStart(7)} µs  ` +
        `${p.nanosecondsPerIncident.toFixed(0).padStart(4)} ns/incident  ${(100 * p.share).toFixed(1).padStart(5)}%`,
    );
}
console.log("  written to bench/results/phases.json");
