/**
 * Patrols as an activity (team asset `patrol.hours`) and the honest burden (per state: personnel, cost share,
 * team-hours tasked / travelling / patrolling, sensor- and UAV-hours on station).
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../src/experiment/simulate.js";
import { defaultScenario } from "../src/scenarios/index.js";
import type { ScenarioInput } from "../src/model/input.js";
import { parseScenario } from "../src/model/parse.js";
import { ScenarioError } from "../src/model/errors.js";
import { compile, type CompiledModel } from "../src/compile/compile.js";
import { scenarioAllocation } from "../src/allocation/allocate.js";
import { createWorkspace, useCore, type Workspace } from "../src/engine/workspace.js";
import { createCore } from "../src/engine/core.js";
import { runReplication } from "../src/engine/replication.js";
import { replicationStreams } from "../src/rng/streams.js";
import { teamBlock } from "../src/layout/tally.js";
import * as F from "../src/layout/slots.generated.js";

/** The default scenario with only its teams: no sensors, no parties' reports; patrol hours per day when given. */
function teamsOnly(hours: string | null): ScenarioInput {
  const x = structuredClone(defaultScenario());
  x.assets = (x.assets ?? []).filter((a) => a.kind === "team");
  const ids = new Set(x.assets.map((a) => a.id));
  x.contributions = (x.contributions ?? []).filter((c) => ids.has(c.asset));
  if (x.reporting) delete x.reporting.parties;
  // null: the per-base rule (a patrol without a schedule), whatever the embedded scenario gives.
  for (const a of x.assets)
    if (a.kind === "team" && a.patrol) {
      const { hours: _given, ...rest } = a.patrol;
      a.patrol = hours === null ? rest : { ...rest, hours };
    }
  return x;
}

/** One sector of 60 km, one base in it, `teams` teams that patrol `patrol`; incidents only by day unless said. */
function oneSector(patrol: Record<string, unknown>, over: Partial<ScenarioInput> = {}): ScenarioInput {
  return {
    format: "ceasefire-sim/scenario@1",
    name: "one sector, one patrol",
    horizon: "60 d",
    daylight: { dawn: "6 h", dusk: "18 h" },
    sectors: [
      {
        id: "s",
        lengthKm: 60,
        incidents: { rate: "48 /d", nightShare: 0, severity: { minor: 1, major: 0, critical: 0 } },
        lead: "a",
      },
    ],
    states: [{ id: "a", name: "A", role: "lead" }],
    assets: [
      {
        id: "team",
        kind: "team",
        speed: "40 km/h",
        onSite: "2 h",
        patrol: { detection: 0.6, ...patrol } as { detection: number },
      },
    ],
    bases: [{ id: "b", location: { x: 30, offsetKm: 0 } }],
    contributions: [{ state: "a", asset: "team", count: 1 }],
    coordination: { lead: "a" },
    ...over,
  };
}

/** |estimate − expected| within 4 binomial standard errors over n incidents. */
function near(value: number, expected: number, n: number): void {
  const se = Math.sqrt((expected * (1 - expected)) / n);
  expect(Math.abs(value - expected)).toBeLessThan(4 * se);
}

describe("patrols as an activity", () => {
  it("sectors without a base get patrol detection when teams patrol them (none by the per-base rule)", async () => {
    const s = parseScenario(teamsOnly(null));
    const withBase = new Set(s.bases.map((b) => b.sector));
    const baseless = s.sectors.filter((x) => !withBase.has(x.index)).map((x) => x.id);
    expect(baseless.length).toBeGreaterThan(0);
    const perBase = await simulate(teamsOnly(null), { replications: 4, seed: 1 });
    const activity = await simulate(teamsOnly("8 h"), { replications: 4, seed: 1 });
    for (const id of baseless) {
      expect(perBase.sectors.find((x) => x.id === id)!.detection.probability.value).toBe(0);
      const sec = activity.sectors.find((x) => x.id === id)!;
      expect(sec.detection.probability.value).toBeGreaterThan(0);
      expect(sec.detection.byChannel.patrol.value).toBe(1);
    }
    // Every sector has a patrolling team, and the teams say which.
    const patrolled = new Set(activity.teams.map((t) => t.patrols));
    for (const x of s.sectors) expect(patrolled.has(x.id)).toBe(true);
  });

  it("one team patrolling h hours a day by day: detection = p × h / daylight (× the share it sweeps)", async () => {
    // Incidents only by day (nightShare 0), all minor (no dispatch, so the team is never busy), team always
    // available: an incident falls in the 6-hour window with probability 6/12, and is then detected with 0.6.
    const r = await simulate(oneSector({ hours: "6 h" }), { replications: 10, seed: 7 });
    const n = r.line.counts.incidents;
    expect(n).toBeGreaterThan(20_000);
    near(r.line.detection.probability.value, 0.6 * (6 / 12), n);
    // Sweeping 15 of the sector's 60 km: a quarter of that.
    const q = await simulate(oneSector({ hours: "6 h", sweepKm: "15 km" }), { replications: 10, seed: 7 });
    near(q.line.detection.probability.value, 0.6 * (6 / 12) * (15 / 60), q.line.counts.incidents);
    // More hours than daylight, by day only: the whole day, never the night.
    const allDay = await simulate(oneSector({ hours: "20 h" }), { replications: 10, seed: 7 });
    near(allDay.line.detection.probability.value, 0.6, allDay.line.counts.incidents);
    const nightInc = oneSector({ hours: "20 h" });
    nightInc.sectors[0]!.incidents.nightShare = 1;
    const dark = await simulate(nightInc, { replications: 3, seed: 7 });
    expect(dark.line.detection.probability.value).toBe(0);
  });

  it("by night too (a night-capable team, `night: true`): one window from dawn", async () => {
    // 18 h from dawn (06:00) to midnight: all 12 daylight hours and 6 of the 12 night hours.
    const x = oneSector({ hours: "18 h", night: true });
    x.sectors[0]!.incidents.nightShare = 0.5;
    (x.assets![0] as { nightCapable?: boolean }).nightCapable = true;
    const r = await simulate(x, { replications: 10, seed: 3 });
    near(r.line.detection.probability.value, 0.6 * (0.5 * 1 + 0.5 * 0.5), r.line.counts.incidents);
    // A team that may not move at night patrols by day only, whatever its schedule says.
    (x.assets![0] as { nightCapable?: boolean }).nightCapable = false;
    const d = await simulate(x, { replications: 10, seed: 3 });
    near(d.line.detection.probability.value, 0.6 * 0.5, d.line.counts.incidents);
  });

  it("a base's teams spread over the sectors it serves; each sector is served by its nearest base", async () => {
    const x = oneSector({ hours: "8 h" });
    x.sectors = ["s1", "s2", "s3", "s4"].map((id) => ({
      id,
      lengthKm: 30,
      incidents: { rate: "10 /d", severity: { minor: 1, major: 0, critical: 0 } },
      lead: "a",
    }));
    // Base b in s2 (km 45); base c at km 110 (s4) with one team.
    x.bases = [
      { id: "b", location: { x: 45, offsetKm: 0 } },
      { id: "c", location: { x: 110, offsetKm: 0 } },
    ];
    x.allocation = {
      teams: [
        { state: "a", asset: "team", base: "b", count: 3 },
        { state: "a", asset: "team", base: "c", count: 1 },
      ],
    };
    x.contributions = [{ state: "a", asset: "team", count: 4 }];
    const s = parseScenario(x);
    const m = compile(s, await scenarioAllocation(s));
    // b serves s1, s2, s3 (its own first, then nearest: s1 and s3 are equally near, lower index first); c serves s4.
    expect(m.names.teamPatrols).toEqual(["s2", "s1", "s3", "s4"]);
    // A team whose state may not enter the sectors its base serves patrols the nearest it may enter.
    x.states = [{ id: "a", name: "A", role: "lead", caveats: { excludedSectors: ["s1", "s2", "s3"] } }];
    x.allocation = { teams: [{ state: "a", asset: "team", base: "b", count: 2 }] };
    x.contributions = [{ state: "a", asset: "team", count: 2 }];
    const s2 = parseScenario(x);
    expect(compile(s2, await scenarioAllocation(s2)).names.teamPatrols).toEqual(["s4", "s4"]);
  });

  it("an explicit allocation names the sector its teams patrol; the rule places the others", async () => {
    const x = oneSector({ hours: "8 h" });
    x.sectors = ["s1", "s2", "s3"].map((id) => ({
      id,
      lengthKm: 30,
      incidents: { rate: "10 /d", severity: { minor: 1, major: 0, critical: 0 } },
      lead: "a",
    }));
    x.bases = [{ id: "b", location: { x: 45, offsetKm: 0 } }];
    x.contributions = [{ state: "a", asset: "team", count: 3 }];
    x.allocation = {
      teams: [
        { state: "a", asset: "team", base: "b", count: 1, patrols: "s3" },
        { state: "a", asset: "team", base: "b", count: 2 },
      ],
    };
    const s = parseScenario(x);
    const alloc = await scenarioAllocation(s);
    expect(alloc.teams.map((t) => t.patrols)).toEqual(["s3", undefined, undefined]);
    expect("patrols" in alloc.teams[1]!).toBe(false);
    expect(compile(s, alloc).names.teamPatrols).toEqual(["s3", "s2", "s1"]);
    const r = await simulate(x, { replications: 2, seed: 1 });
    expect(r.teams.map((t) => t.patrols)).toEqual(["s3", "s2", "s1"]);
    // A sector the team's state may not enter, or no sector at all: refused with the path.
    x.states = [{ id: "a", name: "A", role: "lead", caveats: { excludedSectors: ["s3"] } }];
    expect(() => parseScenario(x)).toThrow(/caveats do not allow its teams into sector s3/);
    try {
      parseScenario(x);
    } catch (e) {
      expect((e as ScenarioError).issues.map((i) => i.path.join("."))).toContain("allocation.teams.0.patrols");
    }
    x.states = [{ id: "a", name: "A", role: "lead" }];
    (x.allocation.teams as { patrols?: string }[])[0]!.patrols = "nowhere";
    expect(() => parseScenario(x)).toThrow(/nowhere/);
  });

  it("refuses more than 24 patrol hours a day, naming the path", () => {
    try {
      parseScenario(oneSector({ hours: "25 h" }));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      const issue = (e as ScenarioError).issues.find((i) => i.path.join(".") === "assets.0.patrol.hours");
      expect(issue?.message).toMatch(/at most 24 h/);
    }
  });
});

/** Hours of [a, b) inside the union of the intervals (disjoint, in order). */
function overlap(a: number, b: number, starts: number[], ends: number[]): number {
  let d = 0;
  for (let q = 0; q < starts.length; q++) d += Math.max(0, Math.min(b, ends[q]!) - Math.max(a, starts[q]!));
  return d;
}

describe("patrols and the engine's room", () => {
  it("a workspace that must grow (incidents, team spells, patrol windows) gives the same replications", async () => {
    const x = teamsOnly("8 h");
    for (const a of x.assets ?? []) if (a.kind === "team") a.availability = { share: 0.7, downtime: "6 h" };
    const s = parseScenario(x);
    const m = compile(s, await scenarioAllocation(s));
    expect(m.nPatrolTeams).toBeGreaterThan(10);
    const small = createWorkspace(m, 8),
      roomy = createWorkspace(m);
    useCore(roomy, createCore(m, { incidents: 1 << 16, up: 1 << 16, reg: 1024, dn: 1 << 14, steps: 1 << 16 }));
    for (let r = 0; r < 3; r++) {
      runReplication(m, replicationStreams(4, r), small);
      runReplication(m, replicationStreams(4, r), roomy);
      expect(small.tally).toEqual(roomy.tally);
      expect(small.n).toBe(roomy.n);
    }
    // The small one grew (room for more incidents and team spells than it started with); the roomy one did not.
    expect(small.core.room.incidents).toBeGreaterThan(8);
    expect(small.core.room.dn).toBeGreaterThan(64);
    expect(roomy.core.room.dn).toBe(1 << 14);
  });
});

describe("patrol hours in the burden", () => {
  it("equal the scheduled hours less unavailable and busy time (seeded, interval by interval)", async () => {
    // One team, verifiable incidents (so it is tasked), unavailable a fifth of the time, returned to base after
    // each task (no retasking), fixed on-site time, no denial: its busy spells follow from the incident log.
    const x = oneSector(
      { hours: "10 h" },
      {
        warmup: "2 d",
        coordination: { lead: "a", retaskFromField: false },
      },
    );
    x.sectors[0]!.incidents = { rate: "3 /d", nightShare: 0.3, severity: { minor: 0.5, major: 0.5, critical: 0 } };
    Object.assign(x.assets![0]!, { nightCapable: true, availability: { share: 0.8, downtime: "30 h" } });
    x.reporting = { parties: { probability: 1 } };
    const s = parseScenario(x);
    const m = compile(s, await scenarioAllocation(s));
    const ws = createWorkspace(m);
    let busyInWindows = 0;
    for (let r = 0; r < 5; r++) {
      runReplication(m, replicationStreams(11, r), ws);
      const { windows, down } = schedule(m, ws);
      // The windows: each day's 10 h centred in daylight (07:00–17:00), less the unavailable spells.
      let expectedWindows = 0;
      for (let d = 0; 24 * d < m.end; d++) {
        const a = 24 * d + 7,
          b = Math.min(24 * d + 17, m.end);
        if (b > a) expectedWindows += b - a - overlap(a, b, down.starts, down.ends);
      }
      const inWindow = overlap(0, m.end, windows.starts, windows.ends);
      expect(inWindow).toBeCloseTo(expectedWindows, 9);
      // Busy spells from the incident log: tasked at ready + wait, back at base after arrival, the time on site
      // and the same travel back.
      const busy = busySpells(m, ws);
      expect(busy.starts.length).toBeGreaterThan(5);
      let busyIn = 0;
      for (let q = 0; q < busy.starts.length; q++) {
        const a = Math.max(busy.starts[q]!, m.warmup),
          b = Math.min(busy.ends[q]!, m.end);
        if (b > a) busyIn += overlap(a, b, windows.starts, windows.ends);
      }
      busyInWindows += busyIn;
      const scheduled = overlap(m.warmup, m.end, windows.starts, windows.ends);
      const o = teamBlock(m.nSectors, 0);
      expect(ws.tally[o + F.T_PATROL]!).toBeCloseTo(scheduled - busyIn, 9);
      // Busy time as the tally has it, from the same spells.
      const busyTotal = busy.starts.reduce(
        (t, a, q) => t + Math.max(0, Math.min(busy.ends[q]!, m.end) - Math.max(a, m.warmup)),
        0,
      );
      expect(ws.tally[o + F.T_BUSY]!).toBeCloseTo(busyTotal, 9);
    }
    expect(busyInWindows).toBeGreaterThan(0);
  });
});

/** The team's patrol windows and unavailable spells in replication `ws` (team 0). */
function schedule(_m: CompiledModel, ws: Workspace) {
  const A = ws.arrays;
  const w = { starts: [] as number[], ends: [] as number[] },
    d = { starts: [] as number[], ends: [] as number[] };
  for (let q = A.ptOff[0]!; q < A.ptOff[1]!; q++) {
    w.starts.push(A.ptStart[q]!);
    w.ends.push(A.ptEnd[q]!);
  }
  for (let q = A.dnOff[0]!; q < A.dnOff[1]!; q++) {
    d.starts.push(A.dnStart[q]!);
    d.ends.push(A.dnEnd[q]!);
  }
  return { windows: w, down: d };
}

/** Team 0's busy spells, from the incidents it was sent to (fixed 2 h on site, travel back = travel out). */
function busySpells(m: CompiledModel, ws: Workspace) {
  const A = ws.arrays;
  const spells: [number, number][] = [];
  for (let i = 0; i < ws.n; i++) {
    if (A.incTeam[i] !== 0) continue;
    const tasked = A.incReady[i]! + A.incWait[i]!;
    const arrive = tasked + A.incMob[i]! + A.incTravel[i]! + A.incAccess[i]!;
    spells.push([tasked, arrive + 2 + A.incTravel[i]!]);
  }
  spells.sort((p, q) => p[0] - q[0]);
  // A team back at base that takes the next task at once: one busy spell.
  const starts: number[] = [],
    ends: number[] = [];
  for (const [a, b] of spells) {
    if (ends.length > 0 && a <= ends[ends.length - 1]!) ends[ends.length - 1] = Math.max(ends[ends.length - 1]!, b);
    else {
      starts.push(a);
      ends.push(b);
    }
  }
  void m;
  return { starts, ends };
}

describe("the burden per state", () => {
  it("adds up: the states' hours are the teams' and the sensors' totals; personnel and cost shares", async () => {
    const x = structuredClone(defaultScenario());
    for (const a of x.assets ?? []) if (a.kind === "team" && a.patrol) a.patrol = { ...a.patrol, hours: "6 h" };
    const r = await simulate(x, { replications: 3, seed: 5 });
    const sum = (f: (s: (typeof r.states)[number]) => number) => r.states.reduce((t, s) => t + f(s), 0);
    const teamSum = (f: (t: (typeof r.teams)[number]) => number) => r.teams.reduce((t, k) => t + f(k), 0);
    // Team-hours tasked per day over states = the teams' utilisation × 24 (the same sums).
    expect(sum((s) => s.hoursPerDay.tasked.value)).toBeCloseTo(
      teamSum((t) => 24 * t.utilisation.value),
      9,
    );
    expect(sum((s) => s.hoursPerDay.patrolling.value)).toBeCloseTo(
      teamSum((t) => 24 * t.patrolShare.value),
      9,
    );
    expect(sum((s) => s.hoursPerDay.patrolling.value)).toBeGreaterThan(0);
    for (const s of r.states) {
      expect(s.hoursPerDay.travelling.value).toBeLessThanOrEqual(s.hoursPerDay.tasked.value + 1e-9);
      // No team works more than the window: tasked + patrolling ≤ 24 h a day per team.
      expect(s.hoursPerDay.tasked.value + s.hoursPerDay.patrolling.value).toBeLessThanOrEqual(24 * s.teams + 1e-9);
    }
    // Personnel: teams × the asset's personnel (7 per team in the default scenario).
    const s = parseScenario(x);
    const per = (s.assets.find((a) => a.kind === "team") as { personnel: number }).personnel;
    for (const st of r.states) expect(st.personnel).toBe(st.teams * per);
    // No unit costs in the scenario: the cost share is undefined, not made up.
    for (const st of r.states) expect(st.costShare).toBeUndefined();
  });

  it("sensor-hours: a fixed sensor without outages works all the window; UAVs their on-station share", async () => {
    const x = oneSector({ hours: "6 h" });
    x.assets!.push(
      { id: "cam", kind: "fixed", coverKm: 10, detection: 0.5, unitCost: 1 },
      {
        id: "drone",
        kind: "uav",
        coverKm: 20,
        speed: "100 km/h",
        endurance: "10 h",
        turnaround: "2 h",
        detection: 0.5,
        unitCost: 6,
      },
    );
    (x.assets![0] as { unitCost?: number }).unitCost = 3;
    x.states!.push({ id: "b", name: "B" });
    x.contributions!.push({ state: "b", asset: "cam", count: 3 }, { state: "a", asset: "drone", count: 1 });
    const r = await simulate(x, { replications: 4, seed: 2 });
    const a = r.states.find((s) => s.id === "a")!,
      b = r.states.find((s) => s.id === "b")!;
    expect(b.hoursPerDay.sensors.value).toBeCloseTo(3 * 24, 9);
    expect(a.hoursPerDay.sensors.value).toBe(0);
    // On station: the sortie's 10 h less the transit out and back, every 12 h cycle.
    const sm = parseScenario(x);
    const m = compile(sm, await scenarioAllocation(sm));
    const onStation = m.uvOnEnd[0]! - m.uvOnStart[0]!;
    expect(a.hoursPerDay.uavs.value).toBeGreaterThan(24 * (onStation / 12) * 0.97);
    expect(a.hoursPerDay.uavs.value).toBeLessThan(24 * (onStation / 12) * 1.03);
    // Costs: A places a team (3) and a UAV (6), B three cameras (1 each).
    expect(a.costShare).toBeCloseTo(9 / 12, 12);
    expect(b.costShare).toBeCloseTo(3 / 12, 12);
    expect(a.personnel).toBe(6);
    expect(b.personnel).toBe(0);
  });
});
