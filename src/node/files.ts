/**
 * Files: reading scenario files with errors that name the file and place,
 * and writing outputs atomically (temporary file + rename), never over an
 * existing file unless asked.
 */
import { readFile, rename, writeFile, unlink, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { closeSync, existsSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
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
  try {
    return parseScenario(raw);
  } catch (e) {
    if (e instanceof ScenarioError) throw new ScenarioError([...e.issues], path);
    throw e;
  }
}

/**
 * Write `data` to `path` atomically: to a temporary file in the same folder,
 * then renamed over the target, so readers never see a half-written file.
 * Refuses to replace an existing file unless `force`.
 */
export async function writeFileAtomic(path: string, data: string, options: { force?: boolean } = {}): Promise<void> {
  if (!options.force) {
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (exists) throw new InputError(`${path} exists; pass --force to replace it`);
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(tmp, data, { flag: "wx" });
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EACCES" || code === "EISDIR")
      throw new InputError(`cannot write ${path}: ${(e as Error).message}`);
    throw e;
  }
}

/**
 * Stream text to `path` atomically: writes go to a temporary file in the same folder as they come
 * (so large outputs never sit in memory), `commit()` renames it over the target, `abort()` removes it.
 */
export function openAtomicWriter(
  path: string,
  options: { force?: boolean } = {},
): { write(s: string): void; commit(): void; abort(): void } {
  if (!options.force && existsSync(path)) throw new InputError(`${path} exists; pass --force to replace it`);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, "wx");
  } catch (e) {
    throw new InputError(`cannot write ${path}: ${(e as Error).message}`);
  }
  let open = true;
  const close = () => {
    if (open) {
      closeSync(fd);
      open = false;
    }
  };
  return {
    write(s: string) {
      writeSync(fd, s);
    },
    commit() {
      close();
      renameSync(tmp, path);
    },
    abort() {
      close();
      try {
        unlinkSync(tmp);
      } catch {
        /* already gone */
      }
    },
  };
}
