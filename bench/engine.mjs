// Engine throughput on the built library (dist/): incidents per second and replications per second on one
// thread, for the default scenario and the M/M/c scenario; plus the RNG algorithms we chose between.
// Usage: npm run bench  [-- --seconds 5]   Writes bench/results/engine.json.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import seedrandom from "seedrandom";
import { parseScenario, defaultScenario, allocate, VERSION } from "../dist/index.js";
import { compile, createWorkspace, runReplication, replicationStreams, stream } from "../dist/internal.js";

const seconds = Number(process.argv[process.argv.indexOf("--seconds") + 1] ?? 0) || 3;
let sink = 0; // results are summed here and printed, so the JIT cannot drop the work

async function engine(name, input) {
  const s = parseScenario(input);
  const m = compile(s, await allocate(s, "risk-weighted"));
  const ws = createWorkspace(m);
  const streams = (r) => replicationStreams(1, r);
  // Warm up the JIT.
  for (let r = 0; r < 20; r++) runReplication(m, streams(r), ws);
  // The time is split into five windows and the median window's rates are reported (the spread goes to the
  // JSON): the machines this runs on are shared, and one slow stretch should not decide the figure.
  const WINDOWS = 5;
  let reps = 0,
    incidents = 0,
    verifiable = 0,
    counted = 0,
    events = 0,
    el = 0;
  const windows = [];
  for (let w = 0; w < WINDOWS; w++) {
    let wr = 0,
      wi = 0,
      we = 0,
      wel = 0;
    const t0 = process.hrtime.bigint();
    while (wel < seconds / WINDOWS) {
      runReplication(m, streams(1000 + reps), ws);
      reps++;
      wr++;
      wi += ws.n;
      we += ws.events;
      sink += ws.tally[0];
      wel = Number(process.hrtime.bigint() - t0) / 1e9;
    }
    windows.push({
      seconds: wel,
      incidentsPerSecond: wi / wel,
      eventsPerSecond: we / wel,
      replicationsPerSecond: wr / wel,
    });
    incidents += wi;
    events += we;
    el += wel;
  }
  // The share of incidents that need verification, counted after the timed windows (so that the count is not
  // timed), over replications as many as one window's.
  for (let r = 0; r < Math.max(1, reps / WINDOWS); r++) {
    runReplication(m, streams(1000 + r), ws);
    for (let i = 0; i < ws.n; i++) verifiable += ws.arrays.incSev[i] > 0 ? 1 : 0;
    counted += ws.n;
  }
  const median = (key) => windows.map((w) => w[key]).sort((a, b) => a - b)[WINDOWS >> 1];
  const out = {
    scenario: name,
    replications: reps,
    seconds: el,
    incidentsPerReplication: incidents / reps,
    verifiableShare: verifiable / counted,
    incidentsPerSecond: median("incidentsPerSecond"),
    eventsPerReplication: events / reps,
    eventsPerSecond: median("eventsPerSecond"),
    replicationsPerSecond: median("replicationsPerSecond"),
    windows,
    streamSeedingShare: null,
  };
  // How much of a replication is deriving its four streams (xor4096 seeding)?
  const t1 = process.hrtime.bigint();
  for (let r = 0; r < 2000; r++) sink += streams(r).incidents.next();
  out.streamSeedingShare = (Number(process.hrtime.bigint() - t1) / 1e9 / 2000) * out.replicationsPerSecond;
  return out;
}

function rngs() {
  const out = {};
  for (const name of ["xor4096", "alea", "xor128", "tychei", "xorwow"]) {
    const r = seedrandom[name]("bench");
    for (let i = 0; i < 1e6; i++) sink += r();
    const n = 2e7,
      t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += r();
    out[name] = n / (Number(process.hrtime.bigint() - t) / 1e9);
  }
  {
    // What the engine uses: the xor4096 sequence stepped by our Rng class (identical numbers).
    const r = stream("bench", 0, "rng");
    for (let i = 0; i < 1e6; i++) sink += r.next();
    const n = 2e7,
      t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += r.next();
    out["xor4096 (Rng class, engine)"] = n / (Number(process.hrtime.bigint() - t) / 1e9);
  }
  const a = seedrandom("bench"),
    n = 5e6,
    t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink += a();
  out["arc4 (default)"] = n / (Number(process.hrtime.bigint() - t) / 1e9);
  return out;
}

const mmc = JSON.parse(readFileSync(new URL("../examples/scenarios/mmc.json", import.meta.url), "utf8"));
const results = {
  library: "ceasefire-sim",
  version: VERSION,
  date: new Date().toISOString(),
  machine: {
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
  },
  secondsPerCase: seconds,
  engine: [await engine("coalition-2026", defaultScenario()), await engine("mmc", mmc)],
  uniformsPerSecond: rngs(),
  peakRssMB: process.resourceUsage().maxRSS / 1024,
};
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/engine.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

const f = (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} k` : v.toFixed(1));
console.log(
  `ceasefire-sim ${VERSION} engine benchmark — ${results.machine.cpu}, ${results.machine.node}, one thread; ` +
    "median of 5 windows",
);
for (const e of results.engine) {
  const rates = e.windows.map((w) => w.incidentsPerSecond);
  console.log(
    `  ${e.scenario.padEnd(15)} ${f(e.incidentsPerSecond)} incidents/s ` +
      `(windows ${f(Math.min(...rates))}–${f(Math.max(...rates))})   ` +
      `${f(e.eventsPerSecond)} dispatch events/s   ${f(e.replicationsPerSecond)} replications/s   ` +
      `(${Math.round(e.incidentsPerReplication)} incidents/replication, ` +
      `${(100 * e.verifiableShare).toFixed(0)}% need verification; ` +
      `stream seeding ${(100 * e.streamSeedingShare).toFixed(0)}% of the time)`,
  );
}
console.log(
  `  uniforms/s: ${Object.entries(results.uniformsPerSecond)
    .map(([k, v]) => `${k} ${f(v)}`)
    .join(", ")}`,
);
console.log(
  `  peak RSS ${results.peakRssMB.toFixed(0)} MB; written to bench/results/engine.json ` +
    `(sink ${sink > 0 ? "ok" : sink})`,
);
