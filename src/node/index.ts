// ceasefire-sim/node — Node-only helpers (files, reports); re-exports the library.
export * from "../index.js";
export { readScenarioFile, writeFileAtomic, InputError } from "./files.js";
// Replace the library's experiments with ones that also take `workers` (worker threads) and `chunk`.
export {
  simulate,
  compare,
  compareScenarios,
  withdrawal,
  optimize,
  runShard,
  sweep,
  sweepRows,
  tornado,
  sensitivity,
} from "./parallel.js";
export type { ParallelOptions } from "./parallel.js";
export { renderReport } from "./report.js";
export {
  writeIncidentLog,
  writeIncidentLogCsv,
  writeIncidentLogArrow,
  incidentLogCsv,
  incidentLogArrow,
  incidentLogFormat,
  writeReplicationRows,
  replicationRowsCsv,
  replicationRowsArrow,
} from "./incident-log.js";
export { INCIDENT_LOG_FORMATS } from "./incident-log.js";
export type { IncidentLogFormat } from "./incident-log.js";
export type { ReportOptions } from "./report.js";
