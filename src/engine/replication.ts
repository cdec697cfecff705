/**
 * The hot loop: one replication of the mission over a `CompiledModel`, every phase on the WebAssembly core
 * (./wasm/, AssemblyScript), which holds the model's arrays and the replication's own in its memory.
 *
 * 1. Timelines (./wasm/timelines.ts; stream "availability", the regime path from "incidents"): the regime
 *    path, sensor outages, UAV sorties and jamming, satellite phases, team unavailability.
 * 2. Incidents and detection (./wasm/core.ts; streams "incidents" and "detection"): a piecewise-constant
 *    Poisson process (day/night × regime) by exact inversion of the cumulative intensity; each incident's
 *    place (hence sector and watching sensors, through the compiled cell table), severity, the uniforms that
 *    decide detection by each channel, and — if it needs verification — its reporting and tasking delays,
 *    access delay and denial. Everything that does not depend on the allocation comes from the incident
 *    stream, so every allocation sees the same incidents (common random numbers).
 * 3. Dispatch (./wasm/dispatch.ts; stream "dispatch"): a discrete-event simulation over a binary heap, with
 *    the teams' ends of unavailability in a tournament tree of their own.
 * 4. Tally (./wasm/tally.ts): outcomes, times and team busy time into the tally, and the histograms.
 * 5. Coverage (./wasm/coverage.ts): exact line coverage over the sensors' timelines.
 *
 * The host's part is small: it copies the generators' states in and out (130 words each) and gives the core
 * more room when a replication needs it, running the phase again from the same states.
 */
import type { CompiledModel } from "../compile/compile.js";
import { CODES } from "../layout/declaration.js";
import * as L from "../layout/slots.generated.js";
import type { Streams } from "../rng/streams.js";
import { coreBytes, growCore, MAX_CORE_BYTES, ROOM_BYTES, stateAt, type Core, type Room } from "./core.js";
import { useCore, type Workspace } from "./workspace.js";

/** The engine that runs replications, as provenance names it. */
export const ENGINE = "wasm-core";

/** Incident outcomes, by code: every incident ends in exactly one. */
export const OUTCOMES = CODES.OUT.map((o) => o.label);

/** Run one replication; the tally and histograms in `ws` hold its results afterwards. */
export function runReplication(m: CompiledModel, rng: Streams, ws: Workspace): void {
  reset(ws);
  timelines(m, rng, ws);
  incidents(m, rng, ws);
  dispatch(rng, ws);
  tally(ws);
  ws.core.exports.tallyCoverage();
}

/**
 * The phases of `runReplication`, in order, for profiling: `npm run bench:phases` times each. Running them
 * in this order is exactly `runReplication` (a test checks).
 */
export const PHASES: readonly (readonly [
  name: string,
  run: (m: CompiledModel, rng: Streams, ws: Workspace) => void,
])[] = [
  ["reset", (_m, _rng, ws) => reset(ws)],
  ["timelines", timelines],
  ["incidents and detection", incidents],
  ["dispatch", (_m, rng, ws) => dispatch(rng, ws)],
  ["tally", (_m, _rng, ws) => tally(ws)],
  ["coverage", (_m, _rng, ws) => ws.core.exports.tallyCoverage()],
];

/** Empty the tally, and the histogram bins the last replication touched. */
function reset(ws: Workspace): void {
  const core = ws.core;
  core.results[L.R_N_RESP_TOUCHED] = ws.nRespTouched;
  core.results[L.R_N_DET_TOUCHED] = ws.nDetTouched;
  core.exports.resetTally();
  ws.nRespTouched = ws.nDetTouched = 0;
}

/**
 * Twice the core's room of one kind, or as much as a core can hold when that is less; a RangeError when the
 * core already holds all it can (the budget refuses such runs up front: src/experiment/budget.ts).
 */
function twice(m: CompiledModel, core: Core, key: keyof Room): number {
  const want = 2 * core.room[key];
  if (coreBytes(m, { ...core.room, [key]: want }) <= MAX_CORE_BYTES) return want;
  // Each array rounds its bytes up to 8: allow that for every array.
  const rest = coreBytes(m, { ...core.room, [key]: 0 }) + 8 * L.N_ARRAYS;
  const most = Math.floor((MAX_CORE_BYTES - rest) / ROOM_BYTES[key]);
  if (most <= core.room[key])
    throw new RangeError(
      `one replication needs room for more than ${core.room[key]} ${key === "incidents" ? "incidents" : "spells"}, ` +
        "more than the 4 GiB a WebAssembly memory holds; shorten the horizon or lower the rates",
    );
  return most;
}

/** A larger core for the workspace (see growCore). */
function grow(m: CompiledModel, ws: Workspace, room: Partial<Core["room"]>): Core {
  const core = growCore(m, ws.core, { ...ws.core.room, ...room });
  useCore(ws, core);
  return core;
}

/** Change points the UAV sets' step functions may need this replication: two per up-interval of each member. */
function stepsNeeded(m: CompiledModel, core: Core): number {
  const upOff = core.arrays.upOff;
  let need = 0;
  for (let q = 0; q < m.uavSetIdx.length; q++) {
    const j = m.uavSetIdx[q]!;
    need += 2 * (upOff[j + 1]! - upOff[j]!);
  }
  return need;
}

/** Phase 1. */
function timelines(m: CompiledModel, rng: Streams, ws: Workspace): void {
  let core = ws.core;
  for (;;) {
    rng.incidents.saveState(core.words, stateAt(core, L.A_RNG_INCIDENTS));
    rng.availability.saveState(core.words, stateAt(core, L.A_RNG_AVAILABILITY));
    core.exports.buildTimelines();
    if (core.results[L.R_TIMELINES_FIT] === 1) break;
    // More spells than room: a larger core, and the phase again from the same states.
    const room = core.room;
    core = grow(m, ws, {
      up: twice(m, core, "up"),
      reg: Math.max(core.results[L.R_N_REG]!, room.reg),
      dn: twice(m, core, "dn"),
    });
  }
  rng.incidents.loadState(core.words, stateAt(core, L.A_RNG_INCIDENTS));
  rng.availability.loadState(core.words, stateAt(core, L.A_RNG_AVAILABILITY));
  const nReg = core.results[L.R_N_REG]!;
  core.scalars[L.S_N_REG] = nReg;
  ws.nReg = nReg;
  const steps = stepsNeeded(m, core);
  if (steps > core.room.steps) grow(m, ws, { steps: Math.max(steps, 2 * core.room.steps) });
}

/** Phase 2 (and the part of phase 4 known when an incident is made). */
function incidents(m: CompiledModel, rng: Streams, ws: Workspace): void {
  let core = ws.core;
  for (;;) {
    rng.incidents.saveState(core.words, stateAt(core, L.A_RNG_INCIDENTS));
    rng.detection.saveState(core.words, stateAt(core, L.A_RNG_DETECTION));
    core.results[L.R_N_RESP_TOUCHED] = ws.nRespTouched;
    core.results[L.R_N_DET_TOUCHED] = ws.nDetTouched;
    core.exports.generateIncidents();
    const n = core.results[L.R_N]!;
    if (n >= 0) {
      rng.incidents.loadState(core.words, stateAt(core, L.A_RNG_INCIDENTS));
      rng.detection.loadState(core.words, stateAt(core, L.A_RNG_DETECTION));
      ws.n = n;
      ws.nPend = core.results[L.R_N_PEND]!;
      ws.nRespTouched = core.results[L.R_N_RESP_TOUCHED]!;
      ws.nDetTouched = core.results[L.R_N_DET_TOUCHED]!;
      return;
    }
    // More incidents than room: a larger core, and the phase again from the same states, with the tally and
    // histograms as they were before it (nothing before phase 2 writes them: empty).
    ws.tally.fill(0);
    ws.detHist.fill(0);
    ws.respHist.fill(0);
    ws.nRespTouched = ws.nDetTouched = 0;
    core = grow(m, ws, { incidents: twice(m, core, "incidents") });
  }
}

/** Phase 3. */
function dispatch(rng: Streams, ws: Workspace): void {
  const core = ws.core;
  rng.dispatch.saveState(core.words, stateAt(core, L.A_RNG_DISPATCH));
  core.exports.dispatchAll();
  rng.dispatch.loadState(core.words, stateAt(core, L.A_RNG_DISPATCH));
  ws.events = core.results[L.R_EVENTS]!;
}

/** Phase 4: the rest of the tally (the core tallied the part known when it made each incident). */
function tally(ws: Workspace): void {
  const res = ws.core.results;
  res[L.R_N_RESP_TOUCHED] = ws.nRespTouched;
  res[L.R_N_DET_TOUCHED] = ws.nDetTouched;
  ws.core.exports.tallyIncidents();
  ws.nRespTouched = res[L.R_N_RESP_TOUCHED]!;
  ws.nDetTouched = res[L.R_N_DET_TOUCHED]!;
}
