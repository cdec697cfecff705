import { describe, expect, it } from "vitest";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simulate, type Checkpoint, type Result } from "../src/experiment/simulate.js";
import { simulate as simulateParallel } from "../src/node/parallel.js";
import { defaultScenario } from "../src/scenarios/index.js";
import { main } from "../src/cli/main.js";

const strip = (r: Result) => {
  const { wallTimeMs: _w, startedAt: _s, ...p } = r.provenance;
  return { ...r, provenance: p };
};
const root = new URL("..", import.meta.url);
/** The built CLI (dist/cli.js, or the file in CEASEFIRE_SIM_CLI). */
const CLI = process.env.CEASEFIRE_SIM_CLI ?? "dist/cli.js";

describe("resource budget", () => {
  it("refuses a run over the budget up front, with the estimate and how to raise it", async () => {
    const t = Date.now();
    await expect(simulate(defaultScenario(), { replications: 100_000_000 })).rejects.toThrow(
      // The wording of the estimate is the budget's (src/experiment/budget.ts); the figures and the way out are here.
      /^budget: .*about [\d.e+]+ incidents.* 100000000 replications.*over the budget of 5\.00e\+9; .*budget\.incidents/,
    );
    const big = defaultScenario();
    big.horizon = "250000 d"; // over the per-replication budget (2e7), under the engine's memory limit
    await expect(simulate(big, { replications: 1 })).rejects.toThrow(
      /^budget: .*one replication .*about [\d.e+]+ incidents.*budget\.incidentsPerReplication/,
    );
    expect(Date.now() - t).toBeLessThan(5000);
    // Raising the budget lets a run through.
    const r = await simulate(defaultScenario(), { replications: 2, budget: { incidents: 1e6 } });
    expect(r.provenance.replications).toBe(2);
    await expect(simulate(defaultScenario(), { replications: 100, budget: { incidents: 1e4 } })).rejects.toThrow(
      /budget/,
    );
  });
  it("the CLI exits 2 naming the flag to raise it", async () => {
    let err = "";
    const code = await main(["run", "-r", "100000000"], {
      stdout: { write: () => true },
      stderr: {
        write: (s: string) => {
          err += s;
          return true;
        },
      },
    });
    expect(code).toBe(2);
    expect(err).toMatch(/--max-incidents/);
    expect(err).not.toContain("    at ");
  });
});

describe("checkpoints", () => {
  it("a run resumed from any saved checkpoint (through JSON) ends where the uninterrupted run does", async () => {
    const opts = { replications: 30, seed: 6 };
    const full = await simulate(defaultScenario(), opts);
    const saved: Checkpoint[] = [];
    const again = await simulate(defaultScenario(), {
      ...opts,
      checkpoint: {
        every: 7,
        save: (c) => {
          saved.push(JSON.parse(JSON.stringify(c)));
        },
      },
    });
    expect(strip(again)).toEqual(strip(full));
    expect(saved.map((c) => c.done)).toEqual([7, 14, 21, 28]);
    for (const c of [saved[0]!, saved[2]!]) {
      const resumed = await simulate(defaultScenario(), { ...opts, checkpoint: { resume: c } });
      expect(strip(resumed)).toEqual(strip(full));
      // …and with two workers.
      const par = await simulateParallel(defaultScenario(), { ...opts, workers: 2, checkpoint: { resume: c } });
      expect(strip(par)).toEqual(strip(full));
    }
  });
  it("refuses a checkpoint from another seed, scenario or run length", async () => {
    const saved: Checkpoint[] = [];
    await simulate(defaultScenario(), {
      replications: 10,
      seed: 1,
      checkpoint: {
        every: 5,
        save: (c) => {
          saved.push(c);
        },
      },
    });
    const c = saved[0]!;
    await expect(simulate(defaultScenario(), { replications: 10, seed: 2, checkpoint: { resume: c } })).rejects.toThrow(
      /different seed/,
    );
    const other = defaultScenario();
    other.name = "other";
    await expect(simulate(other, { replications: 10, seed: 1, checkpoint: { resume: c } })).rejects.toThrow(
      /different scenario/,
    );
    await expect(simulate(defaultScenario(), { replications: 12, seed: 1, checkpoint: { resume: c } })).rejects.toThrow(
      /run of 10 replications, not 12/,
    );
  });
  it("Ctrl-C (SIGINT) stops the CLI cleanly, saying how many replications finished; the same command resumes to the " +
    "uninterrupted result", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ceasefire-ck-"));
    const ck = join(dir, "ck.json");
    const args = [CLI, "run", "-r", "80", "--seed", "4", "--workers", "1", "--json", "--checkpoint", ck];
    const full = JSON.parse(
      execFileSync(process.execPath, [CLI, "run", "-r", "80", "--seed", "4", "--workers", "1", "--json"], {
        cwd: root,
        encoding: "utf8",
      }),
    );
    const child = spawn(process.execPath, args, { cwd: root });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    // Interrupt once the first checkpoint exists.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(ck)) {
          clearInterval(poll);
          child.kill("SIGINT");
          resolve();
        }
      }, 20);
    });
    const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? -1)));
    expect(code).toBe(130);
    expect(stderr).toMatch(
      /interrupted by SIGINT: \d+ of 80 replications finished; state saved in .*ck\.json: run the same command to/,
    );
    const resumed = JSON.parse(execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" }));
    for (const r of [full, resumed]) {
      delete r.provenance.wallTimeMs;
      delete r.provenance.startedAt;
    }
    expect(resumed).toEqual(full);
    expect(existsSync(ck)).toBe(false); // removed after a finished run
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  }, 120_000);
});

describe("nothing from a scenario is executed", () => {
  it("src/ has no eval, no Function constructor and no Math.random", () => {
    const hits: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith(".ts"))
          readFileSync(p, "utf8")
            .split("\n")
            .forEach((line, i) => {
              if (/\beval\(|new Function\(|Math\.random/.test(line)) hits.push(`${p}:${i + 1}`);
            });
      }
    };
    walk(new URL("../src", import.meta.url).pathname);
    expect(hits).toEqual([]);
  });
});
