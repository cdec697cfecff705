// Every experiment on 1 and on 2 worker threads (ceasefire-sim/node), alternating 1, 2, 1, 2, … for several
// rounds in one process, the best time of each kept; checks that the results are identical (apart from wall
// time) and prints the speed-ups. Each workload is sized so that one worker takes several seconds (start-up
// would dominate a small one).
// Usage: npm run bench:experiments [-- --rounds 3 --scale 1 --only compare,sweep]
// Writes bench/results/experiments.json naming the machine.
import { writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import { compare, withdrawal, sweep, sensitivity, defaultScenario, VERSION } from "../dist/node.js";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const rounds = Number(arg("rounds", 3));
const scale = Number(arg("scale", 1));
const only = arg("only", "compare,withdrawal,sweep,sensitivity").split(",");
const n = (x) => Math.max(2, Math.round(x * scale));

const workloads = {
  compare: {
    what: `compare: default scenario, 3 strategies × ${n(800)} replications`,
    run: (workers) =>
      compare(defaultScenario(), ["risk-weighted", "uniform", "proportional"], {
        replications: n(800),
        seed: 1,
        workers,
      }),
  },
  withdrawal: {
    what: `withdrawal: default scenario, full coalition + 3 states withdrawn × ${n(600)} replications`,
    run: (workers) =>
      withdrawal(defaultScenario(), { replications: n(600), seed: 1, states: ["gb", "fr", "ee"], workers }),
  },
  sweep: {
    what: `sweep: default scenario, UK teams 10, 15, 20, 25, 30 × ${n(500)} replications`,
    run: (workers) =>
      sweep(defaultScenario(), {
        parameters: [{ path: "contributions[state=gb,asset=team].count", values: [10, 15, 20, 25, 30] }],
        metrics: ["response.mean", "withinStandard"],
        replications: n(500),
        seed: 1,
        workers,
      }),
  },
  sensitivity: {
    what: `sensitivity: Sobol', 2 parameters, 8 samples (32 simulations) × ${n(150)} replications`,
    run: (workers) =>
      sensitivity(defaultScenario(), {
        metric: "response.mean",
        samples: 8,
        replications: n(150),
        seed: 1,
        parameters: [
          { path: "contributions[state=gb,asset=team].count", min: 10, max: 30 },
          { path: "coordination.tasking.median", min: 10, max: 40 },
        ],
        workers,
      }),
  },
};

/** The result as JSON without its timing fields (the rest must not depend on the worker count). */
const key = (r) => JSON.stringify(r, (k, v) => (k === "wallTimeMs" || k === "startedAt" ? undefined : v));

const out = {
  library: "ceasefire-sim",
  version: VERSION,
  date: new Date().toISOString(),
  machine: {
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    availableParallelism: os.availableParallelism(),
    node: process.version,
    loadavgAtStart: os.loadavg(),
  },
  method: `${rounds} rounds alternating 1 and 2 workers in one process; best (minimum) wall time of each`,
  experiments: {},
};

for (const name of only) {
  const w = workloads[name];
  if (!w) throw new Error(`unknown experiment ${name}; known: ${Object.keys(workloads).join(", ")}`);
  const times = { 1: [], 2: [] };
  const keys = new Set();
  for (let r = 0; r < rounds; r++)
    for (const workers of [1, 2]) {
      const t = performance.now();
      const result = await w.run(workers);
      times[workers].push((performance.now() - t) / 1000);
      keys.add(key(result));
      console.error(
        `${name} round ${r + 1}, ${workers} worker${workers > 1 ? "s" : ""}: ${times[workers].at(-1).toFixed(2)} s`,
      );
    }
  const best1 = Math.min(...times[1]),
    best2 = Math.min(...times[2]);
  const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  out.experiments[name] = {
    workload: w.what,
    seconds: { workers1: times[1], workers2: times[2] },
    best: { workers1: best1, workers2: best2 },
    speedup: best1 / best2,
    medianSpeedup: median(times[1]) / median(times[2]),
    identical: keys.size === 1,
  };
  console.error(
    `${name}: 1 worker ${best1.toFixed(2)} s, 2 workers ${best2.toFixed(2)} s: ×${(best1 / best2).toFixed(2)}` +
      `${keys.size === 1 ? ", identical results" : ", RESULTS DIFFER"}`,
  );
}
out.machine.loadavgAtEnd = os.loadavg();

mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/experiments.json", import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
console.log(
  JSON.stringify(
    Object.fromEntries(
      Object.entries(out.experiments).map(([k, v]) => [
        k,
        { best: v.best, speedup: Number(v.speedup.toFixed(2)), identical: v.identical },
      ]),
    ),
    null,
    2,
  ),
);
if (Object.values(out.experiments).some((e) => !e.identical)) process.exitCode = 1;
