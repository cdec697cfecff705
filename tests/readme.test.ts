/**
 * The README and docs/ say what the code does:
 *
 * - README.md stays a doorway (at most 200 lines);
 * - every command in its fenced `sh` blocks runs: each `npx ceasefire-sim …` line runs the built CLI
 *   (dist/cli.js) as written and must exit 0; the `npm install` / `npm ci && npm start` / `npm test` lines are
 *   checked for shape only (the package's name, and the scripts they name exist: running `npm test` inside the
 *   test suite, or `npm ci` over the checkout, is not done);
 * - every fenced `ts` block runs as a user's script against the built package (a temporary project whose
 *   node_modules links this checkout), and must exit 0;
 * - the sample output of `npm start` is what `run -r 200 --seed 1 -w 1` prints;
 * - the scenario example of docs/scenario.md parses and runs;
 * - every relative link of README.md and docs/*.md resolves to a file of the repository, and every link out of
 *   it is a source docs/sources.md cites.
 */
import { afterAll, describe, expect, it } from "vitest";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { parseScenario } from "../src/model/parse.js";
import { simulate } from "../src/experiment/simulate.js";
import { main } from "../src/cli/main.js";
import { captureIo } from "./helpers/io.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  scripts: Record<string, string>;
};
const DOCS = readdirSync(join(ROOT, "docs"))
  .filter((f) => f.endsWith(".md"))
  .map((f) => join("docs", f));

/** The fenced blocks of a markdown text with their info string. */
function blocks(text: string): { lang: string; body: string }[] {
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));
}

/** A shell line's words: whitespace-separated, with '…' and "…" quoting; a # outside quotes starts a comment. */
function words(line: string): string[] {
  const out: string[] = [];
  let cur: string | null = null;
  let quote: string | null = null;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      cur ??= "";
    } else if (ch === "#" && cur === null) break;
    else if (/\s/.test(ch)) {
      if (cur !== null) out.push(cur);
      cur = null;
    } else cur = (cur ?? "") + ch;
  }
  if (cur !== null) out.push(cur);
  return out;
}

const shLines = blocks(readme)
  .filter((b) => b.lang === "sh")
  .flatMap((b) => b.body.split("\n"))
  .map((l) => l.trim())
  .filter((l) => l !== "");
const cliLines = shLines.filter((l) => l.startsWith("npx ceasefire-sim "));
const tsBlocks = blocks(readme)
  .filter((b) => b.lang === "ts")
  .map((b) => b.body);

let tmp = "";
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("README", () => {
  it("is at most 200 lines", () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(200);
  });

  it("every shell line is a CLI command run below or an npm line of the right shape", () => {
    expect(cliLines.length).toBeGreaterThanOrEqual(8);
    const npm = shLines.filter((l) => !l.startsWith("npx ceasefire-sim "));
    for (const line of npm) {
      const w = words(line);
      if (w[0] === "npm" && w[1] === "install") expect(w.slice(2), line).toEqual([pkg.name]);
      else if (line.startsWith("npm ci && npm start")) {
        expect(w).toEqual(["npm", "ci", "&&", "npm", "start"]);
        expect(pkg.scripts.start).toMatch(/node dist\/cli\.js run$/);
      } else if (w[0] === "npm" && w[1] === "test") expect(pkg.scripts.test).toMatch(/vitest run/);
      else expect.fail(`a shell line the test does not run or check: ${line}`);
    }
    expect(npm.map((l) => words(l).slice(0, 2).join(" "))).toEqual(["npm install", "npm ci", "npm test"]);
  });

  it.each(cliLines.map((l) => [l]))(
    "runs: %s",
    (line) => {
      expect(existsSync(join(ROOT, "dist", "cli.js")), "dist/cli.js (run `npm run build` first)").toBe(true);
      const args = words(line).slice(2);
      const r = spawnSync(process.execPath, [join(ROOT, "dist", "cli.js"), ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
      });
      expect(r.status, `${line}\n${r.stderr}`).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    },
    150_000,
  );

  it.each(tsBlocks.map((b, i) => [i + 1, b]))(
    "TypeScript block %i runs against the built package",
    (i, body) => {
      expect(existsSync(join(ROOT, "dist", "index.js")), "dist/ (run `npm run build` first)").toBe(true);
      if (!tmp) {
        // A user's project: node_modules holds the package (this checkout) and tsx to run TypeScript.
        tmp = mkdtempSync(join(tmpdir(), "ceasefire-sim-readme-"));
        mkdirSync(join(tmp, "node_modules"));
        symlinkSync(ROOT, join(tmp, "node_modules", "ceasefire-sim"), "dir");
        symlinkSync(join(ROOT, "node_modules", "tsx"), join(tmp, "node_modules", "tsx"), "dir");
        writeFileSync(join(tmp, "package.json"), JSON.stringify({ name: "readme", private: true, type: "module" }));
        // The files the blocks read.
        copyFileSync(join(ROOT, "examples", "scenarios", "mmc.json"), join(tmp, "scenario.json"));
      }
      const file = join(tmp, `block-${i}.ts`);
      writeFileSync(file, body);
      const r = spawnSync(process.execPath, ["--import", "tsx", file], {
        cwd: tmp,
        encoding: "utf8",
        timeout: 120_000,
      });
      expect(r.status, `block ${i}\n${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stderr).toBe("");
    },
    150_000,
  );

  it("the TypeScript blocks print what they say and write the report", () => {
    // The blocks ran above (in order); the second writes report.html.
    expect(tsBlocks.length).toBe(2);
    const html = readFileSync(join(tmp, "report.html"), "utf8");
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain("<svg");
  });

  it("examples/quickstart.ts runs as written against the built package", () => {
    const out = spawnSync(process.execPath, ["--import", "tsx", "examples/quickstart.ts"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/mean response: +\d+\.\d h \(95% CI/);
    expect(out.stdout).toMatch(/without the UK: +mean response \d+\.\d h/);
  });

  it("the sample output of npm start is what `run` prints (200 replications, seed 1)", async () => {
    const at = readme.indexOf("output\nlooks like this (200 replications, seed 1)");
    expect(at).toBeGreaterThan(0);
    const block = /```\n([\s\S]*?)\.\.\.\n```/.exec(readme.slice(at));
    expect(block).not.toBeNull();
    const { io, out } = captureIo();
    expect(await main(["run", "-r", "200", "--seed", "1", "-w", "1"], io)).toBe(0);
    // The sample is the headline block, as printed, line for line.
    const lines = block![1]!.trimEnd().split("\n");
    const printed = out.stdout.split("\n");
    const start = printed.indexOf(lines[0]!);
    expect(start).toBeGreaterThan(0);
    expect(printed.slice(start, start + lines.length)).toEqual(lines);
  });
});

describe("docs/", () => {
  it("the scenario example of docs/scenario.md parses and runs", async () => {
    const text = readFileSync(join(ROOT, "docs", "scenario.md"), "utf8");
    const block = blocks(text).find((b) => b.lang === "json");
    expect(block).toBeDefined();
    const s = parseScenario(JSON.parse(block!.body));
    expect(s.sectors.map((x) => x.id)).toEqual(["north", "south"]);
    const r = await simulate(s, { replications: 5, seed: 1 });
    expect(r.line.counts.incidents).toBeGreaterThan(100);
    expect(r.line.counts.verified).toBeGreaterThan(0);
  });

  const pages = ["README.md", ...DOCS];
  const sources = readFileSync(join(ROOT, "docs", "sources.md"), "utf8");

  it.each(pages.map((p) => [p]))("%s: every relative link resolves to a file of the repository", (page) => {
    const text = readFileSync(join(ROOT, page), "utf8");
    const broken: string[] = [];
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // a URL: checked below
      const path = target.split("#")[0]!;
      if (path === "") continue; // an anchor on the same page
      const full = normalize(join(ROOT, dirname(page), path));
      if (!full.startsWith(ROOT) || !existsSync(full)) broken.push(target);
    }
    expect(broken).toEqual([]);
  });

  it.each(pages.map((p) => [p]))("%s: every link out of the repository is a source docs/sources.md cites", (page) => {
    const text = readFileSync(join(ROOT, page), "utf8");
    const urls = [...text.matchAll(/https?:\/\/[^\s)>`"']+/g)].map((m) => m[0]);
    // The explorer's local address (its own server on this machine) is no link out of the repository.
    const local = (u: string) => /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(u);
    expect(urls.filter((u) => !local(u) && !sources.includes(u))).toEqual([]);
  });
});
