/**
 * On CI a missing tool fails the suite instead of skipping: the browser, report, explorer and notebook test files run
 * here in a child vitest with `CI=1`, no `CHROMIUM_PATH`, and a PATH that holds nothing but `node` (so neither
 * Chromium nor jupyter-nbconvert can be found). Each file must fail, saying what is missing; were the CI rule
 * dropped, they would skip their checks and the child would exit 0.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const VITEST = join(ROOT, "node_modules", "vitest", "vitest.mjs");
const FILES = ["tests/browser.test.ts", "tests/report.test.ts", "tests/explorer.test.ts", "tests/notebook.test.ts"];

let bin = "";
let run: { status: number | null; output: string } = { status: null, output: "" };

beforeAll(() => {
  bin = mkdtempSync(join(tmpdir(), "ceasefire-sim-ci-path-"));
  symlinkSync(process.execPath, join(bin, basename(process.execPath)));
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(VITEST|CHROMIUM_PATH$|npm_|NODE_OPTIONS$)/.test(k) && k !== "PATH") env[k] = v;
  env.PATH = bin;
  env.CI = "1";
  env.NO_COLOR = "1";
  const r = spawnSync(process.execPath, [VITEST, "run", "--project", "slow", ...FILES], {
    cwd: ROOT,
    env,
    encoding: "utf8",
    timeout: 240_000,
  });
  if (r.error) throw r.error;
  run = { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}, 300_000);

afterAll(() => {
  if (bin) rmSync(bin, { recursive: true, force: true });
});

describe("CI=1 without Chromium or nbconvert on the PATH", () => {
  it("the run fails", () => {
    expect(run.status, run.output).not.toBe(0);
  });

  it.each([
    ["tests/browser.test.ts", "CI: Chromium not found (tests/browser.test.ts)"],
    ["tests/report.test.ts", "CI: Chromium not found (tests/report.test.ts)"],
    ["tests/explorer.test.ts", "CI: Chromium not found (tests/explorer.test.ts)"],
    ["tests/notebook.test.ts", "CI: jupyter-nbconvert not found"],
  ])("%s fails, naming what is missing", (_, message) => {
    expect(run.output).toContain(message);
  });
});
