/**
 * Hostile names and degenerate inputs for the model and allocation layers:
 * - every name of `Object.prototype` (and "__proto__") as a sector, state, asset, base and regime id, as a key
 *   of the records keyed by ids, as a strategy name and as an option name: a working run or a clean refusal
 *   (`ScenarioError` / `RangeError`, CLI exit 2) that names it, never a `TypeError`;
 * - errors of scenario files carry the file and the JSON path (strategy options included); unknown options are
 *   refused with the known ones;
 * - a scenario encoded as a JSON string is refused, not decoded twice;
 * - duplicate JSON keys parse, with a warning naming the key and its path;
 * - the minimum durations (src/model/limits.ts) of every loop of the engine, the horizon and the day/night
 *   windows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseScenario } from "../src/model/parse.js";
import { ScenarioError, formatPath } from "../src/model/errors.js";
import { parseQuantity } from "../src/model/units.js";
import { duplicateKeys } from "../src/model/json-duplicates.js";
import { MIN_CYCLE, MIN_DAYLIGHT_WINDOW, MIN_HORIZON } from "../src/model/limits.js";
import { allocate, strategies } from "../src/allocation/allocate.js";
import { maxCover, pCenter, pMedian, setCover } from "../src/allocation/location/index.js";
import { simulate } from "../src/experiment/simulate.js";
import { readScenarioFile } from "../src/node/files.js";
import { main } from "../src/cli/main.js";
import { captureIo } from "./helpers/io.js";

// biome-ignore lint/suspicious/noExplicitAny: the cases write hostile names and wrong values into scenario JSON
type Json = any;

/** Every name an object inherits from Object.prototype, and the accessor "__proto__". */
const NAMES = [...new Set([...Object.getOwnPropertyNames(Object.prototype), "__proto__"])];
/** Names the id format accepts (letters and digits first); the others start with "_". */
const validId = (name: string) => /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name);
/** Keys refused wherever they appear in a scenario (they would be dangerous copied onto an object). */
const REFUSED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MMC = join(ROOT, "examples", "scenarios", "mmc.json");

interface Ids {
  sectorA: string;
  sectorB: string;
  stateA: string;
  stateB: string;
  team: string;
  cam: string;
  baseA: string;
  baseB: string;
  regimeA: string;
  regimeB: string;
}
const IDS: Ids = {
  sectorA: "n",
  sectorB: "c",
  stateA: "aa",
  stateB: "bb",
  team: "tm",
  cam: "cam",
  baseA: "b1",
  baseB: "b2",
  regimeA: "calm",
  regimeB: "tense",
};

/**
 * Two sectors, two regimes, two states, a team and a camera type, two bases; fixed-preference dispatch with a
 * preference list for sector A only (sector B falls back to nearest first, so its id is looked up and not found).
 * Ids are set from `ids`; records keyed by ids use computed keys, so "__proto__" becomes an own key as in JSON.
 */
function tiny(given: Partial<Ids> = {}): Json {
  const i = { ...IDS, ...given };
  return {
    format: "ceasefire-sim/scenario@1",
    name: "tiny",
    horizon: "2 d",
    sectors: [
      {
        id: i.sectorA,
        lengthKm: 100,
        incidents: { rate: "24 /d", severity: { minor: 0.6, major: 0.3, critical: 0.1 } },
        lead: i.stateA,
      },
      {
        id: i.sectorB,
        lengthKm: 120,
        incidents: { rate: "2 /h", severity: { minor: 0.5, major: 0.5, critical: 0 } },
        lead: i.stateB,
      },
    ],
    regimes: [
      { id: i.regimeA, multiplier: 1, meanDuration: "5 d", next: { [i.regimeB]: 1 } },
      { id: i.regimeB, multiplier: 3, meanDuration: "36 h", next: { [i.regimeA]: 1 } },
    ],
    states: [
      { id: i.stateA, name: "A", role: "lead" },
      { id: i.stateB, name: "B", caveats: { allowedSectors: [i.sectorA, i.sectorB] } },
    ],
    assets: [
      { id: i.team, kind: "team", speed: "40 km/h", onSite: { dist: "exponential", mean: "90 min" } },
      { id: i.cam, kind: "fixed", coverKm: 10, detection: 0.8 },
    ],
    bases: [
      { id: i.baseA, location: { x: 50 } },
      { id: i.baseB, location: { x: 200 } },
    ],
    contributions: [
      { state: i.stateA, asset: i.team, count: 2 },
      { state: i.stateB, asset: i.team, count: 2 },
      { state: i.stateA, asset: i.cam, count: 2 },
    ],
    coordination: {
      lead: i.stateA,
      dispatch: "fixed-preference",
      preference: { [i.sectorA]: [i.baseA, i.baseB] },
    },
    travel: { circuity: 1.3 },
  };
}

/** What a call gave: its value, or the error it threw. */
async function attempt<T>(f: () => T | Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await f() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The ScenarioError a call throws (fails the test when it throws anything else or nothing). */
function scenarioError(f: () => unknown): ScenarioError {
  try {
    f();
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw new Error(`expected a ScenarioError; got ${(e as Error).name}: ${(e as Error).message}`);
  }
  throw new Error("expected a ScenarioError; the call succeeded");
}

const paths = (e: ScenarioError) => e.issues.map((i) => formatPath(i.path));

/**
 * Where each id role is used as a key of a record (coordination.preference for sector A, regimes[].next for both
 * regimes): there the refused keys are refused as keys.
 */
const ROLES: { role: keyof Ids; keyed: boolean }[] = [
  { role: "sectorA", keyed: true },
  { role: "sectorB", keyed: false },
  { role: "stateB", keyed: false },
  { role: "team", keyed: false },
  { role: "baseA", keyed: false },
  { role: "regimeB", keyed: true },
];

describe("every Object.prototype name as an id", () => {
  for (const { role, keyed } of ROLES) {
    it.each(NAMES)(`${role} = %s: a run, or a ScenarioError naming it`, async (name) => {
      const input = tiny({ [role]: name });
      const mustRun = validId(name) && !(keyed && REFUSED_KEYS.has(name));
      const r = await attempt(() => simulate(input, { replications: 2, seed: 1 }));
      if (mustRun) {
        if (!r.ok) throw r.error;
        expect(r.value.provenance.replications).toBe(2);
        expect(Number.isFinite(r.value.line.incidentsPerDay.value)).toBe(true);
        if (role === "sectorA" || role === "sectorB") expect(r.value.sectors.map((s) => s.id)).toContain(name);
        if (role === "stateB") expect(r.value.states.map((s) => s.id)).toContain(name);
        // The same scenario as JSON text parses to the same ids.
        const again = parseScenario(JSON.stringify(input));
        expect(again.sectors.map((s) => s.id)).toEqual(input.sectors.map((s: Json) => s.id));
      } else {
        expect(r.ok).toBe(false);
        const error = (r as { error: unknown }).error;
        expect(error).toBeInstanceOf(ScenarioError);
        expect((error as ScenarioError).message).toContain(JSON.stringify(name));
      }
    });
  }

  it("a sector named after an inherited name is dispatched from its preference list, the other by distance", () => {
    for (const name of NAMES.filter((n) => validId(n) && !REFUSED_KEYS.has(n))) {
      // Sector B has no preference list: an inherited name must not be taken for one.
      const s = parseScenario(tiny({ sectorB: name }));
      expect(s.coordination.preference).toEqual([[0, 1], []]);
      // Sector A's list is its own, under the inherited name.
      const t = parseScenario(tiny({ sectorA: name }));
      expect(t.coordination.preference).toEqual([[0, 1], []]);
    }
  });

  it("sector ids toString and valueOf with fixed-preference dispatch: parse and run (issue 14.7)", async () => {
    for (const name of ["toString", "valueOf"]) {
      const input = tiny({ sectorB: name });
      expect(() => parseScenario(input)).not.toThrow();
      const r = await simulate(input, { replications: 2, seed: 1 });
      expect(r.sectors.find((s) => s.id === name)!.incidentsPerDay.value).toBeGreaterThan(0);
    }
  });

  it("inherited names as the keys of a travel matrix and in an explicit allocation: own rows only", async () => {
    const ids = { sectorA: "toString", sectorB: "valueOf", baseA: "hasOwnProperty", baseB: "isPrototypeOf" };
    const input = tiny(ids);
    input.travel = {
      hours: {
        toString: { hasOwnProperty: "1 h", isPrototypeOf: "3 h" },
        valueOf: { hasOwnProperty: "2 h", isPrototypeOf: "30 min" },
      },
    };
    input.allocation = {
      teams: [
        { state: "aa", asset: "tm", base: "hasOwnProperty", count: 2 },
        { state: "bb", asset: "tm", base: "isPrototypeOf", count: 2 },
      ],
      sensors: [{ state: "aa", asset: "cam", sector: "valueOf", count: 2 }],
    };
    const s = parseScenario(input);
    expect(s.travel).toEqual({
      kind: "matrix",
      hours: [
        [1, 3],
        [2, 0.5],
      ],
    });
    const r = await simulate(input, { replications: 2, seed: 1 });
    expect(r.sectors.map((x) => x.id)).toEqual(["toString", "valueOf"]);
    expect(r.allocation.teams).toBe(4);
    // A row left out is missing, not found on Object.prototype.
    delete input.travel.hours.toString;
    const e = scenarioError(() => parseScenario(input));
    expect(e.issues).toEqual([{ path: ["travel", "hours"], message: 'missing the row for sector "toString"' }]);
  });

  it("random ids mixing inherited names are resolved as own names (property)", () => {
    const name = fc.constantFrom(...NAMES.filter(validId), "n2", "x.y", "A-1");
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 2, maxLength: 2 }), ([a, b]) => {
        const input = tiny({ sectorA: a!, sectorB: b! });
        if (REFUSED_KEYS.has(a!)) {
          expect(paths(scenarioError(() => parseScenario(input)))).toContain(`coordination.preference.${a}`);
          return;
        }
        const s = parseScenario(input);
        expect(s.sectors.map((x) => x.id)).toEqual([a, b]);
        expect(s.coordination.preference).toEqual([[0, 1], []]);
      }),
      { numRuns: 60, seed: 14 },
    );
  });
});

describe("every Object.prototype name as a strategy or option name", () => {
  const scenario = parseScenario(tiny());

  it.each(NAMES)("strategy %s: a RangeError naming it from allocate and simulate", async (name) => {
    expect(Object.hasOwn(strategies, name)).toBe(false);
    expect(name in strategies).toBe(false);
    expect(strategies[name]).toBeUndefined();
    const calls: (() => Promise<unknown>)[] = [
      () => allocate(scenario, name),
      () => simulate(scenario, { replications: 2, allocation: name }),
    ];
    for (const call of calls) {
      const r = await attempt(call);
      expect(r.ok).toBe(false);
      const error = (r as { error: unknown }).error;
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toContain(`unknown strategy ${JSON.stringify(name)}; known: risk-weighted`);
    }
  });

  it.each(NAMES)("a scenario's allocation.strategy %s: a ScenarioError at allocation.strategy", (name) => {
    const e = scenarioError(() => parseScenario({ ...tiny(), allocation: { strategy: name } }));
    expect(paths(e)).toEqual(["allocation.strategy"]);
    expect(e.message).toContain(`unknown strategy ${JSON.stringify(name)}`);
  });

  it.each(NAMES)("option %s of p-median: refused at its path, or as a key", async (name) => {
    const e = scenarioError(() =>
      parseScenario({ ...tiny(), allocation: { strategy: "p-median", options: { [name]: 1 } } }),
    );
    expect(paths(e)).toEqual([`allocation.options.${name}`]);
    expect(e.issues[0]!.message).toMatch(
      REFUSED_KEYS.has(name) ? /is not allowed/ : /^unknown option of strategy p-median; known: p, timeLimit$/,
    );
    // The library call: a RangeError naming the option (an object literal with "__proto__" sets no own key).
    const options = JSON.parse(`{${JSON.stringify(name)}: 1}`);
    const r = await attempt(() => allocate(scenario, "p-median", options));
    expect(r.ok).toBe(false);
    expect((r as { error: unknown }).error).toBeInstanceOf(RangeError);
    expect((r as { error: Error }).error.message).toContain(`option ${name}: unknown option of strategy p-median`);
  });

  it.each(NAMES)("option %s of the location models: a RangeError naming it and the known options", async (name) => {
    const cost = [
      [0, 4],
      [4, 0],
    ];
    const models: [string, (o: never) => Promise<unknown>, object][] = [
      ["pMedian", pMedian, { cost, p: 1 }],
      ["maxCover", maxCover, { cost, p: 1, radius: 4 }],
      ["pCenter", pCenter, { cost, p: 1 }],
      ["setCover", setCover, { cost, radius: 4 }],
    ];
    for (const [model, solve, valid] of models) {
      // JSON gives "__proto__" as an own key, as a parsed options file would.
      const options = { ...valid, ...JSON.parse(`{${JSON.stringify(name)}: 1}`) };
      const r = await attempt(() => solve(options as never));
      expect(r.ok, model).toBe(false);
      const error = (r as { error: Error }).error;
      expect(error).toBeInstanceOf(RangeError);
      expect(error.message).toMatch(new RegExp(`^${model}: unknown option ${JSON.stringify(name)}; known: cost, `));
    }
  });

  it("the location models refuse options that are not an object, and still solve valid ones", async () => {
    for (const bad of [null, undefined, 3, [], "p=1"]) {
      const r = await attempt(() => pMedian(bad as never));
      expect((r as { error: unknown }).error).toBeInstanceOf(RangeError);
      expect((r as { error: Error }).error.message).toMatch(/^pMedian: expected an options object \{ cost, /);
    }
    const r = await pMedian({
      cost: [
        [0, 4],
        [4, 0],
      ],
      demand: [1, 3],
      p: 1,
    });
    expect(r.sites).toEqual([1]);
  });

  it("a strategy object without an allocate method is a RangeError, not a TypeError", async () => {
    const r = await attempt(() => allocate(scenario, { name: "x", description: "" } as never));
    expect((r as { error: unknown }).error).toBeInstanceOf(RangeError);
  });

  it.each(NAMES)("parseQuantity with dimension %s: a RangeError naming it", (name) => {
    expect(() => parseQuantity("1 h", name as never)).toThrow(
      new RangeError(`parseQuantity: unknown dimension ${JSON.stringify(name)}; known: duration, length, speed, rate`),
    );
  });

  it.each(NAMES)("CLI run --strategy %s: exit 2 naming it", async (name) => {
    const { io, out } = captureIo();
    const code = await main(["run", MMC, "-r", "2", "--strategy", name], io);
    expect(code).toBe(2);
    expect(out.stderr).toContain(`unknown strategy ${JSON.stringify(name)}`);
    expect(out.stderr).not.toMatch(/TypeError|\n\s+at /);
  });

  it("node dist/cli.js run --strategy constructor: exit 2, never 1", () => {
    for (const args of [
      ["run", MMC, "-r", "2", "--strategy", "constructor"],
      ["allocate", MMC, "--strategy", "toString"],
    ]) {
      const r = spawnSync(process.execPath, [join(ROOT, "dist", "cli.js"), ...args], { encoding: "utf8" });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("unknown strategy");
      expect(r.stderr).not.toContain("is not a function");
    }
  });
});

describe("scenario files: errors name the file and the JSON path", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "attack-names-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const mmc = (): Json => JSON.parse(readFileSync(MMC, "utf8"));
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
    return path;
  };

  it("a bad allocation.options.p, and an unknown option with the known ones", async () => {
    const path = file("bad-p.json", { ...mmc(), allocation: { strategy: "p-median", options: { p: 7, depth: 2 } } });
    const e = await readScenarioFile(path).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(ScenarioError);
    const message = (e as ScenarioError).message;
    expect(message.startsWith(`${path} is invalid (2 problems):`)).toBe(true);
    expect(message).toContain(
      "  - allocation.options.p: expected a whole number from 1 to 1 (the number of bases); got 7",
    );
    expect(message).toContain("  - allocation.options.depth: unknown option of strategy p-median; known: p, timeLimit");
  });

  it("options of strategies that take none, timeLimit, and the custom strategy's placements at their paths", () => {
    const cases: [Json, string, RegExp][] = [
      [{ strategy: "uniform", options: { p: 1 } }, "allocation.options.p", /strategy uniform; it takes no options/],
      [{ strategy: "max-cover", options: { timeLimit: -1 } }, "allocation.options.timeLimit", /positive number/],
      [{ strategy: "custom", options: { teams: {} } }, "allocation.options.teams", /expected an array/],
      [
        { strategy: "custom", options: { teams: [{ state: "state", asset: "team", base: "nowhere", count: 1 }] } },
        "allocation.options.teams[0].base",
        /unknown base id "nowhere"/,
      ],
      [
        { strategy: "custom", options: { teams: [{ state: "state", asset: "team", base: "base", count: 9 }] } },
        "allocation.options.teams[0].count",
        /places 9 of state's team but the contributions give 4/,
      ],
    ];
    for (const [allocation, path, message] of cases) {
      const e = scenarioError(() => parseScenario({ ...mmc(), allocation }));
      expect(paths(e)).toContain(path);
      expect(e.issues.find((i) => formatPath(i.path) === path)!.message).toMatch(message);
    }
    // Valid options pass.
    expect(() => parseScenario({ ...mmc(), allocation: { strategy: "p-median", options: { p: 1 } } })).not.toThrow();
  });

  it("an explicit allocation's UAV that cannot reach its stretch: refused by the parser at its placement", async () => {
    const s = mmc();
    s.assets.push({
      id: "drone",
      kind: "uav",
      coverKm: 10,
      speed: "40 km/h",
      endurance: "1 h",
      turnaround: "1 h",
      detection: 0.9,
    });
    s.contributions.push({ state: "state", asset: "drone", count: 2 });
    s.allocation = {
      teams: [{ state: "state", asset: "team", base: "base", count: 4 }],
      sensors: [
        { state: "state", asset: "drone", count: 1, from: 40, to: 60, base: "base" },
        { state: "state", asset: "drone", count: 1, from: 90, to: 100 },
      ],
    };
    const path = file("uav-reach.json", s);
    const e = await readScenarioFile(path).then(
      () => null,
      (x: unknown) => x as ScenarioError,
    );
    expect(e).toBeInstanceOf(ScenarioError);
    expect(e!.message.startsWith(`${path} is invalid (1 problem):`)).toBe(true);
    expect(e!.issues).toEqual([
      {
        path: ["allocation", "sensors", 1],
        message:
          "drone from the nearest base base needs 2.250 h to reach the middle of its stretch (90-100 km) " +
          "and come back but has 1 h of endurance",
      },
    ]);
    // Within reach from the given base: parses, and the allocation agrees.
    s.allocation.sensors.pop();
    const r = await simulate(parseScenario(s), { replications: 2, seed: 1 });
    expect(r.allocation.sensors.uav).toBe(1);
  });

  it("CLI validate: exit 2, the file and the JSON path in the message", async () => {
    const path = file("bad-p2.json", { ...mmc(), allocation: { strategy: "max-cover", options: { p: 0 } } });
    const { io, out } = captureIo();
    expect(await main(["validate", path], io)).toBe(2);
    expect(out.stderr).toContain(path);
    expect(out.stderr).toContain("allocation.options.p: expected a whole number from 1 to 1");
  });

  it("a sector id toString with fixed-preference dispatch in a file: validate and run exit 0", async () => {
    const s = mmc();
    s.sectors[0].id = "toString";
    s.travel = { circuity: 1 };
    s.coordination.dispatch = "fixed-preference";
    const path = file("to-string.json", s);
    for (const args of [
      ["validate", path],
      ["run", path, "-r", "2", "--json"],
    ]) {
      const { io, out } = captureIo();
      expect(await main(args, io)).toBe(0);
      expect(out.stderr).not.toMatch(/TypeError/);
    }
  });
});

describe("a scenario encoded as a JSON string", () => {
  it("is refused with a clear message, not decoded twice", () => {
    const text = JSON.stringify(readFileSync(MMC, "utf8"));
    const e = scenarioError(() => parseScenario(text));
    expect(e.issues).toEqual([
      {
        path: [],
        message:
          "expected a scenario as a JSON object; the text is a JSON string (the scenario encoded twice?), " +
          "which is not decoded again",
      },
    ]);
    // Once decoded it is the scenario (so the refusal is about the encoding only).
    expect(parseScenario(JSON.parse(text)).name).toBe("mmc");
  });

  it.each([
    ["[]", "an array"],
    ["null", "null"],
    ["42", "the number 42"],
    ["true", "boolean"],
  ])("the JSON text %s is refused as not an object", (text, got) => {
    expect(scenarioError(() => parseScenario(text)).issues).toEqual([
      { path: [], message: `expected a scenario as a JSON object; got ${got}` },
    ]);
  });
});

describe("duplicate JSON keys", () => {
  it("parse, with a warning naming the key and its JSON path", () => {
    const text = readFileSync(MMC, "utf8")
      .replace('"horizon": "2000 h",', '"horizon": "1 h", "horizon": "2000 h",')
      .replace('"rate": "3 /h",', '"rate": "1 /h", "rate": "3 /h",');
    const s = parseScenario(text);
    expect(s.horizon).toBe(2000);
    expect(s.sectors[0]!.rate).toBe(3);
    expect(s.warnings.map((w) => formatPath(w.path))).toEqual(["horizon", "sectors[0].incidents.rate"]);
    expect(s.warnings[0]!.message).toBe(
      'duplicate key "horizon": JSON keeps only its last value, the earlier ones are ignored',
    );
  });

  it("no warnings without duplicates, or for a scenario given as an object", () => {
    expect(parseScenario(readFileSync(MMC, "utf8")).warnings).toEqual([]);
    expect(parseScenario(JSON.parse(readFileSync(MMC, "utf8"))).warnings).toEqual([]);
  });

  it("escaped quotes and backslashes in strings neither hide nor invent a duplicate; keys compare decoded", () => {
    const text = String.raw`{"a":"x\\","b":"\"}\",\"a\":","a":1,"c":{"k\"":1,"k\u0022":[{"z":1,"z":2}]}}`;
    expect(JSON.parse(text).a).toBe(1);
    expect(duplicateKeys(text).map((d) => d.path)).toEqual([["a"], ["c", 'k"'], ["c", 'k"', 0, "z"]]);
  });

  it("the scanner finds no duplicate in any JSON.stringify output (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.boolean(), (v, pretty) => {
        expect(duplicateKeys(JSON.stringify(v, null, pretty ? 2 : undefined))).toEqual([]);
      }),
      { numRuns: 300, seed: 14 },
    );
  });

  it("the scanner finds a duplicate inserted anywhere, with its path (property)", () => {
    // A random object tree; one object on a random path gets a key written twice (escapes in keys included).
    const key = fc.string({ maxLength: 6 });
    const tree = fc.letrec<{ node: Json }>((tie) => ({
      node: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.jsonValue({ maxDepth: 0 }),
        fc.array(tie("node"), { maxLength: 3 }),
        fc.dictionary(key, tie("node"), { maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, key, fc.nat(), (root, dup, pick) => {
        // The objects of the tree with their paths.
        const objects: { path: (string | number)[]; o: Json }[] = [];
        const walk = (v: Json, path: (string | number)[]) => {
          if (Array.isArray(v)) {
            for (let i = 0; i < v.length; i++) walk(v[i], [...path, i]);
          } else if (v !== null && typeof v === "object") {
            objects.push({ path, o: v });
            for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
          }
        };
        const top = { wrap: root };
        walk(top, []);
        const target = objects[pick % objects.length]!;
        const marker = "\u0000dup\u0000";
        target.o[marker] = 1;
        const text = JSON.stringify(top).replace(
          `${JSON.stringify(marker)}:1`,
          `${JSON.stringify(dup)}:1,${JSON.stringify(dup)}:2`,
        );
        const found = duplicateKeys(text);
        const expected = Object.hasOwn(target.o, dup) ? 2 : 1; // the tree may already have that key there
        expect(found.length).toBeGreaterThanOrEqual(1);
        expect(found.length).toBeLessThanOrEqual(expected);
        expect(found.every((f) => JSON.stringify(f.path) === JSON.stringify([...target.path, dup]))).toBe(true);
        expect(found[0]!.message).toContain(JSON.stringify(dup));
      }),
      { numRuns: 300, seed: 14 },
    );
  });
});

describe("minimum meaningful durations", () => {
  /** The mmc scenario with one asset of each sensor kind, team downtime and two regimes. */
  function rich(): Json {
    const s: Json = JSON.parse(readFileSync(MMC, "utf8"));
    s.horizon = "2 d";
    s.warmup = "0 h";
    s.assets[0].availability = { share: 0.9, downtime: "4 h" };
    s.assets.push(
      { id: "sat", kind: "satellite", revisit: "12 h", detection: 0.9 },
      { id: "drone", kind: "uav", coverKm: 20, speed: "100 km/h", endurance: "6 h", turnaround: "2 h", detection: 0.7 },
      { id: "cam", kind: "fixed", coverKm: 10, detection: 0.8, outages: { mtbf: "100 h", repair: "4 h" } },
    );
    s.contributions.push(
      { state: "state", asset: "sat", count: 1 },
      { state: "state", asset: "drone", count: 1 },
      { state: "state", asset: "cam", count: 2 },
    );
    s.regimes = [
      { id: "calm", multiplier: 1, meanDuration: "5 d" },
      { id: "tense", multiplier: 2, meanDuration: "1 d" },
    ];
    return s;
  }

  /** Each minimum: where it is set in `rich()`, and the path and message of a refusal. */
  const CASES: {
    what: string;
    set: (s: Json, v: string) => void;
    path: string;
    min: string;
  }[] = [
    { what: "satellite revisit", set: (s, v) => (s.assets[1].revisit = v), path: "assets[1].revisit", min: "1 min" },
    {
      what: "UAV endurance + turnaround",
      set: (s, v) => {
        s.assets[2].endurance = v;
        s.assets[2].turnaround = "0 h";
      },
      path: "assets[2].endurance",
      min: "1 min",
    },
    {
      what: "fixed outage MTBF",
      set: (s, v) => (s.assets[3].outages.mtbf = v),
      path: "assets[3].outages.mtbf",
      min: "1 min",
    },
    {
      what: "fixed mean repair",
      set: (s, v) => (s.assets[3].outages.repair = { dist: "exponential", mean: v }),
      path: "assets[3].outages.repair",
      min: "1 min",
    },
    {
      what: "team downtime",
      set: (s, v) => (s.assets[0].availability.downtime = v),
      path: "assets[0].availability.downtime",
      min: "1 min",
    },
    {
      what: "regime mean duration",
      set: (s, v) => (s.regimes[1].meanDuration = v),
      path: "regimes[1].meanDuration",
      min: "1 min",
    },
    { what: "horizon", set: (s, v) => (s.horizon = v), path: "horizon", min: "1 h" },
  ];

  it("the minimums are named once, in hours", () => {
    expect(MIN_CYCLE).toEqual({ hours: 1 / 60, text: "1 min" });
    expect(MIN_HORIZON).toEqual({ hours: 1, text: "1 h" });
    expect(MIN_DAYLIGHT_WINDOW).toEqual({ hours: 1 / 60, text: "1 min" });
  });

  it.each(CASES)("$what: below the minimum is refused at $path, the minimum itself runs", async (c) => {
    const belowValues = c.min === "1 h" ? ["1e-300 h", "59 min", "0.999 h"] : ["1e-300 h", "59 s", "1e-8 h"];
    for (const v of belowValues) {
      const s = rich();
      c.set(s, v);
      const e = scenarioError(() => parseScenario(s));
      expect(paths(e)).toEqual([c.path]);
      expect(e.issues[0]!.message).toContain(`at least ${c.min}`);
    }
    for (const v of c.min === "1 h" ? ["1 h", "60 min", "3600 s"] : ["1 min", "60 s", "0.0166666666666667 h"]) {
      const s = rich();
      c.set(s, v);
      expect(() => parseScenario(s), `${c.what} = ${v}`).not.toThrow();
    }
    // A run at the minimum finishes with numbers, not nulls.
    const s = rich();
    c.set(s, c.min);
    const r = await simulate(s, { replications: 2, seed: 1 });
    expect(Number.isFinite(r.line.incidentsPerDay.value)).toBe(true);
  });

  it("random durations: refused exactly when below the minimum (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CASES.filter((c) => c.min === "1 min")),
        fc.double({ min: 1e-6, max: 5, noNaN: true }),
        (c, minutes) => {
          const s = rich();
          c.set(s, `${minutes} min`);
          const r = (() => {
            try {
              parseScenario(s);
              return null;
            } catch (e) {
              return e as ScenarioError;
            }
          })();
          if (minutes < 1 - 1e-9) expect(r && paths(r)).toEqual([c.path]);
          else expect(r).toBeNull();
        },
      ),
      { numRuns: 200, seed: 14 },
    );
  });

  it("a UAV's cycle counts endurance and turnaround together", () => {
    const s = rich();
    s.assets[2].endurance = "30 s";
    s.assets[2].turnaround = "30 s";
    expect(() => parseScenario(s)).not.toThrow();
    s.assets[2].turnaround = "29 s";
    const e = scenarioError(() => parseScenario(s));
    expect(e.issues[0]!.message).toMatch(/^expected a sortie cycle \(endurance \+ turnaround\) of at least 1 min; got/);
  });

  it("a zero stays refused as before (greater than zero), a negative warm-up too; a zero warm-up runs", () => {
    const s = rich();
    s.assets[1].revisit = "0 h";
    expect(scenarioError(() => parseScenario(s)).issues[0]!.message).toMatch(/greater than zero/);
    const w = rich();
    w.warmup = "-1 min";
    expect(paths(scenarioError(() => parseScenario(w)))).toEqual(["warmup"]);
    const z = rich();
    z.warmup = "0 h";
    expect(parseScenario(z).warmup).toBe(0);
  });

  it("daylight: the documented cases", () => {
    const day = (dawn: string, dusk: string) => {
      const s = rich();
      s.sectors[0].incidents.nightShare = 0.5;
      s.daylight = { dawn, dusk };
      return s;
    };
    // A 6-minute night, a 6-minute day: valid.
    expect(parseScenario(day("0.1 h", "24 h")).daylight).toEqual({ dawn: 0.1, dusk: 24 });
    expect(() => parseScenario(day("12 h", "12.1 h"))).not.toThrow();
    // A night of 36 s, a day of 36 s: refused at daylight.dusk, saying how long the window is.
    let e = scenarioError(() => parseScenario(day("0.01 h", "24 h")));
    expect(paths(e)).toEqual(["daylight.dusk"]);
    expect(e.issues[0]!.message).toMatch(
      /^the night \(24 h - \(dusk - dawn\)\) lasts 0\.01 h \(36 s\); expected no night/,
    );
    e = scenarioError(() => parseScenario(day("6 h", "6.01 h")));
    expect(paths(e)).toEqual(["daylight.dusk"]);
    expect(e.issues[0]!.message).toMatch(/^the day \(dusk - dawn\) lasts 0\.01 h \(36 s\); expected no day/);
  });

  it("daylight: random dawn and dusk accepted exactly when each window is empty or at least 1 min (property)", () => {
    const minute = 1 / 60;
    const hours = fc.oneof(
      fc.double({ min: 0, max: 24, noNaN: true }),
      fc.constantFrom(0, 24, 23.99, 0.01, minute, 24 - minute, 12),
    );
    fc.assert(
      fc.property(hours, hours, (a, b) => {
        const [dawn, dusk] = a <= b ? [a, b] : [b, a];
        const s = rich();
        s.sectors[0].incidents.nightShare = dusk - dawn >= 24 ? 0 : dusk === dawn ? 1 : 0.5;
        s.daylight = { dawn: `${dawn} h`, dusk: `${dusk} h` };
        const dayLen = dusk - dawn;
        const ok = (h: number) => h === 0 || h >= minute * (1 - 1e-9);
        let refused: ScenarioError | null = null;
        try {
          parseScenario(s);
        } catch (e) {
          refused = e as ScenarioError;
        }
        if (ok(dayLen) && ok(24 - dayLen)) expect(refused).toBeNull();
        else expect(refused && paths(refused)).toEqual(["daylight.dusk"]);
      }),
      { numRuns: 300, seed: 14 },
    );
  });
});
