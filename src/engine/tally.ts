/**
 * Layout of a replication's tally: one block of SECTOR_FIELDS numbers per
 * sector plus one for the whole line (block index nSectors), then one block
 * of TEAM_FIELDS per team. Counts are incidents that occurred after the
 * warm-up; times are hours.
 */
export const F_INC = 0,
  F_DET = 1,
  F_DETLAT = 2,
  F_VERIFIABLE = 3,
  F_VERIFIED = 4,
  F_WITHIN = 5,
  F_RESP = 6;
export const F_UNDET = 7,
  F_DENIED = 8,
  F_NOTEAM = 9,
  F_HEND = 10,
  F_MINOR_REC = 11;
export const F_DISPATCH = 12,
  F_QUEUED = 13,
  F_WAIT = 14,
  F_XSECTOR = 15,
  F_XNAT = 16;
/** Detections by channel: F_CH + channel code. */
export const F_CH = 17;
export const F_COV = 22,
  F_COVDAY = 23,
  F_COVNIGHT = 24,
  F_COV2 = 25,
  F_EXPDAY = 26,
  F_EXPNIGHT = 27;
/** Response-time components summed over verified incidents. */
export const F_T_DETECT = 28,
  F_T_TASK = 29,
  F_T_WAIT = 30,
  F_T_MOBILISE = 31,
  F_T_TRAVEL = 32,
  F_T_ACCESS = 33;
export const F_CRITICAL = 34;
export const SECTOR_FIELDS = 35;

export const T_BUSY = 0,
  T_TASKS = 1,
  T_DOWN = 2;
export const TEAM_FIELDS = 3;

export function tallySize(nSectors: number, nTeams: number): number {
  return (nSectors + 1) * SECTOR_FIELDS + nTeams * TEAM_FIELDS;
}
export function teamBlock(nSectors: number, k: number): number {
  return (nSectors + 1) * SECTOR_FIELDS + k * TEAM_FIELDS;
}
