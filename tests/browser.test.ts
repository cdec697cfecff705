/**
 * The main entry in a real browser (headless Chromium through playwright-core).
 *
 * The built ESM entry (dist/index.js) imports bare specifiers: zod, mathjs,
 * seedrandom, d3-array and (lazily) highs. We bundle it for the browser with
 * esbuild rather than serving node_modules behind an import map, because an
 * import map cannot serve them all: seedrandom is CommonJS only (no ESM
 * build for a browser to import), and mathjs's ESM build pulls in a tree of
 * further bare imports (decimal.js, complex.js, fraction.js, typed-function,
 * …) that would each need an entry. Bundling is also what users do (Vite,
 * webpack, esbuild). The bundle is built with no `external` flag: the
 * library imports `highs` at run time through a specifier bundlers do not
 * follow (src/allocation/location/highs.ts).
 *
 * The page maps `highs` with an import map to the package's own ESM build,
 * served as it is installed (node_modules/highs/build/ under /highs/); its
 * loader fetches the WebAssembly from `new URL("highs.wasm",
 * import.meta.url)`, beside it, served as application/wasm. Nothing is
 * copied into the bundle, and the solver loads only when a location model
 * runs.
 *
 * Also checks that the module graphs in dist/ of the main entry and of
 * `ceasefire-sim/internal` (index.js, internal.js and the chunks they import)
 * have no Node built-in imports.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import { chromiumForTests, CHROMIUM_ARGS } from "./helpers/chromium.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST_INDEX = join(ROOT, "dist", "index.js");
const DIST_INTERNAL = join(ROOT, "dist", "internal.js");

/** Every file of dist/ reachable from dist/index.js through static and dynamic relative imports. */
function distGraph(entry: string): Map<string, string[]> {
  const specifiers = new Map<string, string[]>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (specifiers.has(file)) continue;
    const text = readFileSync(file, "utf8");
    const found = [
      ...text.matchAll(/\b(?:import|export)\s*(?:[\w*${}\s,]+from\s*)?["']([^"']+)["']/g),
      ...text.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g),
      ...text.matchAll(/\brequire\s*\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1]!);
    specifiers.set(file, found);
    for (const s of found) if (s.startsWith(".")) todo.push(resolve(dirname(file), s));
  }
  return specifiers;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".map": "application/json",
};

let dir = "";
let server: Server | undefined;
let base = "";
let browser: Browser | undefined;
let page: Page;
const requests: { path: string; status: number }[] = [];
const pageErrors: string[] = [];
const consoleProblems: string[] = [];

// On CI a missing browser is a failure, never a silent skip.
const chromiumPath = chromiumForTests("tests/browser.test.ts");

describe("dist/index.js and dist/internal.js are browser-safe", () => {
  it.each([DIST_INDEX, DIST_INTERNAL])("%s imports no Node built-ins anywhere in its module graph", (entry) => {
    expect(existsSync(entry), `${entry} (run \`npm run build\` first)`).toBe(true);
    const graph = distGraph(entry);
    const builtins = new Set(builtinModules);
    const offending: string[] = [];
    for (const [file, specs] of graph)
      for (const s of specs)
        if (s.startsWith("node:") || builtins.has(s) || builtins.has(s.split("/")[0]!))
          offending.push(`${file.slice(ROOT.length)}: ${s}`);
    expect(offending).toEqual([]);
    // Plain grep of the entry itself, as a second look.
    expect(readFileSync(entry, "utf8")).not.toMatch(/["']node:/);
  });
});

describe.skipIf(!chromiumPath)("in headless Chromium", () => {
  beforeAll(async () => {
    if (!existsSync(DIST_INDEX)) throw new Error("dist/index.js is missing: run `npm run build` first (npm test does)");

    // 1. Bundle the built ESM entries (main and internal, sharing chunks) for the browser.
    dir = mkdtempSync(join(tmpdir(), "ceasefire-sim-browser-"));
    await build({
      entryPoints: { "ceasefire-sim": DIST_INDEX, "ceasefire-sim-internal": DIST_INTERNAL },
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      outdir: dir,
      logLevel: "silent",
    });
    // The highs package as installed, served under /highs/ and named by the page's import map.
    mkdirSync(join(dir, "highs"));
    for (const f of ["highs.mjs", "highs.wasm"])
      copyFileSync(join(ROOT, "node_modules", "highs", "build", f), join(dir, "highs", f));
    writeFileSync(
      join(dir, "index.html"),
      `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>ceasefire-sim</title>
<script type="importmap">{ "imports": { "highs": "./highs/highs.mjs" } }</script></head><body>
<script type="module">
import * as sim from "./ceasefire-sim.js";
import * as internal from "./ceasefire-sim-internal.js";
window.sim = sim;
window.internal = internal;
document.body.dataset.ready = "yes";
</script></body></html>`,
    );

    // 2. A tiny static server on the loopback interface.
    server = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
      const file = normalize(join(dir, path === "/" ? "index.html" : path));
      const type = CONTENT_TYPES[extname(file)];
      if (!file.startsWith(dir + sep) || !type || !existsSync(file)) {
        requests.push({ path, status: 404 });
        res.writeHead(404).end("not found");
        return;
      }
      requests.push({ path, status: 200 });
      res.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(readFileSync(file));
    });
    await new Promise<void>((ok) => server!.listen(0, "127.0.0.1", ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // 3. Chromium (Debian's; playwright-core downloads nothing).
    browser = await chromium.launch({
      executablePath: chromiumPath ?? undefined,
      args: CHROMIUM_ARGS,
    });
    page = await browser.newPage();
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") consoleProblems.push(`${m.type()}: ${m.text()}`);
    });
    await page.goto(`${base}/index.html`);
    await page.waitForSelector("body[data-ready=yes]", { state: "attached", timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("loads the bundle without fetching the solver", () => {
    expect(requests.filter((r) => r.status !== 200)).toEqual([]);
    expect(requests.some((r) => r.path.startsWith("/highs/"))).toBe(false);
    expect(pageErrors).toEqual([]);
  });

  it("simulate: examples/scenarios/mmc.json, horizon 200 h, 3 replications", async () => {
    const mmc = readFileSync(join(ROOT, "examples", "scenarios", "mmc.json"), "utf8");
    // Code is passed as a string: the test file is transformed by vitest, the page code must not be.
    const out = (await page.evaluate(`(async () => {
      const r = await window.sim.simulate(${mmc}, { horizon: "200 h", replications: 3, seed: 7 });
      return JSON.parse(JSON.stringify(r));
    })()`)) as {
      format: string;
      provenance: { replications: number; horizonHours: number; library: string; complete: boolean };
      line: unknown;
      sectors: unknown[];
    };
    expect(out.format).toBe("ceasefire-sim/result@1");
    expect(out.provenance.replications).toBe(3);
    expect(out.provenance.horizonHours).toBe(200);
    expect(out.provenance.library).toBe("ceasefire-sim");
    expect(out.provenance.complete).toBe(true);
    expect(out.sectors.length).toBe(1);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("runs replications on the WebAssembly core in the page, to the numbers it gives in Node", async () => {
    // In Node: the default scenario's first three replications on the core.
    const { parseScenario, allocate, defaultScenario } = await import("../src/index.js");
    const { compile, createWorkspace, runReplication, replicationStreams } = await import("../src/internal.js");
    const s = parseScenario(defaultScenario());
    const m = compile(s, await allocate(s, "risk-weighted"));
    const ws = createWorkspace(m);
    const node: number[][] = [];
    for (let r = 0; r < 3; r++) {
      runReplication(m, replicationStreams(7, r), ws);
      node.push([ws.n, ...ws.tally]);
    }
    const page_ = (await page.evaluate(`(async () => {
      const sim = window.sim, internal = window.internal;
      const s = sim.parseScenario(sim.defaultScenario());
      const m = internal.compile(s, await sim.allocate(s, "risk-weighted"));
      const ws = internal.createWorkspace(m);
      const out = [];
      for (let r = 0; r < 3; r++) {
        internal.runReplication(m, internal.replicationStreams(7, r), ws);
        out.push([ws.n, ...ws.tally]);
      }
      return { core: ws.core !== null, out };
    })()`)) as { core: boolean; out: number[][] };
    expect(page_.core).toBe(true);
    // Counts agree exactly; sums of times to about 1e-11. The engine computes exp and log itself, the same
    // everywhere, but compiling the model uses the platform's Math.cos and Math.hypot (geometry), whose last
    // bits differ between Chromium and Node for some arguments (see docs/internals.md, reproducibility contract).
    expect(page_.out.length).toBe(node.length);
    for (const [r, row] of page_.out.entries())
      for (const [i, v] of row.entries())
        expect(Math.abs(v - node[r]![i]!), `replication ${r}, tally[${i - 1}]`).toBeLessThanOrEqual(
          1e-11 * Math.abs(v),
        );
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('allocate(parseScenario(defaultScenario()), "p-median") allocates teams', async () => {
    const out = (await page.evaluate(`(async () => {
      const a = await window.sim.allocate(window.sim.parseScenario(window.sim.defaultScenario()), "p-median");
      return { format: a.format, strategy: a.strategy, teams: a.teams.length };
    })()`)) as { format: string; strategy: string; teams: number };
    expect(out).toMatchObject({ format: "ceasefire-sim/allocation@1", strategy: "p-median" });
    expect(out.teams).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  // With the default p = min(bases, teams) every base of coalition-2026 is open and no
  // MIP is needed; p = 3 makes p-median solve with HiGHS, which loads its WebAssembly.
  it('allocate(…, "p-median", { p: 3 }) loads the HiGHS WebAssembly and allocates teams', async () => {
    const out = (await page.evaluate(`(async () => {
      const sim = window.sim;
      const a = await sim.allocate(sim.parseScenario(sim.defaultScenario()), "p-median", { p: 3 });
      const bases = new Set(a.teams.map((t) => t.base));
      return { strategy: a.strategy, teams: a.teams.length, bases: bases.size };
    })()`)) as { strategy: string; teams: number; bases: number };
    expect(out.strategy).toBe("p-median");
    expect(out.teams).toBeGreaterThan(0);
    expect(out.bases).toBeGreaterThan(0);
    // The solver's WebAssembly came from our server, once, as application/wasm.
    expect(requests.filter((r) => r.path.startsWith("/highs/"))).toEqual([
      { path: "/highs/highs.mjs", status: 200 },
      { path: "/highs/highs.wasm", status: 200 },
    ]);
    expect(requests.filter((r) => r.status !== 200)).toEqual([]);
    expect(pageErrors).toEqual([]);
    // e.g. emscripten's "wasm streaming compile failed" warning (wrong MIME type) or a failed fetch.
    expect(consoleProblems).toEqual([]);
  }, 120_000);
});
