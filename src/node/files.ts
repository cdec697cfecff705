/**
 * Files: reading scenario files with errors that name the file and place,
 * and writing outputs atomically (temporary file + rename), never over an
 * existing file unless asked and never over anything but a regular file.
 */
import { chmod, open, readFile, rename, unlink, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  openSync,
  readlinkSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from "node:fs";
import { parseScenario } from "../model/parse.js";
import { ScenarioError } from "../model/errors.js";
import type { Scenario } from "../model/types.js";
import { jsonErrorLocation } from "../model/json-error.js";

/** A problem with the user's input (a file, a flag): reported without a stack trace, exit code 2. */
export class InputError extends Error {
  override readonly name = "InputError";
}

const MAX_SCENARIO_BYTES = 50 * 1024 * 1024;

/** Read and parse a scenario file. Throws `InputError` (unreadable, not JSON) or `ScenarioError` (invalid). */
export async function readScenarioFile(path: string): Promise<Scenario> {
  let text: string;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new InputError(`${path} is a directory, not a scenario file`);
    if (st.size > MAX_SCENARIO_BYTES)
      throw new InputError(`${path} is ${st.size} bytes; scenario files are limited to ${MAX_SCENARIO_BYTES} bytes`);
    text = await readFile(path, "utf8");
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === "ENOENT" ? `cannot read ${path}: no such file` : `cannot read ${path}: ${(e as Error).message}`,
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 byte-order mark
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const at = jsonErrorLocation(text);
    const where = at ? ` at line ${at.line}, column ${at.column}` : "";
    throw new InputError(`${path} is not valid JSON${where}: ${(e as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    const held = Array.isArray(raw) ? "an array" : raw === null ? "null" : `a ${typeof raw}`;
    const hint = typeof raw === "string" ? " (the scenario encoded twice?)" : "";
    throw new InputError(`${path}: a scenario is a JSON object; this file holds ${held}${hint}`);
  }
  try {
    // From the text, so that duplicate keys reach the scenario's warnings.
    return parseScenario(text);
  } catch (e) {
    if (e instanceof ScenarioError) throw new ScenarioError([...e.issues], path);
    throw e;
  }
}

/** What a file system entry is, for messages. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

const errnoOf = (e: unknown) => (e as NodeJS.ErrnoException | null)?.code;

/**
 * Where writing `path` lands: `path` itself, or, when it is a symbolic link, the file it points to (followed
 * link by link, so a dangling link gives the missing file it names). Outputs are written through links.
 */
export function outputTarget(path: string): string {
  let target = resolve(path);
  for (let hops = 0; ; hops++) {
    let st: Stats;
    try {
      st = lstatSync(target);
    } catch (e) {
      if (errnoOf(e) === "ENOENT") return target;
      throw new InputError(`cannot write ${path}: ${(e as Error).message}`);
    }
    if (!st.isSymbolicLink()) return target;
    if (hops >= 40) throw new InputError(`cannot write ${path}: more than 40 symbolic links to follow`);
    target = resolve(dirname(target), readlinkSync(target));
  }
}

/**
 * Check, before any work, that an output can be written at `path`, and return where it lands (see
 * `outputTarget`). Refused with an `InputError` naming the path: an empty name; anything but a regular file
 * (a directory, device, FIFO or socket — never replaced, even with `force`); an existing file without
 * `force`; a folder that is missing, not a folder or not writable.
 */
export function checkOutputFile(path: string, options: { force?: boolean } = {}): string {
  if (path === "") throw new InputError("the output file name is empty");
  const target = outputTarget(path);
  const via = target === resolve(path) ? "" : ` (a symbolic link to ${target})`;
  let st: Stats | undefined;
  try {
    st = statSync(target);
  } catch (e) {
    if (errnoOf(e) !== "ENOENT" && errnoOf(e) !== "ENOTDIR")
      throw new InputError(`cannot write ${path}: ${(e as Error).message}`);
  }
  if (st && !st.isFile())
    throw new InputError(
      `${path}${via} is ${kindOf(st)}: outputs are written to regular files only, and --force never replaces ` +
        `anything else`,
    );
  if (st && !options.force) throw new InputError(`${path} exists; pass --force to replace it`);
  const dir = dirname(target);
  let d: Stats;
  try {
    d = statSync(dir);
  } catch (e) {
    const why = errnoOf(e) === "ENOENT" ? "does not exist" : errnoOf(e) === "ENOTDIR" ? "is not a folder" : "";
    throw new InputError(
      `cannot write ${path}${via}: the folder ${dir} ${why || `cannot be read: ${(e as Error).message}`}`,
    );
  }
  if (!d.isDirectory()) throw new InputError(`cannot write ${path}${via}: ${dir} is not a folder`);
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    const code = errnoOf(e);
    const why = code === "EROFS" ? "is on a read-only file system" : "is not writable";
    throw new InputError(`cannot write ${path}${via}: the folder ${dir} ${why} (${code})`);
  }
  return target;
}

/** The temporary file an output is written to before it is renamed into place. */
const tempOf = (target: string) => join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);

/** An error while writing `path` as an `InputError` (every file-system error is the user's machine, exit 2). */
function writeError(path: string, e: unknown): Error {
  if (e instanceof InputError) return e;
  if (typeof errnoOf(e) === "string") return new InputError(`cannot write ${path}: ${(e as Error).message}`);
  return e as Error;
}

/**
 * Write `data` to `path` atomically: to a temporary file in the target's folder, flushed to disk, then renamed
 * over the target, so readers never see a half-written file. A symbolic link is written through (the file it
 * points to is replaced; the link stays). Refuses to replace an existing file unless `force`, and anything but
 * a regular file always (see `checkOutputFile`). On failure the temporary file is removed and nothing changes.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: { force?: boolean } = {},
): Promise<void> {
  const target = checkOutputFile(path, options);
  const tmp = tempOf(target);
  try {
    const fh = await open(tmp, "wx");
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await keepMode(target, tmp);
    checkOutputFile(path, options); // nothing else took the name meanwhile
    await rename(tmp, target);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw writeError(path, e);
  }
}

/** A replaced file keeps its permissions. */
async function keepMode(target: string, tmp: string): Promise<void> {
  const st = await stat(target).catch(() => undefined);
  if (st?.isFile()) await chmod(tmp, st.mode & 0o7777);
}

/**
 * Stream text to `path` atomically: writes go to a temporary file in the target's folder as they come
 * (so large outputs never sit in memory), `commit()` renames it over the target, `abort()` removes it.
 * The same checks as `writeFileAtomic`, up front.
 */
export function openAtomicWriter(
  path: string,
  options: { force?: boolean } = {},
): { write(s: string): void; commit(): void; abort(): void } {
  const target = checkOutputFile(path, options);
  const tmp = tempOf(target);
  let fd: number;
  try {
    fd = openSync(tmp, "wx");
  } catch (e) {
    throw writeError(path, e);
  }
  let isOpen = true;
  const close = () => {
    if (isOpen) {
      isOpen = false;
      closeSync(fd);
    }
  };
  const abort = () => {
    try {
      close();
    } catch {
      /* closed already */
    }
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
  };
  return {
    write(s: string) {
      try {
        writeSync(fd, s);
      } catch (e) {
        abort();
        throw writeError(path, e);
      }
    },
    commit() {
      try {
        fsyncSync(fd);
        close();
        const st = statSync(target, { throwIfNoEntry: false });
        if (st?.isFile()) chmodSync(tmp, st.mode & 0o7777);
        checkOutputFile(path, options);
        renameSync(tmp, target);
      } catch (e) {
        abort();
        throw writeError(path, e);
      }
    },
    abort,
  };
}
