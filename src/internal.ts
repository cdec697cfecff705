/**
 * `ceasefire-sim/internal` — the engine's machinery: compiling a scenario to
 * typed arrays, running one replication on a workspace, the random streams and
 * the accumulators that `simulate` is built from.
 *
 * No semver promise: anything here may change or go in any release, minor or
 * patch. It is for this project's benchmarks and tests and for advanced users
 * who drive the engine replication by replication; everyone else uses the main
 * entry, `ceasefire-sim`.
 *
 * @example
 * import { allocate, defaultScenario, parseScenario } from "ceasefire-sim";
 * import { compile, createWorkspace, replicationStreams, runReplication } from "ceasefire-sim/internal";
 * const s = parseScenario(defaultScenario());
 * const m = compile(s, await allocate(s, "risk-weighted"));
 * const ws = createWorkspace(m);
 * runReplication(m, replicationStreams(1, 0), ws);
 *
 * @packageDocumentation
 */
export { scenarioSchema } from "./model/schema.js";
export type { ScenarioSchemaInput } from "./model/schema.js";
export { compile, CHANNELS } from "./compile/compile.js";
export type { CompiledModel } from "./compile/compile.js";
export type { CoreArrays } from "./layout/types.js";
export { runReplication, OUTCOMES, ENGINE } from "./engine/replication.js";
export { createWorkspace } from "./engine/workspace.js";
export type { Workspace } from "./engine/workspace.js";
export { stream, replicationStreams, Rng, STREAMS } from "./rng/streams.js";
export type { Streams, StreamName } from "./rng/streams.js";
export { createAccumulator, addReplication, addWorkspace, mergeAccumulators } from "./stats/accumulator.js";
export type { Accumulator } from "./stats/accumulator.js";
