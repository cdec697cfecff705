/**
 * The memory layout the WebAssembly core and its JavaScript host share.
 * Written so that both compilers accept it: `../core.ts` (TypeScript, the
 * host) and the core's AssemblyScript sources in this folder import these
 * numbers, so the two sides cannot drift apart.
 *
 * Byte 0 holds a table of 32-bit addresses, one per array (the `A_*`
 * slots); the host places every array at or above `ARRAYS` and writes its
 * address there. Byte `SCALARS` holds doubles (the `S_*` slots, at most 64);
 * the core writes its results as 32-bit integers at `RESULTS` (the `R_*`
 * slots).
 */
export const SCALARS = 1024;
export const RESULTS = 1536;
export const ARRAYS = 65536;
/** Bytes of one generator's state: 128 words, the index, the Weyl word. */
export const RNG_BYTES = 520;

// Compiled model: the cell table (place → sector, segment).
export const A_CELL_FROM = 0;
export const A_CELL_TO = 1;
export const A_CELL_SECTOR = 2;
export const A_CELL_SEG = 3;
export const A_CELL_CUM_DAY = 4;
export const A_CELL_CUM_NIGHT = 5;
export const A_GUIDE_DAY = 6;
export const A_GUIDE_NIGHT = 7;
// Severity, and the sensors watching each segment.
export const A_SEV_CUM = 8;
export const A_SEG_FIX_OFF = 9;
export const A_SEG_FIX_IDX = 10;
export const A_SEG_UV_OFF = 11;
export const A_SEG_UV_IDX = 12;
export const A_WATCH_PD = 13;
export const A_WATCH_PN = 14;
export const A_WATCH_LAT_ROW = 15;
// Satellites.
export const A_SAT_SEES = 16;
export const A_SAT_FROM = 17;
export const A_SAT_TO = 18;
export const A_SAT_REVISIT = 19;
export const A_SAT_WINDOW = 20;
export const A_SAT_PD = 21;
export const A_SAT_PN = 22;
export const A_SAT_LAT_ROW = 23;
// Patrols, access, denial, regimes, distributions.
export const A_PATROL_DAY = 24;
export const A_PATROL_NIGHT = 25;
export const A_PATROL_ROW = 26;
export const A_ACCESS_ROW = 27;
export const A_DENIAL = 28;
export const A_REG_MULT = 29;
export const A_DIST = 30;
export const A_DIST_VALUES = 31;
// Ziggurat tables (normal: 128 layers; exponential: 256).
export const A_NORM_K = 32;
export const A_NORM_W = 33;
export const A_NORM_F = 34;
export const A_EXP_K = 35;
export const A_EXP_W = 36;
export const A_EXP_F = 37;
// One replication's inputs: timelines, and the generators' states.
export const A_UP_OFF = 38;
export const A_UP_START = 39;
export const A_UP_END = 40;
export const A_UP_FACTOR = 41;
export const A_UP_PTR = 42;
export const A_SAT_PHASE = 43;
export const A_REG_T = 44;
export const A_REG_R = 45;
export const A_RNG_INCIDENTS = 46;
export const A_RNG_DETECTION = 47;
// Its incidents (the workspace's arrays are views of these), and scratch.
export const A_INC_T = 48;
export const A_INC_X = 49;
export const A_INC_SEC = 50;
export const A_INC_CELL = 51;
export const A_INC_SEV = 52;
export const A_INC_DET = 53;
export const A_INC_CHAN = 54;
export const A_INC_ACCESS = 55;
export const A_INC_DENIED = 56;
export const A_INC_READY = 57;
export const A_INC_OUTCOME = 58;
export const A_PEND = 59;
export const A_REQ_ROW = 60;
export const A_REQ_CH = 61;
// Dispatch (phase 3): the model's teams, eligibility and nearest-team lists.
export const A_EL_OFF = 62;
export const A_EL_IDX = 63;
export const A_NEAR_START = 64;
export const A_NEAR_END = 65;
export const A_NEAR_IDX = 66;
export const A_NEAR_LOW = 67;
export const A_NEAR_RUN_END = 68;
export const A_TM_X = 69;
export const A_TM_OFF = 70;
export const A_TM_SPEED = 71;
export const A_TM_STATE = 72;
export const A_TM_NIGHT = 73;
export const A_TM_HOME = 74;
export const A_TM_ON_SITE_ROW = 75;
export const A_TM_BASE = 76;
export const A_SEC_LEAD = 77;
export const A_SEC_TO = 78;
export const A_TRAVEL_HOURS = 79;
export const A_ELIG = 80;
// One replication's team timelines, the generator's state, and dispatch's own state.
export const A_DN_OFF = 81;
export const A_DN_START = 82;
export const A_DN_END = 83;
export const A_DN_PTR = 84;
export const A_DN_NEXT = 85;
export const A_RNG_DISPATCH = 86;
export const A_TM_BUSY = 87;
export const A_TM_BUSY_FROM = 88;
export const A_TM_LOC_X = 89;
export const A_TM_LOC_OFF = 90;
export const A_TM_INC = 91;
export const A_QUEUED = 92;
export const A_Q_CRIT = 93;
export const A_Q_MAJ = 94;
export const A_HEAP_T = 95;
export const A_HEAP_I = 96;
// Dispatch's results: per incident, and the tally (the workspace's arrays are views of these).
export const A_INC_ARRIVE = 97;
export const A_INC_WAIT = 98;
export const A_INC_MOB = 99;
export const A_INC_TRAVEL = 100;
export const A_TALLY = 101;
// Tally (phase 4): the replication's histograms and the bins it touched (views in the workspace).
export const A_RESP_HIST = 102;
export const A_DET_HIST = 103;
export const A_RESP_TOUCHED = 104;
export const A_DET_TOUCHED = 105;
export const A_RESP_BOUNDS = 106;
// Coverage (phase 5): the line's elementary segments, the UAV sets over them, and scratch.
export const A_SEG_FROM = 107;
export const A_SEG_TO = 108;
export const A_SEG_SECTOR = 109;
export const A_SEG_UAV_SET = 110;
export const A_UAV_SET_OFF = 111;
export const A_UAV_SET_IDX = 112;
export const A_FULL_UP = 113;
export const A_LIVE_IDX = 114;
export const A_COV_CUR = 115;
export const A_STEP_OFF = 116;
export const A_STEP_END = 117;
export const A_STEP_T = 118;
export const A_STEP_C = 119;
export const A_STEP_P1 = 120;
export const A_STEP_N1 = 121;
export const A_STEP_P2 = 122;
/** exp's table of 2^(j/64) (src/rng/exp.ts). */
export const A_EXP2_TABLE = 123;
// Timelines (phase 1): regimes, fixed sensors' reliability, UAV sorties, teams' rotations.
export const A_REG_INIT_CUM = 124;
export const A_REG_MEAN = 125;
export const A_REG_NEXT_CUM = 126;
export const A_FX_MTBF = 127;
export const A_FX_REPAIR_ROW = 128;
export const A_FX_REPAIR_MEAN = 129;
export const A_UV_GROUP = 130;
export const A_UV_CYCLE = 131;
export const A_UV_STAGGER = 132;
export const A_UV_JAM_P = 133;
export const A_UV_JAM_F = 134;
export const A_UV_ON_START = 135;
export const A_UV_ON_END = 136;
export const A_UAV_GROUP_PHASE = 137;
export const A_TM_AVAIL = 138;
export const A_TM_DOWN = 139;
export const A_RNG_AVAILABILITY = 140;
/** Detection scratch: one 64-byte record per watching sensor (see generateIncidents). */
export const A_SENSOR_STATE = 141;
/** Scratch: an incident's seven uniforms. */
export const A_DRAWS = 142;
/** Dispatch: the teams' ends of unavailability as a tournament tree (see ./dispatch.ts): each node's time and payload. */
export const A_UP_TREE_T = 143;
export const A_UP_TREE_V = 144;
/** Coverage scratch: the next event time of each member of the UAV set being built. */
export const A_MEMBER_NEXT = 145;
export const N_ARRAYS = 146;

export const S_DAWN = 0;
export const S_DUSK = 1;
export const S_RATE_DAY = 2;
export const S_RATE_NIGHT = 3;
export const S_END = 4;
export const S_PARTIES_P = 5;
export const S_PARTIES_ROW = 6;
export const S_REPORT_ROW = 7;
export const S_TASKING_ROW = 8;
export const S_N_SAT = 9;
export const S_N_REG = 10;
export const S_CAPACITY = 11;
export const S_GUIDE = 12;
export const S_WARMUP = 13;
export const S_DRAIN_END = 14;
export const S_N_TEAMS = 15;
export const S_N_SECTORS = 16;
export const S_N_BASES = 17;
export const S_MATRIX = 18;
export const S_CIRCUITY = 19;
export const S_EARLIEST_ARRIVAL = 20;
export const S_FIXED_PREFERENCE = 21;
export const S_CRITICAL_FIRST = 22;
export const S_RETASK = 23;
export const S_CROSS_ROW = 24;
export const S_CROSS_MEAN = 25;
export const S_STANDARD = 26;
export const S_HIST_MIN = 27;
export const S_HIST_OCTAVES = 28;
export const S_HIST_SUB = 29;
export const S_N_FIXED = 30;
export const S_N_SEGMENTS = 31;
export const S_N_UAV_SETS = 32;
export const S_N_UAV = 33;
export const S_N_REGIMES = 34;
/** The room the host gave for up-intervals, regime spells and team unavailable spells. */
export const S_UP_ROOM = 35;
export const S_REG_ROOM = 36;
export const S_DN_ROOM = 37;
/** Numbers in the tally. */
export const S_TALLY_SIZE = 38;
/** Leaves of the tree of the teams' ends of unavailability: a power of two, at least one per team. */
export const S_UP_LEAVES = 39;
export const N_SCALARS = 40;

/** Incidents generated, or −1 when they would not fit (the host then makes room and runs again). */
export const R_N = 0;
export const R_N_PEND = 1;
/** Events dispatch handled. */
export const R_EVENTS = 2;
/** Histogram bins the tally touched. */
export const R_N_RESP_TOUCHED = 3;
export const R_N_DET_TOUCHED = 4;
/** Timelines: 1 when they fitted (else 0: the host makes room and runs them again); regime spells. */
export const R_TIMELINES_FIT = 5;
export const R_N_REG = 6;
