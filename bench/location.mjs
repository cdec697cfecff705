// Location solvers on public benchmarks, from the built library (dist/):
// - pMedian and pCenter on OR-Library pmed1/2/6/11 (published optima and radii), exact and heuristic;
// - maxCover and setCover on Swain's 55 nodes;
// - the same p-median instances as plain LP files (our radius formulation and the textbook x_ij <= y_j one),
//   solved by CBC (if `cbc` is on PATH; else marked not measured) and by HiGHS directly, with no reductions.
// Usage: npm run build && node bench/location.mjs [--no-cbc] [--no-full] [--limit 600]
// Writes bench/results/location.json. LP files go to a temporary directory that is removed afterwards.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import loadHighs from "highs";
import { maxCover, pCenter, pMedian, setCover, VERSION } from "../dist/index.js";

const argv = process.argv.slice(2);
const limit = Number(argv[argv.indexOf("--limit") + 1] ?? 0) || 600;
const useCbc = !argv.includes("--no-cbc");
const runFull = !argv.includes("--no-full");
// The public benchmark data, copied into the repository (tests/data/README.md says where from).
const DATA = fileURLToPath(new URL("../tests/data/", import.meta.url));
const INSTANCES = [
  { name: "pmed1", median: 5819, center: 127 },
  { name: "pmed2", median: 4093, center: 98 },
  { name: "pmed6", median: 7824, center: 84 },
  { name: "pmed11", median: 7696, center: 59 },
];

/** OR-Library pmed: `n m p`, then edges `i j c`; the later line wins for duplicates; Floyd–Warshall. */
function loadOrlib(name) {
  const lines = readFileSync(join(DATA, "orlib-pmed", `${name}.txt`), "utf8")
    .trim()
    .split(/\r?\n/);
  const [n, m, p] = lines[0].trim().split(/\s+/).map(Number);
  const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
  for (let k = 1; k <= m; k++) {
    const [a, b, c] = lines[k].trim().split(/\s+/).map(Number);
    d[a - 1][b - 1] = c;
    d[b - 1][a - 1] = c;
  }
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++) {
      const dik = d[i][k];
      if (dik === Infinity) continue;
      for (let j = 0; j < n; j++) if (dik + d[k][j] < d[i][j]) d[i][j] = dik + d[k][j];
    }
  return { n, p, cost: d };
}

function loadSwain() {
  const lines = readFileSync(join(DATA, "swain55", "swain55.txt"), "utf8")
    .trim()
    .split(/\r?\n/);
  const nodes = lines.slice(1, Number(lines[0]) + 1).map((l) => l.trim().split(/\s+/).map(Number));
  return {
    cost: nodes.map((a) => nodes.map((b) => Math.hypot(a[1] - b[1], a[2] - b[2]))),
    demand: nodes.map((a) => a[3]),
  };
}

// ---- LP files (CPLEX LP format), written independently of src/ -------------------------------------

/** Writes `name: Σ terms sense rhs`, wrapping long rows. */
function row(out, name, terms, sense, rhs) {
  out.push(` ${name}:`);
  for (let k = 0; k < terms.length; k += 16) out.push(`  ${terms.slice(k, k + 16).join(" ")}`);
  out.push(`  ${sense} ${rhs}`);
}

/**
 * Elloumi's radius formulation, chained form, with the (m − p + 1)-th-cost reduction
 * (what pMedian builds before its reduced-cost fixing). The constant Σ_i D_i^1 is a
 * variable `one` fixed to 1.
 */
function radiusLp(cost, p) {
  const n = cost.length,
    m = cost[0].length;
  const obj = [],
    rows = [];
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const order = [...Array(m).keys()].sort((a, b) => cost[i][a] - cost[i][b] || a - b);
    const upper = cost[i][order[m - p]];
    const levels = [];
    for (const j of order) {
      const c = cost[i][j];
      if (c > upper) break;
      if (!levels.length || levels[levels.length - 1].value !== c) levels.push({ value: c, sites: [] });
      levels[levels.length - 1].sites.push(j);
    }
    offset += levels[0].value;
    for (let k = 1; k < levels.length; k++) {
      obj.push(`+ ${levels[k].value - levels[k - 1].value} z${i}_${k}`);
      const terms = [
        `+ z${i}_${k}`,
        ...(k > 1 ? [`- z${i}_${k - 1}`] : []),
        ...levels[k - 1].sites.map((j) => `+ y${j}`),
      ];
      row(rows, `r${i}_${k}`, terms, ">=", k > 1 ? 0 : 1);
    }
  }
  obj.push(`+ ${offset} one`);
  row(
    rows,
    "card",
    [...Array(m).keys()].map((j) => `+ y${j}`),
    "=",
    p,
  );
  return lpText(
    obj,
    rows,
    [...Array(m).keys()].map((j) => `y${j}`),
  );
}

/** Textbook strong formulation (ReVelle & Swain 1970): Σ_j x_ij = 1, x_ij <= y_j, Σ_j y_j = p. */
function textbookLp(cost, p) {
  const n = cost.length,
    m = cost[0].length;
  const obj = [],
    rows = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      if (cost[i][j] !== 0) obj.push(`+ ${cost[i][j]} x${i}_${j}`);
      row(rows, `l${i}_${j}`, [`+ x${i}_${j}`, `- y${j}`], "<=", 0);
    }
    row(
      rows,
      `a${i}`,
      [...Array(m).keys()].map((j) => `+ x${i}_${j}`),
      "=",
      1,
    );
  }
  obj.push("+ 0 one");
  row(
    rows,
    "card",
    [...Array(m).keys()].map((j) => `+ y${j}`),
    "=",
    p,
  );
  return lpText(
    obj,
    rows,
    [...Array(m).keys()].map((j) => `y${j}`),
  );
}

function lpText(obj, rows, binaries) {
  const out = ["Minimize", " obj:"];
  for (let k = 0; k < obj.length; k += 16) out.push(`  ${obj.slice(k, k + 16).join(" ")}`);
  out.push("Subject To");
  for (const line of rows) out.push(line);
  out.push("Bounds", " one = 1", "Binaries");
  for (let k = 0; k < binaries.length; k += 16) out.push(`  ${binaries.slice(k, k + 16).join(" ")}`);
  out.push("End", "");
  return out.join("\n");
}

// ---- external solvers -------------------------------------------------------------------------------

function cbcVersion() {
  const r = spawnSync("cbc", ["-quit"], { encoding: "utf8" });
  if (r.error) return null;
  return /Version:\s*(\S+)/.exec(r.stdout)?.[1] ?? "unknown";
}

const cbcArgs = (file) => [file, "-sec", String(limit), "-ratioGap", "0", "-allowableGap", "1e-6", "-solve", "-quit"];

function runCbc(file) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync("cbc", cbcArgs(file), { encoding: "utf8", maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const objective = Number(/Objective value:\s*(\S+)/.exec(r.stdout)?.[1]);
  const status = /Result - (.*)/.exec(r.stdout)?.[1]?.trim() ?? "unknown";
  return { seconds, objective, status };
}

async function runHighsLp(highs, text) {
  const t0 = process.hrtime.bigint();
  const model = highs.createModel({ format: "lp", data: text });
  try {
    model.options.set({ output_flag: false, mip_rel_gap: 0, time_limit: limit });
    model.run();
    const status = model.getModelStatus();
    return {
      seconds: Number(process.hrtime.bigint() - t0) / 1e9,
      objective: model.getObjectiveValue(),
      status: status === 7 ? "optimal" : `status ${status}`,
    };
  } finally {
    model.dispose();
  }
}

// ---- the runs -----------------------------------------------------------------------------------------

const pick = (r) => ({
  objective: r.objective,
  status: r.status,
  gap: r.gap,
  bound: r.bound,
  seconds: r.seconds,
  solver: r.solver,
});
const results = {
  library: VERSION,
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
  cpu: os.cpus()[0]?.model ?? "unknown",
  date: new Date().toISOString(),
};

// First HiGHS use loads and compiles the WASM (and the first real solves run before the engine has tiered
// up): time the load on a trivial model, warm up on an untimed pCenter, then time warm solves.
{
  const t0 = process.hrtime.bigint();
  const r = await pMedian({
    cost: [
      [0, 1],
      [1, 0],
    ],
    p: 1,
    capacity: 2,
  });
  results.highsFirstCallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  results.highs = r.solver.split(":")[0];
  await pCenter({ cost: loadOrlib("pmed1").cost, p: 5 }); // warm-up (untimed)
}

const version = useCbc ? cbcVersion() : null;
results.cbc = version
  ? {
      version,
      command: `cbc <model.lp> ${cbcArgs("").slice(1).join(" ")}`,
      note: "single thread, default settings otherwise; wall-clock seconds including LP parsing",
    }
  : {
      version: null,
      note: useCbc ? "cbc not found on PATH: CBC times not measured" : "--no-cbc: CBC times not measured",
    };
results.highsFull = runFull
  ? {
      note:
        "the same LP files read and solved by HiGHS (highs npm package) with mip_rel_gap 0 " +
        "and default settings otherwise",
    }
  : { note: "--no-full: not measured" };
const highs = runFull ? await loadHighs() : null;
const dir = mkdtempSync(join(os.tmpdir(), "ceasefire-sim-location-"));
results.orlib = [];
try {
  for (const { name, median, center } of INSTANCES) {
    const inst = loadOrlib(name);
    const row = { name, n: inst.n, p: inst.p, publishedMedian: median, publishedCenter: center };
    row.pMedian = pick(await pMedian({ cost: inst.cost, p: inst.p, timeLimit: limit }));
    row.pMedianHeuristic = pick(await pMedian({ cost: inst.cost, p: inst.p, method: "heuristic" }));
    row.pCenter = pick(await pCenter({ cost: inst.cost, p: inst.p, timeLimit: limit }));
    row.pCenterHeuristic = pick(await pCenter({ cost: inst.cost, p: inst.p, method: "heuristic" }));
    const lps = { radius: radiusLp(inst.cost, inst.p), textbook: textbookLp(inst.cost, inst.p) };
    row.cbc = {};
    row.highsFull = {};
    for (const [formulation, text] of Object.entries(lps)) {
      const file = join(dir, `${name}-${formulation}.lp`);
      writeFileSync(file, text);
      row.cbc[formulation] = version ? runCbc(file) : null;
      row.highsFull[formulation] = highs ? await runHighsLp(highs, text) : null;
    }
    results.orlib.push(row);
    console.error(`${name} done`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const swain = loadSwain();
results.swain = [];
for (const [radius, p] of [
  [20, 1],
  [20, 3],
  [30, 1],
  [10, 5],
]) {
  results.swain.push({
    model: "maxCover",
    radius,
    p,
    exact: pick(await maxCover({ ...swain, p, radius })),
    heuristic: pick(await maxCover({ ...swain, p, radius, method: "heuristic" })),
  });
}
for (const radius of [20, 30, 10]) {
  results.swain.push({
    model: "setCover",
    radius,
    exact: pick(await setCover({ cost: swain.cost, radius })),
    heuristic: pick(await setCover({ cost: swain.cost, radius, method: "heuristic" })),
  });
}

mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/location.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

// ---- table ---------------------------------------------------------------------------------------------
const s = (x) => (x == null ? "n/m" : `${x.seconds.toFixed(2)}s`);
const ok = (x, want) =>
  x == null
    ? ""
    : Math.abs(x.objective - want) < 1e-6
      ? ""
      : ` (${Number.isFinite(x.objective) ? x.objective : x.status})`;
console.log(
  `ceasefire-sim ${VERSION}, ${results.highs}, CBC ${version ?? "not measured"}; ` +
    `loading HiGHS ${results.highsFirstCallSeconds.toFixed(2)}s; times below are warm`,
);
console.log(
  "instance  n   p | pMedian (ours)   heur. gap | pCenter (ours) heur. | CBC radius  CBC textbook " +
    "| HiGHS radius  HiGHS textbook (full models)",
);
for (const r of results.orlib) {
  console.log(
    [
      r.name.padEnd(7),
      String(r.n).padStart(3),
      String(r.p).padStart(3),
      "|",
      `${r.pMedian.objective} ${r.pMedian.status} ${s(r.pMedian)}`.padEnd(24),
      `${(100 * (r.pMedianHeuristic.gap ?? 0)).toFixed(2)}%`.padStart(6),
      "|",
      `${r.pCenter.objective} ${r.pCenter.status} ${s(r.pCenter)}`.padEnd(20),
      String(r.pCenterHeuristic.objective).padStart(4),
      "|",
      `${s(r.cbc.radius)}${ok(r.cbc.radius, r.publishedMedian)}`.padEnd(11),
      `${s(r.cbc.textbook)}${ok(r.cbc.textbook, r.publishedMedian)}`.padEnd(13),
      "|",
      `${s(r.highsFull.radius)}${ok(r.highsFull.radius, r.publishedMedian)}`.padEnd(13),
      `${s(r.highsFull.textbook)}${ok(r.highsFull.textbook, r.publishedMedian)}`,
    ].join(" "),
  );
}
for (const r of results.swain) {
  console.log(
    `Swain ${r.model} S=${r.radius}${r.p ? ` p=${r.p}` : ""}: ${r.exact.objective} ${r.exact.status} ${s(r.exact)} ` +
      `| heuristic ${r.heuristic.objective} (bound ${r.heuristic.bound})`,
  );
}
