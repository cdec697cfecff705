// ceasefire-sim — public API (browser-safe: no Node built-ins): what users call. The engine's machinery is in
// ./internal.ts (`ceasefire-sim/internal`, no semver promise); the scenario format's JSON Schema is
// `ceasefire-sim/scenario.schema.json`.
export { parseScenario } from "./model/parse.js";
export { ScenarioError, formatPath } from "./model/errors.js";
export type { ScenarioIssue } from "./model/errors.js";
export { SCENARIO_FORMAT } from "./model/input.js";
export type {
  ScenarioInput,
  SectorInput,
  RegimeInput,
  StateInput,
  AssetInput,
  TeamAssetInput,
  FixedAssetInput,
  UavAssetInput,
  SatelliteAssetInput,
  BaseInput,
  ContributionInput,
  AllocationInput,
  DistributionInput,
  DayNightInput,
  SolarDaylightInput,
  DetectionInput,
  DurationText,
  LengthText,
  SpeedText,
  RateText,
} from "./model/input.js";
export type {
  Scenario,
  Sector,
  Regime,
  State,
  Asset,
  TeamAsset,
  FixedAsset,
  UavAsset,
  SatelliteAsset,
  DayNight,
  Detection,
  Base,
  Contribution,
  AllocationSpec,
  TeamPlacement,
  SensorPlacement,
  Distribution,
  Severity,
} from "./model/types.js";
export type { Daylight, FixedDaylight, SolarDaylight } from "./model/daylight.js";
export type { QuantityResult } from "./model/units.js";
export { parseQuantity } from "./model/units.js";
export { lintScenario, LONG_NIGHT_HOURS } from "./model/lint.js";
export { fieldKind } from "./model/field-kind.js";
export type { FieldKind } from "./model/field-kind.js";

export { defaultScenario, scenario, scenarioNames } from "./scenarios/index.js";
export type { ScenarioName } from "./scenarios/index.js";

export { allocate, strategies } from "./allocation/allocate.js";
export type { Allocation, TeamUnit, SensorUnit } from "./allocation/allocation.js";
export type { Strategy } from "./allocation/strategy.js";
export { ALLOCATION_MODES, DEFAULT_ALLOCATION_MODE, augmentUnits, removeUnits } from "./allocation/modes.js";
export type { AllocationMode } from "./allocation/modes.js";
export { lintAllocation, lintWarnings } from "./allocation/lint.js";

export { simulate, SimulationAborted } from "./experiment/simulate.js";
export type { SimulateOptions, Result, Checkpoint } from "./experiment/simulate.js";
export type { Until, ModeAllocation, AllocationOption } from "./experiment/run.js";
export type { CheckpointOptions, Progress } from "./experiment/options.js";
export { resolveRunOptions, RUN_DEFAULTS, EXPERIMENTS } from "./experiment/options.js";
export type {
  RunOptions,
  ResolvedRunOptions,
  ResolvedUntil,
  ExperimentName,
  ExperimentRules,
  WorkerOptions,
} from "./experiment/options.js";
export { compare, DEFAULT_COMPARE_METRICS } from "./experiment/compare.js";
export type { CompareOptions, Comparison, MetricComparison, Difference, StrategyInput } from "./experiment/compare.js";
export {
  compareScenarios,
  type CompareScenariosOptions,
  type ScenarioArm,
  type ScenarioArms,
  type ScenarioComparison,
  type ScenarioEdits,
  type ArmInfo,
  type ArmMode,
} from "./experiment/arms.js";
export { withdrawal } from "./experiment/withdrawal.js";
export { optimize, parseTarget } from "./experiment/optimize.js";
export {
  incidentLog,
  incidentRow,
  replicationRows,
  INCIDENT_COLUMNS,
  INCIDENT_LOG_MAX_ROWS,
  REPLICATION_ROWS_MAX,
} from "./experiment/incidents.js";
export type {
  IncidentLog,
  IncidentLogOptions,
  IncidentRow,
  IncidentColumns,
  IncidentDictionaries,
  IncidentColumn,
  IncidentColumnKind,
  ReplicationRow,
  ReplicationRows,
} from "./experiment/incidents.js";
export { runShard, mergeResults, shardSlice } from "./experiment/shard.js";
export type { Partial as PartialResult, MergeOptions } from "./experiment/shard.js";
export {
  IntegrityError,
  verifyCheckpoint,
  verifyPart,
  CHECKPOINT_FORMAT,
  PARTIAL_FORMAT,
} from "./experiment/integrity.js";
export type { WithdrawalOptions, WithdrawalTable, WithdrawalRow, WithdrawalChange } from "./experiment/withdrawal.js";
export type { OptimizeOptions, OptimizeResult, OptimizeTarget, FrontierPoint } from "./experiment/optimize.js";

export { RNG_ALGORITHM } from "./rng/streams.js";

export type { Estimate, EstimateJson } from "./stats/estimate.js";
export type {
  DayNightEstimate,
  EffectiveCoverage,
  SectorMetrics,
  StateMetrics,
  TeamMetrics,
  UnwatchedStretch,
} from "./stats/summarize.js";
export { survivorshipNote } from "./stats/survival.js";
export type {
  TimeToVerification,
  SurvivalPoint,
  SurvivalQuantile,
  RestrictedMean,
  SurvivorshipView,
} from "./stats/survival.js";
export type { Channel } from "./model/types.js";

export { toRows, rowsToCsv } from "./report/rows.js";
export type { Row } from "./report/rows.js";

export { VERSION } from "./version.js";
export { erlangC } from "./analytic/erlang.js";
export type { ErlangC } from "./analytic/erlang.js";
export { hypercube } from "./analytic/hypercube.js";
export type { HypercubeResult, HypercubeOptions } from "./analytic/hypercube.js";
export { pMedian, pCenter, maxCover, setCover, EXACT_CELL_LIMIT } from "./allocation/location/index.js";
export type {
  LocationResult,
  LocationCommonOptions,
  PMedianOptions,
  PCenterOptions,
  MaxCoverOptions,
  SetCoverOptions,
  CostMatrix,
  LocationMethod,
} from "./allocation/location/index.js";

export { getParameter, setParameter, setParameters, parameterInfo, parameterValue } from "./experiment/parameters.js";
export type { ParameterValue, ParameterScalar, ParameterInfo } from "./experiment/parameters.js";
export { sweep, sweepRows, sweepDesign, SweepAborted, DEFAULT_SWEEP_METRICS } from "./experiment/sweep.js";
export type { SweepParameter, DesignOptions, DesignPoint, SweepOptions, SweepRow } from "./experiment/sweep.js";
export { tornado, sobol, sensitivity } from "./experiment/sensitivity.js";
export type {
  Interval,
  TornadoOptions,
  TornadoRow,
  TornadoResult,
  SobolOptions,
  SobolResult,
  SensitivityOptions,
  SensitivityResult,
} from "./experiment/sensitivity.js";
export { vegaLite, VEGA_LITE_CHARTS } from "./report/vega.js";
export type { VegaLiteChart, VegaLiteChartData, VegaLiteOptions, VegaLiteSpec } from "./report/vega.js";
export { answer } from "./report/answer.js";
export type { AnswerOptions } from "./report/answer.js";
export { mapSvg, MAP_METRICS, PERFORMANCE_CLASSES } from "./report/map.js";
export type { MapMetric, MapOptions, MapSvg, LabelBox } from "./report/map.js";
export { namesOf } from "./report/html.js";
