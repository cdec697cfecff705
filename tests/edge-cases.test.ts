/**
 * A catalog of edge cases, each run through the library (`parseScenario`,
 * `simulate`) and the CLI (`main(["run", file, "-r", "2", "--json"], io)` with
 * a fake io and temp files). Each case asserts meaningful handling: a run that
 * reports what happened (exit 0), or a refusal (exit 2) that names the field
 * path, without a stack trace. `docs/edge-cases.md` is the same catalog for
 * users.
 *
 * Cases marked Fixed were bugs found by this catalog; they assert the correct behaviour; see the
 * report that came with this file (and docs/edge-cases.md, "Known problems").
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../src/cli/main.js";
import { parseScenario } from "../src/model/parse.js";
import { ScenarioError } from "../src/model/errors.js";
import { simulate, type Result } from "../src/experiment/simulate.js";

// biome-ignore lint/suspicious/noExplicitAny: the cases edit scenario JSON freely, wrong types included
type Json = any;

/** A stream for the CLI's io that keeps what is written to it in `text`. */
function collector(isTTY = false): { text: string; isTTY: boolean; write(s: string): boolean } {
  return {
    text: "",
    isTTY,
    write(s: string) {
      this.text += s;
      return true;
    },
  };
}

/**
 * Two sectors (north 60 km, south 40 km) led by state aa, five night-capable
 * teams at one hub (3 from aa, 2 from bb), three cameras, and parties that
 * report every incident after 30 min — so everything is detected and every
 * outcome comes from the teams.
 */
function base(): Json {
  return {
    format: "ceasefire-sim/scenario@1",
    name: "edge",
    horizon: "3 d",
    sectors: [
      {
        id: "north",
        lengthKm: 60,
        lead: "aa",
        incidents: { rate: "12 /d", severity: { minor: 0.2, major: 0.6, critical: 0.2 } },
      },
      {
        id: "south",
        lengthKm: 40,
        lead: "aa",
        incidents: { rate: "12 /d", severity: { minor: 0.2, major: 0.6, critical: 0.2 } },
      },
    ],
    states: [
      { id: "aa", name: "State A", role: "lead" },
      { id: "bb", name: "State B" },
    ],
    assets: [
      { id: "team", kind: "team", speed: "60 km/h", nightCapable: true, onSite: "1 h" },
      { id: "cam", kind: "fixed", coverKm: 20, detection: 0.9 },
    ],
    bases: [{ id: "hub", location: { x: 50, offsetKm: 5 } }],
    contributions: [
      { state: "aa", asset: "team", count: 3 },
      { state: "bb", asset: "team", count: 2 },
      { state: "aa", asset: "cam", count: 3 },
    ],
    reporting: { parties: { probability: 1, latency: "30 min" } },
    coordination: { lead: "aa", tasking: "10 min" },
    standards: { response: "12 h" },
  };
}

function edited(edit: (s: Json) => void): Json {
  const s = base();
  edit(s);
  return s;
}

const STACK = "    at ";

let dir: string;
let fileNo = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ceasefire-edge-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** The parsed --json output (exit 0 only). */
  json: Json;
}

/** `ceasefire-sim run FILE -r 2 --json [extra]` on a scenario (an object, or raw text written as is). */
async function cli(scenario: Json | string, ...extra: string[]): Promise<Run> {
  const file = join(dir, `case-${++fileNo}.json`);
  writeFileSync(file, typeof scenario === "string" ? scenario : JSON.stringify(scenario, null, 2));
  const stdout = collector(),
    stderr = collector();
  const code = await main(["run", file, "-r", "2", "--json", ...extra], { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text, json: code === 0 ? JSON.parse(stdout.text) : null };
}

/** The CLI refused the input: exit 2, nothing on stdout, the field path on stderr, no stack trace. */
function expectRefused(r: Run, ...mentions: string[]): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  for (const m of mentions) expect(r.stderr).toContain(m);
  expect(r.stderr).not.toContain(STACK);
}

/** The ScenarioError parseScenario throws (fails the test if it accepts the input or throws something else). */
function refusal(input: unknown): ScenarioError {
  try {
    parseScenario(input);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw new Error(`parseScenario threw ${(e as Error)?.name}, not a ScenarioError: ${(e as Error)?.message}`);
  }
  throw new Error("parseScenario accepted the input");
}
const issuePaths = (e: ScenarioError) =>
  e.issues.map((i) =>
    i.path
      .map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`))
      .join("")
      .replace(/^\./, ""),
  );

const lib = (s: Json, options: Parameters<typeof simulate>[1] = {}) =>
  simulate(s, { replications: 2, seed: 1, ...options });
const sector = (r: Result, id: string) => r.sectors.find((s) => s.id === id)!;

/**
 * Run a scenario in a child process (tsx) and say whether it finished within `ms`. For inputs that may hang the
 * engine: a synchronous endless loop cannot be interrupted in-process. The child is killed at the deadline.
 */
function runIsolated(
  scenario: Json,
  options: Record<string, unknown>,
  ms: number,
): { finished: boolean; status: number | null; output: string } {
  const code = [
    'import { simulate } from "./src/experiment/simulate.js";',
    "try {",
    "  const r = await simulate(JSON.parse(process.env.SCENARIO), JSON.parse(process.env.OPTIONS));",
    "  console.log(JSON.stringify(r.line.counts));",
    '} catch (e) { console.log(e.name + ": " + e.message); process.exitCode = 3; }',
  ].join("\n");
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: { ...process.env, SCENARIO: JSON.stringify(scenario), OPTIONS: JSON.stringify(options) },
    encoding: "utf8",
    timeout: ms,
    killSignal: "SIGKILL",
  });
  return { finished: r.error === undefined && r.signal === null, status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("edge cases: no teams, no sensors, nothing to do", () => {
  const noTeams = () =>
    edited((s) => {
      s.assets = s.assets.filter((a: Json) => a.kind !== "team");
      s.contributions = s.contributions.filter((c: Json) => c.asset !== "team");
    });

  it("no teams: every detected verifiable incident ends as noEligibleTeam (share 1); response is NaN", async () => {
    const r = await lib(noTeams());
    const c = r.line.counts;
    expect(r.teams).toEqual([]);
    expect(c.verifiable).toBeGreaterThan(0);
    expect(c.verified).toBe(0);
    expect(c.dispatches).toBe(0);
    expect(c.noEligibleTeam).toBe(c.verifiable - c.undetected);
    expect(r.line.outcomes.noEligibleTeam.value).toBe(1); // parties report everything: nothing undetected
    expect(r.line.withinStandard.value).toBe(0);
    expect(r.line.response.mean.value).toBeNaN();
    expect(r.line.response.mean.n).toBe(0);
  });

  it("no teams, with half the incidents undetected: noEligibleTeam is the whole detected part", async () => {
    const s = noTeams();
    s.reporting.parties.probability = 0.5;
    s.assets = []; // no cameras either: detection by half the party reports only
    s.contributions = [];
    const r = await lib(s);
    const c = r.line.counts;
    expect(c.undetected).toBeGreaterThan(0);
    expect(c.noEligibleTeam).toBe(c.verifiable - c.undetected);
    expect(r.line.outcomes.noEligibleTeam.value + r.line.outcomes.undetected.value).toBeCloseTo(1, 12);
  });

  it("no teams via the CLI: exit 0; JSON noEligibleTeam 1, response null; text 'no eligible team 100.0%'", async () => {
    const r = await cli(noTeams());
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.line.outcomes.noEligibleTeam.value).toBe(1);
    expect(r.json.line.response.mean.value).toBeNull();
    expect(r.json.teams).toEqual([]);
    const file = join(dir, "no-teams.json");
    writeFileSync(file, JSON.stringify(noTeams()));
    const stdout = collector();
    const code = await main(["run", file, "-r", "2"], { stdout, stderr: collector() });
    expect(code).toBe(0);
    expect(stdout.text).toContain("no eligible team 100.0%");
    expect(stdout.text).toMatch(/Response time\s+of verified incidents only: mean –/);
  });

  const noSensors = () =>
    edited((s) => {
      s.assets = s.assets.filter((a: Json) => a.kind === "team");
      s.contributions = s.contributions.filter((c: Json) => c.asset === "team");
      delete s.reporting;
    });

  it("no sensors and no party reports: nothing detected, coverage 0, the whole line unwatched", async () => {
    const r = await lib(noSensors());
    const c = r.line.counts;
    expect(c.incidents).toBeGreaterThan(0);
    expect(c.detected).toBe(0);
    expect(c.undetected).toBe(c.verifiable);
    expect(r.line.detection.probability.value).toBe(0);
    expect(r.line.outcomes.undetected.value).toBe(1);
    expect(r.line.detection.latency.mean.value).toBeNaN();
    expect(r.line.detection.latency.p50).toBeNaN();
    expect(r.line.coverage.overall.value).toBe(0);
    expect(r.allocation.longestUnwatchedKm).toBe(100);
    expect(r.teams.every((t) => t.utilisation.value === 0)).toBe(true);
  });

  it("no sensors via the CLI: exit 0; detection 0, byChannel null (nothing detected), coverage 0", async () => {
    const r = await cli(noSensors());
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.line.detection.probability.value).toBe(0);
    expect(r.json.line.detection.byChannel.fixed.value).toBeNull();
    expect(r.json.line.coverage.overall.value).toBe(0);
    expect(r.json.allocation.longestUnwatchedKm).toBe(100);
  });

  const zeroRate = () =>
    edited((s) => {
      for (const x of s.sectors) x.incidents.rate = "0 /d";
    });

  it("a rate of zero everywhere: no incidents; rates 0, shares and times NaN (n = 0); coverage defined", async () => {
    const r = await lib(zeroRate());
    expect(r.line.counts.incidents).toBe(0);
    expect(r.line.incidentsPerDay).toMatchObject({ value: 0, n: 2 });
    for (const e of [
      r.line.detection.probability,
      r.line.outcomes.verified,
      r.line.response.mean,
      r.line.response.p90,
      r.line.withinStandard,
      r.line.minorRecorded,
    ]) {
      expect(e.value).toBeNaN();
      expect(e.n).toBe(0);
    }
    expect(r.line.coverage.overall.value).toBeCloseTo(0.6, 12); // 3 cameras × 20 km on 100 km
    expect(r.states.every((s) => Number.isNaN(s.taskShare.value))).toBe(true);
  });

  it("a rate of zero via the CLI: exit 0, NaN metrics are null in JSON and empty in CSV", async () => {
    const r = await cli(zeroRate());
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.line.counts.incidents).toBe(0);
    expect(r.json.line.response.mean).toEqual({ value: null, lo: null, hi: null, halfWidth: null, n: 0 });
    expect(r.json.line.incidentsPerDay.value).toBe(0);
    const file = join(dir, "zero-rate.json");
    writeFileSync(file, JSON.stringify(zeroRate()));
    const stdout = collector();
    expect(await main(["run", file, "-r", "2", "--csv"], { stdout, stderr: collector() })).toBe(0);
    // An undefined metric: no value, no interval, and so no warning about its interval.
    expect(stdout.text).toContain("\nline,line,response.mean,,,,\n");
  });

  it("daylight all day (dawn 0 h, dusk 24 h), no night incidents: runs; night coverage NaN (no night)", async () => {
    const r = await lib(
      edited((s) => {
        s.daylight = { dawn: "0 h", dusk: "24 h" };
        for (const x of s.sectors) x.incidents.nightShare = 0;
      }),
    );
    expect(r.line.counts.verified).toBeGreaterThan(0);
    expect(r.line.coverage.night.value).toBeNaN();
    expect(r.line.coverage.day.value).toBeCloseTo(0.6, 12);
  });

  it("a whole-day daylight with night incidents is refused, naming each sector's nightShare", () => {
    const e = refusal(edited((s) => (s.daylight = { dawn: "0 h", dusk: "24 h" })));
    expect(issuePaths(e)).toEqual(["sectors[0].incidents.nightShare", "sectors[1].incidents.nightShare"]);
  });
});

describe("edge cases: caveats", () => {
  it("a sector no state may enter (risk above every maxRisk): its verifiable incidents: noEligibleTeam", async () => {
    const s = edited((x) => {
      x.sectors[1].risk = 0.9;
      for (const st of x.states) st.caveats = { maxRisk: 0.5 };
    });
    const r = await lib(s);
    const south = sector(r, "south"),
      north = sector(r, "north");
    expect(south.counts.verifiable).toBeGreaterThan(0);
    expect(south.counts.verified).toBe(0);
    expect(south.counts.noEligibleTeam).toBe(south.counts.verifiable);
    expect(south.outcomes.noEligibleTeam.value).toBe(1);
    expect(north.counts.noEligibleTeam).toBe(0);
    expect(north.counts.verified).toBeGreaterThan(0);
    const c = await cli(s);
    expect(c.code, c.stderr).toBe(0);
    expect(c.json.sectors[1].outcomes.noEligibleTeam.value).toBe(1);
  });

  const nightOnly = (nightMovement: boolean) =>
    edited((s) => {
      for (const x of s.sectors) x.incidents.nightShare = 1;
      s.reporting.parties.latency = "0 h";
      s.coordination.tasking = "0 h";
      s.contributions = [{ state: "aa", asset: "team", count: 8 }]; // the sectors' lead: no cross-national delay
      s.states[0].caveats = { nightMovement };
    });

  it("teams with a no-night-movement caveat are not sent at night: incidents wait for dawn in the queue", async () => {
    const caveat = await lib(nightOnly(false));
    const free = await lib(nightOnly(true));
    expect(caveat.line.counts.verified).toBeGreaterThan(0);
    // Night incidents (12 h nights): no team is sent before dawn, so the queue wait averages several hours, and
    // the team then leaves at once (no mobilisation).
    expect(caveat.line.responseComponents.queue.value).toBeGreaterThan(2);
    expect(caveat.line.responseComponents.queue.value).toBeLessThanOrEqual(12);
    expect(caveat.line.responseComponents.mobilisation.value).toBe(0);
    expect(free.line.responseComponents.queue.value).toBeLessThan(1);
    expect(caveat.line.response.mean.value).toBeGreaterThan(free.line.response.mean.value + 2);
    const c = await cli(nightOnly(false));
    expect(c.code, c.stderr).toBe(0);
    expect(c.json.line.responseComponents.queue.value).toBeGreaterThan(2);
  });

  it("a state whose caveats allow no sector: its teams are kept at a base and never tasked", async () => {
    const r = await lib(edited((s) => (s.states[1].caveats = { allowedSectors: [] })));
    const bb = r.states.find((s) => s.id === "bb")!;
    expect(bb.teams).toBe(2);
    expect(bb.taskShare.value).toBe(0);
    expect(bb.utilisation.value).toBe(0);
  });
});

describe("edge cases: horizon, units and numbers", () => {
  it('a zero-length horizon ("0 h") is refused: exit 2 naming horizon', async () => {
    expect(issuePaths(refusal(edited((s) => (s.horizon = "0 h"))))).toEqual(["horizon"]);
    expectRefused(
      await cli(edited((s) => (s.horizon = "0 h"))),
      '  - horizon: expected a duration greater than zero; got "0 h"',
    );
    expectRefused(await cli(base(), "--horizon", "0 h"), "horizon: expected a positive duration");
    await expect(lib(base(), { horizon: "0 h" })).rejects.toThrow(/^horizon: /);
    await expect(lib(base(), { horizon: 0 })).rejects.toThrow(RangeError);
  });

  it('"40 km" as a speed is refused: exit 2 naming assets[0].speed', async () => {
    expect(issuePaths(refusal(edited((s) => (s.assets[0].speed = "40 km"))))).toEqual(["assets[0].speed"]);
    expectRefused(
      await cli(edited((s) => (s.assets[0].speed = "40 km"))),
      '  - assets[0].speed: expected a speed such as "40 km/h"; "40 km" is not a speed',
    );
    expectRefused(
      await cli(base(), "--horizon", "40 km"),
      'horizon: expected a duration such as "90 min", "2 h", "1.5 d"; "40 km" is not a duration',
    );
  });

  it("other wrong dimensions are refused at their path: rate in km, duration in km/h, length in hours", async () => {
    const r = await cli(
      edited((s) => {
        s.sectors[0].incidents.rate = "3 km";
        s.coordination.tasking = "20 km/h";
        s.sectors[1].lengthKm = "2 h";
      }),
    );
    expectRefused(
      r,
      "invalid (3 problems)",
      "  - sectors[0].incidents.rate:",
      "  - coordination.tasking:",
      "  - sectors[1].lengthKm:",
    );
  });

  it('negative durations ("-2 h") are refused wherever a duration goes, naming the path', async () => {
    const r = await cli(
      edited((s) => {
        s.coordination.tasking = "-2 h";
        s.assets[0].onSite = { dist: "uniform", min: "-2 h", max: "1 h" };
        s.warmup = "-2 h";
        s.reporting.parties.latency = { dist: "exponential", mean: "-2 h" };
      }),
    );
    expectRefused(
      r,
      "invalid (4 problems)",
      '  - coordination.tasking: expected a duration of at least 0; got "-2 h"',
      '  - assets[0].onSite.min: expected a duration of at least 0; got "-2 h"',
      '  - warmup: expected a duration of at least 0; got "-2 h"',
      '  - reporting.parties.latency.mean: expected a duration of at least 0; got "-2 h"',
    );
    expectRefused(
      await cli(edited((s) => (s.horizon = "-2 h"))),
      '  - horizon: expected a duration greater than zero; got "-2 h"',
    );
    expectRefused(
      await cli(edited((s) => (s.sectors[0].incidents.rate = "-3 /d"))),
      '  - sectors[0].incidents.rate: expected a rate of at least 0; got "-3 /d"',
    );
  });

  it("NaN and Infinity in a JS object are refused at their path (JSON cannot carry them)", () => {
    const e = refusal(
      edited((s) => {
        s.sectors[0].lengthKm = NaN;
        s.sectors[1].incidents.nightShare = Infinity;
        s.assets[1].detection = -Infinity;
      }),
    );
    expect(e.issues).toEqual([
      { path: ["sectors", 0, "lengthKm"], message: "expected a finite number; got NaN" },
      { path: ["sectors", 1, "incidents", "nightShare"], message: "expected a finite number; got Infinity" },
      { path: ["assets", 1, "detection"], message: "expected a finite number; got -Infinity" },
    ]);
    expect(issuePaths(refusal(edited((s) => (s.coordination.tasking = "NaN h"))))).toEqual(["coordination.tasking"]);
    expect(issuePaths(refusal(edited((s) => (s.sectors[0].lengthKm = "Infinity km"))))).toEqual([
      "sectors[0].lengthKm",
    ]);
  });

  it("NaN in JSON: a syntax error (exit 2, line and column); 1e999 is Infinity, refused at its path", async () => {
    const text = JSON.stringify(base(), null, 2).replace('"lengthKm": 60', '"lengthKm": NaN');
    const r = await cli(text);
    expectRefused(r, "is not valid JSON at line ");
    expect(r.stderr).toMatch(/at line \d+, column \d+/);
    const inf = JSON.stringify(base(), null, 2).replace('"lengthKm": 60', '"lengthKm": 1e999');
    expectRefused(await cli(inf), "  - sectors[0].lengthKm: expected a finite number; got Infinity");
  });

  it("1e308 where a bound exists is refused at the path: counts, probabilities, multipliers, units…", async () => {
    const r = await cli(
      edited((s) => {
        s.contributions[0].count = 1e308;
        s.sectors[0].incidents.nightShare = 1e308;
        s.regimes = [{ id: "calm", multiplier: 1e308, meanDuration: "5 d" }];
        s.travel = { circuity: 1e308 };
        s.horizon = "1e308 h";
      }),
    );
    expectRefused(
      r,
      "  - contributions[0].count: expected a count of at most 1,000,000",
      "  - sectors[0].incidents.nightShare: expected a probability between 0 and 1",
      "  - regimes[0].multiplier:",
      "  - travel.circuity: expected circuity <= 10",
      '  - horizon: expected a finite duration; "1e308 h" is not finite',
    );
  });

  it("1e308 km as a base's offset is refused, naming the field (lengths are limited to 1e6 km)", async () => {
    expect(issuePaths(refusal(edited((s) => (s.bases[0].location.offsetKm = 1e308))))).toEqual([
      "bases[0].location.offsetKm",
    ]);
  });

  // Fixed: lengths (unit strings or bare km) are limited to 1e6 km, so no line can reach Infinity.
  it("a sector of 1e308 km: parseScenario refuses it at sectors[i].lengthKm (not an allocation error)", async () => {
    const two = edited((s) => {
      s.sectors[0].lengthKm = 1e308;
      s.sectors[1].lengthKm = 1e308;
    });
    expect(issuePaths(refusal(two))).toEqual(expect.arrayContaining(["sectors[0].lengthKm"]));
    const r = await cli(edited((s) => (s.sectors[0].lengthKm = 1e308)));
    expectRefused(r, "sectors[0].lengthKm");
  });

  it("a huge rate × horizon is refused before it starts (budget), naming horizon and override flag", async () => {
    const s = edited((x) => {
      x.sectors[0].incidents.rate = "1e5 /h";
      x.horizon = "30 d";
    });
    const t0 = Date.now();
    const r = await cli(s);
    expectRefused(
      r,
      "budget: one replication would simulate about",
      "shorten the horizon",
      "--max-incidents-per-replication",
    );
    expect(Date.now() - t0).toBeLessThan(5000);
    await expect(lib(s)).rejects.toThrow(/^budget: /);
    expectRefused(
      await cli(base(), "-r", "100000000"),
      "budget: the run would simulate about",
      "in 100000000 replications",
      "--max-incidents",
    );
  });

  // Fixed (was a bug): the budget counts incidents only. Timelines — regime switches, sensor outages, UAV sorties, team
  // unavailability — grow with horizon / their mean duration, unbounded. With a rate of 0 (0 incidents, within any
  // budget) and two regimes of 1 min over 1e7 h (~1,100 years), one replication makes ~6e8 regime switches:
  // it runs for hours (or runs out of memory) without a word.
  it("a horizon whose timelines (not incidents) are astronomically long is refused quickly or finishes", () => {
    const s = edited((x) => {
      for (const sec of x.sectors) sec.incidents.rate = "0 /h";
      x.regimes = [
        { id: "calm", multiplier: 1, meanDuration: "1 min" },
        { id: "tense", multiplier: 2, meanDuration: "1 min" },
      ];
      x.horizon = "1e7 h";
    });
    const r = runIsolated(s, { replications: 1, seed: 1 }, 15_000);
    expect(r.finished, `still running after 15 s (killed): ${r.output}`).toBe(true);
  }, 60_000);
});

describe("edge cases: daylight, allocation", () => {
  // Fixed (was a bug): src/engine/replication.ts nextSwitch() computes the hour of day as t − 24·floor(t/24). When dawn
  // or dusk is not exactly representable in binary ("17.3 h", "18.2 h", "1202 min", "370 min"), at t = 24·d + dusk that
  // hour can round to just below dusk; nextSwitch then returns t itself and generateIncidents loops forever. With dusk
  // 17.3 h it happens on day 1 (t = 41.3 h), with 18.2 h on day 5, with 1202 min on day 1.
  it("a dusk of 17.3 h (a time that is not a binary fraction of an hour) runs and finishes", () => {
    const daylight = parseScenario(edited((s) => (s.daylight = { dawn: "6 h", dusk: "17.3 h" }))).daylight;
    expect("dusk" in daylight && daylight.dusk).toBeCloseTo(17.3, 12);
    const r = runIsolated(
      edited((s) => (s.daylight = { dawn: "6 h", dusk: "17.3 h" })),
      { replications: 1, seed: 1 },
      15_000,
    );
    expect(r.finished, `still running after 15 s (killed): ${r.output}`).toBe(true);
    expect(r.status, r.output).toBe(0);
  }, 60_000);

  it("quarter-hour daylight times (dusk 1215 min = 20.25 h) run normally", async () => {
    const r = await lib(edited((s) => (s.daylight = { dawn: "5 h", dusk: "1215 min" })));
    expect(r.line.counts.verified).toBeGreaterThan(0);
  });

  it("bases that hold fewer teams than contributed are refused (exit 2 naming bases)", async () => {
    expectRefused(
      await cli(edited((s) => (s.bases[0].capacity = 2))),
      "allocation is invalid",
      "  - bases: the bases hold 2 teams in all but the contributions give 5",
    );
    expectRefused(
      await cli(edited((s) => (s.bases = []))),
      "  - bases: the bases hold 0 teams in all but the contributions give 5",
    );
  });

  it("an unknown --strategy and -r 0 are usage errors (exit 2)", async () => {
    expectRefused(await cli(base(), "--strategy", "nope"), '--strategy: unknown strategy "nope"');
    expectRefused(await cli(base(), "-r", "0"), "--replications: expected a whole number from 1 to 1e9; got 0");
  });

  // Fixed (was a bug): risk-weighted (and every placeUnits strategy) checks a UAV's reach to the sector's incident
  // centre of mass, then places its orbit with stretchAt(), which shifts it to stay on the line; validateAllocation and
  // compile measure the transit to the shifted orbit's centre. Here: reach check 2·hypot(0.5, 9)/40 = 0.45 h < 0.5 h,
  // actual orbit [0, 10] centred at 5: 2·hypot(5, 9)/40 = 0.51 h ≥ 0.5 h — the default strategy's own allocation is
  // refused ("needs 0.5 h of transit but has 0.5 h of endurance").
  it("the default strategy never places a UAV its own validation refuses", async () => {
    const s = {
      format: "ceasefire-sim/scenario@1",
      name: "uav-reach",
      horizon: "2 d",
      sectors: [
        {
          id: "a",
          lengthKm: 1,
          lead: "x",
          incidents: { rate: "10 /d", severity: { minor: 0, major: 1, critical: 0 } },
        },
        { id: "b", lengthKm: 9, lead: "x", incidents: { rate: "0 /d", severity: { minor: 0, major: 1, critical: 0 } } },
      ],
      states: [{ id: "x", name: "X" }],
      assets: [
        {
          id: "drone",
          kind: "uav",
          coverKm: 10,
          speed: "40 km/h",
          endurance: "30 min",
          turnaround: "0 h",
          detection: 0.9,
        },
      ],
      bases: [{ id: "hq", location: { x: 0, offsetKm: 9 } }],
      contributions: [{ state: "x", asset: "drone", count: 1 }],
      coordination: { lead: "x" },
    };
    const r = await lib(s);
    expect(r.allocation.sensors.uav + r.allocation.idle.reduce((n, i) => n + i.count, 0)).toBe(1);
  });

  // Fixed (was a bug): { "strategy": "custom" } without options passes parseScenario and fails in allocate() with a
  // RangeError whose message names no field; the CLI shows it as a usage error ("Run 'ceasefire-sim run --help'").
  it("a custom strategy without options is refused naming allocation.options", async () => {
    const r = await cli(edited((s) => (s.allocation = { strategy: "custom" })));
    expectRefused(r, "allocation.options");
  });
});
