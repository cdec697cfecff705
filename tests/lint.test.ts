/**
 * Scenario lint (src/model/lint.ts, src/allocation/lint.ts): each rule fires on a minimal scenario and not on
 * its fixed version; warnings reach `Result.warnings` and the `validate` and `run` commands (stderr); the
 * embedded scenarios trigger only what is true of them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { captureIo } from "./helpers/io.js";
import { lintScenario, LONG_NIGHT_HOURS } from "../src/model/lint.js";
import { lintAllocation, lintWarnings } from "../src/allocation/lint.js";
import { scenarioAllocation } from "../src/allocation/allocate.js";
import { parseScenario } from "../src/model/parse.js";
import { formatPath } from "../src/model/errors.js";
import { simulate } from "../src/experiment/simulate.js";
import { scenario, scenarioNames } from "../src/scenarios/index.js";
import { main } from "../src/cli/main.js";

// biome-ignore lint/suspicious/noExplicitAny: scenario inputs are edited freely in tests
type Input = Record<string, any>;

/** A small scenario that says everything it means: it lints clean. */
function clean(): Input {
  const sector = (id: string, lead: string) => ({
    id,
    lengthKm: 50,
    incidents: { rate: "2 /d", severity: { minor: 0, major: 1, critical: 0 } },
    access: { delay: "30 min" },
    lead,
    risk: 0.5,
  });
  return {
    format: "ceasefire-sim/scenario@1",
    name: "lint",
    horizon: "10 d",
    warmup: "1 d",
    daylight: { dawn: "6 h", dusk: "18 h" },
    sectors: [sector("a", "x"), sector("b", "z")],
    states: [
      { id: "x", name: "X", role: "lead" },
      { id: "y", name: "Y" },
      { id: "z", name: "Z", role: "host" },
    ],
    assets: [
      {
        id: "team",
        kind: "team",
        speed: "40 km/h",
        nightCapable: false,
        onSite: "2 h",
        availability: { share: 0.9, downtime: "2 d" },
      },
      { id: "cam", kind: "fixed", coverKm: 10, detection: { day: 0.6, night: 0.3 }, latency: "5 min" },
      { id: "mic", kind: "fixed", coverKm: 10, detection: 0.5, latency: "5 min" },
      { id: "spare", kind: "fixed", coverKm: 10, detection: { day: 0.5, night: 0 } },
    ],
    bases: [
      { id: "b1", location: { x: 25 }, capacity: 4 },
      { id: "b2", location: { x: 75 }, capacity: 2 },
    ],
    contributions: [
      { state: "x", asset: "team", count: 2 },
      { state: "y", asset: "team", count: 2 },
      { state: "x", asset: "cam", count: 2 },
      { state: "y", asset: "mic", count: 2 },
    ],
    coordination: { lead: "x" },
    allocation: {
      teams: [
        { state: "x", asset: "team", base: "b1", count: 2 },
        { state: "y", asset: "team", base: "b2", count: 2 },
      ],
      sensors: [
        { state: "x", asset: "cam", count: 2, sector: "a" },
        { state: "y", asset: "mic", count: 2, sector: "b" },
      ],
    },
  };
}

const lint = (input: Input) => lintScenario(parseScenario(input)).map((w) => [formatPath(w.path), w.message]);
const paths = (input: Input) => lint(input).map(([p]) => p);
async function allocationLint(input: Input) {
  const s = parseScenario(input);
  return lintAllocation(s, await scenarioAllocation(s)).map((w) => [formatPath(w.path), w.message]);
}

describe("lintScenario: the clean scenario has no warning", () => {
  it("clean() lints clean, with its allocation too", async () => {
    expect(lint(clean())).toEqual([]);
    expect(await allocationLint(clean())).toEqual([]);
  });
});

describe("a lead state barred from its own sector", () => {
  it("by maxRisk below the sector's risk: fires at sectors[0].lead; fixed by maxRisk = risk", () => {
    const s = clean();
    s.states[0].caveats = { maxRisk: 0.4 };
    expect(lint(s)).toEqual([
      [
        "sectors[0].lead",
        "lead state x may not send teams into its own sector a: a's risk 0.5 is above its caveats.maxRisk 0.4, " +
          "so its 2 teams cannot verify there, and every verification there is cross-national; choose a lead " +
          "that may enter, or change the caveats of states[0] (x)",
      ],
    ]);
    s.states[0].caveats = { maxRisk: 0.5 };
    expect(lint(s)).toEqual([]);
  });

  it("by excludedSectors (or allowedSectors leaving it out); fixed by allowing it", () => {
    const s = clean();
    s.states[0].caveats = { excludedSectors: ["a"] };
    expect(lint(s)[0]![1]).toContain("its caveats (allowedSectors/excludedSectors) leave a out");
    expect(paths(s)).toEqual(["sectors[0].lead"]);
    s.states[0].caveats = { allowedSectors: ["b"] };
    expect(paths(s)).toEqual(["sectors[0].lead"]);
    s.states[0].caveats = { allowedSectors: ["a", "b"] };
    expect(lint(s)).toEqual([]);
  });
});

describe("a sector no team may enter", () => {
  it("fires at sectors[1] when every team state's maxRisk is below its risk; fixed when one may enter", () => {
    const s = clean();
    s.sectors[1].risk = 0.9;
    s.states[0].caveats = { maxRisk: 0.8 };
    s.states[1].caveats = { maxRisk: 0.8 };
    expect(lint(s)).toEqual([
      [
        "sectors[1]",
        "no team may enter sector b (risk 0.9): the caveats of every state contributing teams (x, y) bar it, so " +
          "its incidents are never verified; raise a state's caveats.maxRisk to 0.9 or more, or allow the " +
          "sector in its caveats",
      ],
    ]);
    s.states[1].caveats = { maxRisk: 0.9 };
    expect(lint(s)).toEqual([]);
  });

  it("does not fire without teams (a technical-only mission)", () => {
    const s = clean();
    s.sectors[1].risk = 0.9;
    s.states[0].caveats = { maxRisk: 0.8 };
    s.states[1].caveats = { maxRisk: 0.8 };
    s.contributions = s.contributions.filter((c: Input) => c.asset !== "team");
    delete s.allocation;
    expect(paths(s)).not.toContain("sectors[1]");
  });
});

describe("a sensor type blind at night on a line with long nights", () => {
  it(`fires when nights last more than ${LONG_NIGHT_HOURS} h; fixed by a night probability`, () => {
    const s = clean();
    s.daylight = { dawn: "8 h", dusk: "16 h" };
    s.assets[1].detection = { day: 0.6, night: 0 };
    expect(lint(s)).toEqual([
      [
        "assets[1].detection",
        "cam detects nothing at night (night probability 0) and nights last 16 h (daylight 8–16 h on average): " +
          "it is blind 67% of the time; give its night probability if it sees at night (thermal, radar), or count " +
          "on other channels by night",
      ],
    ]);
    s.assets[1].detection = { day: 0.6, night: 0.1 };
    expect(lint(s)).toEqual([]);
  });

  it(`does not fire on ${LONG_NIGHT_HOURS}-hour nights, nor for a type nobody contributes ("spare")`, () => {
    const s = clean();
    s.assets[1].detection = { day: 0.6, night: 0 };
    expect(lint(s)).toEqual([]);
    s.daylight = { dawn: "8 h", dusk: "16 h" };
    expect(paths(s)).toEqual(["assets[1].detection"]); // not assets[3] (spare, blind, not contributed)
  });
});

describe("defaults that matter left implicit: one warning per kind", () => {
  it("latency, availability, access delay, warm-up and nightCapable, grouped; fixed by writing them", () => {
    const s = clean();
    delete s.assets[0].availability;
    delete s.assets[0].nightCapable;
    delete s.assets[1].latency;
    delete s.assets[2].latency;
    for (const sec of s.sectors) delete sec.access;
    delete s.warmup;
    const got = lint(s);
    expect(got.map(([p]) => p)).toEqual([
      "assets",
      "assets[0].availability",
      "sectors",
      "warmup",
      "assets[0].nightCapable",
    ]);
    expect(got[0]![1]).toMatch(/^no latency given for cam \(assets\[1\]\.latency\), mic \(assets\[2\]\.latency\): /);
    expect(got[1]![1]).toMatch(/^no availability given for team: its teams are available 100% of the time/);
    expect(got[2]![1]).toMatch(/^no access delay given for a \(sectors\[0\]\.access\), b \(sectors\[1\]\.access\): /);
    expect(got[3]![1]).toMatch(/^no warm-up given: /);
    expect(got[4]![1]).toMatch(/^nightCapable not given for team: its teams do not move at night/);
    // Written out as the defaults they were, the scenario says what it means: no warning.
    s.assets[0].availability = { share: 1, downtime: "1 d" };
    s.assets[0].nightCapable = false;
    s.assets[1].latency = "0 min";
    s.assets[2].latency = "0 min";
    for (const sec of s.sectors) sec.access = { delay: "0 min" };
    s.warmup = "0 d";
    expect(lint(s)).toEqual([]);
  });

  it("one item is reported at its own path", () => {
    const s = clean();
    delete s.assets[1].latency;
    expect(paths(s)).toEqual(["assets[1].latency"]);
  });

  it("nightCapable is not asked for without a night; access delays not without teams", () => {
    const s = clean();
    delete s.assets[0].nightCapable;
    s.daylight = { dawn: "0 h", dusk: "24 h" };
    for (const sec of s.sectors) sec.incidents.nightShare = 0;
    expect(lint(s)).toEqual([]);
    const t = clean();
    for (const sec of t.sectors) delete sec.access;
    t.contributions = t.contributions.filter((c: Input) => c.asset !== "team");
    delete t.allocation;
    expect(lint(t)).toEqual([]);
  });
});

describe("lintAllocation: a base with room but no teams", () => {
  it("fires at bases[1].capacity when the allocation leaves it empty; fixed by placing a team there", async () => {
    const s = clean();
    s.allocation.teams = [
      { state: "x", asset: "team", base: "b1", count: 2 },
      { state: "y", asset: "team", base: "b1", count: 2 },
    ];
    expect(await allocationLint(s)).toEqual([
      [
        "bases[1].capacity",
        "the allocation (explicit) places no team at b2, though the scenario gives room for teams there; lower " +
          "the capacity (0 if it hosts no teams), or check the strategy and the caveats of the states that could " +
          "use it",
      ],
    ]);
    s.bases[1].capacity = 0;
    expect(await allocationLint(s)).toEqual([]);
    // A base left at the default capacity (it may host UAVs alone) is not flagged.
    delete s.bases[1].capacity;
    expect(await allocationLint(s)).toEqual([]);
  });
});

describe("where the warnings show", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ceasefire-lint-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const barred = () => {
    const s = clean();
    s.states[0].caveats = { maxRisk: 0.4 };
    return s;
  };

  it("Result.warnings: the lint warnings first, then the replication warning", async () => {
    const r = await simulate(barred(), { replications: 2, seed: 1 });
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[0]).toMatch(/^sectors\[0\]\.lead: lead state x may not send teams into its own sector a: /);
    expect(r.warnings[1]).toMatch(/^2 replications: /);
    expect((await simulate(clean(), { replications: 10, seed: 1 })).warnings).toEqual([]);
  });

  it("validate and run print them on stderr (exit 0); the fixed scenario prints none", async () => {
    const file = join(dir, "barred.json");
    writeFileSync(file, JSON.stringify(barred()));
    for (const argv of [
      ["validate", file],
      ["run", file, "-r", "2", "--horizon", "2 d", "--json"],
    ]) {
      const { io, out } = captureIo();
      expect(await main(argv, io)).toBe(0);
      expect(out.stderr).toMatch(
        new RegExp(`^warning: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: sectors\\[0\\]\\.lead: lead state x `),
      );
      expect(out.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    }
    const fixed = join(dir, "clean.json");
    writeFileSync(fixed, JSON.stringify(clean()));
    const { io, out } = captureIo();
    expect(await main(["validate", fixed], io)).toBe(0);
    expect(out.stderr).toBe("");
  });
});

describe("the embedded scenarios", () => {
  it("lint clean, but for the bases the risk-weighted allocation leaves empty", async () => {
    const got: Record<string, string[]> = {};
    for (const n of scenarioNames) {
      const s = parseScenario(scenario(n));
      got[n] = lintWarnings(s, await scenarioAllocation(s)).map((w) => w.slice(0, w.indexOf(" (bases[")));
    }
    expect(got).toEqual({
      "coalition-2026": ["bases: the allocation (risk-weighted) places no team at pavlohrad"],
      "smm-density": ["bases: the allocation (risk-weighted) places no team at pavlohrad"],
      "gcsp-5000": ["bases: the allocation (risk-weighted) places no team at pavlohrad"],
      "technical-only": [],
    });
  });
});
