/**
 * Duplicate keys in a JSON text. `JSON.parse` keeps the last of two equal keys in an object without a word, so
 * a scenario edited by hand can lose a value silently; this scanner finds every such key with the JSON path of
 * its object, for `parseScenario` to report as a warning.
 */
import type { ScenarioIssue } from "./errors.js";

type Path = (string | number)[];

/** At most this many duplicates are reported (a generated file could repeat a key everywhere). */
const MAX_REPORTED = 50;
const LAST_WINS = "JSON keeps only its last value, the earlier ones are ignored";

/**
 * The duplicate keys of a JSON text that `JSON.parse` accepted, each as an issue whose path ends with the key.
 * Nesting is followed recursively, so call it only on texts whose depth is bounded (parseScenario checks first).
 */
export function duplicateKeys(text: string): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  const n = text.length;
  const path: Path = [];
  let i = 0;
  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else return;
    }
  };
  /** The string starting at i (a quote), decoded (keys) or skipped (values); i moves past it. */
  const str = (decode: boolean): string => {
    const start = i;
    if (!decode) {
      // Jump from quote to quote; a quote after an odd run of backslashes is escaped.
      let j = text.indexOf('"', i + 1);
      for (;;) {
        let k = j - 1;
        while (text.charCodeAt(k) === 0x5c) k--;
        if ((j - 1 - k) % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      i = j + 1;
      return "";
    }
    let escaped = false;
    for (i++; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x5c) {
        escaped = true;
        i++;
      } else if (c === 0x22) break;
    }
    i++;
    return escaped ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1);
  };
  const value = (): void => {
    ws();
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */) {
      i++;
      ws();
      if (text.charCodeAt(i) === 0x7d) {
        i++;
        return;
      }
      const keys = new Set<string>();
      for (;;) {
        ws();
        const key = str(true);
        if (keys.has(key) && out.length < MAX_REPORTED)
          out.push({ path: [...path, key], message: `duplicate key ${JSON.stringify(key)}: ${LAST_WINS}` });
        keys.add(key);
        ws();
        i++; // the colon
        path.push(key);
        value();
        path.pop();
        ws();
        if (text.charCodeAt(i++) !== 0x2c /* , */) return;
      }
    } else if (c === 0x5b /* [ */) {
      i++;
      ws();
      if (text.charCodeAt(i) === 0x5d) {
        i++;
        return;
      }
      for (let k = 0; ; k++) {
        path.push(k);
        value();
        path.pop();
        ws();
        if (text.charCodeAt(i++) !== 0x2c) return;
      }
    } else if (c === 0x22) str(false);
    else {
      // A number, true, false or null: up to the next delimiter.
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x2c || d === 0x5d || d === 0x7d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
        i++;
      }
    }
  };
  value();
  return out;
}
