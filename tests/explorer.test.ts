/**
 * The explorer (dist/explorer/, built by scripts/build-explorer.mjs) in real Chromium through playwright-core,
 * served by the `explore` command's own server (src/node/explore.ts), offline: every request that does not go
 * to the local server is refused and recorded. The page loads with no console errors, the headline shows
 * numbers, withdrawing a state recomputes different results, a pinned baseline shows a paired difference,
 * an invalid scenario shows its error at its path, and the shareable URL restores the settings (and the very
 * same estimates). A screenshot goes to test-artifacts/explorer.png (kept by CI, ignored by git).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { defaultScenario, scenario } from "../src/index.js";
import { serveExplorer, type ExplorerServer } from "../src/node/explore.js";
import { CHROMIUM_ARGS, chromiumForTests } from "./helpers/chromium.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIR = join(ROOT, "dist", "explorer");
const ARTIFACTS = join(ROOT, "test-artifacts");
// On CI a missing browser is a failure, never a silent skip.
const chromiumPath = chromiumForTests("tests/explorer.test.ts");

describe("serveExplorer (the explore command's server)", () => {
  it("serves the page's files with their MIME types, and nothing outside its folder", async () => {
    expect(existsSync(join(DIR, "index.html")), "dist/explorer (run `npm run build` first)").toBe(true);
    const s = await serveExplorer({ port: 0, dir: DIR });
    try {
      const type = async (path: string) => {
        const r = await fetch(new URL(path, s.url));
        return `${r.status} ${r.headers.get("content-type")}`;
      };
      expect(await type("")).toBe("200 text/html; charset=utf-8");
      expect(await type("worker.js")).toBe("200 text/javascript; charset=utf-8");
      expect(await type("highs.wasm")).toBe("200 application/wasm");
      expect(await type("style.css")).toBe("200 text/css; charset=utf-8");
      expect(await type("%2e%2e/cli.js")).toBe("404 text/plain; charset=utf-8");
      expect(await type("..%2fcli.js")).toBe("404 text/plain; charset=utf-8");
      expect((await fetch(s.url, { method: "POST" })).status).toBe(405);
    } finally {
      await s.close();
    }
  });
});

describe("ceasefire-sim explore (dist/cli.js)", () => {
  const CLI = join(ROOT, "dist", "cli.js");
  const start = (args: string[]) => spawn(process.execPath, [CLI, "explore", "--no-open", ...args], { cwd: ROOT });
  const exited = (child: ChildProcess) => new Promise<number | null>((ok) => child.on("exit", (code) => ok(code)));

  it("--no-open prints the address, serves the page, and stops with exit 0 on SIGINT", async () => {
    const child = start(["--port", "0"]);
    let out = "",
      err = "";
    child.stderr!.on("data", (d) => (err += d));
    const url = await new Promise<string>((ok, fail) => {
      child.stdout!.on("data", (d) => {
        out += d;
        const m = /explorer: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) ok(m[1]!);
      });
      child.on("exit", () => fail(new Error(`explore exited: ${out} ${err}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>ceasefire-sim explorer</title>");
    const code = exited(child);
    child.kill("SIGINT");
    expect(await code).toBe(0);
    expect(err).toBe("explorer stopped (SIGINT)\n");
  }, 60_000);

  it("a port in use exits 2 naming it", async () => {
    const busy = await serveExplorer({ port: 0, dir: DIR });
    try {
      const child = start(["--port", new URL(busy.url).port]);
      let err = "";
      child.stderr!.on("data", (d) => (err += d));
      expect(await exited(child)).toBe(2);
      expect(err).toMatch(/^error: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+\n$/);
    } finally {
      await busy.close();
    }
  }, 60_000);
});

describe.skipIf(!chromiumPath)("the explorer in headless Chromium", () => {
  let server: ExplorerServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const offsite: string[] = [];
  const problems: string[] = [];

  const watch = (p: Page) => {
    p.on("pageerror", (e) => problems.push(`pageerror: ${String(e)}`));
    p.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
    });
  };
  /** Wait until the page has finished its n-th run. */
  const runs = (p: Page, n: number) =>
    p.waitForSelector(`body[data-runs="${n}"]`, { state: "attached", timeout: 40_000 });
  const cell = (p: Page, metric: string, col: 2 | 3) =>
    p
      .locator(`#headline tr[data-metric="${metric}"] td:nth-child(${col})`)
      .textContent()
      .then((t) => t ?? "");

  beforeAll(async () => {
    if (!existsSync(join(DIR, "index.html")))
      throw new Error("dist/explorer is missing: run `npm run build` first (npm test does)");
    server = await serveExplorer({ port: 0, dir: DIR });
    browser = await chromium.launch({ executablePath: chromiumPath!, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
    // Offline: only the local server answers.
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.origin === new URL(server.url).origin) return route.continue();
      offsite.push(url.href);
      return route.abort("internetdisconnected");
    });
    page = await context.newPage();
    watch(page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  let before = "";

  it("loads offline with no console errors; the headline shows numbers and the map its sectors and gaps", async () => {
    await page.goto(`${server.url}#replications=60`);
    await runs(page, 1);
    // Estimates were drawn before the run ended, as replications arrived.
    expect(Number(await page.getAttribute("body", "data-partials"))).toBeGreaterThan(0);
    before = await cell(page, "withinStandard", 2);
    expect(before).toMatch(/^\d+\.\d% \(\d+\.\d% – \d+\.\d%\) verified within 24\.0 h$/);
    expect(await cell(page, "incidentsPerDay", 2)).toMatch(/^\d+\.\d \(\d+\.\d – \d+\.\d\) per day/);
    expect(await page.locator("#map path.sector").count()).toBe(defaultScenario().sectors.length);
    expect(await page.locator("#map path.gap").count()).toBeGreaterThan(0);
    expect((await page.locator("#legend").textContent()) ?? "").toContain("Effective coverage by night (%)");
    expect((await page.locator("#status").textContent()) ?? "").toMatch(/^60 replications in [\d.]+ s on \d worker/);
    expect(offsite).toEqual([]);
    expect(problems).toEqual([]);
  }, 60_000);

  it("pin a baseline, withdraw a state: results recompute, differ, and show the paired difference", async () => {
    await page.click("#pin");
    await runs(page, 2);
    expect(await cell(page, "withinStandard", 2)).toBe(before); // the same replications, baseline alongside
    expect(await cell(page, "withinStandard", 3)).toMatch(/^0\.0 pp/);
    await page.check('input.withdraw[data-state="gb"]');
    await runs(page, 3);
    const after = await cell(page, "withinStandard", 2);
    expect(after).not.toBe(before);
    const diff = await cell(page, "withinStandard", 3);
    expect(diff).toMatch(/^−\d+\.\d pp \(−\d+\.\d to [−+]?\d+\.\d\)$/);
    expect((await page.locator("#baseline-note").textContent()) ?? "").toContain("Baseline pinned");
    expect(new URL(page.url()).hash).toContain("withdraw=gb");
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "explorer.png"), fullPage: true });
    expect(problems).toEqual([]);
  }, 60_000);

  it("the shareable URL restores the settings, and the same estimates", async () => {
    const url = await page.inputValue("#share-url");
    expect(url).toContain("withdraw=gb");
    const shown = await cell(page, "withinStandard", 2);
    const other = await context.newPage();
    watch(other);
    await other.goto(url);
    await runs(other, 1);
    expect(await other.isChecked('input.withdraw[data-state="gb"]')).toBe(true);
    expect(await other.inputValue("#replications")).toBe("60");
    expect(await cell(other, "withinStandard", 2)).toBe(shown);
    await other.close();
    expect(problems).toEqual([]);
  }, 60_000);

  it("exports the scenario as the settings make it", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export")]);
    expect(download.suggestedFilename()).toBe("coalition-2026.json");
    const exported = JSON.parse(readFileSync(await download.path(), "utf8")) as ReturnType<typeof defaultScenario>;
    const gb = exported.contributions!.filter((c) => c.state === "gb");
    expect(gb.length).toBeGreaterThan(0);
    expect(gb.every((c) => c.count === 0)).toBe(true);
    expect(exported.contributions!.filter((c) => c.state !== "gb")).toEqual(
      defaultScenario().contributions!.filter((c) => c.state !== "gb"),
    );
  });

  it("an invalid scenario file shows its error at its path; bad pasted JSON says where", async () => {
    const bad = defaultScenario() as unknown as { sectors: { incidents: { rate: unknown } }[] };
    bad.sectors[0]!.incidents.rate = "often";
    // Imported as a file (the file input), as a user would.
    const buffer = Buffer.from(JSON.stringify(bad, null, 2));
    await page.setInputFiles("#import-file", { name: "bad.json", mimeType: "application/json", buffer });
    const item = page.locator('#import-errors li[data-path="sectors[0].incidents.rate"]');
    await item.waitFor({ timeout: 10_000 });
    expect((await item.textContent()) ?? "").toMatch(/^sectors\[0\]\.incidents\.rate: /);
    expect(await page.getAttribute("#import-text", "aria-invalid")).toBe("true");
    await page.fill("#import-text", '{ "name": "x",\n  "horizon": }');
    await page.click("#import-load");
    await page.locator("#import-errors li", { hasText: "line 2" }).waitFor({ timeout: 10_000 });
    expect(problems).toEqual([]);
    expect(offsite).toEqual([]);
  }, 60_000);

  it("settings that do not run show the library's message, naming the contribution", async () => {
    const n = Number(await page.getAttribute("body", "data-runs"));
    await page.selectOption("#mode", "remove");
    await page.fill('input.count[data-key="fr/team"]', "99");
    await page.dispatchEvent('input.count[data-key="fr/team"]', "change");
    await page.waitForSelector("body[data-run=error]", { state: "attached", timeout: 40_000 });
    expect((await page.textContent("#run-error")) ?? "").toContain("contributions[state=fr,asset=team] gives 99 units");
    expect(await page.getAttribute("#results", "class")).toContain("stale");
    await page.fill('input.count[data-key="fr/team"]', "15");
    await page.dispatchEvent('input.count[data-key="fr/team"]', "change");
    await runs(page, n + 1);
    expect(await page.isHidden("#run-error")).toBe(true);
    expect(problems).toEqual([]);
  }, 60_000);

  it("a valid scenario imported by paste runs, and its link carries it", async () => {
    const mine = { ...scenario("technical-only"), name: "my-import" };
    const n = Number(await page.getAttribute("body", "data-runs"));
    await page.fill("#import-text", JSON.stringify(mine));
    await page.click("#import-load");
    await runs(page, n + 1);
    expect(await page.isHidden("#import-errors")).toBe(true);
    expect(await page.inputValue("#scenario")).toBe("imported");
    expect(await page.locator("#map path.sector").count()).toBe(mine.sectors.length);
    const url = await page.inputValue("#share-url");
    expect(url).toMatch(/scenario=imported&.*json=/);
    const other = await context.newPage();
    watch(other);
    await other.goto(url.replace(/replications=\d+&?/, "").replace(/#$/, ""));
    await runs(other, 1);
    expect(await other.inputValue("#scenario")).toBe("imported");
    expect(await other.locator("#map path.sector").count()).toBe(mine.sectors.length);
    await other.close();
    expect(problems).toEqual([]);
    expect(offsite).toEqual([]);
  }, 60_000);
});
