/**
 * vega and vega-lite, the report's chart renderers: optional peer dependencies of the package (an install of
 * ceasefire-sim does not bring them), imported only when `renderReport` draws its charts.
 */
import { InputError } from "./files.js";

/** The command that installs the report's renderers. */
export const VEGA_INSTALL = "npm install vega vega-lite";

/** The two modules, as `import("vega")` and `import("vega-lite")` give them. */
export interface VegaModules {
  vega: typeof import("vega");
  vl: typeof import("vega-lite");
}

/** Whether an import failed because the package is not installed (ESM and CJS resolvers' codes). */
function notInstalled(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}

/**
 * Import vega and vega-lite; an `InputError` naming `npm install vega vega-lite` when either is not installed.
 */
export async function loadVega(): Promise<VegaModules> {
  try {
    const [vega, vl] = await Promise.all([import("vega"), import("vega-lite")]);
    return { vega, vl };
  } catch (e) {
    if (!notInstalled(e)) throw e;
    throw new InputError(
      `the HTML report draws its charts with vega and vega-lite, optional peer dependencies of ceasefire-sim ` +
        `that are not installed: run \`${VEGA_INSTALL}\` (${(e as Error).message.split("\n")[0]})`,
      { cause: e },
    );
  }
}
