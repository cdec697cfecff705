/**
 * The command line attacked as a careless user and a faulty machine would (issue 14): outputs that are not
 * regular files, symbolic links, missing or unwritable folders, a checkpoint whose output cannot be written,
 * SIGINT and SIGTERM in every long command, the exit-code table, negative and huge seeds, shards and their
 * budget, and a reader that closes the pipe early.
 *
 * Refusals run in-process (`main`); signals, pipes and lost folders run the built CLI (dist/cli.js, or the
 * file in CEASEFIRE_SIM_CLI) in a child process.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../src/cli/main.js";
import { EXIT, isSystemError } from "../src/cli/common.js";
import { InputError, openAtomicWriter, writeFileAtomic } from "../src/node/files.js";
import { captureIo } from "./helpers/io.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const CLI = resolve(root, process.env.CEASEFIRE_SIM_CLI ?? "dist/cli.js");
const MMC = join(root, "examples/scenarios/mmc.json");
const QUICK = ["-r", "2", "-w", "1", "-q"];
const FAST = [...QUICK, "--horizon", "100 h"];
const STACK = "    at ";
const isRoot = process.getuid?.() === 0;

async function cli(...argv: string[]) {
  const { io, out } = captureIo();
  const code = await main(argv, io);
  return { code, ...out };
}

/** The built CLI in a child process: exit code (or the signal that killed it), stdout, stderr. */
function child(args: string[], options: { onSpawn?: (p: ReturnType<typeof spawn>) => void } = {}) {
  const p = spawn(process.execPath, [CLI, ...args], { cwd: root });
  let stdout = "",
    stderr = "";
  p.stdout.on("data", (d) => (stdout += d));
  p.stderr.on("data", (d) => (stderr += d));
  options.onSpawn?.(p);
  return new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((done) =>
    p.on("close", (code, signal) => done({ code, signal, stdout, stderr })),
  );
}

const until = async (test: () => boolean, ms = 60_000) => {
  const t = Date.now();
  while (!test()) {
    if (Date.now() - t > ms) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 25));
  }
};
/** CPU seconds a process has used (Linux /proc): unlike wall time, not stretched by a busy machine. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
const temps = (d: string) => readdirSync(d).filter((f) => f.endsWith(".tmp"));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ceasefire-attack-"));
  writeFileSync(join(dir, "part.json"), "{}");
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Every command with --out, as arguments before --out (cheap settings; refusals come before any run). */
const COMMANDS: Record<string, string[]> = {
  run: ["run", MMC, ...FAST],
  "run --shard": ["run", MMC, ...FAST, "--shard", "0/2"],
  allocate: ["allocate", MMC],
  compare: ["compare", MMC, "-S", "risk-weighted,uniform", ...QUICK],
  withdrawal: ["withdrawal", MMC, ...QUICK],
  sweep: ["sweep", MMC, "-p", "sectors[0].incidents.rate=2,3", ...FAST],
  tornado: ["sensitivity", MMC, "--method", "tornado", "-m", "response.mean", "-p", "assets[0].speed=30:60", ...FAST],
  sobol: ["sensitivity", MMC, "-m", "response.mean", "-p", "assets[0].speed=30:60", "-n", "2", ...FAST],
  report: ["report", MMC, ...FAST],
  merge: ["merge", "PART"],
};
const argsOf = (name: string) => COMMANDS[name]!.map((a) => (a === "PART" ? join(dir, "part.json") : a));

describe("--out writes regular files only", () => {
  it("a character device is refused, with --force too, and stays one (a private device, then /dev/null)", async () => {
    // As root a private device node stands in first: only if it survives is /dev/null tried.
    const devices = [];
    if (isRoot) {
      const dev = join(dir, "null-device");
      execFileSync("mknod", [dev, "c", "1", "3"]);
      devices.push(dev);
    }
    devices.push("/dev/null");
    for (const dev of devices)
      for (const name of Object.keys(COMMANDS)) {
        const r = await cli(...argsOf(name), "--out", dev, "--force");
        expect(r.code, `${name} --out ${dev}`).toBe(EXIT.input);
        expect(r.stderr).toBe(
          `error: ${dev} is a character device: outputs are written to regular files only, and --force never ` +
            `replaces anything else\n`,
        );
        expect(lstatSync(dev).isCharacterDevice(), `${dev} is still a device after ${name}`).toBe(true);
      }
  });

  it("a FIFO and a directory are refused with and without --force, before any run", async () => {
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const sub = join(dir, "a-directory");
    mkdirSync(sub);
    for (const [target, kind] of [
      [fifo, "a FIFO (named pipe)"],
      [sub, "a directory"],
    ] as const)
      for (const name of Object.keys(COMMANDS))
        for (const force of [[], ["--force"]]) {
          const r = await cli(...argsOf(name), "--out", target, ...force);
          expect(r.code, `${name} --out ${target} ${force}`).toBe(2);
          expect(r.stderr).toMatch(`error: ${target} is ${kind}: outputs are written to regular files only`);
          expect(r.stdout).toBe("");
        }
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(lstatSync(sub).isDirectory()).toBe(true);
    expect(readdirSync(sub)).toEqual([]);
  });

  it("a symbolic link is written through to its target (the link stays); without --force it is refused", async () => {
    const target = join(dir, "target.json");
    const link = join(dir, "link.json");
    writeFileSync(target, "old");
    symlinkSync("target.json", link);
    const refused = await cli(...argsOf("run"), "--json", "--out", link);
    expect(refused).toMatchObject({ code: 2, stderr: `error: ${link} exists; pass --force to replace it\n` });
    expect(readFileSync(target, "utf8")).toBe("old");
    const r = await cli(...argsOf("run"), "--json", "--out", link, "--force");
    // `run` warns first that mmc gives no access delay (lint), then says where it wrote.
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^warning: .*mmc\\.json: sectors\\[0\\]\\.access: .*\\nwrote ${link}\\n$`));
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe("target.json");
    expect(JSON.parse(readFileSync(target, "utf8")).format).toBe("ceasefire-sim/result@1");
    // A dangling link: the file it names is created.
    const dangling = join(dir, "dangling.csv");
    symlinkSync("made-by-link.csv", dangling);
    expect((await cli(...argsOf("sweep"), "--out", dangling)).code).toBe(0);
    expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "made-by-link.csv"), "utf8")).toMatch(/^point,/);
    // A link to a directory is a directory.
    const toDir = join(dir, "link-to-dir");
    symlinkSync(tmpdir(), toDir);
    const d = await cli(...argsOf("allocate"), "--out", toDir, "--force");
    expect(d.code).toBe(2);
    expect(d.stderr).toContain(`${toDir} (a symbolic link to ${tmpdir()}) is a directory`);
    expect(temps(dir)).toEqual([]);
  });

  it("writeFileAtomic and openAtomicWriter (ceasefire-sim/node) keep the same rules", async () => {
    const fifo = join(dir, "lib-fifo");
    execFileSync("mkfifo", [fifo]);
    await expect(writeFileAtomic(fifo, "x", { force: true })).rejects.toThrow(
      new InputError(
        `${fifo} is a FIFO (named pipe): outputs are written to regular files only, and --force never replaces ` +
          "anything else",
      ),
    );
    expect(() => openAtomicWriter(dir, { force: true })).toThrow(/is a directory/);
    expect(() => openAtomicWriter("")).toThrow("the output file name is empty");
    // Through a link, keeping the replaced file's permissions.
    const target = join(dir, "lib-target.txt");
    writeFileSync(target, "old", { mode: 0o600 });
    const link = join(dir, "lib-link.txt");
    symlinkSync(target, link);
    await expect(writeFileAtomic(link, "new")).rejects.toThrow(`${link} exists; pass --force to replace it`);
    await writeFileAtomic(link, "new", { force: true });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, "utf8")).toBe("new");
    expect(statSync(target).mode & 0o777).toBe(0o600);
    const w = openAtomicWriter(link, { force: true });
    w.write("streamed");
    w.commit();
    expect(readFileSync(target, "utf8")).toBe("streamed");
    // An aborted stream leaves the file as it was and no temporary file.
    const w2 = openAtomicWriter(link, { force: true });
    w2.write("half");
    w2.abort();
    expect(readFileSync(target, "utf8")).toBe("streamed");
    expect(temps(dir)).toEqual([]);
  });

  it('--out "" is a usage error (exit 2), never stdout', async () => {
    for (const name of Object.keys(COMMANDS)) {
      const r = await cli(...argsOf(name), "--out", "");
      expect(r.code, name).toBe(2);
      expect(r.stdout, name).toBe("");
      expect(r.stderr, name).toMatch(/^error: --out: expected a file name; got an empty one/);
    }
    const c = await cli("run", MMC, ...FAST, "--checkpoint", "");
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/^error: --checkpoint: expected a file name; got an empty one/);
  });

  it("a missing folder fails up front, before the run and before any checkpoint is made", async () => {
    const ck = join(dir, "cp.json");
    const t = Date.now();
    const r = await cli("run", "-r", "600", "--checkpoint", ck, "--out", join(dir, "missing-dir", "x.json"));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: cannot write ${join(dir, "missing-dir", "x.json")}: the folder ${join(dir, "missing-dir")} ` +
        "does not exist\n",
    );
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(existsSync(ck)).toBe(false);
    for (const name of Object.keys(COMMANDS)) {
      const m = await cli(...argsOf(name), "--out", join(dir, "nope", "out.txt"));
      expect(m.code, name).toBe(2);
      expect(m.stderr, name).toContain("does not exist");
    }
    // A checkpoint that cannot be written is refused up front too, and so is one that is the output itself.
    const bad = await cli("run", MMC, ...FAST, "--checkpoint", join(dir, "nope", "ck.json"));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`the folder ${join(dir, "nope")} does not exist`);
    const same = await cli(
      "run",
      MMC,
      ...FAST,
      "--checkpoint",
      join(dir, "same.json"),
      "--out",
      join(dir, "same.json"),
    );
    expect(same.code).toBe(2);
    expect(same.stderr).toContain("--out and --checkpoint name the same file");
  });

  it("an unwritable or read-only folder is exit 2 like any file error, before the run", async () => {
    const ro = join(dir, "read-only");
    mkdirSync(ro);
    let mounted = false;
    try {
      if (isRoot) {
        // Root writes through permissions: a read-only file system is the refusal it meets.
        execFileSync("mount", ["-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", ro], { stdio: "ignore" });
        mounted = true;
      } else execFileSync("chmod", ["555", ro]);
    } catch {
      // Neither possible (root in a container without mounts): the permission bits still refuse a non-root
      // user, and root is refused by nothing, so the case is checked through the classification below.
    }
    try {
      const r = await cli(...argsOf("run"), "--out", join(ro, "x.txt"));
      if (mounted || !isRoot) {
        expect(r.code).toBe(2);
        expect(r.stderr).toBe(
          `error: cannot write ${join(ro, "x.txt")}: the folder ${ro} ` +
            (mounted ? "is on a read-only file system (EROFS)\n" : "is not writable (EACCES)\n"),
        );
      } else expect(r.code).toBe(0); // root, and nothing could make the folder refuse it
    } finally {
      if (mounted) execFileSync("umount", [ro]);
      execFileSync("chmod", ["755", ro]);
    }
    // Every system error (EACCES, EROFS, ENOSPC, ENOENT…) is one class: exit 2.
    for (const code of ["EACCES", "EROFS", "ENOSPC", "ENOENT", "EDQUOT", "EIO"])
      expect(isSystemError(Object.assign(new Error(`${code}: x`), { code, syscall: "write" }))).toBe(true);
    expect(isSystemError(new Error("plain"))).toBe(false);
    expect(isSystemError(Object.assign(new Error("x"), { code: "ERR_INVALID_ARG_TYPE" }))).toBe(false);
  });

  it("the checkpoint is deleted only after the output is written: a folder lost during the run keeps it", async () => {
    const out = join(dir, "lost");
    mkdirSync(out);
    const ck = join(dir, "lost-ck.json");
    const args = ["run", MMC, "-r", "400", "--horizon", "200 h", "-w", "1", "--json", "--checkpoint", ck];
    const r = await child([...args, "--out", join(out, "x.json")], {
      onSpawn: () => {
        until(() => existsSync(ck)).then(() => rmSync(out, { recursive: true }));
      },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`error: cannot write .*x\\.json: .*; the checkpoint ${ck} is kept: run the same command`),
    );
    expect(existsSync(ck)).toBe(true);
    // Once the folder is back, the same command finishes from the checkpoint and only then removes it.
    mkdirSync(out);
    const again = await child([...args, "--out", join(out, "x.json")]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/resuming from .*lost-ck\.json/);
    expect(JSON.parse(readFileSync(join(out, "x.json"), "utf8")).provenance.replications).toBe(400);
    expect(existsSync(ck)).toBe(false);
    if (!isRoot) return;
    // As root, a real full disk too: a 16 KiB file system takes the checkpoint's folder's place for the output.
    const full = join(dir, "full");
    mkdirSync(full);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", full]);
    try {
      const ck2 = join(dir, "full-ck.json");
      const r2 = await child([
        "run",
        "-r",
        "30",
        "--horizon",
        "100 h",
        "-w",
        "1",
        "--json",
        "--checkpoint",
        ck2,
        "--out",
        join(full, "x.json"),
      ]);
      expect(r2.code).toBe(2);
      expect(r2.stderr).toMatch(
        new RegExp(`error: cannot write .*x\\.json: ENOSPC.*; the checkpoint ${ck2} is kept: run the same command`),
      );
      expect(existsSync(ck2)).toBe(true);
      expect(readdirSync(full)).toEqual([]);
    } finally {
      execFileSync("umount", [full]);
    }
  }, 120_000);
});

describe("SIGINT and SIGTERM: temporary files removed, progress reported, the documented exit code", () => {
  const SIGNALS = [
    ["SIGTERM", EXIT.sigterm],
    ["SIGINT", EXIT.sigint],
  ] as const;

  for (const [sig, code] of SIGNALS)
    it(`sweep --out, ${sig}: no temporary file left, exit ${code}`, async () => {
      const sub = mkdtempSync(join(dir, "sweep-"));
      const out = join(sub, "s.csv");
      const r = await child(
        ["sweep", MMC, "-p", "sectors[0].incidents.rate=2:3:200", "-r", "20", "-w", "1", "--out", out],
        { onSpawn: (p) => void until(() => temps(sub).length > 0).then(() => p.kill(sig)) },
      );
      expect(r.code).toBe(code);
      expect(r.stderr).toMatch(new RegExp(`^interrupted by ${sig}: \\d+ of 200 points finished; nothing written\\n$`));
      expect(readdirSync(sub)).toEqual([]);
    }, 120_000);

  /**
   * Long commands with no file to watch: signalled once they have used CPU_READY seconds of CPU, well past
   * loading (about 2 s of CPU), so the signal reaches the running work however busy the machine is.
   */
  const CPU_READY = 4;
  const LONG: [string, string[], RegExp][] = [
    ["compare", ["compare", "-S", "risk-weighted,uniform", "-r", "20000", "-w", "1"], /\d+ of 20000 replications/],
    // 2000 replications of its 1 + 21 arms: within the default budget (the budget counts every arm).
    ["withdrawal", ["withdrawal", "-r", "2000", "-w", "1"], /\d+ of 2000 replications/],
    ["run --shard", ["run", "-r", "40000", "--shard", "1/2", "-w", "2"], /shard 1\/2: \d+ of 20000 replications/],
    [
      "tornado",
      [
        "sensitivity",
        "--method",
        "tornado",
        "-m",
        "response.mean",
        "-p",
        "assets[id=team].speed=30:60",
        "-r",
        "20000",
        "-w",
        "1",
      ],
      // Every run of the tornado advances on common replications, together.
      /\d+ of 20000 replications/,
    ],
    ["report", ["report", "-r", "40000", "-w", "1"], /\d+ of 40000 replications/],
  ];
  for (const [name, args, progress] of LONG)
    for (const [sig, code] of name === "compare" ? SIGNALS : SIGNALS.slice(0, 1))
      it(`${name} --out, ${sig}: exit ${code}, nothing written, how far it got`, async () => {
        const sub = mkdtempSync(join(dir, "long-"));
        const out = join(sub, name === "report" ? "r.html" : "out.json");
        const r = await child([...args, "--out", out], {
          onSpawn: (p) => void until(() => cpuSeconds(p.pid!) >= CPU_READY).then(() => p.kill(sig)),
        });
        expect(r.code).toBe(code);
        expect(r.stderr).toMatch(
          new RegExp(`^interrupted by ${sig}: .*${progress.source} finished; nothing written\n$`),
        );
        expect(r.stderr).not.toContain(STACK);
        expect(readdirSync(sub)).toEqual([]);
      }, 120_000);
});

describe("one exit-code table", () => {
  it("the table in code is the table in docs/cli.md, and the README and --help point to it", () => {
    const doc = readFileSync(join(root, "docs/cli.md"), "utf8");
    const rows = [...doc.matchAll(/^\| (\d+) \| `(\w+)` \|/gm)].map((m) => [m[2], Number(m[1])]);
    expect(Object.fromEntries(rows)).toEqual({ ...EXIT });
    expect(readFileSync(join(root, "README.md"), "utf8")).toMatch(/\(docs\/cli\.md#exit-codes\)/);
  });

  it("each class has its code: usage and input 2, interrupts 130 and 143 (above); --help names them", async () => {
    expect((await cli("run", "--no-such-flag")).code).toBe(EXIT.input);
    expect((await cli("run", join(dir, "no-such.json"))).code).toBe(EXIT.input);
    expect((await cli("merge", join(dir, "part.json"))).code).toBe(EXIT.input);
    const help = await cli("--help");
    expect(help.stdout).toMatch(/Exit codes: 0 ok, 1 internal error \(a bug\), 2 invalid usage or input/);
    expect(help.stdout).toMatch(/130 interrupted \(SIGINT\), 143 stopped \(SIGTERM\)/);
  });
});

describe("seeds and flags that take negative numbers", () => {
  it("-s -1, --seed -1, --seed=-1 and -s-1 are the same seed", async () => {
    const seeds = [];
    for (const form of [["-s", "-1"], ["--seed", "-1"], ["--seed=-1"], ["-s-1"]]) {
      const r = await cli("run", MMC, ...FAST, "--json", ...form);
      expect(r.code, form.join(" ")).toBe(0);
      const j = JSON.parse(r.stdout);
      seeds.push([j.provenance.seed, j.line.incidentsPerDay.value]);
    }
    expect(seeds[0]![0]).toBe("-1");
    for (const s of seeds) expect(s).toEqual(seeds[0]);
  });

  it("a whole-number seed beyond 2^53 − 1 is refused in every spelling; a negative count names its flag", async () => {
    for (const form of [["-s", "9007199254740993"], ["--seed=-9007199254740993"], ["-s", "-9007199254740993"]]) {
      const r = await cli("run", MMC, ...FAST, ...form);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: --seed: a whole-number seed must lie within ±9007199254740991/);
    }
    const r = await cli("run", MMC, "-r", "-5");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --replications: /);
    expect(r.stderr).not.toContain("ambiguous");
  });
});

describe("shards honour the budget and --workers", () => {
  it("--max-incidents and --max-incidents-per-replication refuse a shard; -w 0 is a usage error", async () => {
    const a = await cli("run", MMC, "-r", "10", "--shard", "0/2", "--max-incidents", "10");
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/budget.*--max-incidents\b/);
    const b = await cli("run", MMC, "-r", "10", "--shard", "0/2", "--max-incidents-per-replication", "10");
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--max-incidents-per-replication/);
    const w = await cli("run", MMC, "-r", "10", "--shard", "0/2", "-w", "0");
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/^error: --workers: expected a whole number from 1 to 256/);
    const c = await cli("run", MMC, "-r", "10", "--shard", "0/2", "--checkpoint", join(dir, "c.json"));
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--shard and --checkpoint: choose one/);
  });

  it("a shard on two workers holds the same records as on one", async () => {
    const parts = [];
    for (const w of ["1", "2"]) {
      const r = await cli("run", MMC, "-r", "8", "--horizon", "100 h", "--shard", "1/2", "-w", w);
      expect(r.code).toBe(0);
      parts.push(JSON.parse(r.stdout).records);
    }
    expect(parts[0]).toHaveLength(4);
    expect(parts[1]).toEqual(parts[0]);
  });
});

describe("a reader that stops early (EPIPE)", () => {
  /** `CLI ARGS | head -N` in bash (N = 2 unless given): the CLI's exit code and stderr, and what head printed. */
  const early = (args: string[], lines = 2) => {
    const err = join(dir, "epipe.err");
    const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    const r = spawnSync("bash", ["-c", `${quoted} 2>'${err}' | head -${lines}; exit \${PIPESTATUS[0]}`], {
      cwd: root,
      encoding: "utf8",
    });
    return { code: r.status, stdout: r.stdout, stderr: readFileSync(err, "utf8") };
  };
  it("run --json | head -2: exit 0, no EPIPE, no stack", () => {
    const r = early(["run", "-r", "20", "--horizon", "100 h", "-w", "1", "--json"]);
    expect(r.stdout).toBe('{\n  "format": "ceasefire-sim/result@1",\n');
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  }, 60_000);
  it("run --json | head -1 and run --csv | head -1: exit 0, no EPIPE, no stack", () => {
    const json = early(["run", "-r", "20", "--horizon", "100 h", "-w", "1", "--json"], 1);
    expect([json.code, json.stdout, json.stderr]).toEqual([0, "{\n", ""]);
    const csv = early(["run", "-r", "20", "--horizon", "100 h", "-w", "1", "--csv"], 1);
    expect([csv.code, csv.stdout, csv.stderr]).toEqual([0, "scope,id,metric,value,lo,hi,warning\n", ""]);
  }, 60_000);
  it("sweep --csv | head -2: exit 0, no EPIPE, no stack", () => {
    const r = early([
      "sweep",
      MMC,
      "-p",
      "sectors[0].incidents.rate=2:3:30",
      "-r",
      "3",
      "--horizon",
      "100 h",
      "-w",
      "1",
      "--csv",
    ]);
    expect(r.stdout).toMatch(/^point,sectors\[0\]\.incidents\.rate,metric,/);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  }, 60_000);
});

it("no test above left a temporary file", () => {
  expect(temps(dir)).toEqual([]);
  expect(statSync(dir).isDirectory()).toBe(true);
});
