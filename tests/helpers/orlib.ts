/**
 * Loaders for the public location benchmarks in tests/data (see its README.md):
 * Beasley's OR-Library p-median graphs and Swain's 55 nodes.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** tests/data, found from this file so that any clone can run the tests. */
const DATA_URL = new URL("../data/", import.meta.url);
export const DATA_DIR = fileURLToPath(DATA_URL);

/** A file under tests/data, e.g. `dataFile("swain55", "swain55.txt")`. */
function dataFile(...parts: string[]): string {
  return fileURLToPath(new URL(parts.join("/"), DATA_URL));
}

export interface OrlibInstance {
  name: string;
  /** Vertices (every vertex is a demand and a candidate site). */
  n: number;
  /** Medians of the published instance. */
  p: number;
  /** Shortest-path costs, n × n. */
  cost: number[][];
}

/**
 * An OR-Library pmed instance: first line `n m p`, then `m` undirected edges
 * `i j c` (1-based). Costs are shortest paths (Floyd–Warshall). When an edge
 * is listed twice the LATER line wins (Beasley's rule; taking the minimum
 * gives wrong optima, e.g. 5718 instead of 5819 for pmed1).
 */
export function loadOrlib(name: string): OrlibInstance {
  const lines = readFileSync(dataFile("orlib-pmed", `${name}.txt`), "utf8")
    .trim()
    .split(/\r?\n/);
  const [n, m, p] = lines[0]!.trim().split(/\s+/).map(Number) as [number, number, number];
  const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
  for (let k = 1; k <= m; k++) {
    const [a, b, c] = lines[k]!.trim().split(/\s+/).map(Number) as [number, number, number];
    d[a - 1]![b - 1] = c; // later line wins: plain assignment, no min
    d[b - 1]![a - 1] = c;
  }
  for (let k = 0; k < n; k++) {
    const dk = d[k]!;
    for (let i = 0; i < n; i++) {
      const di = d[i]!,
        dik = di[k]!;
      if (dik === Infinity) continue;
      for (let j = 0; j < n; j++) {
        const v = dik + dk[j]!;
        if (v < di[j]!) di[j] = v;
      }
    }
  }
  return { name, n, p, cost: d };
}

/** Published p-median optima (pmedopt.txt). */
export function orlibOptima(): Map<string, number> {
  const text = readFileSync(dataFile("orlib-pmed", "pmedopt.txt"), "utf8");
  const out = new Map<string, number>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^(pmed\d+)\s+(\d+)/.exec(line.trim());
    if (match) out.set(match[1]!, Number(match[2]));
  }
  return out;
}

export interface SwainInstance {
  /** Euclidean distances, 55 × 55. */
  cost: number[][];
  /** Demand per node (total 640). */
  demand: number[];
}

/** Swain's 55-node data set: first line `55`, then `id x y demand`. */
export function loadSwain(): SwainInstance {
  const lines = readFileSync(dataFile("swain55", "swain55.txt"), "utf8").trim().split(/\r?\n/);
  const count = Number(lines[0]!.trim());
  const nodes = lines.slice(1, count + 1).map((line) => {
    const [, x, y, demand] = line.trim().split(/\s+/).map(Number) as [number, number, number, number];
    return { x, y, demand };
  });
  return {
    cost: nodes.map((a) => nodes.map((b) => Math.hypot(a.x - b.x, a.y - b.y))),
    demand: nodes.map((a) => a.demand),
  };
}
