/**
 * The one declaration of what the host and the WebAssembly core share: the codes (distributions, detection
 * channels, outcomes, events), the draws each incident takes, the tally's fields, the core's scalars and
 * results, and every array of its memory with its element type and what sizes it.
 *
 * Nothing here is numbered by hand: a code, field or slot is its position in its list.
 * `scripts/build-core.mjs` reads this file and writes `src/layout/slots.generated.ts` (not committed), with
 * one constant per entry (`DIST_GAMMA`, `CH_UAV`, `F_WITHIN`, `A_INC_T`, `S_END`, `R_N`, …). The core's
 * AssemblyScript and the host's TypeScript both import those constants; the host also reads this table to
 * lay out the core's memory, copy the compiled model in and make its typed-array views (src/engine/core.ts),
 * and `CompiledModel`'s columns take their types from it (src/compile/compile.ts).
 *
 * Names are camelCase here and UPPER_SNAKE as constants: `cellCumDay` is `A_CELL_CUM_DAY`.
 *
 * This file is data only (no imports): the build script loads it on its own.
 */

/** Codes: each list's entries get the codes 0, 1, 2, … in order, as `<PREFIX>_<NAME>` constants. */
export const CODES = {
  /** Distribution kinds of compiled distribution rows (src/compile/distributions.ts). */
  DIST: ["none", "fixed", "exp", "lognormal", "uniform", "triangular", "gamma", "empirical"],
  /** Detection channels (`label`: the name in results; `title`: the name in reports). */
  CH: [
    { name: "fixed", label: "fixed", title: "Fixed sensor" },
    { name: "uav", label: "uav", title: "UAV" },
    { name: "sat", label: "satellite", title: "Satellite" },
    { name: "patrol", label: "patrol", title: "Team patrol" },
    { name: "parties", label: "parties", title: "Parties' report" },
  ],
  /** Incident outcomes: every incident ends in exactly one (`label`: the name in results). */
  OUT: [
    { name: "pending", label: "pending" },
    { name: "verified", label: "verified" },
    { name: "denied", label: "denied" },
    { name: "noTeam", label: "no-eligible-team" },
    { name: "horizon", label: "horizon-end" },
    { name: "undetected", label: "undetected" },
    { name: "recorded", label: "recorded" },
  ],
  /** Dispatch events: a heap item is (incident or team id << EV_SHIFT) | event. */
  EV: ["ready", "done", "free", "up", "dawn"],
  /** Incident severities, in the order of an incident's severity code (`label`: the name in results). */
  SEV: [
    { name: "minor", label: "minor" },
    { name: "major", label: "major" },
    { name: "critical", label: "critical" },
  ],
  /** When a UAV type's sorties may be on station (`label`: the scenario's `schedule`). */
  SCHED: [
    { name: "always", label: "24h" },
    { name: "day", label: "day" },
    { name: "night", label: "night" },
  ],
} as const;

/** A compiled distribution row: its kind (a DIST code), then parameters (`DIST_WIDTH` numbers). */
export const DIST_ROW = ["kind", "p1", "p2", "p3"] as const;

/**
 * The uniforms every incident draws from the incident stream after the gap to the next one, in order, as
 * `U_<NAME>` (their index) and `INCIDENT_UNIFORMS` (their count). A new detection channel adds its uniform here.
 */
export const INCIDENT_UNIFORMS = ["place", "severity", "fixed", "uav", "patrol", "parties", "satellite"] as const;

/**
 * The tally of a replication: one block of `SECTOR_FIELDS` numbers per sector plus one for the whole line
 * (block index nSectors), then one block of `TEAM_FIELDS` per team, then one of `STATE_FIELDS` per state.
 * Counts are incidents that occurred after the warm-up; times are hours. An entry `[name, width]` is a run of
 * fields (`F_CH + channel`).
 */
export const SECTOR_FIELDS = [
  "inc",
  "det",
  "detLat",
  "verifiable",
  "verified",
  "within",
  "resp",
  "undet",
  "denied",
  "noTeam",
  "horizonEnd",
  "minorRecorded",
  "dispatch",
  "queued",
  "wait",
  "crossSector",
  "crossNational",
  /** Detections by channel: F_CH + channel code. */
  ["ch", CODES.CH.length],
  "cov",
  "covDay",
  "covNight",
  "cov2",
  /**
   * Effective coverage: line-km-hours weighted by the probability that the watching sensors detect a reference
   * incident there and then, by day and by night; over the sector's severity mix, then per severity (F_EFF_DAY_SEV
   * + severity code).
   */
  "effDay",
  "effNight",
  ["effDaySev", 3],
  ["effNightSev", 3],
  "expDay",
  "expNight",
  /** Response-time components summed over verified incidents. */
  "tDetect",
  "tTask",
  "tWait",
  "tMobilise",
  "tTravel",
  "tAccess",
  "critical",
  /**
   * Time to verification restricted to the follow-up limit L (drainEnd − end), summed over verifiable
   * incidents: min(response, L) for a verified one, L for one never verified (undetected, denied, no eligible
   * team, unfinished). Over `verifiable`, the restricted mean time to verification.
   */
  "restricted",
] as const;

/**
 * A team's block of the tally, as `T_<NAME>`: hours busy (from its tasking until it is back at base),
 * taskings, hours unavailable, hours patrolled (its patrol windows less the hours it was busy in them; the
 * windows already skip its unavailable spells), hours travelling (to an incident, and back to base).
 */
export const TEAM_FIELDS = ["busy", "tasks", "down", "patrol", "travel"] as const;

/** A contributing state's block of the tally, as `ST_<NAME>`: hours its fixed sensors worked, its UAVs on station. */
export const STATE_FIELDS = ["fixedHours", "uavHours"] as const;

/** Where things sit in the core's memory (bytes), and the bytes of one generator's state (128 words, index, Weyl). */
export const MEMORY = { SCALARS: 1024, RESULTS: 1536, ARRAYS: 65536, RNG_BYTES: 520 } as const;

/**
 * The core's scalars (doubles at MEMORY.SCALARS, as `S_<NAME>`). `model: true`: the compiled model's field of
 * that name (a number or a boolean); the others the host sets (src/engine/core.ts).
 */
export const SCALARS = [
  /** The last day of the calendar's tables (calDawn, calDusk, calNight): days past it repeat it. */
  { name: "calLast", model: true },
  { name: "rateDay", model: true },
  { name: "rateNight", model: true },
  { name: "end", model: true },
  { name: "partiesP", model: true },
  { name: "partiesRow", model: true },
  { name: "reportRow", model: true },
  { name: "taskingRow", model: true },
  { name: "nSat", model: true },
  /** 1 when some sensor type's detection depends on severity (`watchSev` is then read), else 0. */
  { name: "sevFactors", model: true },
  /** Regime spells of the replication under way. */
  { name: "nReg" },
  /** Room for incidents. */
  { name: "capacity" },
  { name: "guide" },
  { name: "warmup", model: true },
  { name: "drainEnd", model: true },
  { name: "nTeams", model: true },
  { name: "nSectors", model: true },
  { name: "nBases", model: true },
  { name: "matrix", model: true },
  { name: "circuity", model: true },
  { name: "earliestArrival", model: true },
  { name: "fixedPreference", model: true },
  { name: "criticalFirst", model: true },
  /** 1 when waiting incidents still within the response standard are served before overdue ones. */
  { name: "inStandardFirst", model: true },
  { name: "retask", model: true },
  { name: "crossRow", model: true },
  { name: "crossMean", model: true },
  { name: "standard", model: true },
  { name: "histMin" },
  { name: "histOctaves" },
  { name: "histSub" },
  { name: "nFixed", model: true },
  { name: "nSegments" },
  { name: "nUavSets" },
  { name: "nUav", model: true },
  { name: "nRegimes", model: true },
  /** The room the host gave for up-intervals, regime spells and team unavailable spells. */
  { name: "upRoom" },
  { name: "regRoom" },
  { name: "dnRoom" },
  /** Numbers in the tally. */
  { name: "tallySize" },
  /** Leaves of the tree of the teams' ends of unavailability: a power of two, at least one per team. */
  { name: "upLeaves" },
  { name: "nStates", model: true },
  /** Teams that patrol on a schedule (patrols as an activity: src/compile/patrols.ts). */
  { name: "nPatrolTeams", model: true },
  /** The room the host gave for patrol windows. */
  { name: "ptRoom" },
] as const;

/** The core's results (32-bit integers at MEMORY.RESULTS, as `R_<NAME>`). */
export const RESULTS = [
  /** Incidents generated, or −1 when they would not fit (the host then makes room and runs again). */
  "n",
  /** Incidents that go to dispatch. */
  "nPend",
  /** Events dispatch handled. */
  "events",
  /** Histogram bins the tally touched. */
  "nRespTouched",
  "nDetTouched",
  /** Timelines: 1 when they fitted (else 0: the host makes room and runs them again). */
  "timelinesFit",
  /** Regime spells. */
  "nReg",
] as const;

/** Element types of the core's arrays. */
export type Element = "f64" | "i32" | "u8" | "i8";

/**
 * What sizes an array: `model` — the compiled model's column of that name, copied in once; `table` — one of
 * the engine's constant tables (ziggurats, exp), copied in once; any other — a size the host computes from
 * the model and the room it gives the core (src/engine/core.ts, `SIZES`). Arrays not from the model or a
 * table start as zeros and belong to a replication (or are scratch).
 */
export type Size =
  | "model"
  | "table"
  | "rng"
  | "incidents"
  | "queue"
  | "heap"
  | "up"
  | "reg"
  | "dn"
  | "patrol"
  | "requests"
  | "steps"
  | "steps6"
  | "twelve"
  | "eighteen"
  | "watchers"
  | "watchers+1"
  | "watchers+2"
  | "sensorRecords"
  | "teams"
  | "teams+1"
  | "upTree"
  | "sectors"
  | "fixed"
  | "uavs"
  | "uavs6"
  | "uavSets"
  | "satellites"
  | "draws"
  | "tally"
  | "histograms"
  | "bounds";

/** The core's arrays, in slot order (`A_<NAME>`) and in memory order. */
export const ARRAYS = [
  // The compiled model (src/compile/compile.ts). Where incidents happen: the line cut into cells, each within
  // one sector, one piece of its incident profile and one elementary segment, with the cumulative probability
  // of an incident falling in it by day and by night, and guide tables (GUIDE entries: the first cell whose
  // cumulative probability exceeds k/GUIDE), so one uniform gives place, sector and watching sensors.
  { name: "cellFrom", type: "f64", size: "model" },
  { name: "cellTo", type: "f64", size: "model" },
  { name: "cellSector", type: "i32", size: "model" },
  { name: "cellSeg", type: "i32", size: "model" },
  { name: "cellCumDay", type: "f64", size: "model" },
  { name: "cellCumNight", type: "f64", size: "model" },
  { name: "guideDay", type: "i32", size: "model" },
  { name: "guideNight", type: "i32", size: "model" },
  // Severity ([P(minor), P(minor or major)] per sector); per segment, its fixed sensors and UAVs (CSR); the
  // watching sensors (fixed 0..nFixed−1, then UAVs, as the up-timelines): detection by day and night, latency.
  { name: "sevCum", type: "f64", size: "model" },
  { name: "segFixOff", type: "i32", size: "model" },
  { name: "segFixIdx", type: "i32", size: "model" },
  { name: "segUvOff", type: "i32", size: "model" },
  { name: "segUvIdx", type: "i32", size: "model" },
  { name: "watchPd", type: "f64", size: "model" },
  { name: "watchPn", type: "f64", size: "model" },
  { name: "watchLatRow", type: "i32", size: "model" },
  // Per watching sensor, its severity factors (3: minor, major, critical; all 1 unless declared), and its
  // detection probability by day then night for each severity (6: the day or night probability × the factor).
  { name: "watchSev", type: "f64", size: "model" },
  { name: "watchPdSev", type: "f64", size: "model" },
  // Satellites.
  { name: "satSees", type: "u8", size: "model" },
  { name: "satFrom", type: "f64", size: "model" },
  { name: "satTo", type: "f64", size: "model" },
  { name: "satRevisit", type: "f64", size: "model" },
  { name: "satWindow", type: "f64", size: "model" },
  { name: "satPd", type: "f64", size: "model" },
  { name: "satPn", type: "f64", size: "model" },
  { name: "satLatRow", type: "i32", size: "model" },
  /** Per satellite, its severity factors (3: minor, major, critical). */
  { name: "satSev", type: "f64", size: "model" },
  // Patrol detection per sector (teams based there) by day and night; access, denial, regime multipliers;
  // distributions as rows of DIST_WIDTH numbers (row 0 is "none": always 0) and the empirical values.
  { name: "patrolDay", type: "f64", size: "model" },
  { name: "patrolNight", type: "f64", size: "model" },
  { name: "patrolRow", type: "i32", size: "model" },
  { name: "accessRow", type: "i32", size: "model" },
  { name: "denial", type: "f64", size: "model" },
  { name: "regMult", type: "f64", size: "model" },
  { name: "dist", type: "f64", size: "model" },
  { name: "distValues", type: "f64", size: "model" },
  // The calendar (./wasm/calendar.ts): for each day d from 0 (hour 0 is its midnight) to calLast, its dawn and
  // dusk as hours from the start (24d + the hour of day), and the night hours before its midnight.
  { name: "calDawn", type: "f64", size: "model" },
  { name: "calDusk", type: "f64", size: "model" },
  { name: "calNight", type: "f64", size: "model" },
  // Ziggurat tables (normal: 128 layers; exponential: 256) and exp's table of 2^(j/64).
  { name: "normK", type: "i32", size: "table" },
  { name: "normW", type: "f64", size: "table" },
  { name: "normF", type: "f64", size: "table" },
  { name: "expK", type: "f64", size: "table" },
  { name: "expW", type: "f64", size: "table" },
  { name: "expF", type: "f64", size: "table" },
  { name: "exp2Table", type: "f64", size: "table" },
  // Timelines (phase 1): regimes, fixed sensors' reliability, UAV sorties, teams' rotations.
  { name: "regInitCum", type: "f64", size: "model" },
  { name: "regMean", type: "f64", size: "model" },
  { name: "regNextCum", type: "f64", size: "model" },
  { name: "fxMtbf", type: "f64", size: "model" },
  { name: "fxRepairRow", type: "i32", size: "model" },
  { name: "fxRepairMean", type: "f64", size: "model" },
  { name: "uvGroup", type: "i32", size: "model" },
  { name: "uvCycle", type: "f64", size: "model" },
  { name: "uvStagger", type: "f64", size: "model" },
  { name: "uvJamP", type: "f64", size: "model" },
  { name: "uvJamF", type: "f64", size: "model" },
  { name: "uvOnStart", type: "f64", size: "model" },
  { name: "uvOnEnd", type: "f64", size: "model" },
  /** When each UAV's sorties may be on station: a SCHED code. */
  { name: "uvSchedule", type: "i32", size: "model" },
  { name: "tmAvail", type: "f64", size: "model" },
  { name: "tmDown", type: "f64", size: "model" },
  // Patrols as an activity (src/compile/patrols.ts): each team's sector of responsibility (−1: it does not
  // patrol on a schedule), hours per day, whether it patrols by night, its detection probability while present
  // (scaled by the share of the sector it sweeps) and latency row; each sector's patrolling teams (CSR).
  { name: "tmPatrolSec", type: "i32", size: "model" },
  { name: "tmPatrolHours", type: "f64", size: "model" },
  { name: "tmPatrolNight", type: "u8", size: "model" },
  { name: "tmPatrolP", type: "f64", size: "model" },
  { name: "tmPatrolRow", type: "i32", size: "model" },
  { name: "psOff", type: "i32", size: "model" },
  { name: "psIdx", type: "i32", size: "model" },
  // Each watching sensor's state (fixed sensors, then UAVs), for the burden's sensor- and UAV-hours.
  { name: "watchState", type: "i32", size: "model" },
  // Dispatch (phase 3): teams eligible for each sector by caveats (CSR, in order of travel time to the
  // sector's midpoint, and as a sector × team matrix `elig`); the nearest-team search: for each incident cell,
  // the sector's eligible teams ordered by a lower bound of their travel time to the cell (nearLow), as the
  // range nearStart[c]..nearEnd[c] of nearIdx, and for each entry the end of its run of interchangeable teams
  // (same base, speed, nationality relative to the sector's lead, night movement: nearRunEnd).
  { name: "elOff", type: "i32", size: "model" },
  { name: "elIdx", type: "i32", size: "model" },
  { name: "nearStart", type: "i32", size: "model" },
  { name: "nearEnd", type: "i32", size: "model" },
  { name: "nearIdx", type: "i32", size: "model" },
  { name: "nearLow", type: "f64", size: "model" },
  { name: "nearRunEnd", type: "i32", size: "model" },
  { name: "tmX", type: "f64", size: "model" },
  { name: "tmOff", type: "f64", size: "model" },
  { name: "tmSpeed", type: "f64", size: "model" },
  { name: "tmState", type: "i32", size: "model" },
  { name: "tmNight", type: "u8", size: "model" },
  { name: "tmHome", type: "i32", size: "model" },
  { name: "tmOnSiteRow", type: "i32", size: "model" },
  { name: "tmBase", type: "i32", size: "model" },
  { name: "secLead", type: "i32", size: "model" },
  { name: "secTo", type: "f64", size: "model" },
  { name: "travelHours", type: "f64", size: "model" },
  { name: "elig", type: "u8", size: "model" },
  // Coverage (phase 5): the line's elementary segments and the id of each one's set of UAV orbits (−1: none;
  // sets are shared by neighbouring segments, so a set's timeline is computed once per replication).
  { name: "segFrom", type: "f64", size: "model" },
  { name: "segTo", type: "f64", size: "model" },
  { name: "segSector", type: "i32", size: "model" },
  { name: "segUavSet", type: "i32", size: "model" },
  { name: "uavSetOff", type: "i32", size: "model" },
  { name: "uavSetIdx", type: "i32", size: "model" },
  // One replication's timelines, and the generators' states.
  { name: "upOff", type: "i32", size: "watchers+1" },
  { name: "upStart", type: "f64", size: "up" },
  { name: "upEnd", type: "f64", size: "up" },
  { name: "upFactor", type: "f64", size: "up" },
  { name: "upPtr", type: "i32", size: "watchers" },
  { name: "satPhase", type: "f64", size: "satellites" },
  { name: "uavGroupPhase", type: "f64", size: "uavs" },
  { name: "regT", type: "f64", size: "reg" },
  { name: "regR", type: "i32", size: "reg" },
  { name: "dnOff", type: "i32", size: "teams+1" },
  { name: "dnStart", type: "f64", size: "dn" },
  { name: "dnEnd", type: "f64", size: "dn" },
  { name: "dnPtr", type: "i32", size: "teams" },
  // Patrol windows (phase 1): each team's, in time order (CSR), and two pointers into them: detection's
  // (phase 2) and dispatch's (phase 3, for the hours a team was busy in them).
  { name: "ptOff", type: "i32", size: "teams+1" },
  { name: "ptStart", type: "f64", size: "patrol" },
  { name: "ptEnd", type: "f64", size: "patrol" },
  { name: "ptPtr", type: "i32", size: "teams" },
  { name: "ptBusyPtr", type: "i32", size: "teams" },
  { name: "rngIncidents", type: "i32", size: "rng" },
  { name: "rngDetection", type: "i32", size: "rng" },
  { name: "rngDispatch", type: "i32", size: "rng" },
  { name: "rngAvailability", type: "i32", size: "rng" },
  // Its incidents, and what dispatch makes of them.
  { name: "incT", type: "f64", size: "incidents" },
  { name: "incX", type: "f64", size: "incidents" },
  { name: "incSec", type: "i32", size: "incidents" },
  { name: "incCell", type: "i32", size: "incidents" },
  { name: "incSev", type: "u8", size: "incidents" },
  { name: "incDet", type: "f64", size: "incidents" },
  { name: "incChan", type: "i8", size: "incidents" },
  { name: "incAccess", type: "f64", size: "incidents" },
  { name: "incDenied", type: "u8", size: "incidents" },
  { name: "incReport", type: "f64", size: "incidents" },
  { name: "incReady", type: "f64", size: "incidents" },
  { name: "incOutcome", type: "u8", size: "incidents" },
  { name: "pend", type: "i32", size: "incidents" },
  { name: "incArrive", type: "f64", size: "incidents" },
  { name: "incWait", type: "f64", size: "incidents" },
  { name: "incMob", type: "f64", size: "incidents" },
  { name: "incTravel", type: "f64", size: "incidents" },
  /** Of the journey (incTravel, halts included), the hours it stood still overnight (a team barred at night). */
  { name: "incHalt", type: "f64", size: "incidents" },
  { name: "incTeam", type: "i32", size: "incidents" },
  // Detection scratch: an incident's detecting channels (at most every watching sensor, patrolling team and
  // the two per-sector channels), one 64-byte record per watching sensor, its uniforms.
  { name: "reqRow", type: "i32", size: "requests" },
  { name: "reqCh", type: "i32", size: "requests" },
  { name: "sensorState", type: "f64", size: "sensorRecords" },
  { name: "draws", type: "f64", size: "draws" },
  // Dispatch's own state: teams, queues, the event heap, the tree of the teams' ends of unavailability.
  { name: "dnNext", type: "i32", size: "teams" },
  { name: "tmBusy", type: "u8", size: "teams" },
  { name: "tmBusyFrom", type: "f64", size: "teams" },
  { name: "tmLocX", type: "f64", size: "teams" },
  { name: "tmLocOff", type: "f64", size: "teams" },
  { name: "tmInc", type: "i32", size: "teams" },
  { name: "queued", type: "i32", size: "sectors" },
  /** The dawn at which a sector's waiting incidents last found no team (dawn's pass skips its others). */
  { name: "secDawn", type: "f64", size: "sectors" },
  { name: "qCrit", type: "i32", size: "queue" },
  { name: "qMaj", type: "i32", size: "queue" },
  { name: "heapT", type: "f64", size: "heap" },
  { name: "heapI", type: "i32", size: "heap" },
  { name: "upTreeT", type: "f64", size: "upTree" },
  { name: "upTreeV", type: "i32", size: "upTree" },
  // The tally (phase 4): the tally, histograms, the bins a replication touched, each block's non-empty range.
  { name: "tally", type: "f64", size: "tally" },
  { name: "respHist", type: "f64", size: "histograms" },
  { name: "detHist", type: "f64", size: "histograms" },
  { name: "respTouched", type: "i32", size: "histograms" },
  { name: "detTouched", type: "i32", size: "histograms" },
  { name: "respBounds", type: "i32", size: "bounds" },
  // Coverage scratch: fixed sensors up for the whole window, the UAV sets' step functions.
  { name: "fullUp", type: "u8", size: "fixed" },
  { name: "liveIdx", type: "i32", size: "fixed" },
  { name: "covCur", type: "i32", size: "watchers" },
  { name: "memberNext", type: "f64", size: "uavs" },
  /** A UAV set's members' miss probabilities on their current up-interval (6 a member: one per column). */
  { name: "memberMiss", type: "f64", size: "uavs6" },
  { name: "stepOff", type: "i32", size: "uavSets" },
  { name: "stepEnd", type: "i32", size: "uavSets" },
  { name: "stepT", type: "f64", size: "steps" },
  { name: "stepC", type: "i32", size: "steps" },
  { name: "stepP1", type: "f64", size: "steps" },
  { name: "stepN1", type: "f64", size: "steps" },
  { name: "stepP2", type: "f64", size: "steps" },
  /** Night hours before each change point (the calendar's nightBefore of its time). */
  { name: "stepNb", type: "f64", size: "steps" },
  // Effective coverage of the UAV sets: at each change point, the probability that every orbit on station misses
  // (per distinct column of detection probabilities: at most 6, day then night, each minor, major, critical), and
  // the prefix sums of the hours' detection probability (1 − that) over day hours and night hours in the same
  // order.
  { name: "stepQ", type: "f64", size: "steps6" },
  { name: "stepD", type: "f64", size: "steps6" },
  /**
   * Effective coverage's scratch: per column c, the UAV set's prefix where the sweep is (c), the segment's sum
   * (6 + c) and the fixed sensors' miss product over the stretch (12 + c).
   */
  { name: "effScratch", type: "f64", size: "eighteen" },
  /**
   * Effective coverage's columns: each of the 6 slots' column (0–5), then each column's first slot (6–11). Slots
   * whose detection probabilities are equal for every watching sensor share a column.
   */
  { name: "effCol", type: "i32", size: "twelve" },
] as const satisfies readonly { name: string; type: Element; size: Size }[];
