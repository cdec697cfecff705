/**
 * `renderReport(result, options)`: the default scenario's report (few
 * replications) as one self-contained HTML file — checked as text (no URLs,
 * no scripts, escaped text, the sections), then opened in headless Chromium
 * (playwright-core, Debian's `chromium`, never downloaded): no console
 * errors, no requests, the map and the chart SVGs drawn, a non-empty
 * screenshot. The `report` CLI command with a fake io.
 *
 * Set REPORT_SCREENSHOT=/path.png to keep the screenshot.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { defaultScenario, scenario as embedded } from "../src/scenarios/index.js";
import { parseScenario } from "../src/model/parse.js";
import { simulate, type Result } from "../src/experiment/simulate.js";
import { withdrawal, type WithdrawalTable } from "../src/experiment/withdrawal.js";
import { renderReport, escapeHtml } from "../src/node/report.js";
import { reportCommand, REPORT_HELP } from "../src/cli/report.js";
import { UsageError } from "../src/cli/common.js";
import { InputError } from "../src/node/files.js";
import type { Scenario } from "../src/model/types.js";
import { chromiumForTests, CHROMIUM_ARGS } from "./helpers/chromium.js";
import { mapSvg, performanceColor, type LabelBox } from "../src/report/map.js";
import { shortName } from "../src/report/html.js";

// On CI a missing browser is a failure, never a silent skip.
const CHROMIUM = chromiumForTests("tests/report.test.ts");

let dir: string;
let scenario: Scenario;
let result: Result;
let table: WithdrawalTable;
let html: string;
let file: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ceasefire-report-"));
  scenario = parseScenario(defaultScenario());
  result = await simulate(scenario, { replications: 6, seed: 1, horizon: "10 d" });
  // The withdrawal section stands on the headline's replications: same seed, replications and horizon.
  table = await withdrawal(scenario, { replications: 6, seed: 1, horizon: "10 d", states: ["gb", "fr", "ee"] });
  html = await renderReport(result, { scenario, withdrawal: table });
  file = join(dir, "report.html");
  writeFileSync(file, html);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("renderReport (as text)", () => {
  it("is one self-contained HTML document: no URLs, scripts, links, images or imports", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|\ssrc=/i);
    expect(html).not.toMatch(/url\((?!#)/); // only references to ids in the page
    expect(html).not.toMatch(/xmlns/);
  });

  it("has the sections: the answer, map, sector table, headline metrics, charts, allocation, withdrawal", () => {
    for (const id of ["answer", "headline", "map-section", "charts", "allocation", "withdrawal"])
      expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain("<title>ceasefire-sim report — coalition-2026</title>");
    expect(html).toContain(`${result.provenance.scenario.hash}`);
    expect(html).toContain(result.provenance.rng);
    expect(html).toContain(escapeHtml(result.provenance.ciMethod));
    for (const s of result.sectors) expect(html).toContain(`data-sector="${s.id}"`);
    for (const b of scenario.bases) expect(html).toContain(`data-base="${b.id}"`);
    const charts = [...html.matchAll(/data-chart="([a-z-]+)"/g)].map((m) => m[1]);
    expect(charts).toEqual(["response-cdf", "sectors", "channels", "burden", "withdrawal"]);
  });

  it("opens with the answer: three to five plain sentences whose numbers are the result's", () => {
    const start = html.indexOf('<section id="answer">');
    // Before anything dense: no table, chart or map comes before it.
    expect(start).toBeGreaterThan(0);
    for (const dense of ["<table", "<svg", '<section id="headline">'])
      expect(html.indexOf(dense)).toBeGreaterThan(start);
    const section = html.slice(start, html.indexOf("</section>", start));
    const sentences = [...section.matchAll(/<span class="sentence">([^<]*)<\/span>/g)].map((m) => m[1]!);
    expect(sentences.length).toBeGreaterThanOrEqual(3);
    expect(sentences.length).toBeLessThanOrEqual(5);
    for (const t of sentences) expect(t).toMatch(/^[A-Z0-9].*\.$/);
    const P = (v: number) => `${Math.round(100 * v)}%`;
    const L = result.line;
    const w = L.withinStandard;
    expect(sentences[0]).toContain(`${P(w.value)} of the incidents that need verification on site`);
    expect(sentences[0]).toContain(`(95% CI ${P(w.lo)} to ${P(w.hi)}) are verified within 24 hours`);
    expect(sentences[1]).toContain(
      `${P(L.coverage.effective.day.value)} of incidents by day and ${P(L.coverage.effective.night.value)} by night`,
    );
    // The weakest sector, found here independently: the lowest share verified within the standard.
    const weakest = result.sectors.reduce((a, b) => (b.withinStandard.value < a.withinStandard.value ? b : a));
    const name = shortName(scenario.sectors.find((s) => s.id === weakest.id)!.name);
    expect(sentences[2]).toContain(
      `The weakest sector is ${escapeHtml(name)}, where ${P(weakest.withinStandard.value)}`,
    );
    // The state whose withdrawal hurts most: the table's first row, its change in percentage points.
    const first = table.rows[0]!;
    const change = first.metrics.withinStandard!.change.value;
    const last = sentences.at(-1)!;
    expect(last).toContain(`${first.name}&#39;s withdrawal would hurt most`);
    expect(last).toContain(
      `would ${change < 0 ? "fall" : "rise"} by ${Math.abs(100 * change).toFixed(1)} percentage points`,
    );
    // Without a withdrawal table, no sentence about one.
  });

  it("uses names, not ISO codes: no state id is printed as text anywhere in the page", () => {
    const ids = scenario.states.map((s) => s.id);
    const text = html
      .replace(/<style>[\s\S]*?<\/style>/, "")
      .replace(/<footer>[\s\S]*<\/footer>/, "") // the provenance
      .replace(/<[^>]+>/g, "\n");
    for (const id of ids) expect(text, id).not.toMatch(new RegExp(`^\\s*${id}\\s*$|\\b${id} \\d`, "m"));
    // The burden chart and the withdrawal chart name the same states the same way.
    const figure = (c: string) =>
      html.slice(html.indexOf(`data-chart="${c}"`), html.indexOf("</figure>", html.indexOf(`data-chart="${c}"`)));
    for (const c of ["burden", "withdrawal"]) expect(figure(c)).toContain(">United Kingdom<");
  });

  it("titles every chart, and the map's legend, with its unit", () => {
    const titles = [...html.matchAll(/<figure class="chart-figure" data-chart="[^"]+"><h3>([^<]*)<\/h3>/g)].map(
      (m) => m[1]!,
    );
    expect(titles).toHaveLength(5);
    for (const t of titles) expect(t).toMatch(/\((h|%|percentage points|per day)\)|\(% [^)]*\)/);
    expect(html).toContain("Verified within 24 h (% of incidents needing verification)");
  });

  it("colours each sector of the map by its share verified within the standard, and marks the coverage gaps", () => {
    for (const s of result.sectors) {
      const m = html.match(new RegExp(`<path class="sector" data-sector="${s.id}" d="[^"]*" stroke="(#[0-9a-f]{6})"`));
      expect(m?.[1], s.id).toBe(performanceColor(s.withinStandard.value));
    }
    // The unwatched stretches: ordered, disjoint, the longest as long as longestUnwatchedKm; one dashed path each.
    const gaps = result.allocation.unwatched;
    for (const [i, g] of gaps.entries()) {
      expect(g.to).toBeGreaterThan(g.from);
      if (i > 0) expect(g.from).toBeGreaterThan(gaps[i - 1]!.to);
    }
    expect(Math.max(0, ...gaps.map((g) => g.to - g.from))).toBeCloseTo(result.allocation.longestUnwatchedKm, 9);
    expect((html.match(/<path class="gap"/g) ?? []).length).toBe(gaps.length);
    expect(gaps.length).toBeGreaterThan(0);
  });

  it("draws every base with the number of teams stationed there, 0 included", () => {
    const empty = scenario.bases.filter((b) => !result.teams.some((t) => t.base === b.id));
    expect(empty.length).toBeGreaterThan(0);
    for (const b of scenario.bases) {
      const n = result.teams.filter((t) => t.base === b.id).length;
      expect(html).toContain(`data-base="${b.id}" `);
      expect(html).toMatch(new RegExp(`data-base="${b.id}"[^>]*>${escapeHtml(shortName(b.name))} · ${n}<`));
    }
  });

  it("places the map's labels without overlaps (boxes from the collision pass)", () => {
    const { labels, svg } = mapSvg(result, { scenario });
    expect(labels.filter((l) => l.kind === "sector")).toHaveLength(scenario.sectors.length);
    expect(labels.filter((l) => l.kind === "base")).toHaveLength(scenario.bases.length);
    const hit = (a: LabelBox, b: LabelBox) =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    for (const [i, a] of labels.entries())
      for (const b of labels.slice(i + 1)) expect(hit(a, b), `${a.id} / ${b.id}`).toBe(false);
    // Each label is drawn where its box says: its text starts at the box's left edge.
    for (const l of labels.filter((x) => x.kind === "sector" || x.kind === "base")) {
      const m = svg.match(
        new RegExp(`data-${l.kind}="${l.id}" x="([\\d.]+)" y="([\\d.]+)"[^>]*>${escapeHtml(l.text)}<`),
      );
      expect(m, l.id).not.toBeNull();
      expect(Number(m![1])).toBeCloseTo(l.x, 0);
    }
  });

  it("prefixes the ids of each chart's SVG so they cannot collide", () => {
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(m[1]);
  });

  it("escapes text it did not write", async () => {
    const evil = '<script>alert("x")</script> & co';
    const page = await renderReport(result, { scenario, title: evil });
    expect(page).not.toContain("<script>");
    expect(page).toContain("<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</title>");
    expect(escapeHtml(`a<b>&"'`)).toBe("a&lt;b&gt;&amp;&quot;&#39;");
  });

  it("shows a withdrawal row's notes (a conditional metric that improves while its population shrinks)", async () => {
    const t = await withdrawal(scenario, { replications: 6, seed: 1, horizon: "10 d", states: ["us"] });
    const us = t.rows[0]!;
    // Without the US fewer incidents are detected, and the mean detection latency of those detected falls.
    expect(us.metrics["detection.probability"]!.change.hi).toBeLessThan(0);
    expect(us.notes.some((n) => n.includes("detection.latency.mean"))).toBe(true);
    const page = await renderReport(result, { scenario, withdrawal: t });
    expect(page).toContain('<ul class="notes">');
    // Each note, with the state named rather than coded.
    for (const n of us.notes) expect(page).toContain(escapeHtml(n.replace(/^without us/, `without ${us.name}`)));
    // The list is there exactly when a row has a note.
    expect(html.includes('<ul class="notes">')).toBe(table.rows.some((r) => r.notes.length > 0));
  });

  it("refuses a scenario or a withdrawal table that is not the result's", async () => {
    await expect(renderReport(result, { scenario: parseScenario(embedded("smm-density")) })).rejects.toThrow(
      /scenario: smm-density .* is not the result's scenario coalition-2026/,
    );
    const other = await simulate(embedded("smm-density"), { replications: 2, horizon: "2 d" });
    await expect(renderReport(other, { withdrawal: table })).rejects.toThrow(
      /withdrawal: the table is of another scenario/,
    );
    await expect(renderReport({} as Result)).rejects.toThrow(/result: expected a simulation Result/);
    // A table of the same scenario on other replications than the headline's is refused.
    const fewer = await withdrawal(scenario, { replications: 3, seed: 1, horizon: "10 d", states: ["gb"] });
    await expect(renderReport(result, { withdrawal: fewer })).rejects.toThrow(
      /withdrawal: the table's full coalition was run with replications 3, the result with 6; .*same replications/,
    );
    const otherSeed = await withdrawal(scenario, { replications: 6, seed: 2, horizon: "10 d", states: ["gb"] });
    await expect(renderReport(result, { withdrawal: otherSeed })).rejects.toThrow(/run with seed 2, the result with 1/);
  });

  it("leaves out the response-time chart, and says so, when nothing was verified", async () => {
    const s = parseScenario(embedded("technical-only"));
    const page = await renderReport(await simulate(s, { replications: 2, horizon: "3 d" }), { scenario: s });
    expect([...page.matchAll(/data-chart="([a-z-]+)"/g)].map((m) => m[1])).toEqual(["sectors", "channels", "burden"]);
    expect(page).toMatch(/No incident was verified on site in this run \(\d+ verifiable incidents\)/);
  });

  it("without a scenario draws a schematic of the sectors (no bases) and still renders every chart", async () => {
    const page = await renderReport(result);
    expect(page).toContain("the scenario has no line geometry");
    expect((page.match(/class="sector"/g) ?? []).length).toBe(result.sectors.length);
    expect((page.match(/data-chart=/g) ?? []).length).toBe(4);
  });
});

describe.skipIf(!CHROMIUM)("renderReport in headless Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("opens without console errors or requests, draws the map and the charts, and screenshots", async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("request", (r) => {
      if (!r.url().startsWith("file:")) requests.push(r.url());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });

    expect(await page.title()).toBe("ceasefire-sim report — coalition-2026");
    // The map: one coloured path per sector and one square per base.
    expect(await page.locator("svg.map path.sector").count()).toBe(result.sectors.length);
    expect(await page.locator("svg.map .base-marks rect").count()).toBe(scenario.bases.length);
    const mapBox = await page.locator("svg.map").boundingBox();
    expect(mapBox!.width).toBeGreaterThan(500);
    expect(mapBox!.height).toBeGreaterThan(300);
    // Chart SVGs with marks (vega draws bars as paths, rules as lines).
    const marks = await page.$$eval("svg.chart", (svgs) =>
      svgs.map((s) => s.querySelectorAll("path, rect, line").length),
    );
    expect(marks.length).toBeGreaterThanOrEqual(4);
    for (const n of marks) expect(n).toBeGreaterThan(10);
    const sizes = await page.$$eval("svg.chart", (svgs) =>
      svgs.map((s) => s.getBoundingClientRect()).map((r) => [r.width, r.height]),
    );
    for (const [w, h] of sizes) {
      expect(w).toBeGreaterThan(400);
      expect(h).toBeGreaterThan(100);
    }
    // Tables.
    expect(await page.locator("#headline table tbody tr").count()).toBeGreaterThan(15);
    // Two tables: the immediate gap (remove) and the gap after re-planning (replan), each the full coalition and
    // one row per state.
    expect(await page.locator("#withdrawal table").count()).toBe(2);
    for (const k of [0, 1])
      expect(await page.locator("#withdrawal table").nth(k).locator("tbody tr").count()).toBe(1 + table.rows.length);

    // The map's labels, measured as Chromium lays them out: no two overlap.
    const boxes = await page.$$eval("svg.map text.sector-label, svg.map text.base-label", (els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { id: e.textContent ?? "", x: r.x, y: r.y, w: r.width, h: r.height };
      }),
    );
    expect(boxes).toHaveLength(scenario.sectors.length + scenario.bases.length);
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1)) {
        const overlap =
          Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > 0.5 &&
          Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > 0.5;
        expect(overlap, `${a.id} / ${b.id}`).toBe(false);
      }

    const png = await page.screenshot({ fullPage: true, type: "png" });
    if (process.env.REPORT_SCREENSHOT) writeFileSync(process.env.REPORT_SCREENSHOT, png);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(png.length).toBeGreaterThan(200_000);

    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});

describe("reportCommand", () => {
  interface Captured {
    code: number;
    stdout: string;
    stderr: string;
  }
  async function run(...argv: string[]): Promise<Captured> {
    const out = { stdout: "", stderr: "" };
    const stream = (key: keyof typeof out) => ({
      write: (s: string) => {
        out[key] += s;
        return true;
      },
      isTTY: false,
    });
    const code = await reportCommand(argv, { stdout: stream("stdout"), stderr: stream("stderr") });
    return { code, ...out };
  }

  it("--help prints the usage", async () => {
    const r = await run("--help");
    expect(r).toEqual({ code: 0, stdout: `${REPORT_HELP}\n`, stderr: "" });
  });

  it("writes the report atomically and refuses to replace it without --force", async () => {
    const out = join(dir, "cli.html");
    const r = await run("--out", out, "-r", "3", "--horizon", "3 d", "--seed", "7", "--title", "CLI run");
    expect(r).toEqual({ code: 0, stdout: "", stderr: `wrote ${out}\n` });
    const page = readFileSync(out, "utf8");
    expect(page).toContain("<title>CLI run</title>");
    expect(page).toMatch(/3 replications of 3 d/);
    expect(page).not.toContain('<section id="withdrawal">');
    await expect(run("--out", out, "-r", "3")).rejects.toThrow(InputError);
    await expect(run("--out", out, "-r", "3")).rejects.toThrow(/exists; pass --force/);
    const again = await run("--out", out, "-r", "3", "--horizon", "3 d", "--seed", "7", "--withdrawal", "--force");
    expect(again.code).toBe(0);
    const withTable = readFileSync(out, "utf8");
    expect(withTable).toContain('<section id="withdrawal">');
    // One run makes the headline and the withdrawal's full coalition: both show simulate's numbers.
    const sim = await simulate(parseScenario(defaultScenario()), { replications: 3, seed: 7, horizon: "3 d" });
    const w = sim.line.withinStandard;
    const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
    // The headline: the estimate, then its interval in a column of its own; the withdrawal's full coalition: the
    // estimate with its interval.
    const headline =
      `<td><span class="nw">${pct(w.value)}</span></td>` + `<td><span class="nw">${pct(w.lo)} – ${pct(w.hi)}</span>`;
    const coalition = `${pct(w.value)} <span class="ci">(${pct(w.lo)}–${pct(w.hi)})</span>`;
    expect(withTable).toContain(headline);
    expect(withTable).toContain(coalition);
    expect(withTable).toMatch(/3 replications per variant/);
  });

  it("refuses bad usage with a UsageError", async () => {
    await expect(run()).rejects.toThrow(UsageError);
    await expect(run()).rejects.toThrow(/--out FILE/);
    await expect(run("--out", join(dir, "x.html"), "-S", "nope")).rejects.toThrow(
      /--strategy: unknown strategy "nope"/,
    );
    await expect(run("--out", join(dir, "x.html"), "--withdrawal", "--withdrawal-replications", "3")).rejects.toThrow(
      /--withdrawal-replications: not taken: the withdrawal section runs on the report's replications/,
    );
    await expect(run("a", "b", "--out", join(dir, "x.html"))).rejects.toThrow(/one scenario/);
    expect(existsSync(join(dir, "x.html"))).toBe(false);
  });
});
