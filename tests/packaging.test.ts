/**
 * The published package, as a user gets it: `npm pack` the built library
 * (the test command builds dist/ first), install the tarball into a fresh
 * project in a temporary folder, and use it there the ways a user would:
 *
 * - ESM `import { simulate, defaultScenario } from "ceasefire-sim"`;
 * - CJS `require("ceasefire-sim")`;
 * - the `ceasefire-sim/node` subpath (`readScenarioFile`), from ESM and CJS;
 * - the `ceasefire-sim/internal` subpath (the engine, replication by
 *   replication), from ESM and CJS, and the main entry without internals;
 * - the `ceasefire-sim` bin through `npx`;
 * - a TypeScript consumer type-checked with this repo's tsc under
 *   `moduleResolution: node16` and `bundler`, with skipLibCheck off so the
 *   shipped .d.ts files are checked too;
 * - publint and attw (are-the-types-wrong) on the packed tarball.
 *
 * Dependencies are installed with `--prefer-offline` (the npm cache is warm
 * after `npm ci`; the registry is used only for what is missing). npm
 * variables inherited from `npm test` are removed from the child
 * environment so the nested npm works on the temporary project, not on
 * this repository.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "node_modules", ".bin");
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const NPX = process.platform === "win32" ? "npx.cmd" : "npx";

/** The environment without npm's per-script variables (npm_config_*, npm_package_*, …). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  env.NO_COLOR = "1";
  env.FORCE_COLOR = "0";
  return env;
}

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], cwd: string, timeoutMs = 120_000): Ran {
  const r = spawnSync(cmd, args, {
    cwd,
    env: cleanEnv(),
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Run and require exit code 0, with the output in the failure message. */
function ok(cmd: string, args: string[], cwd: string, timeoutMs?: number): string {
  const r = run(cmd, args, cwd, timeoutMs);
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r.stdout;
}

let tmp = "";
let tarball = "";
let packedFiles: string[] = [];
let app = "";

beforeAll(() => {
  if (!existsSync(join(ROOT, "dist", "index.js")))
    throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
  tmp = mkdtempSync(join(tmpdir(), "ceasefire-sim-pack-"));

  // 1. Pack.
  const packed = JSON.parse(ok(NPM, ["pack", "--json", "--pack-destination", tmp], ROOT)) as {
    filename: string;
    files: { path: string }[];
  }[];
  const first = packed[0];
  if (!first) throw new Error("npm pack produced nothing");
  tarball = join(tmp, first.filename);
  packedFiles = first.files.map((f) => f.path);

  // 2. A fresh consumer project with the tarball installed.
  app = join(tmp, "app");
  mkdirSync(app);
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "module" }, null, 2),
  );
  ok(
    NPM,
    ["install", tarball, "--no-audit", "--no-fund", "--prefer-offline", "--no-package-lock", "--loglevel=error"],
    app,
    180_000,
  );
  copyFileSync(join(ROOT, "examples", "scenarios", "mmc.json"), join(app, "mmc.json"));
}, 240_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe("the packed package", () => {
  it("ships the builds, declarations, schema and bin, and no sources or generated API docs", () => {
    for (const f of [
      "package.json",
      "dist/index.js",
      "dist/index.cjs",
      "dist/index.d.ts",
      "dist/index.d.cts",
      "dist/node.js",
      "dist/node.cjs",
      "dist/node.d.ts",
      "dist/node.d.cts",
      "dist/internal.js",
      "dist/internal.cjs",
      "dist/internal.d.ts",
      "dist/internal.d.cts",
      "dist/notebook.js",
      "dist/notebook.cjs",
      "dist/notebook.d.ts",
      "dist/notebook.d.cts",
      "dist/cli.js",
      "schema/scenario.schema.json",
    ])
      expect(packedFiles, f).toContain(f);
    expect(
      packedFiles.filter((f) => f.startsWith("src/") || f.startsWith("tests/") || f.startsWith("scratch/")),
    ).toEqual([]);
    expect(
      packedFiles.filter((f) => f.startsWith("docs/api/")),
      "docs/api (typedoc output) must not be published",
    ).toEqual([]);
  });

  it("lists vega and vega-lite as optional peer dependencies only, and the install brings neither", () => {
    const manifest = JSON.parse(readFileSync(join(app, "node_modules", "ceasefire-sim", "package.json"), "utf8"));
    const runtime = Object.keys(manifest.dependencies ?? {});
    expect(runtime.filter((d) => d.startsWith("vega"))).toEqual([]);
    expect(Object.keys(manifest.peerDependencies ?? {}).sort()).toEqual(["vega", "vega-lite"]);
    expect(manifest.peerDependenciesMeta).toEqual({ vega: { optional: true }, "vega-lite": { optional: true } });
    const installed = readdirSync(join(app, "node_modules"));
    expect(installed.filter((d) => d.startsWith("vega"))).toEqual([]);
  });

  it("renderReport without vega installed: an InputError naming `npm install vega vega-lite`", () => {
    writeFileSync(
      join(app, "report.mjs"),
      `import { simulate, defaultScenario, renderReport, InputError } from "ceasefire-sim/node";
const r = await simulate(defaultScenario(), { replications: 2, seed: 1, horizon: "2 d" });
try {
  await renderReport(r);
  console.log(JSON.stringify({ rendered: true }));
} catch (e) {
  console.log(JSON.stringify({ input: e instanceof InputError, message: e.message }));
}
`,
    );
    const out = JSON.parse(ok(process.execPath, ["report.mjs"], app));
    expect(out.input).toBe(true);
    expect(out.message).toContain("npm install vega vega-lite");
  });

  it("ESM: import { simulate, defaultScenario } runs a 2-replication simulation", () => {
    writeFileSync(
      join(app, "esm.mjs"),
      `import { simulate, defaultScenario, VERSION } from "ceasefire-sim";
const r = await simulate(defaultScenario(), { replications: 2, seed: 1 });
const { replications, library } = r.provenance;
console.log(JSON.stringify({ replications, library, version: VERSION, format: r.format }));
`,
    );
    const out = JSON.parse(ok(process.execPath, ["esm.mjs"], app));
    expect(out).toMatchObject({ replications: 2, library: "ceasefire-sim", format: "ceasefire-sim/result@1" });
    expect(out.version).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
  });

  it("CJS: require('ceasefire-sim') runs a 2-replication simulation", () => {
    writeFileSync(
      join(app, "cjs.cjs"),
      `const { simulate, defaultScenario } = require("ceasefire-sim");
simulate(defaultScenario(), { replications: 2, seed: 1 }).then((r) => {
  console.log(JSON.stringify({ replications: r.provenance.replications, format: r.format }));
}, (e) => { console.error(e); process.exit(1); });
`,
    );
    expect(JSON.parse(ok(process.execPath, ["cjs.cjs"], app))).toEqual({
      replications: 2,
      format: "ceasefire-sim/result@1",
    });
  });

  it("ceasefire-sim/node: readScenarioFile from ESM and CJS", () => {
    writeFileSync(
      join(app, "node-esm.mjs"),
      `import { readScenarioFile, simulate } from "ceasefire-sim/node";
const s = await readScenarioFile("mmc.json");
const r = await simulate(s, { replications: 2, horizon: "100 h", seed: 1 });
console.log(JSON.stringify({ name: s.name, replications: r.provenance.replications }));
`,
    );
    writeFileSync(
      join(app, "node-cjs.cjs"),
      `const { readScenarioFile } = require("ceasefire-sim/node");
readScenarioFile("mmc.json").then(
  (s) => console.log(JSON.stringify({ name: s.name })),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
`,
    );
    expect(JSON.parse(ok(process.execPath, ["node-esm.mjs"], app))).toEqual({ name: "mmc", replications: 2 });
    expect(JSON.parse(ok(process.execPath, ["node-cjs.cjs"], app))).toEqual({ name: "mmc" });
  });

  it("ceasefire-sim/notebook: one import gives the library and show(), whose Jupyter display is HTML", () => {
    writeFileSync(
      join(app, "notebook-esm.mjs"),
      `import { defaultScenario, show, simulate } from "ceasefire-sim/notebook";
const r = await simulate(defaultScenario(), { replications: 2, horizon: "2 d", seed: 1 });
const b = show(r)[Symbol.for("Jupyter.display")]();
console.log(JSON.stringify({ types: Object.keys(b), table: b["text/html"].includes("<table") }));
`,
    );
    expect(JSON.parse(ok(process.execPath, ["notebook-esm.mjs"], app))).toEqual({
      types: ["text/html", "text/plain"],
      table: true,
    });
  });

  it("ceasefire-sim/internal: one replication on the engine from ESM and CJS; the main entry has no internals", () => {
    writeFileSync(
      join(app, "internal-esm.mjs"),
      `import * as sim from "ceasefire-sim";
import { compile, createWorkspace, replicationStreams, runReplication } from "ceasefire-sim/internal";
const s = sim.parseScenario(sim.defaultScenario());
const m = compile(s, await sim.allocate(s, "risk-weighted"));
const ws = createWorkspace(m);
runReplication(m, replicationStreams(1, 0), ws);
const leaked = ["compile", "createWorkspace", "runReplication", "replicationStreams", "scenarioSchema"];
console.log(JSON.stringify({ incidents: ws.n > 0, leaked: leaked.filter((k) => k in sim) }));
`,
    );
    writeFileSync(
      join(app, "internal-cjs.cjs"),
      `const internal = require("ceasefire-sim/internal");
console.log(JSON.stringify({ compile: typeof internal.compile, rng: new internal.Rng(1).next() < 1 }));
`,
    );
    expect(JSON.parse(ok(process.execPath, ["internal-esm.mjs"], app))).toEqual({ incidents: true, leaked: [] });
    expect(JSON.parse(ok(process.execPath, ["internal-cjs.cjs"], app))).toEqual({ compile: "function", rng: true });
  });

  it("bin: npx ceasefire-sim validate coalition-2026 exits 0", () => {
    const out = ok(NPX, ["--no", "ceasefire-sim", "validate", "coalition-2026"], app);
    expect(out).toMatch(/coalition-2026/);
  });

  describe("TypeScript consumer", () => {
    const consumer = `import { simulate, defaultScenario, parseScenario, compare } from "ceasefire-sim";
import type { Result, Scenario, ScenarioInput, SimulateOptions } from "ceasefire-sim";
import { readScenarioFile } from "ceasefire-sim/node";
import { compile, createWorkspace, type CompiledModel } from "ceasefire-sim/internal";

const options: SimulateOptions = { replications: 2, seed: 1 };
const result: Result = await simulate(defaultScenario(), options);
const replications: number = result.provenance.replications;
const scenario: Scenario = parseScenario(defaultScenario());
const fromFile: Promise<Scenario> = readScenarioFile("mmc.json");
const comparison = await compare(scenario, ["uniform", "risk-weighted"], { replications: 2 });
const baseline: string = comparison.baseline;
// @ts-expect-error replications is a number
const wrong: SimulateOptions = { replications: "2" };
const input: ScenarioInput = defaultScenario();
input.horizon = "30 d";
// @ts-expect-error a duration is a unit string
input.warmup = 24;
const model: CompiledModel = compile(scenario, { format: "x" } as never);
const workspace = createWorkspace(model);
export { replications, fromFile, baseline, wrong, workspace };
`;
    const cjsConsumer = `import sim = require("ceasefire-sim");
import node = require("ceasefire-sim/node");
import internal = require("ceasefire-sim/internal");
const input = sim.defaultScenario();
const parsed: sim.Scenario = sim.parseScenario(input);
const read: Promise<sim.Scenario> = node.readScenarioFile("mmc.json");
const compile: (s: sim.Scenario, a: sim.Allocation) => internal.CompiledModel = internal.compile;
export = { parsed, read, compile };
`;
    const common = { target: "es2022", strict: true, noEmit: true, skipLibCheck: false };
    // A Node consumer: node16 with @types/node (taken from this repo) and no DOM.
    // A browser consumer: bundler with the DOM lib and no Node types, so the main entry's
    // declarations must not need Node's.
    const nodeTypes = { lib: ["es2022"], typeRoots: [join(ROOT, "node_modules", "@types")], types: ["node"] };
    const domTypes = { lib: ["es2022", "dom"], types: [] as string[] };

    it.each([
      ["node16", { module: "node16", moduleResolution: "node16", ...nodeTypes }, ["consumer.ts", "consumer-cjs.cts"]],
      ["bundler", { module: "esnext", moduleResolution: "bundler", ...domTypes }, ["consumer.ts"]],
    ] as const)("type-checks under moduleResolution %s", (name, options, files) => {
      writeFileSync(join(app, "consumer.ts"), consumer);
      writeFileSync(join(app, "consumer-cjs.cts"), cjsConsumer);
      const config = `tsconfig.${name}.json`;
      writeFileSync(join(app, config), JSON.stringify({ compilerOptions: { ...common, ...options }, files }, null, 2));
      const r = run(process.execPath, [TSC, "-p", config, "--pretty", "false"], app);
      expect(r.stdout + r.stderr, `tsc -p ${config}`).toBe("");
      expect(r.status).toBe(0);
    });
  });

  it("publint finds no problems", () => {
    const r = run(join(BIN, "publint"), ["run", tarball, "--strict"], ROOT);
    expect(r.stdout + r.stderr).toMatch(/All good!/);
    expect(r.status).toBe(0);
  });

  it("attw (are the types wrong) finds no problems", () => {
    const r = run(join(BIN, "attw"), [tarball, "--format", "ascii", "--no-emoji", "--no-color"], ROOT);
    expect(r.stdout + r.stderr, "attw output").toMatch(/No problems found/);
    expect(r.status).toBe(0);
  });
});
