/** The library version, recorded in every result's provenance (kept equal to package.json by a test). */
export const VERSION = "0.4.0";
