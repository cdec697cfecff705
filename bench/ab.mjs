// Engine throughput of this build against another, measured alternately in one run (machines are shared and
// drift; alternating rounds cancel the drift). Each round runs a scenario's replications for a fixed time on
// each build in turn, the order swapped every round; the result is the median over rounds of each build's
// incidents per second and of their ratio. The scenario is each build's own default scenario, or with
// --scenario FILE one scenario JSON that both builds parse and run (fields a build does not know take its
// defaults; fields it lacks are ignored), so that two versions are compared on the same input.
// With --clock cpu a round's time is this process's CPU time (process.cpuUsage) instead of the wall clock: on a
// machine shared with other work, time spent waiting for a core then does not count.
// Usage: node bench/ab.mjs <other-dist-dir> [--rounds 8] [--seconds 2] [--scenario FILE] [--clock wall|cpu]
//   e.g. git worktree add /tmp/ref <commit> && (cd /tmp/ref && npm ci && npm run build)
//        npm run build && node bench/ab.mjs /tmp/ref/dist
// Writes bench/results/ab.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const option = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const arg = (name, dflt) => (option(name) === undefined ? dflt : Number(option(name)));
const other = process.argv[2];
if (!other || other.startsWith("--")) {
  console.error("usage: node bench/ab.mjs <other-dist-dir> [--rounds 8] [--seconds 2] [--scenario FILE]");
  process.exit(2);
}
const rounds = arg("--rounds", 8),
  seconds = arg("--seconds", 2);
const scenarioFile = option("--scenario");
const clock = option("--clock") ?? "wall";
if (clock !== "wall" && clock !== "cpu") {
  console.error(`--clock: expected wall or cpu, got ${clock}`);
  process.exit(2);
}
/** Seconds on the chosen clock. */
const now =
  clock === "cpu"
    ? () => {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1e6;
      }
    : () => Number(process.hrtime.bigint()) / 1e9;
/** The scenario JSON both builds run, or undefined for each build's own default. */
const scenarioJson = scenarioFile === undefined ? undefined : JSON.parse(readFileSync(scenarioFile, "utf8"));
const here = path.join(path.dirname(new URL(import.meta.url).pathname), "../dist");

/** A build's engine entry points: its internal entry where it has one, else its main entry. */
async function load(dir) {
  const main = await import(pathToFileURL(path.join(dir, "index.js")).href);
  const internalFile = path.join(dir, "internal.js");
  const internal = existsSync(internalFile) ? await import(pathToFileURL(internalFile).href) : main;
  const s = main.parseScenario(scenarioJson ?? main.defaultScenario());
  const m = internal.compile(s, await main.allocate(s, "risk-weighted"));
  const ws = internal.createWorkspace(m);
  const run = internal.runReplication,
    streams = internal.replicationStreams;
  return { dir, version: main.VERSION, scenario: s.name, m, ws, run, streams };
}

let sink = 0;
/** Incidents per second of a build over `seconds`, from replication `from` on. */
function time(b, from) {
  let n = 0,
    r = from;
  const t0 = now();
  let el = 0;
  while (el < seconds) {
    b.run(b.m, b.streams(1, r++), b.ws);
    n += b.ws.n;
    sink += b.ws.tally[0];
    el = now() - t0;
  }
  return n / el;
}

const builds = [await load(here), await load(other)];
for (const b of builds) time(b, 0); // warm up
const rates = [[], []];
for (let k = 0; k < rounds; k++) {
  const order = k % 2 === 0 ? [0, 1] : [1, 0];
  for (const i of order) rates[i].push(time(builds[i], 1000 + k * 100_000));
}
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const ratios = rates[0].map((r, k) => r / rates[1][k]);
const scenario =
  scenarioFile === undefined
    ? { source: "each build's default", names: builds.map((b) => b.scenario) }
    : { source: scenarioFile, names: builds.map((b) => b.scenario) };
const out = {
  scenario,
  machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version },
  rounds,
  secondsPerRound: seconds,
  clock,
  this: { version: builds[0].version, incidentsPerSecond: median(rates[0]), rounds: rates[0] },
  other: { dir: other, version: builds[1].version, incidentsPerSecond: median(rates[1]), rounds: rates[1] },
  ratio: median(ratios),
  ratios,
};
const named = [...new Set(scenario.names)].join(" / ");
console.log(
  `scenario ${named} (${scenario.source}), ${rounds} alternating rounds of ${seconds} s, ${clock} clock ` +
    `(${out.machine.cpu}):\n` +
    `  this build   ${(out.this.incidentsPerSecond / 1e6).toFixed(3)} M incidents/s\n` +
    `  other build  ${(out.other.incidentsPerSecond / 1e6).toFixed(3)} M incidents/s (${other})\n` +
    `  ratio        ${out.ratio.toFixed(3)} (median of the rounds' ratios; rounds ${Math.min(...ratios).toFixed(3)}..` +
    `${Math.max(...ratios).toFixed(3)})  [sink ${sink > 0 ? "+" : "0"}]`,
);
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/ab.json", import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
