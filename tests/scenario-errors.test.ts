/**
 * A catalog of invalid scenarios: each is a small valid scenario with one
 * thing broken, and `parseScenario` must refuse it with a `ScenarioError`
 * whose `.issues` name the exact JSON path and say what was expected.
 */
import { describe, expect, it } from "vitest";
import { parseScenario } from "../src/model/parse.js";
import { ScenarioError, type ScenarioIssue } from "../src/model/errors.js";

// biome-ignore lint/suspicious/noExplicitAny: the cases write wrong types into scenario JSON on purpose
type Json = any;

/**
 * A compact valid scenario: 3 sectors (100 + 120 + 80 = 300 km), 2 regimes, 2 states, a team and a fixed sensor,
 * 2 bases, an explicit allocation.
 */
function base(): Json {
  return {
    format: "ceasefire-sim/scenario@1",
    name: "tiny",
    horizon: "10 d",
    line: { lengthKm: 300 },
    sectors: [
      {
        id: "n",
        lengthKm: 100,
        incidents: { rate: "24 /d", nightShare: 0.5, severity: { minor: 0.6, major: 0.3, critical: 0.1 } },
        access: { delay: { dist: "lognormal", median: "30 min", p95: "2 h" }, denial: 0.1 },
        lead: "aa",
      },
      {
        id: "c",
        lengthKm: "120 km",
        incidents: { rate: "2 /h", severity: { minor: 0.5, major: 0.5, critical: 0 } },
        lead: "bb",
      },
      {
        id: "s",
        lengthKm: 80,
        incidents: { rate: "1.5 /d", severity: { minor: 1, major: 0, critical: 0 } },
        lead: "aa",
      },
    ],
    regimes: [
      { id: "calm", multiplier: 1, meanDuration: "5 d", next: { tense: 1 } },
      { id: "tense", multiplier: 3, meanDuration: "36 h", next: { calm: 1 } },
    ],
    states: [
      { id: "aa", name: "State A", role: "lead" },
      { id: "bb", name: "State B", caveats: { excludedSectors: ["s"] } },
    ],
    assets: [
      { id: "team", kind: "team", speed: "40 km/h", onSite: { dist: "exponential", mean: "90 min" } },
      { id: "cam", kind: "fixed", coverKm: 10, detection: 0.8 },
    ],
    bases: [
      { id: "b1", location: { x: 50 }, capacity: 5 },
      { id: "b2", location: { x: "250 km", offsetKm: 10 } },
    ],
    contributions: [
      { state: "aa", asset: "team", count: 4 },
      { state: "bb", asset: "team", count: 2 },
      { state: "aa", asset: "cam", count: 6 },
    ],
    coordination: { lead: "aa", tasking: "1 h" },
    travel: { circuity: 1.3 },
    standards: { response: "1 d" },
    allocation: {
      teams: [
        { state: "aa", asset: "team", base: "b1", count: 3 },
        { state: "aa", asset: "team", base: "b2", count: 1 },
        { state: "bb", asset: "team", base: "b2", count: 2 },
      ],
      sensors: [{ state: "aa", asset: "cam", sector: "n", count: 6 }],
    },
  };
}

const MATRIX = {
  hours: {
    n: { b1: "1 h", b2: "2 h" },
    c: { b1: "1 h", b2: "1 h" },
    s: { b1: "3 h", b2: "30 min" },
  },
};

/** The ScenarioError thrown by parseScenario(input); fails the test if it parses or throws anything else. */
function refusal(input: unknown): ScenarioError {
  let parsed: unknown;
  try {
    parsed = parseScenario(input);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw new Error(`parseScenario threw ${(e as Error)?.name}, not a ScenarioError: ${(e as Error)?.message}`);
  }
  throw new Error(`parseScenario accepted the input (scenario ${JSON.stringify((parsed as { name?: string }).name)})`);
}

/** Issues of refusing `input`; also checks that parseScenario left the input untouched. */
function issuesOf(input: unknown): readonly ScenarioIssue[] {
  const before = structuredClone(input);
  const e = refusal(input);
  // toEqual, not toStrictEqual: the latter compares .constructor, which one case sets to a plain object.
  expect(input).toEqual(before);
  return e.issues;
}

type Edit = (s: Json) => void;
interface Case {
  what: string;
  edit: Edit;
  issues: ScenarioIssue[];
}

/** Edit a fresh base scenario and return it. */
function edited(edit: Edit): Json {
  const s = base();
  edit(s);
  return s;
}

describe("parseScenario on the base scenario", () => {
  it("accepts the base scenario and its travel-matrix variant", () => {
    expect(parseScenario(base()).sectors.map((s) => s.id)).toEqual(["n", "c", "s"]);
    const m = parseScenario(edited((s) => (s.travel = structuredClone(MATRIX))));
    expect(m.travel).toEqual({
      kind: "matrix",
      hours: [
        [1, 2],
        [1, 1],
        [3, 0.5],
      ],
    });
  });

  it("accepts a line length within the 0.5 km tolerance of the sector sum (300.4 km for 300 km of sectors)", () => {
    expect(parseScenario(edited((s) => (s.line.lengthKm = 300.4))).lineKm).toBe(300);
  });
});

const references: Case[] = [
  {
    what: "an unknown state id in a sector's lead",
    edit: (s) => (s.sectors[1].lead = "zz"),
    issues: [{ path: ["sectors", 1, "lead"], message: 'unknown state id "zz"; known: aa, bb' }],
  },
  {
    what: "an unknown asset id in a contribution",
    edit: (s) => {
      delete s.allocation;
      s.contributions[0].asset = "tank";
    },
    issues: [{ path: ["contributions", 0, "asset"], message: 'unknown asset id "tank"; known: team, cam' }],
  },
  {
    what: "a contribution naming a missing state",
    edit: (s) => {
      delete s.allocation;
      s.contributions[1].state = "cc";
    },
    issues: [{ path: ["contributions", 1, "state"], message: 'unknown state id "cc"; known: aa, bb' }],
  },
  {
    what: "duplicate sector ids",
    edit: (s) => (s.sectors[1].id = "n"),
    issues: [{ path: ["sectors", 1, "id"], message: 'duplicate id "n" (also sectors[0])' }],
  },
  {
    what: "sector lengths not adding up to line.lengthKm (line too long)",
    edit: (s) => (s.line.lengthKm = "301 km"),
    issues: [{ path: ["line", "lengthKm"], message: "sector lengths add up to 300 km, not the line's 301 km" }],
  },
  {
    what: "sector lengths not adding up to line.lengthKm (a sector too long)",
    edit: (s) => (s.sectors[2].lengthKm = 90),
    issues: [{ path: ["line", "lengthKm"], message: "sector lengths add up to 310 km, not the line's 300 km" }],
  },
  {
    what: "regime jump probabilities not summing to 1",
    edit: (s) => (s.regimes[0].next = { tense: 0.7 }),
    issues: [{ path: ["regimes", 0, "next"], message: "expected jump probabilities summing to 1; got 0.7" }],
  },
  {
    what: "a regime jump naming an unknown regime",
    edit: (s) => (s.regimes[1].next = { calmm: 1 }),
    issues: [{ path: ["regimes", 1, "next", "calmm"], message: 'unknown regime id "calmm"; known: calm, tense' }],
  },
  {
    what: "a regime jumping to itself",
    edit: (s) => (s.regimes[0].next = { calm: 1 }),
    issues: [{ path: ["regimes", 0, "next", "calm"], message: "a regime cannot jump to itself" }],
  },
  {
    what: "a caveat excluding an unknown sector",
    edit: (s) => (s.states[1].caveats.excludedSectors = ["south"]),
    issues: [
      { path: ["states", 1, "caveats", "excludedSectors", 0], message: 'unknown sector id "south"; known: n, c, s' },
    ],
  },
  {
    what: "a caveat allowing an unknown sector",
    edit: (s) => (s.states[0].caveats = { allowedSectors: ["n", "q"] }),
    issues: [{ path: ["states", 0, "caveats", "allowedSectors", 1], message: 'unknown sector id "q"; known: n, c, s' }],
  },
  {
    what: "a base x beyond the end of the line",
    edit: (s) => (s.bases[1].location.x = "301 km"),
    issues: [{ path: ["bases", 1, "location", "x"], message: "expected a position on the line, 0 to 300 km" }],
  },
  {
    what: "an explicit allocation placing more teams than the state contributed",
    edit: (s) => (s.allocation.teams[1].count = 2),
    issues: [
      { path: ["allocation", "teams", 1, "count"], message: "places 5 of aa's team but the contributions give 4" },
    ],
  },
  {
    what: "an explicit allocation at an unknown base",
    edit: (s) => (s.allocation.teams[0].base = "b9"),
    issues: [{ path: ["allocation", "teams", 0, "base"], message: 'unknown base id "b9"; known: b1, b2' }],
  },
  {
    what: "an explicit allocation exceeding a base's capacity",
    edit: (s) => (s.bases[0].capacity = 2),
    issues: [
      {
        path: ["allocation", "teams", 0, "count"],
        message: "base b1 holds at most 2 teams; this placement brings it to 3",
      },
    ],
  },
  {
    what: "a team asset placed under allocation.sensors",
    edit: (s) => {
      const t = s.allocation.teams.pop();
      delete t.base;
      s.allocation.sensors.push(t);
    },
    issues: [
      {
        path: ["allocation", "sensors", 1, "asset"],
        message: "expected a sensor asset; team is a team (place it under allocation.teams)",
      },
    ],
  },
  {
    what: "a sensor asset placed under allocation.teams",
    edit: (s) => {
      s.allocation.sensors[0].count = 5;
      s.allocation.teams.push({ state: "aa", asset: "cam", base: "b1", count: 1 });
    },
    issues: [
      {
        path: ["allocation", "teams", 3, "asset"],
        message: "expected a team asset; cam is a fixed (place it under allocation.sensors)",
      },
    ],
  },
  {
    what: "a travel matrix missing a sector row",
    edit: (s) => {
      s.travel = structuredClone(MATRIX);
      delete s.travel.hours.s;
    },
    issues: [{ path: ["travel", "hours"], message: 'missing the row for sector "s"' }],
  },
  {
    what: "a travel matrix missing a base column",
    edit: (s) => {
      s.travel = structuredClone(MATRIX);
      delete s.travel.hours.s.b2;
    },
    issues: [{ path: ["travel", "hours", "s"], message: 'missing the travel time to base "b2"' }],
  },
  {
    what: "a travel matrix row for an unknown sector",
    edit: (s) => {
      s.travel = structuredClone(MATRIX);
      s.travel.hours.x = { b1: "1 h", b2: "1 h" };
    },
    issues: [{ path: ["travel", "hours", "x"], message: 'unknown sector id "x"; known: n, c, s' }],
  },
];

const values: Case[] = [
  {
    what: "a denial probability of 1.5",
    edit: (s) => (s.sectors[0].access.denial = 1.5),
    issues: [{ path: ["sectors", 0, "access", "denial"], message: "expected a probability between 0 and 1" }],
  },
  {
    what: "a nightShare of -0.1",
    edit: (s) => (s.sectors[0].incidents.nightShare = -0.1),
    issues: [{ path: ["sectors", 0, "incidents", "nightShare"], message: "expected a probability between 0 and 1" }],
  },
  {
    what: "severity shares summing to 1.1",
    edit: (s) => (s.sectors[1].incidents.severity.major = 0.6),
    issues: [
      {
        path: ["sectors", 1, "incidents", "severity"],
        message: "expected severity shares (minor + major + critical) summing to 1",
      },
    ],
  },
  {
    what: 'a negative rate "-3 /d"',
    edit: (s) => (s.sectors[2].incidents.rate = "-3 /d"),
    issues: [{ path: ["sectors", 2, "incidents", "rate"], message: 'expected a rate of at least 0; got "-3 /d"' }],
  },
  {
    what: 'a length "40 km" as a speed',
    edit: (s) => (s.assets[0].speed = "40 km"),
    issues: [{ path: ["assets", 0, "speed"], message: 'expected a speed such as "40 km/h"; "40 km" is not a speed' }],
  },
  {
    what: 'a duration "3 h" as a rate',
    edit: (s) => (s.sectors[2].incidents.rate = "3 h"),
    issues: [
      {
        path: ["sectors", 2, "incidents", "rate"],
        message: 'expected a rate such as "36 /d", "2 /h"; "3 h" is not a rate',
      },
    ],
  },
  {
    what: 'a speed "40 km/h" as a length',
    edit: (s) => (s.sectors[1].lengthKm = "40 km/h"),
    issues: [
      { path: ["sectors", 1, "lengthKm"], message: 'expected a length such as "120 km"; "40 km/h" is not a length' },
    ],
  },
  {
    what: 'an unparseable unit string "fast"',
    edit: (s) => (s.assets[0].speed = "fast"),
    issues: [
      {
        path: ["assets", 0, "speed"],
        message: 'expected a speed such as "40 km/h"; could not read "fast" (Unit "fast" not found.)',
      },
    ],
  },
  {
    what: 'a zero horizon "0 h"',
    edit: (s) => (s.horizon = "0 h"),
    issues: [{ path: ["horizon"], message: 'expected a duration greater than zero; got "0 h"' }],
  },
  {
    what: 'a travel time in km ("1 km")',
    edit: (s) => {
      s.travel = structuredClone(MATRIX);
      s.travel.hours.n.b1 = "1 km";
    },
    issues: [
      {
        path: ["travel", "hours", "n", "b1"],
        message: 'expected a duration such as "90 min", "2 h", "1.5 d"; "1 km" is not a duration',
      },
    ],
  },
  {
    what: "a lognormal with p95 equal to the median",
    edit: (s) => (s.sectors[0].access.delay = { dist: "lognormal", median: "2 h", p95: "120 min" }),
    issues: [{ path: ["sectors", 0, "access", "delay", "p95"], message: "expected p95 greater than median" }],
  },
  {
    what: "a lognormal with p95 below the median",
    edit: (s) => (s.sectors[0].access.delay = { dist: "lognormal", median: "2 h", p95: "1 h" }),
    issues: [{ path: ["sectors", 0, "access", "delay", "p95"], message: "expected p95 greater than median" }],
  },
  {
    what: "an empirical distribution with no values",
    edit: (s) => (s.assets[0].onSite = { dist: "empirical", values: [] }),
    issues: [{ path: ["assets", 0, "onSite", "values"], message: "expected at least one value" }],
  },
  {
    what: "a wrong format tag",
    edit: (s) => (s.format = "ceasefire-sim/scenario@2"),
    issues: [{ path: ["format"], message: 'expected "format": "ceasefire-sim/scenario@1"' }],
  },
];

const shape: Case[] = [
  {
    what: "a missing name",
    edit: (s) => delete s.name,
    issues: [{ path: ["name"], message: "expected string (field is missing)" }],
  },
  {
    what: "a missing horizon",
    edit: (s) => delete s.horizon,
    issues: [{ path: ["horizon"], message: "expected string (field is missing)" }],
  },
  {
    what: "a missing coordination",
    edit: (s) => delete s.coordination,
    issues: [{ path: ["coordination"], message: "expected object (field is missing)" }],
  },
  {
    what: "a missing coordination.lead",
    edit: (s) => delete s.coordination.lead,
    issues: [{ path: ["coordination", "lead"], message: "expected string (field is missing)" }],
  },
  {
    what: 'an unknown root field "sectorz"',
    edit: (s) => (s.sectorz = []),
    issues: [{ path: [], message: 'unknown field "sectorz"' }],
  },
  {
    what: 'a sector field misspelt "lenghtKm" (unknown field and missing lengthKm)',
    edit: (s) => {
      s.sectors[1].lenghtKm = s.sectors[1].lengthKm;
      delete s.sectors[1].lengthKm;
    },
    issues: [
      { path: ["sectors", 1, "lengthKm"], message: "expected one of: string, number" },
      { path: ["sectors", 1], message: 'unknown field "lenghtKm"' },
    ],
  },
  {
    what: "an unknown allocation strategy name",
    edit: (s) => (s.allocation = { strategy: "greedy" }),
    issues: [
      {
        path: ["allocation", "strategy"],
        message:
          'unknown strategy "greedy"; known: risk-weighted, uniform, proportional, lead-nation, greedy-coverage, ' +
          "p-median, max-cover, custom",
      },
    ],
  },
];

const hostile: Case[] = [
  {
    what: "NaN as a probability (JS object input)",
    edit: (s) => (s.sectors[0].access.denial = NaN),
    issues: [{ path: ["sectors", 0, "access", "denial"], message: "expected a finite number; got NaN" }],
  },
  {
    what: "Infinity as a bare-number length",
    edit: (s) => (s.sectors[0].lengthKm = Infinity),
    issues: [{ path: ["sectors", 0, "lengthKm"], message: "expected a finite number; got Infinity" }],
  },
  {
    what: "-Infinity as a count",
    edit: (s) => (s.contributions[0].count = -Infinity),
    issues: [{ path: ["contributions", 0, "count"], message: "expected a finite number; got -Infinity" }],
  },
  {
    what: 'a "constructor" key in a sector',
    edit: (s) => (s.sectors[0].constructor = { x: 1 }),
    issues: [{ path: ["sectors", 0, "constructor"], message: 'the key "constructor" is not allowed' }],
  },
  {
    what: 'a "prototype" key in an asset',
    edit: (s) => (s.assets[0].prototype = {}),
    issues: [{ path: ["assets", 0, "prototype"], message: 'the key "prototype" is not allowed' }],
  },
];

for (const [group, cases] of [
  ["refuses broken cross-references", references],
  ["refuses out-of-range and mistyped values", values],
  ["refuses missing, unknown and misspelt fields", shape],
  ["refuses hostile JS values", hostile],
] as const) {
  describe(`parseScenario ${group}`, () => {
    for (const c of cases) {
      it(`refuses ${c.what} at ${JSON.stringify(c.issues[0]!.path)}`, () => {
        expect(issuesOf(edited(c.edit))).toEqual(c.issues);
      });
    }
  });
}

describe("parseScenario says what type was expected for a wrong type", () => {
  // These fields are present with the wrong type, so the message must not claim the field is missing.
  it('refuses horizon given as the number 30: "expected string, got the number 30"', () => {
    expect(issuesOf(edited((s) => (s.horizon = 30)))).toEqual([
      { path: ["horizon"], message: "expected string, got the number 30" },
    ]);
  });

  it('refuses sectors given as an object: "expected array, got object"', () => {
    expect(issuesOf(edited((s) => (s.sectors = { n: s.sectors[0] })))).toEqual([
      { path: ["sectors"], message: "expected array, got object" },
    ]);
  });

  it('refuses a probability given as the string "0.5": "expected number, got the string \\"0.5\\""', () => {
    expect(issuesOf(edited((s) => (s.sectors[0].access.denial = "0.5")))).toEqual([
      { path: ["sectors", 0, "access", "denial"], message: 'expected number, got the string "0.5"' },
    ]);
  });
});

describe("parseScenario refuses non-scenario top-level input", () => {
  it("refuses malformed JSON text with an issue at the root", () => {
    const e = refusal("{");
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]!.path).toEqual([]);
    expect(e.issues[0]!.message).toMatch(/^expected JSON text \(broken at line 1, column 2\); /);
  });

  it("refuses null and an array with an issue at the root", () => {
    expect(refusal(null).issues.map((i) => i.path)).toEqual([[]]);
    expect(refusal([]).issues.map((i) => i.path)).toEqual([[]]);
  });
});

describe("parseScenario refuses prototype-polluting keys", () => {
  const withProtoAtRoot = () => JSON.stringify(base()).replace(/^\{/, '{"__proto__":{"polluted":"yes"},');

  it('refuses an own "__proto__" key at the root (JSON.parse object) and leaves Object.prototype alone', () => {
    const input = JSON.parse(withProtoAtRoot());
    expect(Object.hasOwn(input, "__proto__")).toBe(true);
    const text = JSON.stringify(input);
    expect(refusal(input).issues).toEqual([{ path: ["__proto__"], message: 'the key "__proto__" is not allowed' }]);
    expect(JSON.stringify(input)).toBe(text);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
  });

  it('refuses a "__proto__" key given in JSON text', () => {
    expect(refusal(withProtoAtRoot()).issues).toEqual([
      { path: ["__proto__"], message: 'the key "__proto__" is not allowed' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a nested "__proto__" key in sectors[0].incidents', () => {
    const input = JSON.parse(
      JSON.stringify(base()).replace('"rate":"24 /d"', '"rate":"24 /d","__proto__":{"polluted":"yes"}'),
    );
    expect(refusal(input).issues).toEqual([
      { path: ["sectors", 0, "incidents", "__proto__"], message: 'the key "__proto__" is not allowed' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a "constructor": { "prototype": … } key in a record (regimes[0].next)', () => {
    const input = JSON.parse(
      JSON.stringify(base()).replace(
        '"next":{"tense":1}',
        '"next":{"tense":1,"constructor":{"prototype":{"polluted":"yes"}}}',
      ),
    );
    expect(refusal(input).issues).toEqual([
      { path: ["regimes", 0, "next", "constructor"], message: 'the key "constructor" is not allowed' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("parseScenario refuses deep nesting", () => {
  it("refuses 40 levels of nested objects with the path where nesting passes 32 levels", () => {
    const s = base();
    let o: Record<string, unknown> = {};
    s.description = o;
    for (let i = 0; i < 40; i++) {
      const inner = {};
      o.a = inner;
      o = inner;
    }
    expect(issuesOf(s)).toEqual([
      {
        path: ["description", ...new Array(32).fill("a")],
        message: "nesting deeper than 32 levels is not part of the format",
      },
    ]);
  });

  it("refuses JSON text nested 100,000 arrays deep without a stack overflow", () => {
    const text = JSON.stringify(base()).replace(/^\{/, `{"description":${"[".repeat(100_000)}${"]".repeat(100_000)},`);
    const e = refusal(text);
    expect(e.issues).toEqual([
      {
        path: ["description", ...new Array(32).fill(0)],
        message: "nesting deeper than 32 levels is not part of the format",
      },
    ]);
  });
});

describe("parseScenario lists every problem at once", () => {
  const broken = () =>
    edited((s) => {
      s.horizon = "0 h";
      s.sectors[0].access.denial = 1.5;
      s.sectors[1].lenghtKm = 120;
      s.assets[0].speed = "40 km";
    });

  it("lists all four schema problems of one scenario in .issues", () => {
    const issues = issuesOf(broken());
    expect(issues).toHaveLength(4);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: ["horizon"], message: 'expected a duration greater than zero; got "0 h"' },
        { path: ["sectors", 0, "access", "denial"], message: "expected a probability between 0 and 1" },
        { path: ["sectors", 1], message: 'unknown field "lenghtKm"' },
        { path: ["assets", 0, "speed"], message: 'expected a speed such as "40 km/h"; "40 km" is not a speed' },
      ]),
    );
  });

  it("lists each problem's path in error.message", () => {
    const e = refusal(broken());
    expect(e.name).toBe("ScenarioError");
    const lines = e.message.split("\n");
    expect(lines[0]).toBe("scenario is invalid (4 problems):");
    expect(lines.slice(1).sort()).toEqual(
      [
        '  - horizon: expected a duration greater than zero; got "0 h"',
        "  - sectors[0].access.denial: expected a probability between 0 and 1",
        '  - sectors[1]: unknown field "lenghtKm"',
        '  - assets[0].speed: expected a speed such as "40 km/h"; "40 km" is not a speed',
      ].sort(),
    );
  });

  it("lists schema problems and dangling references of one scenario together", () => {
    const e = refusal(
      edited((s) => {
        s.horizon = "0 h";
        s.sectors[0].access.denial = 1.5;
        s.sectors[1].lead = "zz";
        s.contributions[0].asset = "tank";
      }),
    );
    expect(e.issues).toHaveLength(4);
    expect(e.issues).toEqual(
      expect.arrayContaining([
        { path: ["horizon"], message: 'expected a duration greater than zero; got "0 h"' },
        { path: ["sectors", 0, "access", "denial"], message: "expected a probability between 0 and 1" },
        { path: ["sectors", 1, "lead"], message: 'unknown state id "zz"; known: aa, bb' },
        { path: ["contributions", 0, "asset"], message: 'unknown asset id "tank"; known: team, cam' },
      ]),
    );
    for (const p of ["horizon", "sectors[0].access.denial", "sectors[1].lead", "contributions[0].asset"])
      expect(e.message).toContain(`\n  - ${p}: `);
  });

  it("lists all consistency problems (line length, regime sums, base capacity, base position) of one scenario", () => {
    const e = refusal(
      edited((s) => {
        s.line.lengthKm = 400;
        s.regimes[0].next = { tense: 0.7 };
        s.bases[0].capacity = 2;
        s.bases[1].location.x = 420;
      }),
    );
    expect(e.issues).toHaveLength(4);
    expect(e.issues).toEqual(
      expect.arrayContaining([
        { path: ["line", "lengthKm"], message: "sector lengths add up to 300 km, not the line's 400 km" },
        { path: ["regimes", 0, "next"], message: "expected jump probabilities summing to 1; got 0.7" },
        {
          path: ["allocation", "teams", 0, "count"],
          message: "base b1 holds at most 2 teams; this placement brings it to 3",
        },
        { path: ["bases", 1, "location", "x"], message: "expected a position on the line, 0 to 300 km" },
      ]),
    );
    for (const p of ["line.lengthKm", "regimes[0].next", "allocation.teams[0].count", "bases[1].location.x"])
      expect(e.message).toContain(`\n  - ${p}: `);
  });

  it("freezes .issues so callers cannot edit the report", () => {
    const e = refusal(broken());
    expect(Object.isFrozen(e.issues)).toBe(true);
    expect(Object.isFrozen(e.issues[0])).toBe(true);
  });
});

describe("parseScenario after refusals", () => {
  it("still parses a valid input after every case above was refused, and does not modify it", () => {
    for (const c of [...references, ...values, ...shape, ...hostile]) refusal(edited(c.edit));
    const input = base();
    const before = structuredClone(input);
    const s = parseScenario(input);
    expect(input).toStrictEqual(before);
    expect(s.name).toBe("tiny");
    expect(s.lineKm).toBe(300);
    expect(s.sectors.map((x) => x.lead)).toEqual([0, 1, 0]);
  });
});

describe("parseScenario names the accepted choices and tolerates a byte-order mark", () => {
  it("an unknown distribution lists every valid dist", () => {
    const issues = issuesOf(
      edited((s) => {
        s.sectors[0].access = { delay: { dist: "weibull", mean: "2 h" }, denial: 0 };
      }),
    );
    expect(issues).toEqual([
      {
        path: ["sectors", 0, "access", "delay", "dist"],
        message: 'expected one of "exponential", "lognormal", "uniform", "triangular", "gamma", "empirical"',
      },
    ]);
  });
  it("JSON text with a UTF-8 byte-order mark parses", () => {
    expect(parseScenario(`\ufeff${JSON.stringify(base())}`).name).toBe(base().name);
  });
});
