// Tampered, corrupted and malformed checkpoints and shard parts, as a hostile user, a careless one and a faulty
// disk would leave them: every one is refused — by the library with an IntegrityError naming "checkpoint" or
// "part N" and what is wrong, by the CLI (`merge`, `run --checkpoint`) with exit 2 and the file's name — and
// never accepted with a wrong result, nor failing with a TypeError.
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simulate, type Checkpoint, type Result } from "../src/experiment/simulate.js";
import { mergeResults, runShard, type Partial } from "../src/experiment/shard.js";
import {
  CHECKPOINT_FORMAT,
  IntegrityError,
  PARTIAL_FORMAT,
  sealCheckpoint,
  sealPart,
  verifyCheckpoint,
  verifyPart,
} from "../src/experiment/integrity.js";
import { canonicalJsonOf, contentDigest } from "../src/model/hash.js";
import * as F from "../src/layout/slots.generated.js";
import { defaultScenario } from "../src/scenarios/index.js";
import { main } from "../src/cli/main.js";
import { captureIo } from "./helpers/io.js";

const root = new URL("..", import.meta.url);
/** The built CLI (dist/cli.js, or the file in CEASEFIRE_SIM_CLI). */
const CLI = process.env.CEASEFIRE_SIM_CLI ?? "dist/cli.js";

// biome-ignore lint/suspicious/noExplicitAny: tampering edits arbitrary fields
type Json = any;
const clone = <T>(x: T): Json => JSON.parse(JSON.stringify(x));
const strip = (r: Result) => {
  const { wallTimeMs: _w, startedAt: _s, ...p } = r.provenance;
  return { ...r, provenance: p };
};
/** A copy with its digest recomputed after an edit: what a forger who read the code would write. */
const resealPart = async (p: Json): Promise<Json> => {
  const { digest: _d, ...body } = p;
  return clone(await sealPart(body));
};
const resealCheckpoint = async (c: Json): Promise<Json> => {
  const { digest: _d, ...body } = c;
  return clone(await sealCheckpoint(body));
};
/** Flip one digit of the first number after `marker` in the JSON text (a byte changed on disk). */
const flipDigit = (x: unknown, marker: string): Json => {
  const text = JSON.stringify(x);
  let i = text.indexOf(marker) + marker.length;
  while (!/[1-9]/.test(text[i]!)) i++;
  const flipped = text.slice(0, i) + (text[i] === "9" ? "8" : String(Number(text[i]) + 1)) + text.slice(i + 1);
  expect(flipped).not.toBe(text);
  return JSON.parse(flipped);
};
/** Expect a promise to reject with an IntegrityError whose message matches (never a TypeError). */
const refused = async (p: Promise<unknown>, message: RegExp) => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, `accepted; expected ${message}`).toBeInstanceOf(IntegrityError);
  expect((e as Error).message).toMatch(message);
};

const SHARDS = { replications: 9, seed: 5 };
let parts: Partial[];
let oneRun: Result;
const CK = { replications: 12, seed: 3 };
let checkpoints: Checkpoint[];
let uninterrupted: Result;

beforeAll(async () => {
  parts = await Promise.all(
    [0, 1, 2].map((index) => runShard(defaultScenario(), { ...SHARDS, shard: { index, count: 3 } })),
  );
  oneRun = await simulate(defaultScenario(), SHARDS);
  checkpoints = [];
  uninterrupted = await simulate(defaultScenario(), {
    ...CK,
    checkpoint: { every: 5, save: (c) => void checkpoints.push(clone(c)) },
  });
}, 120_000);

/** A copy of `x` through JSON, changed in place by `edit`. */
const edited = (x: unknown, edit: (c: Json) => void): Json => {
  const c = clone(x);
  edit(c);
  return c;
};
/** The three parts through JSON, part `i` changed by `edit`. */
const withPart = (i: number, edit: (p: Json) => Json): Json[] =>
  parts.map((p, k) => (k === i ? edit(clone(p)) : clone(p)));

describe("the digest", () => {
  it("covers the canonical content: key order and whitespace do not change it, a value does", async () => {
    const a = { b: [1, 2.5, null], a: { y: "x", z: undefined } };
    expect(canonicalJsonOf(a)).toBe('{"a":{"y":"x"},"b":[1,2.5,null]}');
    expect(canonicalJsonOf(a)).toBe(canonicalJsonOf(JSON.parse(JSON.stringify(a, null, 2))));
    expect(await contentDigest(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await contentDigest(a)).not.toBe(await contentDigest({ ...a, b: [1, 2.5000001, null] }));
  });
  it("parts and checkpoints carry it; a part's is the same on every run of the same shard (timing aside)", async () => {
    expect(parts[0]!.format).toBe(PARTIAL_FORMAT);
    expect(parts[0]!.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const again = await runShard(defaultScenario(), { ...SHARDS, shard: { index: 0, count: 3 } });
    expect(again.digest).toBe(parts[0]!.digest);
    expect(checkpoints.map((c) => c.done)).toEqual([5, 10]);
    expect(checkpoints[0]!.format).toBe(CHECKPOINT_FORMAT);
    await expect(verifyCheckpoint(checkpoints[0])).resolves.toBeTruthy();
    await expect(verifyPart(clone(parts[1]))).resolves.toBeUndefined();
  });
});

describe("the honest round trip still holds", () => {
  it("parts through JSON merge to the one-machine result", async () => {
    const merged = await mergeResults(parts.map(clone).reverse());
    expect(strip(merged)).toEqual(strip(oneRun));
  });
  it("a checkpoint through JSON resumes to the uninterrupted result", async () => {
    for (const c of checkpoints) {
      const resumed = await simulate(defaultScenario(), { ...CK, checkpoint: { resume: clone(c) } });
      expect(strip(resumed)).toEqual(strip(uninterrupted));
    }
  });
});

describe("tampered shard parts are refused by mergeResults, naming the part", () => {
  it("a byte flipped in a record", async () => {
    await refused(mergeResults(withPart(1, (p) => flipDigit(p, '"records":[['))), /^part 2: its digest does not match/);
  });
  it("a record multiplied by 10 — and, digest recomputed, its counts no longer match the histograms", async () => {
    const times10 = (p: Json) => {
      p.records[0] = p.records[0].map((v: number | null) => (v === null ? null : v * 10));
      return p;
    };
    await refused(mergeResults(withPart(0, times10)), /^part 1: its digest does not match/);
    const forged = await resealPart(times10(clone(parts[0])));
    await refused(mergeResults([forged, ...parts.slice(1)]), /^part 1: respHist: .* counts \d+, but its verified/);
  });
  it("curve sums edited, digest recomputed: their verifiable incidents no longer match the records", async () => {
    const sx = (p: Json) => {
      // The first block's Σx (index 1, a sector's verifiable incidents) changed by one.
      const pair = p.curve.find((q: [number, number]) => q[0] === 1);
      pair[1] += 1;
      return p;
    };
    await refused(mergeResults(withPart(0, sx)), /^part 1: its digest does not match/);
    const forged = await resealPart(sx(clone(parts[0])));
    await refused(
      mergeResults([forged, ...parts.slice(1)]),
      /^part 1: curve: sector 1 sums \d+ verifiable incidents, but its count is \d+/,
    );
    const fractional = await resealPart(
      edited(parts[1], (p) => {
        p.curve[0][1] = 0.5;
      }),
    );
    await refused(
      mergeResults([parts[0], fractional, parts[2]]),
      /^part 2: curve\[0\]: the sum of index \d+ must be a whole number/,
    );
  });
  it("a negative or fractional histogram count", async () => {
    await refused(
      mergeResults(
        withPart(2, (p) => {
          p.respHist[0][1] = -5;
          return p;
        }),
      ),
      /^part 3: respHist\[0\]: the count of bin \d+ must be a whole number of at least 1, got -5/,
    );
    await refused(
      mergeResults(
        withPart(2, (p) => {
          p.detHist[1][1] = 2.5;
          return p;
        }),
      ),
      /^part 3: detHist\[1\]: .* got 2\.5/,
    );
  });
  it("a record duplicated within a part (in place of another) — refused even with the digest recomputed", async () => {
    const dup = (p: Json) => {
      p.records[1] = [...p.records[0]];
      return p;
    };
    await refused(mergeResults(withPart(0, dup)), /^part 1: its digest does not match/);
    const forged = await resealPart(dup(clone(parts[0])));
    await refused(mergeResults([forged, ...parts.slice(1)]), /^part 1: records\[1\] repeats records\[0\]/);
    // …and appended, beyond the shard's slice.
    const extra = await resealPart({ ...clone(parts[0]), records: [...parts[0]!.records, parts[0]!.records[0]] });
    await refused(mergeResults([extra, ...parts.slice(1)]), /^part 1: holds 4 records for the 3 replications/);
  });
  it("the version edited on every part: it is not this library's version", async () => {
    const edit = (p: Json) => ({ ...p, version: "9.9.9" });
    await refused(
      mergeResults(parts.map((p) => edit(clone(p)))),
      /^part 1: has a different library version: "9\.9\.9"/,
    );
    const forged = await Promise.all(parts.map((p) => resealPart(edit(clone(p)))));
    await refused(mergeResults(forged), /different library version/);
  });
  it("the RNG or the engine edited", async () => {
    await refused(mergeResults(withPart(1, (p) => ({ ...p, rng: "mulberry32" }))), /^part 2: has a different RNG/);
    await refused(mergeResults(withPart(2, (p) => ({ ...p, engine: "js" }))), /^part 3: has a different engine/);
  });
  it("the seed or the scenario hash edited: the digest binds them", async () => {
    await refused(mergeResults(withPart(1, (p) => ({ ...p, seed: "6" }))), /^part 2: its digest does not match/);
    await refused(
      mergeResults(withPart(0, (p) => ({ ...p, scenario: { ...p.scenario, hash: "sha256:0000000000000000" } }))),
      /^part 1: its digest does not match/,
    );
  });
  it("an impossible value, digest recomputed: a fractional count, a line not the sum of its sectors", async () => {
    const S = defaultScenario().sectors.length;
    const fractional = await resealPart(
      withPart(0, (p) => {
        p.records[0][F.F_INC] += 0.5;
        return p;
      })[0],
    );
    await refused(mergeResults([fractional, ...parts.slice(1)]), /^part 1: records\[0\]\[0\]: a count must be whole/);
    const line = await resealPart(
      withPart(0, (p) => {
        p.records[0][S * F.SECTOR_FIELDS + F.F_DET] += 1;
        return p;
      })[0],
    );
    await refused(mergeResults([line, ...parts.slice(1)]), /whole line's count \(\d+\) is not the sum of its sectors'/);
  });
  it("malformed parts: missing fields, wrong types, not a part, an older format", async () => {
    const cases: [Json, RegExp][] = [
      [
        edited(parts[0], (p) => {
          delete p.records;
        }),
        /^part 1: field records is missing/,
      ],
      [{ ...clone(parts[0]), seed: 5 }, /^part 1: seed: expected a string, got 5/],
      [{ ...clone(parts[0]), records: "many" }, /^part 1: records: expected a list/],
      [{ ...clone(parts[0]), shard: { index: "0", count: 3 } }, /^part 1: shard\.index: expected a whole number/],
      [{ ...clone(parts[0]), replications: null }, /^part 1: replications: expected an object, got null/],
      [{ ...clone(parts[0]), extra: 1 }, /^part 1: unexpected field extra/],
      [
        edited(parts[0], (p) => {
          p.records[2][3] = "7";
        }),
        /^part 1: records\[2\]\[3\]: expected a finite number/,
      ],
      [
        edited(parts[0], (p) => {
          p.respHist[0] = [5];
        }),
        /^part 1: respHist\[0\]: expected a \[bin, count\] pair/,
      ],
      [{ ...clone(parts[0]), startedAt: "yesterday" }, /^part 1: startedAt: expected a date/],
      [null, /^part 1: not a ceasefire-sim partial result/],
      [[], /^part 1: not a ceasefire-sim partial result/],
      [{ ...clone(parts[0]), format: "ceasefire-sim/partial@1" }, /^part 1: format .*partial@1 is from an older/],
    ];
    for (const [p, message] of cases) await refused(mergeResults([p, ...parts.slice(1)]), message);
  });
  it("names the parts as the caller does (file names)", async () => {
    await refused(
      mergeResults(
        withPart(1, (p) => ({ ...p, rng: "x" })),
        { names: ["a.json", "b.json", "c.json"] },
      ),
      /^b\.json: has a different RNG/,
    );
  });
});

/** The first checkpoint through JSON, changed by `edit`. */
const withCheckpoint = (edit: (c: Json) => Json): Json => edit(clone(checkpoints[0]));
const resume = (c: Json) => simulate(defaultScenario(), { ...CK, checkpoint: { resume: c } });

describe("tampered checkpoints are refused on resume, naming the checkpoint", () => {
  it("a byte flipped in the sums", async () => {
    await refused(resume(flipDigit(checkpoints[0], '"sums":[')), /^checkpoint: its digest does not match/);
  });
  it("the sums multiplied by 10 — and, digest recomputed, they no longer match the histograms", async () => {
    const times10 = (c: Json) => {
      c.accumulator.sums = c.accumulator.sums.map((v: number) => v * 10);
      return c;
    };
    await refused(resume(withCheckpoint(times10)), /^checkpoint: its digest does not match/);
    await refused(
      resume(await resealCheckpoint(withCheckpoint(times10))),
      /^checkpoint: accumulator\.respHist: .* counts \d+, but its verified incidents number \d+/,
    );
  });
  it("curve sums beyond the model's, digest recomputed", async () => {
    const beyond = (c: Json) => {
      c.accumulator.curve.push([10_000_000, 1]);
      return c;
    };
    await refused(
      resume(await resealCheckpoint(withCheckpoint(beyond))),
      /^checkpoint: accumulator\.curve: index 10000000 is beyond the model's \d+ curve sums/,
    );
  });
  it("a negative histogram count", async () => {
    const neg = (c: Json) => {
      c.accumulator.detHist[2][1] = -1;
      return c;
    };
    await refused(resume(withCheckpoint(neg)), /^checkpoint: accumulator\.detHist\[2\]: .* at least 1, got -1/);
  });
  it("a histogram bin duplicated", async () => {
    const dup = (c: Json) => {
      c.accumulator.respHist.splice(1, 0, [...c.accumulator.respHist[0]]);
      return c;
    };
    await refused(resume(withCheckpoint(dup)), /^checkpoint: accumulator\.respHist: bin \d+ is listed twice/);
    await refused(resume(await resealCheckpoint(withCheckpoint(dup))), /bin \d+ is listed twice/);
  });
  it("the version, the RNG or the engine edited", async () => {
    await refused(
      resume(withCheckpoint((c) => ({ ...c, version: "9.9.9" }))),
      /^checkpoint: has a different library version/,
    );
    await refused(resume(withCheckpoint((c) => ({ ...c, rng: "mulberry32" }))), /^checkpoint: has a different RNG/);
    await refused(resume(withCheckpoint((c) => ({ ...c, engine: "js" }))), /^checkpoint: has a different engine/);
  });
  it("the seed edited: bound by the digest; with the digest recomputed, it is not this run's seed", async () => {
    const seed = (c: Json) => ({ ...c, seed: "4" });
    await refused(resume(withCheckpoint(seed)), /^checkpoint: its digest does not match/);
    await refused(resume(await resealCheckpoint(withCheckpoint(seed))), /^checkpoint: .*different seed/);
  });
  it("impossible values, digest recomputed: fractional counts, replications that are not those done", async () => {
    const frac = (c: Json) => {
      c.accumulator.sums[F.F_VERIFIED] += 0.25;
      return c;
    };
    await refused(resume(await resealCheckpoint(withCheckpoint(frac))), /a count must be whole/);
    const reps = (c: Json) => {
      c.accumulator.replications = 7;
      return c;
    };
    await refused(resume(await resealCheckpoint(withCheckpoint(reps))), /accumulator\.replications \(7\) differs/);
    const n = (c: Json) => {
      c.accumulator.ratios[0] = 99;
      return c;
    };
    await refused(resume(await resealCheckpoint(withCheckpoint(n))), /a count of replications must be a whole number/);
  });
  it("malformed checkpoints: missing fields, wrong types, not a checkpoint, an older format", async () => {
    const cases: [Json, RegExp][] = [
      [
        edited(checkpoints[0], (c) => {
          delete c.accumulator.sums;
        }),
        /^checkpoint: field accumulator\.sums is missing/,
      ],
      [
        edited(checkpoints[0], (c) => {
          delete c.digest;
        }),
        /^checkpoint: field digest is missing/,
      ],
      [withCheckpoint((c) => ({ ...c, done: "5" })), /^checkpoint: done: expected a whole number/],
      [withCheckpoint((c) => ({ ...c, scenario: 1 })), /^checkpoint: scenario: expected an object, got 1/],
      [
        edited(checkpoints[0], (c) => {
          c.accumulator.sums[3] = null;
        }),
        /accumulator\.sums\[3\]: expected a finite number/,
      ],
      [withCheckpoint((c) => ({ ...c, digest: "abc" })), /^checkpoint: digest: expected "sha256:"/],
      [{ format: "nope" }, /^checkpoint: not a ceasefire-sim checkpoint/],
      [withCheckpoint((c) => ({ ...c, format: "ceasefire-sim/checkpoint@1" })), /checkpoint@1 is from an older/],
    ];
    for (const [c, message] of cases) await refused(resume(c), message);
  });
});

describe("the CLI refuses them with exit 2, naming the file", () => {
  let dir: string;
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };
  const cli = async (...argv: string[]) => {
    const { io, out } = captureIo();
    const code = await main(argv, io);
    return { code, ...out };
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ceasefire-integrity-"));
  });

  it("merge: every tampered or malformed part", async () => {
    const honest = parts.map((p, i) => file(`part${i}.json`, p));
    const ok = await cli("merge", ...honest, "--json");
    expect(ok.code).toBe(0);
    expect(strip(JSON.parse(ok.stdout))).toEqual(clone(strip(oneRun)));
    const tampered: [string, Json, RegExp][] = [
      ["flip", flipDigit(parts[1], '"records":[['), /its digest does not match/],
      [
        "x10",
        edited(parts[1], (p) => {
          p.records[0] = p.records[0].map((v: number) => v && v * 10);
        }),
        /digest/,
      ],
      [
        "negative",
        edited(parts[1], (p) => {
          p.respHist[0][1] = -3;
        }),
        /at least 1, got -3/,
      ],
      [
        "dup",
        await resealPart(
          edited(parts[1], (p) => {
            p.records[1] = p.records[0];
          }),
        ),
        /repeats records\[0\]/,
      ],
      ["rng", { ...clone(parts[1]), rng: "other" }, /has a different RNG/],
      ["engine", { ...clone(parts[1]), engine: "other" }, /has a different engine/],
      ["missing", { ...clone(parts[1]), respHist: undefined }, /field respHist is missing/],
      ["types", { ...clone(parts[1]), recordSize: "686" }, /recordSize: expected a whole number/],
      ["null", null, /not a ceasefire-sim partial result/],
    ];
    for (const [name, content, message] of tampered) {
      const bad = file(`${name}.json`, content);
      const r = await cli("merge", honest[0]!, bad, honest[2]!);
      expect(r.code, name).toBe(2);
      expect(r.stderr).toContain(`${bad}: `);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/TypeError|bug of ceasefire-sim/);
      expect(r.stdout).toBe("");
    }
    // The version edited on every part.
    const versioned = parts.map((p, i) => file(`v${i}.json`, { ...clone(p), version: "9.9.9" }));
    const r = await cli("merge", ...versioned);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${versioned[0]}: has a different library version: "9\\.9\\.9"`));
  });

  it("run --checkpoint: every tampered or malformed checkpoint, and one from another seed", async () => {
    const args = (ck: string, seed = "3") => [
      "run",
      "-r",
      "12",
      "--seed",
      seed,
      "--workers",
      "1",
      "--json",
      "--checkpoint",
      ck,
    ];
    const tampered: [string, Json, RegExp][] = [
      ["flip", flipDigit(checkpoints[0], '"sums":['), /its digest does not match/],
      [
        "x10",
        edited(checkpoints[0], (c) => {
          c.accumulator.sums = c.accumulator.sums.map((v: number) => v * 10);
        }),
        /digest/,
      ],
      [
        "negative",
        edited(checkpoints[0], (c) => {
          c.accumulator.respHist[0][1] = -2;
        }),
        /at least 1, got -2/,
      ],
      [
        "dup",
        edited(checkpoints[0], (c) => {
          c.accumulator.detHist.push(c.accumulator.detHist.at(-1));
        }),
        /listed twice/,
      ],
      ["version", withCheckpoint((c) => ({ ...c, version: "9.9.9" })), /different library version/],
      ["rng", withCheckpoint((c) => ({ ...c, rng: "other" })), /has a different RNG/],
      ["engine", withCheckpoint((c) => ({ ...c, engine: "other" })), /has a different engine/],
      [
        "missing",
        edited(checkpoints[0], (c) => {
          delete c.accumulator;
        }),
        /field accumulator is missing/,
      ],
      ["types", withCheckpoint((c) => ({ ...c, seed: 3 })), /seed: expected a string/],
      ["null", null, /not a ceasefire-sim checkpoint/],
    ];
    for (const [name, content, message] of tampered) {
      const ck = file(`ck-${name}.json`, content);
      const r = await cli(...args(ck));
      expect(r.code, name).toBe(2);
      expect(r.stderr).toContain(`checkpoint ${ck}: `);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/TypeError|bug of ceasefire-sim/);
    }
    // An honest checkpoint of another run: refused when it comes to be restored, still naming the file.
    const other = file("ck-seed.json", checkpoints[0]);
    const r = await cli(...args(other, "4"));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`checkpoint ${other}: it was saved with a different seed`);
    // The honest one resumes to the uninterrupted result.
    const good = file("ck-good.json", checkpoints[1]);
    const ok = await cli(...args(good));
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain(`resuming from ${good}: 10 replications done`);
    expect(strip(JSON.parse(ok.stdout))).toEqual(clone(strip(uninterrupted)));
  }, 60_000);

  it("the built CLI, as a process: exit 2 and the file's name", () => {
    const bad = file("proc-part.json", { ...clone(parts[1]), version: "0.0.1" });
    const good = parts.map((p, i) => file(`proc${i}.json`, p));
    const merge = spawnSync(process.execPath, [CLI, "merge", good[0]!, bad, good[2]!], { cwd: root, encoding: "utf8" });
    expect(merge.status).toBe(2);
    expect(merge.stderr).toContain(`${bad}: has a different library version`);
    const ck = file("proc-ck.json", flipDigit(checkpoints[0], '"sums":['));
    const run = spawnSync(process.execPath, [CLI, "run", "-r", "12", "--seed", "3", "--checkpoint", ck], {
      cwd: root,
      encoding: "utf8",
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`checkpoint ${ck}: its digest does not match`);
  }, 60_000);
});
