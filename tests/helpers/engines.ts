/**
 * Run the same replications on the WebAssembly core and on the JavaScript engine (workspaces made with
 * `{ core: false }`), and say where they first differ, or null when every incident array, the tally and the
 * histograms are equal bit for bit (Object.is per number, so NaN and −0 count too).
 */
import type { CompiledModel } from "../../src/compile/compile.js";
import { createWorkspace, type Workspace } from "../../src/engine/workspace.js";
import { runReplication } from "../../src/engine/replication.js";
import { replicationStreams } from "../../src/rng/streams.js";

const INCIDENT_ARRAYS = [
  "incT",
  "incX",
  "incSec",
  "incCell",
  "incSev",
  "incDet",
  "incChan",
  "incAccess",
  "incDenied",
  "incReady",
  "incOutcome",
  "incArrive",
  "incWait",
  "incMob",
  "incTravel",
] as const;

export function sameReplications(m: CompiledModel, seed: number | string, replications: number): string | null {
  const core = createWorkspace(m, 64);
  if (!core.core) return "no core";
  const js = createWorkspace(m, 64, { core: false });
  for (let r = 0; r < replications; r++) {
    // Fields an incident does not use (say, the ready time of an undetected one) keep whatever the array held;
    // clearing both first leaves only what this replication wrote.
    for (const w of [core, js]) for (const k of INCIDENT_ARRAYS) w[k].fill(0);
    runReplication(m, replicationStreams(seed, r), core);
    runReplication(m, replicationStreams(seed, r), js);
    const d = firstDifference(core, js);
    if (d) return `replication ${r}: ${d}`;
  }
  return null;
}

function firstDifference(a: Workspace, b: Workspace): string | null {
  if (a.n !== b.n) return `n ${a.n} vs ${b.n}`;
  if (a.nPend !== b.nPend) return `nPend ${a.nPend} vs ${b.nPend}`;
  if (a.events !== b.events) return `events ${a.events} vs ${b.events}`;
  if (a.nRespTouched !== b.nRespTouched || a.nDetTouched !== b.nDetTouched)
    return `touched bins ${a.nRespTouched}/${a.nDetTouched} vs ${b.nRespTouched}/${b.nDetTouched}`;
  const sorted = (x: Int32Array, n: number) => Array.from(x.subarray(0, n)).sort((p, q) => p - q);
  const arrays: [string, ArrayLike<number>, ArrayLike<number>, number][] = [
    ...INCIDENT_ARRAYS.map((k) => [k, a[k], b[k], a.n] as [string, ArrayLike<number>, ArrayLike<number>, number]),
    ["pend", a.pend, b.pend, a.nPend],
    ["tally", a.tally, b.tally, a.tally.length],
    ["respHist", a.respHist, b.respHist, a.respHist.length],
    ["detHist", a.detHist, b.detHist, a.detHist.length],
    ["respBounds", a.respBounds, b.respBounds, a.respBounds.length],
    [
      "respTouched (sorted)",
      sorted(a.respTouched, a.nRespTouched),
      sorted(b.respTouched, b.nRespTouched),
      a.nRespTouched,
    ],
    ["detTouched (sorted)", sorted(a.detTouched, a.nDetTouched), sorted(b.detTouched, b.nDetTouched), a.nDetTouched],
  ];
  for (const [name, x, y, n] of arrays) {
    for (let i = 0; i < n; i++) if (!Object.is(x[i], y[i])) return `${name}[${i}] ${x[i]} vs ${y[i]}`;
  }
  return null;
}
