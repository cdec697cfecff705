/**
 * The engine: an instance of the WebAssembly core (compiled from AssemblyScript, `./wasm/`) over its own
 * memory, laid out from the declaration table (src/layout/declaration.ts). Every array the table declares
 * gets its place and a typed-array view here; the compiled model's columns and the engine's constant tables
 * are copied in once, and the scalars are set from the model and the room given. Nothing else is numbered.
 *
 * The memory never grows: a replication that needs more room than its core has gets a new, larger core, with
 * the replication's arrays carried over (`growCore`). Growing a memory would detach its buffer, and one
 * detached buffer slows every typed array in the thread (see src/node/worker.ts).
 */
import type { CompiledModel } from "../compile/compile.js";
import { GUIDE } from "../compile/compile.js";
import { ARRAYS, MEMORY, SCALARS, type Element, type Size } from "../layout/declaration.js";
import { HIST_BINS, HIST_MIN, HIST_OCTAVES, HIST_SUB } from "../layout/histogram.js";
import * as L from "../layout/slots.generated.js";
import { tallySize } from "../layout/tally.js";
import type { CoreArrays, HostScalarName, ModelScalarName, TableName } from "../layout/types.js";
import { EXP2_TABLE } from "../rng/exp.js";
import { EXPONENTIAL_ZIGGURAT } from "../rng/exponential.js";
import { NORMAL_ZIGGURAT } from "../rng/normal.js";
import { CORE_WASM } from "./wasm/binary.generated.js";

/** How much a core has room for. @internal */
export interface Room {
  /** Incidents. */
  incidents: number;
  /** Sensor up-intervals, regime spells, team unavailable spells. */
  up: number;
  reg: number;
  dn: number;
  /** Change points of the UAV sets' step functions (coverage). */
  steps: number;
}

/** The phases the core exports (./wasm/core.ts), and its exp and log (for tests). @internal */
export interface CoreExports {
  resetTally: () => void;
  buildTimelines: () => void;
  generateIncidents: () => void;
  dispatchAll: () => void;
  tallyIncidents: () => void;
  tallyCoverage: () => void;
  engineExp: (x: number) => number;
  engineLog: (x: number) => number;
  engineSample: (row: number, n: number, out: number) => void;
}

/** One instance of the core over its own memory. @internal */
export interface Core {
  exports: CoreExports;
  room: Room;
  /** Every declared array, as a view of the core's memory. */
  arrays: CoreArrays;
  /** The whole memory as words (the generators' states are copied through it). */
  words: Int32Array;
  scalars: Float64Array;
  results: Int32Array;
}

const VIEW: Record<Element, { new (b: ArrayBuffer, at: number, n: number): CoreArrays[keyof CoreArrays] }> = {
  f64: Float64Array,
  i32: Int32Array,
  u8: Uint8Array,
  i8: Int8Array,
};
const BYTES: Record<Element, number> = { f64: 8, i32: 4, u8: 1, i8: 1 };

/** The engine's constant tables. */
const TABLES: Record<TableName, ArrayLike<number>> = {
  normK: NORMAL_ZIGGURAT.K,
  normW: NORMAL_ZIGGURAT.W,
  normF: NORMAL_ZIGGURAT.F,
  expK: EXPONENTIAL_ZIGGURAT.K,
  expW: EXPONENTIAL_ZIGGURAT.W,
  expF: EXPONENTIAL_ZIGGURAT.F,
  exp2Table: EXP2_TABLE,
};

/** Leaves of the tree of the teams' ends of unavailability: a power of two, at least one per team. */
function upLeaves(nTeams: number): number {
  let n = 1;
  while (n < nTeams) n *= 2;
  return n;
}

const watchers = (m: CompiledModel) => m.nFixed + m.nUav;

/**
 * Room for patrol windows: one per patrolling team and day, and one more for each unavailable spell (a spell
 * inside a window splits it in two), so the room for team spells bounds the rest.
 */
const patrolRoom = (m: CompiledModel, room: Room) => (m.nPatrolTeams > 0 ? m.patrolDays * m.nPatrolTeams + room.dn : 0);

/** The length of each kind of array but the model's columns and the tables. */
const SIZES: Record<Exclude<Size, "model" | "table">, (m: CompiledModel, room: Room) => number> = {
  rng: () => MEMORY.RNG_BYTES / 4,
  incidents: (_, room) => room.incidents,
  // Each incident enters a queue at most once, so a queue of capacity + 1 slots never fills; the heap holds at
  // most the waiting ready events, one per team (a task's end or return; ends of unavailability are in a tree of
  // their own) and the next dawn's event.
  queue: (_, room) => room.incidents + 1,
  heap: (m, room) => room.incidents + 2 * m.nTeams + 2,
  up: (_, room) => room.up,
  reg: (_, room) => room.reg,
  dn: (_, room) => room.dn,
  patrol: patrolRoom,
  steps: (_, room) => room.steps,
  steps6: (_, room) => 6 * room.steps,
  twelve: () => 12,
  eighteen: () => 18,
  watchers,
  // An incident's detection requests: every watching sensor, every team patrolling on a schedule, the
  // per-sector patrol rule and the parties.
  requests: (m) => watchers(m) + m.nPatrolTeams + 2,
  "watchers+1": (m) => watchers(m) + 1,
  "watchers+2": (m) => watchers(m) + 2,
  // One 64-byte record per watching sensor.
  sensorRecords: (m) => 8 * watchers(m),
  teams: (m) => m.nTeams,
  "teams+1": (m) => m.nTeams + 1,
  upTree: (m) => 2 * upLeaves(m.nTeams),
  sectors: (m) => m.nSectors,
  fixed: (m) => m.nFixed,
  uavs: (m) => m.nUav,
  uavs6: (m) => 6 * m.nUav,
  uavSets: (m) => m.uavSetOff.length - 1,
  satellites: (m) => m.nSat,
  draws: () => L.INCIDENT_UNIFORMS,
  tally: (m) => tallySize(m.nSectors, m.nTeams, m.nStates),
  histograms: (m) => (m.nSectors + 1) * HIST_BINS,
  bounds: (m) => 2 * (m.nSectors + 1),
};

/** The scalars the host sets. */
const HOST_SCALARS: Record<HostScalarName, (m: CompiledModel, room: Room) => number> = {
  nReg: () => 0,
  capacity: (_, room) => room.incidents,
  guide: () => GUIDE,
  histMin: () => HIST_MIN,
  histOctaves: () => HIST_OCTAVES,
  histSub: () => HIST_SUB,
  nSegments: (m) => m.segFrom.length,
  nUavSets: (m) => m.uavSetOff.length - 1,
  upRoom: (_, room) => room.up,
  regRoom: (_, room) => room.reg,
  dnRoom: (_, room) => room.dn,
  ptRoom: patrolRoom,
  tallySize: (m) => tallySize(m.nSectors, m.nTeams, m.nStates),
  upLeaves: (m) => upLeaves(m.nTeams),
};

function lengthOf(a: (typeof ARRAYS)[number], m: CompiledModel, room: Room): number {
  if (a.size === "model") return m[a.name].length;
  if (a.size === "table") return TABLES[a.name].length;
  return SIZES[a.size](m, room);
}

let compiled: WebAssembly.Module | undefined;

/** The compiled core, compiled synchronously on first use (Node, Deno and browsers allow it for ~25 KB). */
function coreModule(): WebAssembly.Module {
  if (compiled) return compiled;
  if (typeof WebAssembly !== "object")
    throw new Error("ceasefire-sim needs WebAssembly: this JavaScript environment has none");
  const s = atob(CORE_WASM);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  compiled = new WebAssembly.Module(bytes);
  return compiled;
}

/**
 * Where each array starts (bytes, 8-aligned, in declaration order from MEMORY.ARRAYS up), and the total; in
 * doubles, so that offsets past 2 GiB stay exact (the core reads them as unsigned 32-bit addresses).
 */
function plan(m: CompiledModel, room: Room): { at: Float64Array; bytes: number } {
  const at = new Float64Array(L.N_ARRAYS);
  let bytes = MEMORY.ARRAYS;
  ARRAYS.forEach((a, slot) => {
    at[slot] = bytes;
    bytes += Math.ceil((Math.max(1, lengthOf(a, m, room)) * BYTES[a.type]) / 8) * 8;
  });
  return { at, bytes };
}

/** The most a core's memory may hold: a WebAssembly memory's 4 GiB, less a page. @internal */
export const MAX_CORE_BYTES = 2 ** 32 - 65536;

/** What a core of model m with this room would hold, in bytes. @internal */
export function coreBytes(m: CompiledModel, room: Room): number {
  return plan(m, room).bytes;
}

/**
 * Bytes per unit of each kind of room (one more incident, up-interval, regime spell, team spell or step), from
 * the declaration table: what the budget multiplies its estimates by. @internal
 */
export const ROOM_BYTES: Readonly<Record<keyof Room, number>> = (() => {
  const per: Record<keyof Room, number> = { incidents: 0, up: 0, reg: 0, dn: 0, steps: 0 };
  const grows: Partial<Record<Size, keyof Room>> = {
    incidents: "incidents",
    queue: "incidents",
    heap: "incidents",
    up: "up",
    reg: "reg",
    dn: "dn",
    patrol: "dn",
    steps: "steps",
    steps6: "steps",
  };
  for (const a of ARRAYS) {
    const k = grows[a.size];
    if (k) per[k] += BYTES[a.type] * (a.size === "steps6" ? 6 : 1);
  }
  return Object.freeze(per);
})();

/**
 * A core for model m with the given room: the model's columns and the tables copied in, the scalars set, the
 * response histograms' bounds empty. @internal
 */
export function createCore(m: CompiledModel, room: Room): Core {
  const { at, bytes } = plan(m, room);
  // 64 bits: a plan past the 32-bit address space is refused here, never wrapped.
  if (bytes > MAX_CORE_BYTES)
    throw new RangeError(
      `the engine would need ${(bytes / 2 ** 30).toFixed(1)} GiB for one replication ` +
        `(${room.incidents} incidents); WebAssembly memories hold at most 4 GiB`,
    );
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  const buf = memory.buffer;
  new Uint32Array(buf, 0, L.N_ARRAYS).set(at);
  const arrays = {} as Record<string, CoreArrays[keyof CoreArrays]>;
  ARRAYS.forEach((a, slot) => {
    const view = new VIEW[a.type](buf, at[slot]!, lengthOf(a, m, room));
    if (a.size === "model") view.set(m[a.name]);
    else if (a.size === "table") view.set(TABLES[a.name]);
    arrays[a.name] = view;
  });
  const views = arrays as unknown as CoreArrays;
  // Each response histogram block's lowest and highest non-empty bin: none yet.
  views.respBounds.forEach((_, q) => {
    views.respBounds[q] = q % 2 === 0 ? HIST_BINS : -1;
  });
  const scalars = new Float64Array(buf, MEMORY.SCALARS, L.N_SCALARS);
  SCALARS.forEach((s, slot) => {
    scalars[slot] =
      "model" in s
        ? +(m[s.name as ModelScalarName] as number | boolean)
        : HOST_SCALARS[s.name as HostScalarName](m, room);
  });
  const instance = new WebAssembly.Instance(coreModule(), { env: { memory } });
  return {
    exports: instance.exports as unknown as CoreExports,
    room,
    arrays: views,
    words: new Int32Array(buf),
    scalars,
    results: new Int32Array(buf, MEMORY.RESULTS, L.N_RESULTS),
  };
}

/**
 * A larger core for the same model: every array of the replication under way (all but the model's columns
 * and the tables) carried over as far as the new room holds it, with its results and spell count. @internal
 */
export function growCore(m: CompiledModel, old: Core, room: Room): Core {
  const core = createCore(m, room);
  for (const a of ARRAYS) {
    if (a.size === "model" || a.size === "table") continue;
    const from = old.arrays[a.name],
      to = core.arrays[a.name];
    to.set(from.length <= to.length ? from : from.subarray(0, to.length));
  }
  core.results.set(old.results);
  core.scalars[L.S_N_REG] = old.scalars[L.S_N_REG]!;
  return core;
}

/** Word offset of a generator's state in the core's memory (the slot of an `rng*` array). @internal */
export function stateAt(core: Core, slot: number): number {
  return core.arrays[ARRAYS[slot]!.name].byteOffset / 4;
}
