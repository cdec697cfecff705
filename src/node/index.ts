// ceasefire-sim/node — Node-only helpers (files); re-exports the library.
export * from "../index.js";
export { readScenarioFile, writeFileAtomic, InputError } from "./files.js";
