// How much the patrol approximation matters: detection (phase 2) counts a team as patrolling through its whole
// window, but dispatch (phase 3, which runs after detection) may task it during the window. This measures, on
// the default scenario with every team patrolling `--hours` a day, the share of scheduled patrol hours (windows
// less unavailable spells, within the measured window) during which the team was in fact busy, and the share
// of detections made first by a patrol: their product estimates the share of detections the approximation adds
// (patrol-first detections made during busy hours, when incidents are as likely in busy as in idle hours; fewer
// where another channel would have detected the incident anyway).
// Usage: npx tsx bench/patrol-busy.ts [--hours "8 h"] [--replications 40] [--seed 1]
import { allocate } from "../src/allocation/allocate.js";
import { compile } from "../src/compile/compile.js";
import { parseScenario } from "../src/model/parse.js";
import { createWorkspace } from "../src/engine/workspace.js";
import { runReplication } from "../src/engine/replication.js";
import { replicationStreams } from "../src/rng/streams.js";
import { defaultScenario } from "../src/scenarios/index.js";
import { teamBlock } from "../src/layout/tally.js";
import * as F from "../src/layout/slots.generated.js";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const hours = arg("--hours", "8 h"),
  R = Number(arg("--replications", "40")),
  seed = Number(arg("--seed", "1"));

const input = defaultScenario();
for (const a of input.assets ?? []) if (a.kind === "team" && a.patrol) a.patrol = { ...a.patrol, hours };
const s = parseScenario(input);
const m = compile(s, await allocate(s, "risk-weighted"));
const ws = createWorkspace(m);
let scheduled = 0,
  patrolled = 0,
  detected = 0,
  byPatrol = 0;
for (let r = 0; r < R; r++) {
  runReplication(m, replicationStreams(seed, r), ws);
  const A = ws.arrays;
  for (let k = 0; k < m.nTeams; k++) {
    for (let q = A.ptOff[k]!; q < A.ptOff[k + 1]!; q++)
      scheduled += Math.max(0, Math.min(m.end, A.ptEnd[q]!) - Math.max(m.warmup, A.ptStart[q]!));
    patrolled += ws.tally[teamBlock(m.nSectors, k) + F.T_PATROL]!;
  }
  for (let sec = 0; sec < m.nSectors; sec++) {
    detected += ws.tally[sec * F.SECTOR_FIELDS + F.F_DET]!;
    byPatrol += ws.tally[sec * F.SECTOR_FIELDS + F.F_CH + F.CH_PATROL]!;
  }
}
const busyShare = 1 - patrolled / scheduled,
  patrolFirst = byPatrol / detected;
console.log(`default scenario, every team patrolling ${hours} a day, ${R} replications, seed ${seed}:`);
console.log(`  patrol hours scheduled ${scheduled.toFixed(0)}, patrolled ${patrolled.toFixed(0)}`);
console.log(`  busy share of scheduled patrol hours  ${(100 * busyShare).toFixed(2)}%`);
console.log(`  detections made first by a patrol     ${(100 * patrolFirst).toFixed(2)}%`);
console.log(`  detections the approximation adds (est.): ${(100 * busyShare * patrolFirst).toFixed(2)}%`);
