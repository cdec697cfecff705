import { captureIo } from "./helpers/io.js";
/**
 * The CLI in-process: `main(argv, io)` with a fake io capturing stdout and
 * stderr, checking exit codes (0 ok, 2 invalid input or usage), output
 * formats, and the --out/--force file handling.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/main.js";

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(...argv: string[]): Promise<Captured> {
  const { io, out } = captureIo();
  const code = await main(argv, io);
  return { code, ...out };
}

const MMC = "examples/scenarios/mmc.json";
/** mmc with a short horizon and few replications, to keep runs fast. */
const FAST = ["--replications", "3", "--horizon", "200 h"];
const STACK = "    at ";
/** The lint warning `validate` and `run` print for mmc (src/model/lint.ts): it gives no access delay. */
const MMC_LINT =
  `warning: ${MMC}: sectors[0].access: no access delay given for sector: teams start work the moment they ` +
  'arrive (no checkpoints or escorts); give access.delay (e.g. { "dist": "lognormal", "median": "30 min", ' +
  '"p95": "2.5 h" }), or "0 min" to say so\n';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ceasefire-cli-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: scenario inputs are edited freely in tests
function mmcInput(): Record<string, any> {
  return JSON.parse(readFileSync(MMC, "utf8"));
}

describe("main validate", () => {
  it('validate coalition-2026 (embedded name) exits 0 with an "ok:" line on stdout', async () => {
    const r = await cli("validate", "coalition-2026");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^ok: coalition-2026 — 12 sectors over 1250 km, \d+ states, \d+ teams, \d+ sensors, \d+ bases, horizon 720 h\n$/,
    );
    // Its one lint warning: the risk-weighted allocation leaves two bases with room empty.
    expect(r.stderr).toBe(
      "warning: coalition-2026: bases: the allocation (risk-weighted) places no team at pavlohrad " +
        "(bases[5].capacity), dnipro (bases[7].capacity), though the scenario gives room for teams there; lower " +
        "the capacity (0 if it hosts no teams), or check the strategy and the caveats of the states that could " +
        "use it\n",
    );
  });

  it("validate examples/scenarios/mmc.json exits 0 and describes it", async () => {
    const r = await cli("validate", MMC);
    expect(r).toEqual({
      code: 0,
      stdout: "ok: mmc — 1 sectors over 100 km, 1 states, 4 teams, 0 sensors, 1 bases, horizon 2000 h\n",
      stderr: MMC_LINT,
    });
  });

  it("validate on a file with three problems exits 2, listing each path on stderr, no stack trace", async () => {
    const s = mmcInput();
    s.horizon = "0 h";
    s.sectors[0].access.denial = 1.5;
    s.assets[0].speed = "40 km";
    const file = join(dir, "three-problems.json");
    writeFileSync(file, JSON.stringify(s, null, 2));
    const r = await cli("validate", file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe(`error: ${file} is invalid (3 problems):`);
    expect(lines.slice(1).sort()).toEqual(
      [
        '  - horizon: expected a duration greater than zero; got "0 h"',
        "  - sectors[0].access.denial: expected a probability between 0 and 1",
        '  - assets[0].speed: expected a speed such as "40 km/h"; "40 km" is not a speed',
      ].sort(),
    );
    expect(r.stderr).not.toContain(STACK);
  });

  it("validate on a file with cross-reference problems exits 2 and lists each path", async () => {
    const s = mmcInput();
    s.sectors[0].lead = "nobody";
    s.contributions[0].asset = "tank";
    const file = join(dir, "refs.json");
    writeFileSync(file, JSON.stringify(s));
    const r = await cli("validate", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: ${file} is invalid (2 problems):\n`);
    expect(r.stderr).toContain('  - sectors[0].lead: unknown state id "nobody"; known: state\n');
    expect(r.stderr).toContain('  - contributions[0].asset: unknown asset id "tank"; known: team\n');
    expect(r.stderr).not.toContain(STACK);
  });

  it('validate on a missing file exits 2 with "no such file"', async () => {
    const file = join(dir, "does-not-exist.json");
    const r = await cli("validate", file);
    expect(r).toEqual({ code: 2, stdout: "", stderr: `error: cannot read ${file}: no such file\n` });
  });

  it("validate on a directory exits 2", async () => {
    const r = await cli("validate", dir);
    expect(r).toEqual({ code: 2, stdout: "", stderr: `error: ${dir} is a directory, not a scenario file\n` });
  });

  it("validate on a file with a trailing comma exits 2 naming line and column", async () => {
    const file = join(dir, "trailing-comma.json");
    writeFileSync(file, '{\n  "format": "ceasefire-sim/scenario@1",\n  "name": "x",\n}\n');
    const r = await cli("validate", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not valid JSON at line 4, column 1: `),
    );
    expect(r.stderr).not.toContain(STACK);
  });

  it("validate on a file with a bare word (an unquoted value) exits 2 naming line and column", async () => {
    // V8 words this error "Unexpected token 'x', …" without a position.
    const file = join(dir, "bare-word.json");
    writeFileSync(file, '{\n  "format": "ceasefire-sim/scenario@1",\n  "name": x\n}\n');
    const r = await cli("validate", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("is not valid JSON at line 3, column 11");
  });

  it("validate with no scenario or two scenarios exits 2", async () => {
    for (const argv of [["validate"], ["validate", MMC, MMC]]) {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        "error: validate takes exactly one scenario file\nRun 'ceasefire-sim validate --help' for usage.\n",
      );
    }
  });

  it("validate --help exits 0 with its usage on stdout", async () => {
    const r = await cli("validate", "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: ceasefire-sim validate <scenario>\n/);
    expect(r.stderr).toBe("");
  });
});

describe("main usage errors", () => {
  it("an unknown command exits 2", async () => {
    const r = await cli("simulate", MMC);
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr:
        'error: unknown command "simulate"; commands: run, allocate, compare, withdrawal, sweep, sensitivity, ' +
        "optimize, merge, report, explore, validate\nRun 'ceasefire-sim --help' for usage.\n",
    });
  });

  it("no command prints the help and exits 2; --help exits 0", async () => {
    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.stdout).toMatch(/^ceasefire-sim \S+ — /);
    const help = await cli("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(none.stdout);
  });

  it("run --replications 0 exits 2", async () => {
    const r = await cli("run", MMC, "--replications", "0");
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "error: --replications: expected a whole number from 1 to 1e9; got 0\nRun 'ceasefire-sim run --help' for " +
        "usage.\n",
    });
  });

  it("run --replications 1.5 and -r abc exit 2, naming the flag and what was given", async () => {
    const half = await cli("run", MMC, "--replications", "1.5");
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/^error: --replications: expected a whole number from 1 to 1e9; got 1\.5\n/);
    const word = await cli("run", MMC, "-r", "abc");
    expect(word.code).toBe(2);
    expect(word.stderr).toMatch(/^error: --replications: expected a whole number from 1 to 1e9; got "abc"\n/);
  });

  it("--workers is checked by the library's one rule, for every command that runs replications", async () => {
    const cases: [string, ...string[]][] = [
      ["run", MMC],
      ["compare", MMC, "--strategies", "uniform,proportional"],
      ["withdrawal", MMC],
      ["sweep", MMC, "--param", "sectors[0].incidents.rate=2,3"],
      ["sensitivity", MMC, "--metric", "response.mean", "--param", "sectors[0].incidents.rate=2:3"],
      ["report", MMC, "--out", join(dir, "never.html")],
    ];
    for (const args of cases)
      for (const [w, got] of [
        ["0", "0"],
        ["257", "257"],
        ["1.5", "1.5"],
        ["many", '"many"'],
      ] as const) {
        const r = await cli(...args, "--workers", w);
        expect(r.code, `${args[0]} --workers ${w}`).toBe(2);
        expect(r.stderr).toMatch(
          new RegExp(
            `^error: --workers: expected a whole number from 1 to 256 or "auto"; got ${got.replace(".", "\\.")}\n`,
          ),
        );
        expect(r.stdout).toBe("");
      }
  });

  it("compare -r 1 exits 2: paired CIs need two replications (the minimum from the one table)", async () => {
    const r = await cli("compare", MMC, "--strategies", "uniform,proportional", "-r", "1");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: --replications: expected a whole number from 2 to 1e9 \(paired CIs need two replications\); got 1\n/,
    );
  });

  it("run --bogus exits 2 naming the option", async () => {
    const r = await cli("run", "--bogus");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error: Unknown option '--bogus'/);
    expect(r.stderr).toContain("Run 'ceasefire-sim run --help' for usage.\n");
  });

  it("run --json --csv exits 2", async () => {
    const r = await cli("run", MMC, ...FAST, "--json", "--csv");
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: --json and --csv: choose one\nRun 'ceasefire-sim run --help' for usage.\n",
    });
  });

  it('run --horizon "0 h" and --horizon fast exit 2 without a stack trace', async () => {
    for (const h of ["0 h", "fast"]) {
      const r = await cli("run", MMC, "--replications", "2", "--horizon", h);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^error: --horizon: expected a/);
      expect(r.stderr).not.toContain(STACK);
    }
  });

  it("run on an invalid scenario file exits 2 listing its problems", async () => {
    const s = mmcInput();
    s.sectors[0].incidents.rate = "3 h";
    const file = join(dir, "bad-rate.json");
    writeFileSync(file, JSON.stringify(s));
    const r = await cli("run", file, ...FAST);
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr:
        `error: ${file} is invalid (1 problem):\n  - sectors[0].incidents.rate: expected a rate such as "36 /d", ` +
        `"2 /h"; "3 h" is not a rate\n`,
    });
  });

  it("run --help exits 0 with its usage on stdout", async () => {
    const r = await cli("run", "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: ceasefire-sim run \[scenario\] \[options\]\n/);
    expect(r.stdout).toContain("--replications N");
    expect(r.stderr).toBe("");
  });
});

describe("main run output", () => {
  it("run mmc --json prints only JSON, with provenance.replications 3", async () => {
    const r = await cli("run", MMC, ...FAST, "--json");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(MMC_LINT);
    const result = JSON.parse(r.stdout);
    expect(result.format).toBe("ceasefire-sim/result@1");
    expect(result.provenance.replications).toBe(3);
    expect(result.provenance.horizonHours).toBe(200);
    expect(result.provenance.scenario.name).toBe("mmc");
    expect(r.stdout.endsWith("}\n")).toBe(true);
  });

  it("run mmc --json is reproducible for the same seed (apart from timing fields)", async () => {
    const strip = (text: string) => {
      const o = JSON.parse(text);
      delete o.provenance.wallTimeMs;
      delete o.provenance.startedAt;
      return o;
    };
    const a = await cli("run", MMC, ...FAST, "--json", "--seed", "7");
    const b = await cli("run", MMC, ...FAST, "--json", "--seed", "7");
    expect(strip(a.stdout)).toEqual(strip(b.stdout));
    expect(strip(a.stdout).provenance.seed).toBe("7");
  });

  it('run mmc --csv prints the header "scope,id,metric,value,lo,hi,warning" and seven fields a row', async () => {
    const r = await cli("run", MMC, ...FAST, "--csv");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(MMC_LINT);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("scope,id,metric,value,lo,hi,warning");
    expect(lines.length).toBeGreaterThan(1);
    // RFC 4180 fields: plain, or quoted with "" for a quote.
    const fields = (line: string) => {
      const out: string[] = [];
      for (let i = 0; i <= line.length; ) {
        const m = /^("(?:[^"]|"")*"|[^,]*)/.exec(line.slice(i))!;
        out.push(m[1]!);
        i += m[1]!.length + 1;
      }
      return out;
    };
    for (const line of lines) expect(fields(line)).toHaveLength(7);
    const perDay = lines.filter((l) => l.startsWith("line,line,incidentsPerDay,"));
    expect(perDay).toHaveLength(1);
    // 3 replications: every estimate's row says its interval needs care.
    expect(perDay[0]).toMatch(/,"3 replications: 95% intervals are wide .*use 10 or more replications"$/);
  });

  it("run mmc (text) exits 0 and prints a summary on stdout", async () => {
    const r = await cli("run", MMC, ...FAST);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(MMC_LINT);
    expect(r.stdout).toMatch(/^ceasefire-sim \S+ — mmc \(sha256:[0-9a-f]+\)\n3 replications of /);
  });
});

describe("main run --out and --force", () => {
  it("writes the file, refuses to replace it without --force (left unchanged), replaces it with --force", async () => {
    const outDir = join(dir, "out");
    mkdirSync(outDir);
    const file = join(outDir, "result.json");

    const first = await cli("run", MMC, ...FAST, "--out", file);
    expect(first).toEqual({ code: 0, stdout: "", stderr: `${MMC_LINT}wrote ${file}\n` });
    const firstText = readFileSync(file, "utf8");
    expect(JSON.parse(firstText).provenance.replications).toBe(3);
    expect(readdirSync(outDir)).toEqual(["result.json"]);

    const again = await cli("run", MMC, "--replications", "2", "--horizon", "200 h", "--out", file);
    expect(again.code).toBe(2);
    expect(again.stdout).toBe("");
    expect(again.stderr).toBe(`error: ${file} exists; pass --force to replace it\n`);
    expect(readFileSync(file, "utf8")).toBe(firstText);
    expect(readdirSync(outDir)).toEqual(["result.json"]);

    const forced = await cli("run", MMC, "--replications", "2", "--horizon", "200 h", "--out", file, "--force");
    expect(forced).toEqual({ code: 0, stdout: "", stderr: `${MMC_LINT}wrote ${file}\n` });
    expect(JSON.parse(readFileSync(file, "utf8")).provenance.replications).toBe(2);
    expect(readdirSync(outDir)).toEqual(["result.json"]);
  });

  it("--out x.csv picks CSV from the extension", async () => {
    const file = join(dir, "rows.csv");
    const r = await cli("run", MMC, ...FAST, "-o", file);
    expect(r.code).toBe(0);
    expect(readFileSync(file, "utf8").split("\n")[0]).toBe("scope,id,metric,value,lo,hi,warning");
  });

  it("--out into a missing folder exits 2 without a stack trace", async () => {
    const file = join(dir, "no-such-folder", "result.json");
    const r = await cli("run", MMC, ...FAST, "--out", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: cannot write ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `));
    expect(r.stderr).not.toContain(STACK);
  });
});

describe("main run --out refuses before running", () => {
  it("an existing --out file without --force is refused before the simulation starts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ceasefire-cli-pre-"));
    const file = join(dir, "r.json");
    writeFileSync(file, "keep");
    const t = Date.now();
    const r = await cli("run", MMC, "--replications", "100000", "--out", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("exists; pass --force");
    expect(Date.now() - t).toBeLessThan(20_000); // 100,000 replications would take minutes
    expect(readFileSync(file, "utf8")).toBe("keep");
  });
});

describe("run --incidents and --per-replication", () => {
  it("write the incident log and tidy rows of the same replications as the result", async () => {
    const log = join(dir, "incident-log.csv"),
      rows = join(dir, "per-replication-rows.csv");
    const r = await cli("run", MMC, ...FAST, "--seed", "4", "--json", "--incidents", log, "--per-replication", rows);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    const lines = readFileSync(log, "utf8").trimEnd().split("\r\n");
    // A header, then one row per incident after the warm-up: as many as the result counts.
    expect(lines.length - 1).toBe(result.line.counts.incidents);
    const header = lines[0]!.split(",");
    const outcome = header.indexOf("outcome");
    const verified = lines.slice(1).filter((l) => l.split(",")[outcome] === "verified").length;
    expect(verified).toBe(result.line.counts.verified);
    expect(readFileSync(rows, "utf8").split("\r\n")[0]).toMatch(/^replication,scope,/);
    expect(r.stderr).toMatch(/wrote .*incident-log\.csv: \d+ incidents of 3 replications \(CSV\)/);
  });

  it("refuse another extension, and a shard, with exit 2 before running", async () => {
    const bad = await cli("run", MMC, ...FAST, "--incidents", join(dir, "x.txt"));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--incidents: expected a file name ending in .csv or .arrow");
    const shard = await cli("run", MMC, ...FAST, "--shard", "0/2", "--incidents", join(dir, "y.csv"));
    expect(shard.code).toBe(2);
    expect(shard.stderr).toContain("apply to a whole run, not to --shard");
  });
});

describe("paired differences in the text output", () => {
  it("tornado prints each swing with its paired CI, and withdrawal its rows' notes and the method", async () => {
    const t = await cli(
      "sensitivity",
      "--method",
      "tornado",
      "-m",
      "response.mean",
      "-p",
      "contributions[state=state,asset=team].count=4:6",
      MMC,
      ...FAST,
    );
    expect(t.stderr).toBe("");
    expect(t.code).toBe(0);
    expect(t.stdout).toContain("swing (paired 95% CI)");
    expect(t.stdout).toMatch(/-?\d[\d.]* \[-?\d[\d.e-]*, -?\d[\d.e-]*\]/);
    expect(t.stdout).toMatch(/^Paired CI: differences are differences of the pooled estimates/m);
    const w = await cli("withdrawal", "--states", "us", "-r", "4", "-w", "1");
    expect(w.code).toBe(0);
    expect(w.stdout).toMatch(/^Changes: differences are differences of the pooled estimates/m);
    // Without the US, fewer incidents are verified: the faster response of those verified is noted.
    expect(w.stdout).toMatch(/^ {2}us: without us: response\.mean .* fewer incidents verified/m);
  }, 60_000);
});

describe("sweep design limits", () => {
  it("a range of 10^8 levels is refused at once, naming its --param (not the --horizon flag)", async () => {
    const r = await cli("sweep", MMC, "--param", "horizon=1:2:100000000", "-r", "2");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--param horizon: levels: 100000000 is more than a design may have (10000 points)");
  });
});
