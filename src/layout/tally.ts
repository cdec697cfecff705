/**
 * A replication's tally, as the declaration table lays it out (./declaration.ts, `SECTOR_FIELDS` and
 * `TEAM_FIELDS`): one block per sector, one for the whole line (block nSectors), then one per team.
 */
import { SECTOR_FIELDS, TEAM_FIELDS } from "./slots.generated.js";

/** Numbers in the tally of a model with nSectors sectors and nTeams teams. */
export function tallySize(nSectors: number, nTeams: number): number {
  return (nSectors + 1) * SECTOR_FIELDS + nTeams * TEAM_FIELDS;
}

/** Where team k's block starts. */
export function teamBlock(nSectors: number, k: number): number {
  return (nSectors + 1) * SECTOR_FIELDS + k * TEAM_FIELDS;
}
