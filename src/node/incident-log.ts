/**
 * Writers of the incident log and the per-replication rows (src/experiment/incidents.ts): CSV (RFC 4180, header
 * row) and an Arrow IPC file (`.arrow`, which pandas, Polars, DuckDB and R's arrow read directly). Both write
 * atomically (a temporary file renamed into place, by `writeFileAtomic` or `openAtomicWriter`) and refuse to
 * replace a file without `force`, as every output does. `apache-arrow` is loaded only when an Arrow file is
 * written.
 */
import { extname } from "node:path";
import type * as Arrow from "apache-arrow";
import { INCIDENT_COLUMNS, type IncidentLog, type ReplicationRows } from "../experiment/incidents.js";
import { checkOutputFile, openAtomicWriter, writeFileAtomic } from "./files.js";

/** The formats a log is written in, by file extension. */
export const INCIDENT_LOG_FORMATS = Object.freeze({ ".csv": "csv", ".arrow": "arrow" } as const);
export type IncidentLogFormat = (typeof INCIDENT_LOG_FORMATS)[keyof typeof INCIDENT_LOG_FORMATS];

/** The format of a log file from its extension (.csv or .arrow, any case), or null for any other. */
export function incidentLogFormat(path: string): IncidentLogFormat | null {
  const ext = extname(path).toLowerCase();
  return Object.hasOwn(INCIDENT_LOG_FORMATS, ext)
    ? INCIDENT_LOG_FORMATS[ext as keyof typeof INCIDENT_LOG_FORMATS]
    : null;
}

/** Rows per CSV chunk written, and per Arrow record batch. */
const CHUNK_ROWS = 1 << 16;
const BATCH_ROWS = 1 << 20;

const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * The log as CSV text, in chunks of rows (the first chunk starts with the header): RFC 4180 (CRLF line ends,
 * fields quoted when they hold a comma, quote or line break), labels for coded columns, numbers in the
 * shortest form that reads back as the same double, and an empty field for null.
 */
export function* incidentLogCsv(log: IncidentLog): Generator<string> {
  const cols = INCIDENT_COLUMNS.map((c) => ({
    values: log.columns[c.name],
    labels: c.kind === "code" ? log.dictionaries[c.dictionary!].map(quote) : null,
  }));
  let text = `${INCIDENT_COLUMNS.map((c) => c.name).join(",")}\r\n`;
  for (let i = 0; i < log.rows; i++) {
    let line = "";
    for (let j = 0; j < cols.length; j++) {
      const { values, labels } = cols[j]!;
      const v = values[i]!;
      if (j > 0) line += ",";
      if (labels) line += v < 0 ? "" : labels[v]!;
      else if (!Number.isNaN(v)) line += String(v);
    }
    text += `${line}\r\n`;
    if ((i + 1) % CHUNK_ROWS === 0) {
      yield text;
      text = "";
    }
  }
  if (text !== "") yield text;
}

/** Write the log as CSV to `path`, atomically (see `incidentLogCsv`). */
export function writeIncidentLogCsv(path: string, log: IncidentLog, options: { force?: boolean } = {}): void {
  const w = openAtomicWriter(path, options);
  try {
    for (const chunk of incidentLogCsv(log)) w.write(chunk);
  } catch (e) {
    w.abort();
    throw e;
  }
  w.commit();
}

/** Null bitmap (LSB first, bit set = valid) of rows [from, to) of a column, and its null count. */
function validity(isNull: (i: number) => boolean, from: number, to: number): { bitmap: Uint8Array; nulls: number } {
  const bitmap = new Uint8Array(((to - from + 63) >> 6) << 3); // padded to 8 bytes
  let nulls = 0;
  for (let i = from; i < to; i++) {
    if (isNull(i)) nulls++;
    else bitmap[(i - from) >> 3]! |= 1 << ((i - from) & 7);
  }
  return { bitmap, nulls };
}

/**
 * The log as an Arrow table (apache-arrow's; not exported, so the package's types do not depend on it):
 * Float64 for times and places (null where undefined), Int32 for the replication, and a dictionary of Utf8
 * labels with Int32 indices for each coded column (sector, severity, channel, team, state, outcome). The
 * schema's metadata holds the provenance (key "ceasefire-sim", JSON); each time or place field's metadata its
 * unit (key "unit").
 */
async function incidentLogTable(log: IncidentLog): Promise<Arrow.Table> {
  const A = await import("apache-arrow");
  const fields: Arrow.Field[] = [];
  const dictionaries = new Map<string, Arrow.Vector<Arrow.Utf8>>();
  INCIDENT_COLUMNS.forEach((c, id) => {
    const meta = new Map(c.unit ? [["unit", c.unit]] : []);
    let type: Arrow.DataType;
    if (c.kind === "float") type = new A.Float64();
    else if (c.kind === "int") type = new A.Int32();
    else {
      type = new A.Dictionary(new A.Utf8(), new A.Int32(), id, false);
      dictionaries.set(c.name, A.vectorFromArray([...log.dictionaries[c.dictionary!]], new A.Utf8()));
    }
    fields.push(new A.Field(c.name, type, c.nullable, meta));
  });
  const schema = new A.Schema(fields, new Map([["ceasefire-sim", JSON.stringify(log.provenance)]]));
  const batches: Arrow.RecordBatch[] = [];
  for (let from = 0; from < log.rows || (from === 0 && batches.length === 0); from += BATCH_ROWS) {
    const to = Math.min(log.rows, from + BATCH_ROWS);
    const length = to - from;
    const children = INCIDENT_COLUMNS.map((c, j) => {
      const type = fields[j]!.type;
      const values = log.columns[c.name];
      if (c.kind === "float") {
        const data = (values as Float64Array).subarray(from, to);
        const { bitmap, nulls } = validity((i) => Number.isNaN(values[i]!), from, to);
        const t = type as Arrow.Float64;
        return A.makeData({ type: t, length, data, nullCount: nulls, ...(nulls > 0 ? { nullBitmap: bitmap } : {}) });
      }
      if (c.kind === "int")
        return A.makeData({ type: type as Arrow.Int32, length, data: (values as Int32Array).subarray(from, to) });
      // Dictionary indices: a null's slot holds 0, a valid index, with its validity bit cleared.
      const data = (values as Int32Array).slice(from, to);
      const { bitmap, nulls } = validity((i) => values[i]! < 0, from, to);
      if (nulls > 0) for (let i = 0; i < length; i++) if (data[i]! < 0) data[i] = 0;
      return A.makeData({
        type: type as Arrow.Dictionary<Arrow.Utf8, Arrow.Int32>,
        length,
        data,
        nullCount: nulls,
        ...(nulls > 0 ? { nullBitmap: bitmap } : {}),
        dictionary: dictionaries.get(c.name)!,
      });
    });
    const struct = A.makeData({
      type: new A.Struct(fields),
      length,
      nullCount: 0,
      children: children as Arrow.Data[],
    });
    batches.push(new A.RecordBatch(schema, struct));
  }
  return new A.Table(schema, batches);
}

/**
 * The bytes of an Arrow IPC file of a table, laid out as the Arrow C++ library and pyarrow write one: the
 * magic, then the whole stream format (the schema message first, the dictionaries, the record batches, the
 * end-of-stream marker), then the footer. apache-arrow's own file writer leaves the schema message out of the
 * body (readers take it from the footer); with it, a reader that consumes the body as a stream (DuckDB's Arrow
 * stream scan) reads the file too.
 */
async function arrowFile(table: Arrow.Table): Promise<Uint8Array> {
  const A = await import("apache-arrow");
  class FileWriter extends A.RecordBatchFileWriter {
    protected override _writeSchema(schema: Arrow.Schema): this {
      super._writeSchema(schema); // magic and padding
      return this._writeMessage(A.Message.from(schema));
    }
  }
  return new FileWriter().writeAll(table).toUint8Array(true);
}

/**
 * The log as the bytes of an Arrow IPC file: Float64 for times and places (null where undefined), Int32 for the
 * replication, a dictionary of Utf8 labels with Int32 indices for each coded column; the provenance in the
 * schema's metadata (key "ceasefire-sim", JSON), each time or place field's unit in its metadata (key "unit").
 * The schema message is in the file's body as well as in its footer (see docs/incident-log.md).
 */
export async function incidentLogArrow(log: IncidentLog): Promise<Uint8Array> {
  return arrowFile(await incidentLogTable(log));
}

/** Write the log as an Arrow IPC file to `path`, atomically (see `incidentLogArrow`). */
export async function writeIncidentLogArrow(
  path: string,
  log: IncidentLog,
  options: { force?: boolean } = {},
): Promise<void> {
  checkOutputFile(path, options); // before the bytes are made
  await writeFileAtomic(path, await incidentLogArrow(log), options);
}

/**
 * Write the log to `path` as CSV (`.csv`) or an Arrow IPC file (`.arrow`), by its extension; a RangeError for
 * any other extension. Refuses to replace an existing file unless `force`.
 */
export async function writeIncidentLog(
  path: string,
  log: IncidentLog,
  options: { force?: boolean } = {},
): Promise<IncidentLogFormat> {
  const format = incidentLogFormat(path);
  if (format === "csv") writeIncidentLogCsv(path, log, options);
  else if (format === "arrow") await writeIncidentLogArrow(path, log, options);
  else
    throw new RangeError(
      `incident log ${JSON.stringify(path)}: expected a file name ending in .csv or .arrow (Arrow IPC file)`,
    );
  return format;
}

// ---------------------------------------------------------------------------------------------------------------
// Per-replication rows.

/** The per-replication rows' columns, in order. */
const REPLICATION_COLUMNS = ["replication", "scope", "id", "metric", "value"] as const;

/** Per-replication rows as CSV text in chunks (header first; RFC 4180 as `incidentLogCsv`; null is empty). */
export function* replicationRowsCsv(rows: ReplicationRows): Generator<string> {
  let text = `${REPLICATION_COLUMNS.join(",")}\r\n`;
  for (const [i, r] of rows.rows.entries()) {
    const value = r.value === null ? "" : String(r.value);
    text += `${r.replication},${r.scope},${quote(r.id)},${quote(r.metric)},${value}\r\n`;
    if ((i + 1) % CHUNK_ROWS === 0) {
      yield text;
      text = "";
    }
  }
  if (text !== "") yield text;
}

/**
 * Per-replication rows as an Arrow IPC file: replication Int32; scope, id and metric Utf8 dictionaries (Int32
 * indices); value Float64 (null where undefined); the provenance in the schema's metadata ("ceasefire-sim").
 */
export async function replicationRowsArrow(rows: ReplicationRows): Promise<Uint8Array> {
  const A = await import("apache-arrow");
  const n = rows.rows.length;
  const codes = (get: (r: ReplicationRows["rows"][number]) => string) => {
    const labels: string[] = [];
    const index = new Map<string, number>();
    const data = new Int32Array(n);
    rows.rows.forEach((r, i) => {
      const v = get(r);
      let k = index.get(v);
      if (k === undefined) {
        k = labels.length;
        labels.push(v);
        index.set(v, k);
      }
      data[i] = k;
    });
    return { labels, data };
  };
  const fields: Arrow.Field[] = [new A.Field("replication", new A.Int32(), false)];
  const children: Arrow.Data[] = [
    A.makeData({ type: new A.Int32(), length: n, data: Int32Array.from(rows.rows, (r) => r.replication) }),
  ];
  (["scope", "id", "metric"] as const).forEach((name, j) => {
    const { labels, data } = codes((r) => r[name]);
    const type = new A.Dictionary(new A.Utf8(), new A.Int32(), j, false);
    fields.push(new A.Field(name, type, false));
    children.push(A.makeData({ type, length: n, data, dictionary: A.vectorFromArray(labels, new A.Utf8()) }));
  });
  const values = Float64Array.from(rows.rows, (r) => (r.value === null ? NaN : r.value));
  const { bitmap, nulls } = validity((i) => rows.rows[i]!.value === null, 0, n);
  fields.push(new A.Field("value", new A.Float64(), true));
  children.push(
    A.makeData({
      type: new A.Float64(),
      length: n,
      data: values,
      nullCount: nulls,
      ...(nulls > 0 ? { nullBitmap: bitmap } : {}),
    }),
  );
  const schema = new A.Schema(fields, new Map([["ceasefire-sim", JSON.stringify(rows.provenance)]]));
  const struct = A.makeData({ type: new A.Struct(fields), length: n, nullCount: 0, children });
  return arrowFile(new A.Table(schema, [new A.RecordBatch(schema, struct)]));
}

/**
 * Write per-replication rows to `path` as CSV (`.csv`) or an Arrow IPC file (`.arrow`), by its extension; a
 * RangeError for any other. Atomic; an existing file is replaced only with `force`.
 */
export async function writeReplicationRows(
  path: string,
  rows: ReplicationRows,
  options: { force?: boolean } = {},
): Promise<IncidentLogFormat> {
  const format = incidentLogFormat(path);
  if (format === "csv") {
    const w = openAtomicWriter(path, options);
    try {
      for (const chunk of replicationRowsCsv(rows)) w.write(chunk);
    } catch (e) {
      w.abort();
      throw e;
    }
    w.commit();
  } else if (format === "arrow") {
    checkOutputFile(path, options);
    await writeFileAtomic(path, await replicationRowsArrow(rows), options);
  } else
    throw new RangeError(
      `per-replication rows ${JSON.stringify(path)}: expected a file name ending in .csv or .arrow (Arrow IPC file)`,
    );
  return format;
}
