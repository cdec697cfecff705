// Scaling on the built library: workers (1 vs 2 vs all cores) on a long run, shard + merge overhead,
// a size sweep (sectors × teams × horizon), and heap/RSS over many replications.
// Usage: npm run bench:scale [-- --replications 5000 --memory 100000 --sections workers,shards,size,memory]
// Writes bench/results/scale.json (sections not run keep their previous figures).
import { writeFileSync, mkdirSync, readFileSync, existsSync } from "node:fs";
import os from "node:os";
import { simulate } from "../dist/node.js";
import { defaultScenario, runShard, mergeResults, parseScenario, allocate, VERSION } from "../dist/index.js";
import {
  compile,
  createWorkspace,
  runReplication,
  replicationStreams,
  createAccumulator,
  addReplication,
  addWorkspace,
} from "../dist/internal.js";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const R = arg("replications", 5000);
const sectionsArg = process.argv.includes("--sections")
  ? process.argv[process.argv.indexOf("--sections") + 1]
  : "workers,shards,size,memory";
const sections = new Set(sectionsArg.split(","));
const file = new URL("./results/scale.json", import.meta.url);
const previous = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
const MEM = arg("memory", 100_000);
const out = {
  library: "ceasefire-sim",
  version: VERSION,
  date: new Date().toISOString(),
  machine: { cpu: os.cpus()[0]?.model, cores: os.availableParallelism(), node: process.version, loadavg: os.loadavg() },
};
const time = async (f) => {
  const t = performance.now();
  const v = await f();
  return [(performance.now() - t) / 1000, v];
};

// 1. Workers on a long run (same seed: identical results, checked).
if (sections.has("workers")) {
  out.workers = [];
  let reference = null;
  for (const w of [1, 2, os.availableParallelism()].filter((v, i, a) => a.indexOf(v) === i)) {
    const [s, r] = await time(() => simulate(defaultScenario(), { replications: R, seed: 1, workers: w }));
    const { wallTimeMs, startedAt, ...p } = r.provenance;
    const key = JSON.stringify({ ...r, provenance: p });
    reference ??= key;
    out.workers.push({ workers: w, seconds: s, replicationsPerSecond: R / s, identical: key === reference });
    console.error(`workers ${w}: ${s.toFixed(2)} s`);
  }
  out.speedup2 = out.workers[0].seconds / out.workers.find((x) => x.workers === 2).seconds;
  out.workersReplications = R;
}

// 2. Shards: 4 shards run in turn, then merged; overhead of writing records and merging.
if (sections.has("shards")) {
  const [shardSeconds, parts] = await time(() =>
    Promise.all(
      [0, 1, 2, 3].map((index) =>
        runShard(defaultScenario(), { replications: 200, seed: 1, shard: { index, count: 4 } }),
      ),
    ),
  );
  const json = parts.map((p) => JSON.stringify(p));
  const [mergeSeconds] = await time(() => mergeResults(json.map((t) => JSON.parse(t))));
  const [plainSeconds] = await time(() => simulate(defaultScenario(), { replications: 200, seed: 1, workers: 1 }));
  out.shards = {
    replications: 200,
    shards: 4,
    shardSeconds,
    mergeSeconds,
    plainSeconds,
    bytesPerReplication: json.reduce((a, t) => a + t.length, 0) / 200,
  };
  console.error(
    `shards: ${shardSeconds.toFixed(2)} s + merge ${mergeSeconds.toFixed(2)} s vs ${plainSeconds.toFixed(2)} s`,
  );
}

// 3. Size sweep: cost per replication as sectors, teams and horizon grow (one thread).
if (sections.has("size")) out.size = [];
if (sections.has("size"))
  for (const [sectorsX, teamsX, days] of [
    [1, 1, 30],
    [1, 2, 30],
    [1, 4, 30],
    [2, 1, 30],
    [4, 1, 30],
    [1, 1, 60],
    [1, 1, 120],
  ]) {
    const input = defaultScenario();
    input.horizon = `${days} d`;
    if (sectorsX > 1) {
      // Split every sector into sectorsX equal parts (same total rate and length).
      input.sectors = input.sectors.flatMap((sec) =>
        Array.from({ length: sectorsX }, (_, k) => ({
          ...sec,
          id: `${sec.id}-${k}`,
          lengthKm: (typeof sec.lengthKm === "number" ? sec.lengthKm : parseFloat(sec.lengthKm)) / sectorsX,
          incidents: {
            ...sec.incidents,
            rate: sec.incidents.rate.replace(/^[\d.]+/, (v) => String(Number(v) / sectorsX)),
            hotspots: [],
          },
        })),
      );
      for (const st of input.states)
        if (st.caveats?.allowedSectors || st.caveats?.excludedSectors)
          st.caveats = { ...st.caveats, allowedSectors: undefined, excludedSectors: [] };
      delete input.line?.lengthKm;
    }
    for (const c of input.contributions)
      if (input.assets.find((a) => a.id === c.asset).kind === "team") c.count *= teamsX;
    for (const b of input.bases) if (b.capacity) b.capacity *= teamsX;
    const s = parseScenario(input);
    const m = compile(s, await allocate(s, "risk-weighted"));
    const ws = createWorkspace(m),
      acc = createAccumulator(m);
    let n = 0,
      reps = 0;
    const t = performance.now();
    while (performance.now() - t < 2000) {
      runReplication(m, replicationStreams(1, reps), ws);
      addWorkspace(acc, m, ws);
      n += ws.n;
      reps++;
    }
    const sec = (performance.now() - t) / 1000;
    out.size.push({
      sectors: m.nSectors,
      teams: m.nTeams,
      horizonDays: days,
      msPerReplication: (1000 * sec) / reps,
      incidentsPerSecond: n / sec,
    });
    console.error(
      `size ${m.nSectors} sectors × ${m.nTeams} teams × ${days} d: ${((1000 * sec) / reps).toFixed(2)} ms/replication`,
    );
  }

// 4. Memory over many replications (one thread): heap sampled every 5%.
if (sections.has("memory")) {
  const s = parseScenario(defaultScenario());
  const m = compile(s, await allocate(s, "risk-weighted"));
  const ws = createWorkspace(m),
    acc = createAccumulator(m);
  const samples = [];
  global.gc?.();
  for (let r = 0; r < MEM; r++) {
    runReplication(m, replicationStreams(1, r), ws);
    addReplication(acc, m, ws.tally, ws.respHist, ws.detHist);
    if ((r + 1) % Math.max(1, Math.floor(MEM / 20)) === 0) {
      global.gc?.();
      samples.push({
        replications: r + 1,
        heapUsedMB: process.memoryUsage().heapUsed / 2 ** 20,
        rssMB: process.memoryUsage().rss / 2 ** 20,
      });
    }
  }
  const first = samples[1] ?? samples[0],
    last = samples.at(-1);
  out.memory = {
    replications: MEM,
    gcExposed: typeof global.gc === "function",
    samples,
    heapGrowthMB: last.heapUsedMB - first.heapUsedMB,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  };
  console.error(
    `memory: heap ${first.heapUsedMB.toFixed(1)} → ${last.heapUsedMB.toFixed(1)} MB over ${MEM} replications`,
  );
}

mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
for (const k of ["workers", "speedup2", "workersReplications", "shards", "size", "memory"])
  if (!(k in out) && k in previous) out[k] = previous[k];
writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
console.log(
  JSON.stringify(
    {
      workers: out.workers,
      speedup2: out.speedup2,
      shards: out.shards,
      size: out.size,
      memory: { ...out.memory, samples: undefined },
    },
    null,
    2,
  ),
);
