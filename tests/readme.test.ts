import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { parseScenario } from "../src/model/parse.js";
import { simulate } from "../src/experiment/simulate.js";
import { main } from "../src/cli/main.js";
import { captureIo } from "./helpers/io.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("the scenario example parses and runs", async () => {
    const block = /```json\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    const s = parseScenario(JSON.parse(block![1]!));
    expect(s.sectors.map((x) => x.id)).toEqual(["north", "south"]);
    const r = await simulate(s, { replications: 5, seed: 1 });
    expect(r.line.counts.incidents).toBeGreaterThan(100);
    expect(r.line.counts.verified).toBeGreaterThan(0);
  });

  it("examples/quickstart.ts runs as written against the built package", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "examples/quickstart.ts"], {
      cwd: new URL("..", import.meta.url),
      encoding: "utf8",
    });
    expect(out).toMatch(/mean response: +\d+\.\d h \(95% CI/);
    expect(out).toMatch(/without the UK: +mean response \d+\.\d h/);
  });

  it("the sample output of npm start is what `run` prints (200 replications, seed 1)", async () => {
    const at = readme.indexOf("output looks like this (200 replications, seed 1)");
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

  it("names the two commands", () => {
    expect(readme).toContain("npm ci && npm start");
    expect(readme).toContain("npm test");
  });
});
