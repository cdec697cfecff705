// ceasefire-sim/node — Node-only helpers (files); re-exports the library.
export * from "../index.js";
export { readScenarioFile, writeFileAtomic, InputError } from "./files.js";
// Replaces the library's simulate with one that also takes `workers`.
export { simulate } from "./parallel.js";
export type { ParallelOptions } from "./parallel.js";
export { renderReport } from "./report.js";
export type { ReportOptions } from "./report.js";
