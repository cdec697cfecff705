/**
 * A replication's tally, as the declaration table lays it out (./declaration.ts, `SECTOR_FIELDS`,
 * `TEAM_FIELDS` and `STATE_FIELDS`): one block per sector, one for the whole line (block nSectors), then one
 * per team, then one per state.
 */
import { SECTOR_FIELDS, STATE_FIELDS, TEAM_FIELDS } from "./slots.generated.js";

/** Numbers in the tally of a model with nSectors sectors, nTeams teams and nStates states. */
export function tallySize(nSectors: number, nTeams: number, nStates: number): number {
  return (nSectors + 1) * SECTOR_FIELDS + nTeams * TEAM_FIELDS + nStates * STATE_FIELDS;
}

/** Where team k's block starts. */
export function teamBlock(nSectors: number, k: number): number {
  return (nSectors + 1) * SECTOR_FIELDS + k * TEAM_FIELDS;
}

/** Where state s's block starts. */
export function stateBlock(nSectors: number, nTeams: number, s: number): number {
  return (nSectors + 1) * SECTOR_FIELDS + nTeams * TEAM_FIELDS + s * STATE_FIELDS;
}
