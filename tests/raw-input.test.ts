/**
 * Every public function that takes a scenario accepts what users pass: the raw input (`defaultScenario()`, a
 * scenario read with `JSON.parse`) as well as a parsed `Scenario`, with the same outcome; and refuses an invalid
 * one with a `ScenarioError` whose issues name the JSON path. One helper normalises (`toScenario`,
 * src/model/parse.ts); these tests call each function through the public entries.
 */
import { describe, expect, it } from "vitest";
import * as lib from "../src/index.js";
import * as node from "../src/node/index.js";
import { compile } from "../src/internal.js";
import type { Allocation, ScenarioInput } from "../src/index.js";

const { ScenarioError, defaultScenario, parseScenario, formatPath } = lib;

/** The default scenario as a JSON text would give it (no shared objects with the embedded copy). */
const raw = (): ScenarioInput => JSON.parse(JSON.stringify(defaultScenario()));
/** The default scenario with one invalid field: its first sector's incident rate is not a rate. */
function bad(): ScenarioInput {
  const s = raw();
  (s.sectors[0]!.incidents as { rate: string }).rate = "often";
  return s;
}
const BAD_PATH = "sectors[0].incidents.rate";

/** The call throws (or rejects with) a ScenarioError naming BAD_PATH. */
async function refusesBad(call: () => unknown): Promise<void> {
  let caught: unknown = null;
  try {
    await call();
  } catch (e) {
    caught = e;
  }
  expect(caught, "expected a ScenarioError").toBeInstanceOf(ScenarioError);
  const paths = (caught as InstanceType<typeof ScenarioError>).issues.map((i) => formatPath(i.path));
  expect(paths).toContain(BAD_PATH);
  expect((caught as Error).message).toContain(BAD_PATH);
}

/** A result without its timing fields (the only fields that differ between two identical runs). */
function untimed<T>(x: T): unknown {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === "wallTimeMs" || k === "startedAt" ? undefined : v)));
}

const RUN = { replications: 2, seed: 3, horizon: "2 d", workers: 1 } as const;
const LOG = { replications: 1, seed: 3, horizon: "2 d" } as const;
const PARAM = "sectors[id=south-slobozhanskyi].incidents.rate";

describe("raw input is accepted, and gives what the parsed scenario gives", () => {
  const parsed = parseScenario(defaultScenario());

  it("allocate(defaultScenario(), …) places the same units as allocate(parseScenario(…), …)", async () => {
    const a = await lib.allocate(defaultScenario(), "risk-weighted");
    expect(a.teams.length).toBeGreaterThan(0);
    expect(a).toEqual(await lib.allocate(parsed, "risk-weighted"));
    expect(await lib.allocate(raw(), "uniform")).toEqual(await lib.allocate(parsed, "uniform"));
  });

  it("compile (ceasefire-sim/internal), lintScenario, lintAllocation, lintWarnings", async () => {
    const a = await lib.allocate(parsed, "risk-weighted");
    const fromRaw = compile(raw(), a);
    const fromParsed = compile(parsed, a);
    expect(fromRaw.nTeams).toBeGreaterThan(0);
    expect(fromRaw.tmBase).toEqual(fromParsed.tmBase);
    expect([fromRaw.nSectors, fromRaw.nFixed, fromRaw.nUav]).toEqual([
      fromParsed.nSectors,
      fromParsed.nFixed,
      fromParsed.nUav,
    ]);
    expect(lib.lintScenario(raw())).toEqual(lib.lintScenario(parsed));
    expect(lib.lintAllocation(raw(), a)).toEqual(lib.lintAllocation(parsed, a));
    expect(lib.lintWarnings(defaultScenario(), a)).toEqual(lib.lintWarnings(parsed, a));
  });

  it("removeUnits and augmentUnits", async () => {
    const full = await lib.allocate(parsed, "risk-weighted");
    const less = raw();
    less.contributions = less.contributions!.map((c) =>
      c.state === "gb" && c.asset === "team" ? { ...c, count: 10 } : c,
    );
    const removed = lib.removeUnits(less, full);
    expect(removed).toEqual(lib.removeUnits(parseScenario(less), full));
    expect(removed.teams.filter((t) => t.state === "gb")).toHaveLength(10);
    const more = raw();
    more.contributions = more.contributions!.map((c) =>
      c.state === "gb" && c.asset === "team" ? { ...c, count: 24 } : c,
    );
    const augmented = await lib.augmentUnits(more, full);
    expect(augmented).toEqual(await lib.augmentUnits(parseScenario(more), full));
    expect(augmented.teams.filter((t) => t.state === "gb")).toHaveLength(24);
  });

  it("simulate, runShard, incidentLog, replicationRows (library and ceasefire-sim/node)", async () => {
    const base = untimed(await lib.simulate(parsed, RUN));
    expect(untimed(await lib.simulate(raw(), RUN))).toEqual(base);
    expect(untimed(await node.simulate(raw(), RUN))).toEqual(base);
    const shard = { ...RUN, shard: { index: 0, count: 2 } };
    expect(untimed(await lib.runShard(raw(), shard))).toEqual(untimed(await lib.runShard(parsed, shard)));
    expect(untimed(await node.runShard(raw(), shard))).toEqual(untimed(await lib.runShard(parsed, shard)));
    const fromRaw = await lib.incidentLog(raw(), LOG);
    expect(fromRaw.rows).toBeGreaterThan(0);
    expect(fromRaw.rows).toBe((await lib.incidentLog(parsed, LOG)).rows);
    const perReplication = (await lib.replicationRows(raw(), LOG)).rows;
    expect(perReplication.length).toBeGreaterThan(0);
    expect(perReplication).toEqual((await lib.replicationRows(parsed, LOG)).rows);
  });

  it("compare, compareScenarios and withdrawal (library and ceasefire-sim/node)", async () => {
    const strategies = ["risk-weighted", "uniform"];
    const c = untimed(await lib.compare(parsed, strategies, RUN));
    expect(untimed(await lib.compare(raw(), strategies, RUN))).toEqual(c);
    expect(untimed(await node.compare(raw(), strategies, RUN))).toEqual(c);
    const arms = (s: object) => [
      { name: "base", scenario: s },
      { name: "again", scenario: s },
    ];
    const cs = untimed(await lib.compareScenarios(arms(parsed), RUN));
    expect(untimed(await lib.compareScenarios(arms(raw()), RUN))).toEqual(cs);
    expect(untimed(await node.compareScenarios(arms(raw()), RUN))).toEqual(cs);
    const w = { ...RUN, states: ["gb"] };
    const table = untimed(await lib.withdrawal(parsed, w));
    expect(untimed(await lib.withdrawal(raw(), w))).toEqual(table);
    expect(untimed(await node.withdrawal(raw(), w))).toEqual(table);
  });

  it("sweep, sweepRows, tornado and sensitivity (library and ceasefire-sim/node)", async () => {
    const sw = { ...RUN, parameters: [{ path: PARAM, values: [2, 4] }], metrics: ["response.mean"] };
    const rows = untimed(await lib.sweep(parsed, sw));
    expect(untimed(await lib.sweep(raw(), sw))).toEqual(rows);
    expect(untimed(await node.sweep(raw(), sw))).toEqual(rows);
    const streamed = [];
    for await (const r of lib.sweepRows(raw(), sw)) streamed.push(r);
    expect(untimed(streamed)).toEqual(rows);
    const t = { ...RUN, parameters: [{ path: PARAM, low: 2, high: 4 }], metric: "response.mean" };
    const tor = untimed(await lib.tornado(parsed, t));
    expect(untimed(await lib.tornado(raw(), t))).toEqual(tor);
    expect(untimed(await node.tornado(raw(), t))).toEqual(tor);
    const so = { ...RUN, parameters: [{ path: PARAM, min: 2, max: 4 }], metric: "response.mean", samples: 4 };
    expect(untimed(await lib.sensitivity(raw(), so))).toEqual(untimed(await lib.sensitivity(parsed, so)));
    expect(untimed(await node.sensitivity(raw(), so))).toEqual(untimed(await lib.sensitivity(parsed, so)));
  });

  it("renderReport takes the raw scenario as its `scenario` option", async () => {
    const result = await lib.simulate(parsed, RUN);
    const fromRaw = await node.renderReport(result, { scenario: raw() });
    expect(fromRaw).toBe(await node.renderReport(result, { scenario: parsed }));
    expect(fromRaw).not.toContain("the scenario has no line geometry");
  }, 120_000);
});

describe("invalid input is refused with a ScenarioError naming the path", () => {
  const allocation = (): Promise<Allocation> => lib.allocate(defaultScenario(), "risk-weighted");
  const cases: [string, () => unknown][] = [
    ["allocate", () => lib.allocate(bad(), "risk-weighted")],
    ["compile", async () => compile(bad(), await allocation())],
    ["lintScenario", () => lib.lintScenario(bad())],
    ["lintAllocation", async () => lib.lintAllocation(bad(), await allocation())],
    ["lintWarnings", async () => lib.lintWarnings(bad(), await allocation())],
    ["removeUnits", async () => lib.removeUnits(bad(), await allocation())],
    ["augmentUnits", async () => lib.augmentUnits(bad(), await allocation())],
    ["simulate", () => lib.simulate(bad(), RUN)],
    ["node simulate", () => node.simulate(bad(), RUN)],
    ["runShard", () => lib.runShard(bad(), { ...RUN, shard: { index: 0, count: 2 } })],
    ["incidentLog", () => lib.incidentLog(bad(), LOG)],
    ["replicationRows", () => lib.replicationRows(bad(), LOG)],
    ["compare", () => lib.compare(bad(), ["risk-weighted", "uniform"], RUN)],
    ["node compare", () => node.compare(bad(), ["risk-weighted", "uniform"], RUN)],
    [
      "compareScenarios",
      () =>
        lib.compareScenarios(
          [
            { name: "a", scenario: raw() },
            { name: "b", scenario: bad() },
          ],
          RUN,
        ),
    ],
    ["withdrawal", () => lib.withdrawal(bad(), RUN)],
    ["node withdrawal", () => node.withdrawal(bad(), RUN)],
    ["sweep", () => lib.sweep(bad(), { ...RUN, parameters: [{ path: PARAM, values: [2, 4] }] })],
    [
      "sweepRows",
      async () => {
        for await (const _ of lib.sweepRows(bad(), { ...RUN, parameters: [{ path: PARAM, values: [2, 4] }] }));
      },
    ],
    [
      "tornado",
      () => lib.tornado(bad(), { ...RUN, parameters: [{ path: PARAM, low: 2, high: 4 }], metric: "response.mean" }),
    ],
    [
      "sensitivity",
      () =>
        lib.sensitivity(bad(), {
          ...RUN,
          parameters: [{ path: PARAM, min: 2, max: 4 }],
          metric: "response.mean",
          samples: 4,
        }),
    ],
    ["renderReport", async () => node.renderReport(await lib.simulate(defaultScenario(), RUN), { scenario: bad() })],
  ];
  it.each(cases)("%s", async (_, call) => {
    await refusesBad(call);
  });
});
