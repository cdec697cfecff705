/**
 * The per-incident log (src/experiment/incidents.ts) against the result of `simulate` on the same seed and
 * replications, and its files (src/node/incident-log.ts) read back by an independent reader: DuckDB (its
 * WebAssembly build, run in Node) reads the CSV with its own parser and the Arrow IPC file's messages with the
 * Arrow C++ library it is built with; apache-arrow reads the Arrow file through its footer.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import {
  incidentLog,
  incidentRow,
  replicationRows,
  INCIDENT_COLUMNS,
  type IncidentLog,
  type ReplicationRows,
} from "../src/experiment/incidents.js";
import { toRows } from "../src/report/rows.js";
import { simulate, type Result } from "../src/experiment/simulate.js";
import type { SectorMetrics } from "../src/stats/summarize.js";
import { defaultScenario, scenario } from "../src/scenarios/index.js";
import { incidentLogArrow, writeIncidentLog, writeReplicationRows } from "../src/node/incident-log.js";
import {
  writeIncidentLog as cliWriteIncidentLog,
  writePerReplication,
  checkIncidentsFile,
  checkTableFile,
} from "../src/cli/incidents.js";
import { UsageError } from "../src/cli/common.js";
import { InputError } from "../src/node/files.js";

const SEED = 11;
const REPS = 4;

/** Relative difference, with an absolute floor for values near 0. */
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-12, Math.abs(b));

/** Row indices of a log that satisfy `f` (on the row with labels and nulls). */
function rowsWhere(log: IncidentLog, f: (r: ReturnType<typeof incidentRow>) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < log.rows; i++) if (f(incidentRow(log, i))) out.push(i);
  return out;
}

/** The log's counts as the result's `counts` names them, over the rows of one sector or all. */
function countsOf(log: IncidentLog, sector?: string): SectorMetrics["counts"] {
  const c = {
    incidents: 0,
    verifiable: 0,
    verified: 0,
    undetected: 0,
    denied: 0,
    noEligibleTeam: 0,
    horizonEnd: 0,
    minor: 0,
    minorRecorded: 0,
    detected: 0,
    dispatches: 0,
  };
  for (let i = 0; i < log.rows; i++) {
    const r = incidentRow(log, i);
    if (sector !== undefined && r.sector !== sector) continue;
    c.incidents++;
    if (r.channel !== null) c.detected++;
    if (r.team !== null) c.dispatches++;
    if (r.severity === "minor") {
      c.minor++;
      if (r.outcome === "recorded") c.minorRecorded++;
      continue;
    }
    c.verifiable++;
    if (r.outcome === "verified") c.verified++;
    else if (r.outcome === "undetected") c.undetected++;
    else if (r.outcome === "denied") c.denied++;
    else if (r.outcome === "no-eligible-team") c.noEligibleTeam++;
    else if (r.outcome === "horizon-end") c.horizonEnd++;
  }
  return c;
}

/** Mean of a column over rows where it is not null; NaN over none. */
function meanOf(log: IncidentLog, name: keyof IncidentLog["columns"], sector?: number): number {
  let s = 0,
    n = 0;
  const v = log.columns[name];
  for (let i = 0; i < log.rows; i++) {
    if (sector !== undefined && log.columns.sector[i] !== sector) continue;
    if (Number.isNaN(v[i]!)) continue;
    s += v[i]!;
    n++;
  }
  return s / n;
}

/** The log's response-time means (verified rows) as the result's responseComponents name them. */
function componentMeans(log: IncidentLog, sector?: number) {
  let n = 0;
  const sum = { detection: 0, tasking: 0, queue: 0, mobilisation: 0, travel: 0, access: 0 };
  const c = log.columns;
  for (let i = 0; i < log.rows; i++) {
    if (Number.isNaN(c.response[i]!) || (sector !== undefined && c.sector[i] !== sector)) continue;
    n++;
    sum.detection += c.detectionDelay[i]!;
    sum.tasking += c.reportingDelay[i]! + c.taskingDelay[i]!;
    sum.queue += c.queueWait[i]!;
    sum.mobilisation += c.mobilisation[i]!;
    sum.travel += c.travel[i]!;
    sum.access += c.access[i]!;
  }
  return Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, v / n])) as typeof sum;
}

/** An overloaded M/M/c with travel and a short drain: incidents still waiting, or on the way, at its end. */
function overloaded(): unknown {
  const s = JSON.parse(readFileSync(new URL("../examples/scenarios/mmc.json", import.meta.url), "utf8"));
  s.name = "mmc-overloaded";
  s.horizon = "200 h";
  s.warmup = "10 h";
  s.drain = "1 h";
  s.sectors[0].incidents.rate = "6 /h";
  s.travel = { hours: { sector: { base: "3 h" } } };
  return s;
}

/** The checks every log must pass against its simulate result. */
function checkAgainstResult(log: IncidentLog, result: Result): void {
  expect(log.rows).toBe(result.line.counts.incidents);
  expect(countsOf(log)).toEqual(result.line.counts);
  for (const [s, sec] of result.sectors.entries()) {
    expect(log.dictionaries.sector[s]).toBe(sec.id);
    expect(countsOf(log, sec.id), sec.id).toEqual(sec.counts);
  }
  // Mean response over verified rows: the result's estimator is the pooled ratio Σ response / Σ verified.
  if (result.line.counts.verified > 0) {
    expect(rel(meanOf(log, "response"), result.line.response.mean.value)).toBeLessThan(1e-9);
    const parts = componentMeans(log);
    for (const [k, v] of Object.entries(parts))
      expect(rel(v, result.line.responseComponents[k as keyof typeof parts].value), k).toBeLessThan(1e-9);
  }
  for (const [s, sec] of result.sectors.entries())
    if (sec.counts.verified > 0)
      expect(rel(meanOf(log, "response", s), sec.response.mean.value), sec.id).toBeLessThan(1e-9);
  // Mean detection delay over detected rows: the result's detection latency.
  expect(rel(meanOf(log, "detectionDelay"), result.line.detection.latency.mean.value)).toBeLessThan(1e-9);
  // Every row inside the measured window, replications in range and in order, times in order within each.
  const { warmupHours: w, horizonHours: h } = result.provenance;
  const c = log.columns;
  for (let i = 0; i < log.rows; i++) {
    expect(c.time[i]! >= w && c.time[i]! < w + h).toBe(true);
    if (i > 0 && c.replication[i] === c.replication[i - 1]) expect(c.time[i]!).toBeGreaterThanOrEqual(c.time[i - 1]!);
    else if (i > 0) expect(c.replication[i]!).toBe(c.replication[i - 1]! + 1);
  }
}

/** The null pattern every row must follow, and the response as the sum of its parts. */
function checkRows(log: IncidentLog): void {
  for (let i = 0; i < log.rows; i++) {
    const r = incidentRow(log, i);
    const detected = r.channel !== null;
    expect(r.detectionDelay !== null, `row ${i}`).toBe(detected);
    expect(r.outcome === "undetected").toBe(!detected);
    const verifiable = r.severity !== "minor";
    expect(r.reportingDelay !== null).toBe(verifiable && detected);
    expect(r.taskingDelay !== null).toBe(verifiable && detected);
    if (!verifiable) expect(r.outcome === "recorded" || r.outcome === "undetected").toBe(true);
    const sent = r.team !== null;
    for (const k of ["queueWait", "mobilisation", "travel", "access", "state"] as const)
      expect(r[k] !== null, `${k} of row ${i}`).toBe(sent);
    if (sent) expect(verifiable && detected).toBe(true);
    if (r.outcome === "verified" || r.outcome === "denied") expect(sent).toBe(true);
    expect(r.response !== null).toBe(r.outcome === "verified");
    for (const k of ["detectionDelay", "reportingDelay", "taskingDelay", "queueWait", "mobilisation"] as const)
      if (r[k] !== null) expect(r[k]!, k).toBeGreaterThanOrEqual(0);
    if (r.response !== null) {
      const sum =
        r.detectionDelay! +
        r.reportingDelay! +
        r.taskingDelay! +
        r.queueWait! +
        r.mobilisation! +
        r.travel! +
        r.access!;
      expect(Math.abs(sum - r.response)).toBeLessThan(1e-9 * Math.max(1, r.response));
    }
  }
}

describe("incidentLog against simulate", () => {
  let log: IncidentLog;
  let result: Result;
  beforeAll(async () => {
    log = await incidentLog(defaultScenario(), { seed: SEED, replications: REPS });
    result = await simulate(defaultScenario(), { seed: SEED, replications: REPS });
  });

  it("the default scenario: counts per outcome and per sector, mean response and its parts equal the result's", () => {
    expect(log.rows).toBeGreaterThan(1000);
    checkAgainstResult(log, result);
    expect(log.provenance).toMatchObject({
      seed: String(SEED),
      replications: { from: 0, to: REPS },
      scenario: result.provenance.scenario,
      strategy: result.provenance.strategy,
      warmupHours: result.provenance.warmupHours,
      horizonHours: result.provenance.horizonHours,
    });
    // Each first-detecting channel's share of detected rows is the result's share by channel.
    const detected = result.line.counts.detected;
    for (const [ch, e] of Object.entries(result.line.detection.byChannel)) {
      const n = rowsWhere(log, (r) => r.channel === ch).length;
      expect(rel(n / detected, e.value), ch).toBeLessThan(1e-9);
    }
  });

  it("each row is null exactly where its quantity is undefined; a verified response is the sum of its parts", () => {
    checkRows(log);
    // The default scenario has rows of every kind the null pattern distinguishes.
    for (const outcome of ["verified", "denied", "undetected", "recorded"])
      expect(rowsWhere(log, (r) => r.outcome === outcome).length, outcome).toBeGreaterThan(0);
    expect(rowsWhere(log, (r) => r.mobilisation !== null && r.mobilisation > 0).length).toBeGreaterThan(0);
    expect(rowsWhere(log, (r) => r.queueWait !== null && r.queueWait > 0).length).toBeGreaterThan(0);
  });

  it("a team's state is the state the result gives that team", () => {
    const stateOf = new Map(result.teams.map((t) => [t.id, t.state]));
    for (const i of rowsWhere(log, (r) => r.team !== null).slice(0, 500)) {
      const r = incidentRow(log, i);
      expect(r.state).toBe(stateOf.get(r.team!));
    }
  });

  it("replications from/to are the rows of the whole log (a replication depends on its index alone)", async () => {
    const part = await incidentLog(defaultScenario(), { seed: SEED, from: 2, to: 4 });
    const first = log.columns.replication.indexOf(2);
    expect(part.rows).toBe(log.rows - first);
    for (const c of INCIDENT_COLUMNS)
      expect(Array.from(part.columns[c.name]), c.name).toEqual(Array.from(log.columns[c.name].subarray(first)));
    const other = await incidentLog(defaultScenario(), { seed: SEED + 1, from: 2, to: 4 });
    expect(Array.from(other.columns.time.subarray(0, 5))).not.toEqual(Array.from(part.columns.time.subarray(0, 5)));
  });

  it("horizon-end rows (waiting, or a team still on its way, at the end of the drain window) match too", async () => {
    const s = overloaded();
    const l = await incidentLog(s, { seed: 5, replications: 3 });
    const r = await simulate(s, { seed: 5, replications: 3 });
    expect(r.line.counts.horizonEnd).toBeGreaterThan(0);
    checkAgainstResult(l, r);
    checkRows(l);
    const late = rowsWhere(l, (x) => x.outcome === "horizon-end");
    expect(late.some((i) => incidentRow(l, i).team === null)).toBe(true);
    expect(late.some((i) => incidentRow(l, i).team !== null)).toBe(true);
    // A horizon override applies as in simulate.
    const short = await incidentLog(s, { seed: 5, replications: 1, horizon: "20 h" });
    const rs = await simulate(s, { seed: 5, replications: 1, horizon: "20 h" });
    checkAgainstResult(short, rs);
  });

  it("no eligible team (technical-only): no team, no wait, outcome no-eligible-team", async () => {
    const l = await incidentLog(scenario("technical-only"), { seed: 2, replications: 1 });
    const r = await simulate(scenario("technical-only"), { seed: 2, replications: 1 });
    expect(r.line.counts.noEligibleTeam).toBeGreaterThan(0);
    checkAgainstResult(l, r);
    checkRows(l);
  });

  it("an allocation option gives that strategy's rows", async () => {
    const l = await incidentLog(defaultScenario(), { seed: SEED, replications: 1, allocation: "uniform" });
    const r = await simulate(defaultScenario(), { seed: SEED, replications: 1, allocation: "uniform" });
    expect(l.provenance.strategy).toBe("uniform");
    checkAgainstResult(l, r);
  });

  it("simulate's log option returns the same log and per-replication rows beside the result", async () => {
    const opts = { seed: SEED, replications: 2, horizon: "10 d" };
    const r = await simulate(defaultScenario(), { ...opts, log: { incidents: true, replications: true } });
    checkAgainstResult(r.incidents!, r);
    expect(r.incidents!.provenance.replications).toEqual({ from: 0, to: 2 });
    expect(r.replicationRows).toEqual(await replicationRows(defaultScenario(), opts));
    const plain = await simulate(defaultScenario(), opts);
    expect(plain.incidents).toBeUndefined();
    expect(plain.line).toEqual(r.line);
    await expect(simulate(defaultScenario(), { log: { incident: true } } as never)).rejects.toThrow(
      /^log: expected \{ incidents\?: boolean, replications\?: boolean \}; got the unknown key "incident"/,
    );
    await expect(simulate(defaultScenario(), { log: { incidents: "yes" } } as never)).rejects.toThrow(
      /^log: .*got incidents: "yes"/,
    );
  });

  it("refuses bad options, naming them; a stopped signal stops it", async () => {
    const s = defaultScenario();
    await expect(incidentLog(s, { replications: 0 })).rejects.toThrow(/^replications: expected a whole number/);
    await expect(incidentLog(s, { replications: 2, from: 0, to: 1 })).rejects.toThrow(/replications and from\/to/);
    await expect(incidentLog(s, { from: 3, to: 3 })).rejects.toThrow(/^to: expected a whole number above from/);
    await expect(incidentLog(s, { from: -1, to: 3 })).rejects.toThrow(/^from:/);
    await expect(incidentLog(s, { replicates: 3 } as never)).rejects.toThrow(/unknown option "replicates"/);
    await expect(incidentLog(s, { seed: 2 ** 60 })).rejects.toThrow(/^seed:/);
    await expect(incidentLog(s, { replications: 1000, maxRows: 1e5 })).rejects.toThrow(
      /^maxRows: incidentLog would give about/,
    );
    const ac = new AbortController();
    ac.abort();
    await expect(incidentLog(s, { replications: 2, signal: ac.signal })).rejects.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Files, read back by DuckDB.

interface Duck {
  query(sql: string): Record<string, unknown>[];
  registerFile(name: string, bytes: Uint8Array): void;
  insertArrowStream(name: string, bytes: Uint8Array): void;
  close(): void;
}

/** DuckDB's WebAssembly build with its blocking Node bindings (no worker, no native code). */
async function openDuckDB(): Promise<Duck> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs");
  const duckdb = require(entry);
  const dist = dirname(entry);
  const bundles = {
    mvp: { mainModule: join(dist, "duckdb-mvp.wasm"), mainWorker: join(dist, "duckdb-node-mvp.worker.cjs") },
    eh: { mainModule: join(dist, "duckdb-eh.wasm"), mainWorker: join(dist, "duckdb-node-eh.worker.cjs") },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate(() => {});
  const conn = db.connect();
  return {
    query: (sql) =>
      conn
        .query(sql)
        .toArray()
        .map((r: { toJSON(): Record<string, unknown> }) => r.toJSON()),
    registerFile: (name, bytes) => db.registerFileBuffer(name, bytes),
    insertArrowStream: (name, bytes) => conn.insertArrowFromIPCStream(bytes, { name }),
    close: () => conn.close(),
  };
}

/**
 * The stream-format part of an Arrow IPC file, as the file format lays it out: after the leading magic and
 * padding (8 bytes), up to the footer, whose length is the int32 before the trailing magic.
 */
function streamPartOfFile(bytes: Uint8Array): Uint8Array {
  const text = (a: number, b: number) => new TextDecoder().decode(bytes.subarray(a, b));
  expect(text(0, 6)).toBe("ARROW1");
  expect(text(bytes.length - 6, bytes.length)).toBe("ARROW1");
  const footer = new DataView(bytes.buffer, bytes.byteOffset).getInt32(bytes.length - 10, true);
  return bytes.subarray(8, bytes.length - 10 - footer);
}

/** Per-outcome and per-sector counts, the response sum and null counts, by SQL over table `t`. */
function sqlSummary(db: Duck, t: string) {
  const rows = db.query(`
    SELECT outcome, sector, count(*)::INTEGER AS n, count(response)::INTEGER AS responses,
           sum(response)::DOUBLE AS response, count(channel)::INTEGER AS detected, count(team)::INTEGER AS teams,
           count(queueWait)::INTEGER AS waits, sum(replication)::DOUBLE AS reps, sum(time)::DOUBLE AS time
    FROM ${t} GROUP BY outcome, sector ORDER BY outcome, sector`);
  return rows;
}

/** The same summary computed from the log itself. */
function logSummary(log: IncidentLog) {
  const by = new Map<string, Record<string, unknown>>();
  const c = log.columns;
  for (let i = 0; i < log.rows; i++) {
    const r = incidentRow(log, i);
    const key = `${r.outcome}\u0000${r.sector}`;
    let g = by.get(key);
    if (!g) {
      g = {
        outcome: r.outcome,
        sector: r.sector,
        n: 0,
        responses: 0,
        response: 0,
        detected: 0,
        teams: 0,
        waits: 0,
        reps: 0,
        time: 0,
      };
      by.set(key, g);
    }
    const add = (k: string, v: number) => {
      g[k] = (g[k] as number) + v;
    };
    add("n", 1);
    if (r.response !== null) add("responses", 1);
    add("response", r.response ?? 0);
    if (r.channel !== null) add("detected", 1);
    if (r.team !== null) add("teams", 1);
    if (r.queueWait !== null) add("waits", 1);
    add("reps", c.replication[i]!);
    add("time", c.time[i]!);
  }
  return [...by.values()]
    .map((g) => (g.responses === 0 ? { ...g, response: null } : g))
    .sort((a, b) =>
      a.outcome === b.outcome
        ? String(a.sector) < String(b.sector)
          ? -1
          : 1
        : String(a.outcome) < String(b.outcome)
          ? -1
          : 1,
    );
}

/** Compare SQL aggregates with the log's: counts exactly, sums to 1e-9 relative (summation order differs). */
function expectSameSummary(sql: Record<string, unknown>[], mine: Record<string, unknown>[]): void {
  expect(sql.length).toBe(mine.length);
  for (const [i, a] of sql.entries()) {
    const b = mine[i]!;
    for (const k of ["outcome", "sector", "n", "responses", "detected", "teams", "waits"])
      expect(a[k], k).toEqual(b[k]);
    for (const k of ["response", "reps", "time"]) {
      if (b[k] === null) expect(a[k], k).toBeNull();
      else expect(rel(a[k] as number, b[k] as number), k).toBeLessThan(1e-9);
    }
  }
}

describe("incident log files, read back by DuckDB", () => {
  let dir = "";
  let log: IncidentLog;
  let result: Result;
  let db: Duck;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ceasefire-sim-incidents-"));
    log = await incidentLog(defaultScenario(), { seed: SEED, replications: 3 });
    result = await simulate(defaultScenario(), { seed: SEED, replications: 3 });
    db = await openDuckDB();
  }, 120_000);
  afterAll(() => {
    db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the Arrow IPC file: DuckDB reads its messages, with the types and values written", async () => {
    const file = join(dir, "incidents.arrow");
    expect(await writeIncidentLog(file, log)).toBe("arrow");
    const bytes = new Uint8Array(readFileSync(file));
    db.insertArrowStream("arrow_log", streamPartOfFile(bytes));
    const types = Object.fromEntries(
      db.query("DESCRIBE arrow_log").map((r) => [r.column_name as string, r.column_type as string]),
    );
    expect(Object.keys(types)).toEqual(INCIDENT_COLUMNS.map((c) => c.name));
    for (const c of INCIDENT_COLUMNS)
      expect(types[c.name], c.name).toBe(c.kind === "float" ? "DOUBLE" : c.kind === "int" ? "INTEGER" : "VARCHAR");
    const [total] = db.query("SELECT count(*)::INTEGER AS n FROM arrow_log");
    expect(total!.n).toBe(result.line.counts.incidents);
    const outcomes = Object.fromEntries(
      db.query("SELECT outcome, count(*)::INTEGER AS n FROM arrow_log GROUP BY 1").map((r) => [r.outcome, r.n]),
    );
    expect(outcomes.verified).toBe(result.line.counts.verified);
    expect(outcomes.denied).toBe(result.line.counts.denied);
    expect(outcomes.recorded).toBe(result.line.counts.minorRecorded);
    const [mean] = db.query("SELECT avg(response)::DOUBLE AS m FROM arrow_log WHERE outcome = 'verified'");
    expect(rel(mean!.m as number, result.line.response.mean.value)).toBeLessThan(1e-9);
    for (const sec of result.sectors) {
      const [n] = db.query(`SELECT count(*)::INTEGER AS n FROM arrow_log WHERE sector = '${sec.id}'`);
      expect(n!.n, sec.id).toBe(sec.counts.incidents);
    }
    expectSameSummary(sqlSummary(db, "arrow_log"), logSummary(log));
    // Values exactly as written: the first rows, column by column.
    const first = db.query("SELECT * FROM arrow_log LIMIT 200");
    for (const [i, row] of first.entries()) expect(row, `row ${i}`).toEqual({ ...incidentRow(log, i) });
  });

  it("the Arrow IPC file through its footer (apache-arrow): types, dictionaries, nulls and provenance", async () => {
    const bytes = await incidentLogArrow(log);
    const table = tableFromIPC(bytes);
    expect(table.numRows).toBe(log.rows);
    expect(table.schema.fields.map((f) => f.name)).toEqual(INCIDENT_COLUMNS.map((c) => c.name));
    for (const c of INCIDENT_COLUMNS) {
      const f = table.schema.fields.find((x) => x.name === c.name)!;
      const t = f.type;
      if (c.kind === "code") {
        expect(String(t), c.name).toBe("Dictionary<Int32, Utf8>");
      } else expect(String(t), c.name).toBe(c.kind === "float" ? "Float64" : "Int32");
      expect(f.nullable, c.name).toBe(c.nullable);
      if (c.unit) expect(f.metadata.get("unit"), c.name).toBe(c.unit);
      const col = table.getChild(c.name)!;
      let nulls = 0;
      for (let i = 0; i < log.rows; i++) {
        const v = log.columns[c.name][i]!;
        if (c.kind === "float" ? Number.isNaN(v) : v < 0) nulls++;
      }
      expect(col.nullCount, c.name).toBe(nulls);
    }
    expect(JSON.parse(table.schema.metadata.get("ceasefire-sim")!)).toEqual(log.provenance);
    for (const i of [0, 1, Math.floor(log.rows / 2), log.rows - 1]) {
      const row = table.get(i)!.toJSON();
      expect({ ...row }, `row ${i}`).toEqual({ ...incidentRow(log, i) });
    }
  });

  it("the CSV file: DuckDB's CSV reader gets the same rows (RFC 4180, header, empty field for null)", async () => {
    const file = join(dir, "incidents.csv");
    expect(await writeIncidentLog(file, log)).toBe("csv");
    const text = readFileSync(file, "utf8");
    expect(text.slice(0, text.indexOf("\r\n"))).toBe(INCIDENT_COLUMNS.map((c) => c.name).join(","));
    expect(text.split("\r\n").length).toBe(log.rows + 2); // header, rows, and the empty string after the last
    db.registerFile("incidents.csv", readFileSync(file));
    db.query("CREATE TABLE csv_log AS SELECT * FROM read_csv('incidents.csv', header = true)");
    const [total] = db.query("SELECT count(*)::INTEGER AS n FROM csv_log");
    expect(total!.n).toBe(result.line.counts.incidents);
    expectSameSummary(sqlSummary(db, "csv_log"), logSummary(log));
    // Numbers read back as the same doubles.
    const [diff] = db.query(`
      SELECT count(*)::INTEGER AS n FROM csv_log c JOIN arrow_log a
      ON c.replication = a.replication AND c.time = a.time AND c.place = a.place
      AND c.detectionDelay IS NOT DISTINCT FROM a.detectionDelay AND c.response IS NOT DISTINCT FROM a.response
      AND c.team IS NOT DISTINCT FROM a.team AND c.outcome = a.outcome`);
    expect(diff!.n).toBe(log.rows);
  });

  it("writers refuse other extensions and an existing file without force", async () => {
    await expect(writeIncidentLog(join(dir, "x.parquet"), log)).rejects.toThrow(/ending in \.csv or \.arrow/);
    const file = join(dir, "again.csv");
    writeFileSync(file, "keep");
    await expect(writeIncidentLog(file, log)).rejects.toThrow(InputError);
    expect(readFileSync(file, "utf8")).toBe("keep");
    await writeIncidentLog(file, log, { force: true });
    expect(readFileSync(file, "utf8").startsWith("replication,")).toBe(true);
  });
});

describe("the CLI's --incidents piece", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ceasefire-sim-incidents-cli-"));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("checks the file before the run: extension, existing file, same file as --out", () => {
    expect(() => checkIncidentsFile(join(dir, "log.json"))).toThrow(UsageError);
    expect(() => checkIncidentsFile(join(dir, "log.json"))).toThrow(/--incidents: expected a file name ending in/);
    expect(() => checkIncidentsFile("")).toThrow(UsageError);
    expect(() => checkIncidentsFile(join(dir, "log.csv"), { out: join(dir, "log.csv") })).toThrow(/same file/);
    writeFileSync(join(dir, "old.arrow"), "x");
    expect(() => checkIncidentsFile(join(dir, "old.arrow"))).toThrow(/exists; pass --force/);
    expect(() => checkIncidentsFile(join(dir, "old.arrow"), { force: true })).not.toThrow();
    expect(() => checkIncidentsFile(join(dir, "new.CSV"))).not.toThrow();
  });

  it("writes the run's log by extension, and refuses others as usage errors", async () => {
    const file = join(dir, "run.arrow");
    const w = await cliWriteIncidentLog(file, defaultScenario(), { seed: 3, replications: 2 });
    expect(w).toMatchObject({ file, format: "arrow", replications: { from: 0, to: 2 } });
    const r = await simulate(defaultScenario(), { seed: 3, replications: 2 });
    expect(w.rows).toBe(r.line.counts.incidents);
    expect(tableFromIPC(readFileSync(file)).numRows).toBe(w.rows);
    await expect(cliWriteIncidentLog(join(dir, "run.txt"), defaultScenario(), { replications: 1 })).rejects.toThrow(
      UsageError,
    );
    expect(existsSync(join(dir, "run.txt"))).toBe(false);
    await expect(cliWriteIncidentLog(join(dir, "x.csv"), defaultScenario(), { replications: 0 })).rejects.toThrow(
      UsageError,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Per-replication rows.

/** The rows of one scope, id and metric, by replication. */
function series(rows: ReplicationRows, scope: string, id: string, metric: string): (number | null)[] {
  return rows.rows.filter((r) => r.scope === scope && r.id === id && r.metric === metric).map((r) => r.value);
}

describe("replicationRows against simulate", () => {
  let rows: ReplicationRows;
  let result: Result;
  let log: IncidentLog;
  beforeAll(async () => {
    rows = await replicationRows(defaultScenario(), { seed: SEED, replications: REPS });
    result = await simulate(defaultScenario(), { seed: SEED, replications: REPS });
    log = await incidentLog(defaultScenario(), { seed: SEED, replications: REPS });
  });

  it("has every metric of toRows(result), for every replication, and nothing else", () => {
    const key = (r: { scope: string; id: string; metric: string }) => `${r.scope}|${r.id}|${r.metric}`;
    const expected = toRows(result).map(key).sort();
    for (let r = 0; r < REPS; r++)
      expect(
        rows.rows
          .filter((x) => x.replication === r)
          .map(key)
          .sort(),
      ).toEqual(expected);
    expect(rows.rows.length).toBe(REPS * expected.length);
    expect(rows.provenance.replications).toEqual({ from: 0, to: REPS });
  });

  it("counts add up to the result's; ratio metrics pool to the result's estimate", () => {
    const sum = (v: (number | null)[]) => v.reduce<number>((a, b) => a + (b ?? 0), 0);
    for (const [k, v] of Object.entries(result.line.counts))
      expect(sum(series(rows, "line", "line", `counts.${k}`)), k).toBe(v);
    for (const sec of result.sectors)
      expect(sum(series(rows, "sector", sec.id, "counts.incidents")), sec.id).toBe(sec.counts.incidents);
    // Response mean: Σ(mean_r × verified_r) / Σ verified_r is the result's pooled ratio.
    const means = series(rows, "line", "line", "response.mean");
    const verified = series(rows, "line", "line", "counts.verified");
    const pooled = sum(means.map((m, i) => (m ?? 0) * verified[i]!)) / sum(verified);
    expect(rel(pooled, result.line.response.mean.value)).toBeLessThan(1e-9);
    // A rate over the window (the same denominator in every replication): the plain mean is the estimate.
    const perDay = series(rows, "line", "line", "incidentsPerDay");
    expect(rel(sum(perDay) / REPS, result.line.incidentsPerDay.value)).toBeLessThan(1e-9);
  });

  it("each replication's counts are its rows in the incident log", () => {
    for (let r = 0; r < REPS; r++) {
      const mine = (f: (i: number) => boolean) => {
        let n = 0;
        for (let i = 0; i < log.rows; i++) if (log.columns.replication[i] === r && f(i)) n++;
        return n;
      };
      const at = (metric: string) => series(rows, "line", "line", metric)[r];
      expect(at("counts.incidents")).toBe(mine(() => true));
      expect(at("counts.verified")).toBe(mine((i) => !Number.isNaN(log.columns.response[i]!)));
      expect(at("counts.dispatches")).toBe(mine((i) => log.columns.team[i]! >= 0));
    }
  });

  it("null where a replication has nothing to average (no team ever verifies in technical-only)", async () => {
    const t = await replicationRows(scenario("technical-only"), { seed: 2, replications: 2 });
    expect(series(t, "line", "line", "response.mean")).toEqual([null, null]);
    expect(series(t, "line", "line", "counts.verified")).toEqual([0, 0]);
    expect(series(t, "line", "line", "incidentsPerDay").every((v) => v !== null && v > 0)).toBe(true);
  });

  it("files: CSV and Arrow, read back by DuckDB", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ceasefire-sim-reps-"));
    const db = await openDuckDB();
    try {
      const csv = join(dir, "reps.csv");
      const arrow = join(dir, "reps.arrow");
      expect(await writeReplicationRows(csv, rows)).toBe("csv");
      expect(await writeReplicationRows(arrow, rows)).toBe("arrow");
      await expect(writeReplicationRows(join(dir, "reps.json"), rows)).rejects.toThrow(/\.csv or \.arrow/);
      db.registerFile("reps.csv", readFileSync(csv));
      db.insertArrowStream("reps_arrow", streamPartOfFile(new Uint8Array(readFileSync(arrow))));
      for (const t of ["read_csv('reps.csv', header = true)", "reps_arrow"]) {
        const [n] = db.query(`SELECT count(*)::INTEGER AS n, count(value)::INTEGER AS v FROM ${t}`);
        expect(n!.n, t).toBe(rows.rows.length);
        expect(n!.v, t).toBe(rows.rows.filter((r) => r.value !== null).length);
        const [v] = db.query(
          `SELECT sum(value)::DOUBLE AS s FROM ${t} WHERE scope = 'line' AND metric = 'counts.verified'`,
        );
        expect(v!.s, t).toBe(result.line.counts.verified);
        const byRep = db.query(
          `SELECT replication, value FROM ${t} WHERE scope = 'line' AND metric = 'response.mean' ORDER BY 1`,
        );
        expect(
          byRep.map((r) => r.value),
          t,
        ).toEqual(series(rows, "line", "line", "response.mean"));
      }
      const types = Object.fromEntries(db.query("DESCRIBE reps_arrow").map((r) => [r.column_name, r.column_type]));
      expect(types).toEqual({
        replication: "INTEGER",
        scope: "VARCHAR",
        id: "VARCHAR",
        metric: "VARCHAR",
        value: "DOUBLE",
      });
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the CLI piece writes them and checks the flag's file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ceasefire-sim-reps-cli-"));
    try {
      const file = join(dir, "reps.csv");
      const w = await writePerReplication(file, defaultScenario(), { seed: SEED, replications: 2 });
      expect(w).toMatchObject({ file, format: "csv", replications: { from: 0, to: 2 } });
      expect(readFileSync(file, "utf8").split("\r\n")[0]).toBe("replication,scope,id,metric,value");
      expect(() => checkTableFile("--per-replication", join(dir, "r.tsv"))).toThrow(/--per-replication: expected/);
      expect(() =>
        checkTableFile("--per-replication", join(dir, "a.csv"), { others: { "--incidents": join(dir, "a.csv") } }),
      ).toThrow(/--incidents and --per-replication name the same file/);
      await expect(writePerReplication(file, defaultScenario(), { replications: 1 })).rejects.toThrow(/exists/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
