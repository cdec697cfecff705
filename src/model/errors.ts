/** One problem found in a scenario: where (JSON path) and what was expected. */
export interface ScenarioIssue {
  /** JSON path as a list of keys, e.g. ["sectors", 3, "incidents", "rate"]. */
  path: (string | number)[];
  message: string;
}

/** Formats a path as `sectors[3].incidents.rate` (or `(root)`). */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return "(root)";
  let s = "";
  for (const k of path) s += typeof k === "number" ? `[${k}]` : s === "" ? k : `.${k}`;
  return s;
}

/**
 * Thrown by `parseScenario` when a scenario is invalid. `.issues` lists every
 * problem found, each with its JSON path; `.message` is a readable summary.
 */
export class ScenarioError extends Error {
  readonly issues: readonly ScenarioIssue[];
  constructor(issues: ScenarioIssue[], source = "scenario") {
    const lines = issues.map((i) => `  - ${formatPath(i.path)}: ${i.message}`);
    super(`${source} is invalid (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`);
    this.name = "ScenarioError";
    this.issues = Object.freeze(issues.map((i) => Object.freeze({ path: [...i.path], message: i.message })));
  }
}
