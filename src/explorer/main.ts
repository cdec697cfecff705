/**
 * The explorer page (dist/explorer/app.js): the controls, the map, the headline panel, import/export and the
 * shareable URL, wired to live runs (./live.ts) on Web Workers (./pool.ts). Plain DOM; the page's structure
 * is in ./index.html.
 */
import { ALLOCATION_MODES, type AllocationMode } from "../allocation/modes.js";
import { ScenarioError, formatPath, type ScenarioIssue } from "../model/errors.js";
import { duplicateKeys } from "../model/json-duplicates.js";
import { jsonErrorLocation } from "../model/json-error.js";
import { parseScenario } from "../model/parse.js";
import type { Scenario } from "../model/types.js";
import { METRIC_LABELS } from "../report/vega.js";
import { scenario as embedded, scenarioNames, type ScenarioName } from "../scenarios/index.js";
import { metricAt } from "../experiment/run.js";
import { formatDifference, formatMetric, HEADLINE_DIFFERENCES, headlineRows, withCi } from "./headline.js";
import { runLive, type LiveModel, type LiveUpdate } from "./live.js";
import { escapeHtml as esc } from "../report/html.js";
import { better, legendHtml, mapSvg } from "./map.js";
import { defaultWorkerCount, webWorkers } from "./pool.js";
import {
  applySettings,
  contributionKey,
  contributionsOf,
  decodeSettings,
  DEFAULT_SETTINGS,
  encodeSettings,
  EXPLORER_STRATEGIES,
  MAP_METRICS,
  packScenario,
  unpackScenario,
  type Applied,
  type Settings,
} from "./settings.js";

const MODE_HINTS: Record<AllocationMode, string> = {
  replan: "replan: the strategy places every unit afresh on the contributions as set.",
  augment: "augment: units of the scenario as given stay put; only added units are placed.",
  remove: "remove: units of the scenario as given stay put, less the withdrawn ones.",
};

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const workers = webWorkers(new URL("./worker.js", import.meta.url), defaultWorkerCount(navigator.hardwareConcurrency));

/** The page's state. */
const state = {
  /** The scenario input the settings apply to (an embedded scenario's copy, or an imported one). */
  base: embedded("coalition-2026") as unknown,
  parsed: null as Scenario | null,
  /** An imported scenario packed for the URL. */
  packed: null as string | null,
  settings: { ...DEFAULT_SETTINGS, counts: {}, withdrawn: [] } as Settings,
  pinned: null as { model: LiveModel; label: string } | null,
  run: null as AbortController | null,
  runs: 0,
  last: null as LiveUpdate | null,
  timer: 0 as ReturnType<typeof setTimeout> | 0,
  frame: 0,
  pending: null as LiveUpdate | null,
};

function option(value: string, label: string): HTMLOptionElement {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = label;
  return o;
}

function fillSelects(): void {
  const sc = $<HTMLSelectElement>("scenario");
  sc.replaceChildren(...scenarioNames.map((n) => option(n, n)), option("imported", "Imported scenario"));
  $<HTMLSelectElement>("strategy").replaceChildren(
    option("", "The scenario's own"),
    ...EXPLORER_STRATEGIES.map((n) => option(n, n)),
  );
  $<HTMLSelectElement>("mode").replaceChildren(...ALLOCATION_MODES.map((m) => option(m, m)));
  $<HTMLSelectElement>("metric").replaceChildren(...MAP_METRICS.map((m) => option(m, METRIC_LABELS[m] ?? m)));
}

/** The contribution controls of the base scenario: per state a withdraw box and a count per asset type. */
function buildContributions(): void {
  const s = state.parsed!;
  const names = new Map(s.states.map((x) => [x.id, x.name]));
  const assetNames = new Map(s.assets.map((a) => [a.id, a.id]));
  const byState = new Map<string, { asset: string; count: number }[]>();
  for (const c of contributionsOf(state.base)) {
    if (!byState.has(c.state)) byState.set(c.state, []);
    byState.get(c.state)!.push({ asset: c.asset, count: c.count });
  }
  const rows: HTMLElement[] = [];
  for (const [st, list] of byState) {
    const div = document.createElement("div");
    div.className = "state";
    div.dataset.state = st;
    const name = names.get(st) ?? st;
    div.innerHTML =
      `<div class="state-head"><span>${esc(name)}</span><label><input type="checkbox" class="withdraw" ` +
      `data-state="${esc(st)}" aria-label="Withdraw ${esc(name)}"> withdraw</label></div><div class="assets">` +
      list
        .map(
          (c) =>
            `<label>${esc(assetNames.get(c.asset) ?? c.asset)} <input type="number" min="0" step="1" class="count" ` +
            `data-key="${esc(contributionKey(st, c.asset))}" data-default="${c.count}" ` +
            `aria-label="${esc(`${name}: ${c.asset} count`)}"></label>`,
        )
        .join("") +
      `</div>`;
    rows.push(div);
  }
  $("contributions").replaceChildren(...rows);
}

/** Put the settings into the controls. */
function showSettings(): void {
  const s = state.settings;
  $<HTMLSelectElement>("scenario").value = s.scenario ?? "imported";
  $<HTMLSelectElement>("strategy").value = s.strategy ?? "";
  $<HTMLSelectElement>("mode").value = s.mode;
  $("mode-hint").textContent = MODE_HINTS[s.mode];
  const p = state.parsed!;
  $<HTMLInputElement>("horizon").value = String(s.horizonDays ?? +(p.horizon / 24).toFixed(2));
  $<HTMLInputElement>("target").value = String(s.targetHours ?? p.standards.response);
  $<HTMLInputElement>("replications").value = String(s.replications);
  $<HTMLInputElement>("seed").value = String(s.seed);
  $<HTMLSelectElement>("metric").value = s.metric;
  for (const box of Array.from(document.querySelectorAll<HTMLInputElement>("input.withdraw"))) {
    box.checked = s.withdrawn.includes(box.dataset.state!);
    box.closest(".state")!.classList.toggle("withdrawn", box.checked);
  }
  for (const input of Array.from(document.querySelectorAll<HTMLInputElement>("input.count"))) {
    const st = input.dataset.key!.split("/")[0]!;
    input.value = String(s.counts[input.dataset.key!] ?? Number(input.dataset.default));
    input.disabled = s.withdrawn.includes(st);
  }
}

/** Read the controls into the settings. */
function readSettings(): void {
  const s = state.settings;
  const p = state.parsed!;
  const strategy = $<HTMLSelectElement>("strategy").value;
  s.strategy = strategy === "" ? null : strategy;
  s.mode = $<HTMLSelectElement>("mode").value as AllocationMode;
  const days = Number($<HTMLInputElement>("horizon").value);
  s.horizonDays = Number.isFinite(days) && days > 0 && Math.abs(days * 24 - p.horizon) > 1e-9 ? days : null;
  const target = Number($<HTMLInputElement>("target").value);
  s.targetHours = Number.isFinite(target) && target > 0 && target !== p.standards.response ? target : null;
  const reps = Math.round(Number($<HTMLInputElement>("replications").value));
  s.replications = Number.isFinite(reps) && reps >= 2 ? reps : DEFAULT_SETTINGS.replications;
  const seed = Math.round(Number($<HTMLInputElement>("seed").value));
  s.seed = Number.isSafeInteger(seed) ? seed : DEFAULT_SETTINGS.seed;
  s.metric = $<HTMLSelectElement>("metric").value;
  s.withdrawn = Array.from(document.querySelectorAll<HTMLInputElement>("input.withdraw"))
    .filter((b) => b.checked)
    .map((b) => b.dataset.state!);
  s.counts = {};
  for (const input of Array.from(document.querySelectorAll<HTMLInputElement>("input.count"))) {
    const n = Math.round(Number(input.value));
    if (input.value !== "" && Number.isFinite(n) && n >= 0 && n !== Number(input.dataset.default))
      s.counts[input.dataset.key!] = n;
  }
}

function updateUrl(): void {
  const hash = encodeSettings(state.settings, state.packed);
  history.replaceState(null, "", `${location.pathname}${location.search}${hash}`);
  $<HTMLInputElement>("share-url").value = location.href;
}

/** Load a scenario input as the base: parsed (throws ScenarioError), controls rebuilt. */
function setBase(input: unknown): void {
  const parsed = parseScenario(input);
  // A run of the previous scenario must not draw on this one's map.
  state.run?.abort();
  state.pending = null;
  state.base = input;
  state.parsed = parsed;
  buildContributions();
}

function status(text: string): void {
  $("status").textContent = text;
}

function showRunError(e: unknown): void {
  const box = $("run-error");
  if (e === null) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.hidden = false;
  if (e instanceof ScenarioError)
    box.innerHTML =
      `<p>The scenario these settings make is invalid:</p><ul>` +
      e.issues.map((i) => `<li><code>${esc(formatPath(i.path))}</code>: ${esc(i.message)}</li>`).join("") +
      `</ul>`;
  else box.textContent = e instanceof Error ? e.message : String(e);
}

/** Start a new run of the current settings (the previous one stops). */
function schedule(delay = 150): void {
  if (state.timer) clearTimeout(state.timer);
  state.timer = setTimeout(() => {
    state.timer = 0;
    start();
  }, delay);
}

function start(): void {
  state.run?.abort();
  const controller = new AbortController();
  state.run = controller;
  let applied: Applied;
  try {
    applied = applySettings(state.base, state.settings);
  } catch (e) {
    showRunError(e);
    return;
  }
  document.body.dataset.run = "running";
  status(`Running ${state.settings.replications} replications on ${workers.count} worker(s)…`);
  const t0 = performance.now();
  runLive(
    {
      current: { input: applied.input, allocation: applied.allocation },
      baseline: state.pinned?.model ?? null,
      horizon: applied.horizon,
      replications: state.settings.replications,
      seed: state.settings.seed,
      differences: HEADLINE_DIFFERENCES,
    },
    {
      runtime: workers.runtime,
      workers: workers.count,
      signal: controller.signal,
      onUpdate: (u) => {
        if (!controller.signal.aborted) draw(u);
      },
    },
  ).then(
    (u) => {
      if (controller.signal.aborted) return;
      showRunError(null);
      state.runs++;
      document.body.dataset.run = "done";
      document.body.dataset.runs = String(state.runs);
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      status(`${u.done} replications in ${secs} s on ${workers.count} worker(s), seed ${state.settings.seed}.`);
    },
    (e: unknown) => {
      if (controller.signal.aborted) return;
      document.body.dataset.run = "error";
      // The results shown are of earlier settings: greyed until a run succeeds.
      $("results").classList.add("stale");
      status("These settings do not run: see the message under the settings (results shown are earlier ones).");
      showRunError(e);
    },
  );
}

/** Draw an update on the next frame (updates arrive faster than frames). */
function draw(u: LiveUpdate): void {
  state.pending = u;
  if (state.frame) return;
  state.frame = requestAnimationFrame(() => {
    state.frame = 0;
    const next = state.pending;
    state.pending = null;
    if (next) render(next);
  });
}

function render(u: LiveUpdate): void {
  state.last = u;
  $("results").classList.remove("stale");
  const r = u.result;
  const metric = state.settings.metric;
  const p = $<HTMLProgressElement>("progress");
  p.max = u.total;
  p.value = u.done;
  if (!u.complete) {
    status(`${u.done} of ${u.total} replications… (estimates refine as they arrive)`);
    // Updates drawn before a run's end (the Chromium test checks that results refine live).
    document.body.dataset.partials = String(Number(document.body.dataset.partials ?? 0) + 1);
  }
  // The base's sectors and bases: contributions do not move them, and a new base stops the runs of the old.
  const parsed = state.parsed!;
  $("map").innerHTML = mapSvg(r, parsed, metric);
  $("legend").innerHTML = legendHtml(
    metric,
    r.sectors.map((s) => metricAt(s, metric).value),
  );
  const diffs = new Map(u.differences.map((d) => [d.metric, d]));
  const table = $<HTMLTableElement>("headline");
  table.classList.toggle("with-baseline", u.baseline !== null);
  table.tBodies[0]!.innerHTML = headlineRows(r)
    .map((row) => {
      const d = row.metric ? diffs.get(row.metric) : undefined;
      // Coloured when the interval excludes 0: green for a change for the better, red for the worse.
      const sign = d && Number.isFinite(d.paired.lo) ? (d.paired.lo > 0 ? 1 : d.paired.hi < 0 ? -1 : 0) : 0;
      const dir = row.metric ? better(row.metric) : "none";
      const good = dir === "higher" ? sign : dir === "lower" ? -sign : 0;
      const cls = good > 0 ? "good" : good < 0 ? "bad" : "";
      return (
        `<tr data-metric="${esc(row.metric ?? "")}"><td>${esc(row.label)}</td><td class="num">${esc(row.text)}</td>` +
        `<td class="num diff ${cls}">${d ? esc(formatDifference(row.metric!, d)) : ""}</td></tr>`
      );
    })
    .join("");
  $("warnings").textContent = r.warnings.length ? `Notes: ${r.warnings.join(" · ")}` : "";
  const sectors = $<HTMLTableElement>("sectors");
  sectors.tHead!.innerHTML =
    `<tr><th scope="col">Sector</th><th scope="col">km</th>` +
    `<th scope="col">${esc(METRIC_LABELS[metric] ?? metric)} (95% CI)</th></tr>`;
  sectors.tBodies[0]!.innerHTML = r.sectors
    .map((s, i) => {
      const e = metricAt(s, metric);
      return (
        `<tr><td>${esc(parsed.sectors[i]?.name ?? s.id)}</td><td class="num">${s.lengthKm.toFixed(0)}</td>` +
        `<td class="num">${esc(withCi(e, (v) => formatMetric(metric, v)))}</td></tr>`
      );
    })
    .join("");
}

/** Issues of a JSON text as a scenario: syntax, duplicate keys, then the scenario's own checks. */
function importIssues(text: string): { input: unknown; issues: ScenarioIssue[] } {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    const at = jsonErrorLocation(text);
    const where = at ? ` at line ${at.line}, column ${at.column}` : "";
    return { input: null, issues: [{ path: [], message: `not valid JSON${where} (${(e as Error).message})` }] };
  }
  const dups = duplicateKeys(text);
  if (dups.length > 0) return { input, issues: dups };
  try {
    parseScenario(input);
  } catch (e) {
    if (e instanceof ScenarioError) return { input, issues: [...e.issues] };
    return { input, issues: [{ path: [], message: e instanceof Error ? e.message : String(e) }] };
  }
  return { input, issues: [] };
}

function showImportErrors(issues: readonly ScenarioIssue[]): void {
  const list = $("import-errors");
  $("import-text").setAttribute("aria-invalid", issues.length ? "true" : "false");
  list.hidden = issues.length === 0;
  list.innerHTML = issues
    .map(
      (i) =>
        `<li data-path="${esc(formatPath(i.path))}"><code>${esc(formatPath(i.path))}</code>: ${esc(i.message)}</li>`,
    )
    .join("");
}

/** Import a scenario's JSON text: shown errors at their paths, or the new base with fresh settings. */
async function importText(text: string): Promise<boolean> {
  const { input, issues } = importIssues(text);
  showImportErrors(issues);
  if (issues.length > 0) {
    status(`The imported scenario is invalid (${issues.length} problem${issues.length === 1 ? "" : "s"}).`);
    return false;
  }
  setBase(input);
  state.packed = await packScenario(JSON.stringify(input));
  state.pinned = null;
  state.settings = { ...DEFAULT_SETTINGS, counts: {}, withdrawn: [], scenario: null };
  showBaseline();
  showSettings();
  updateUrl();
  schedule(0);
  return true;
}

function showBaseline(): void {
  $("pin").textContent = state.pinned ? "Pin current as baseline" : "Pin as baseline";
  $("unpin").hidden = state.pinned === null;
  const note = $("baseline-note");
  note.hidden = state.pinned === null;
  note.textContent = state.pinned
    ? `Baseline pinned: ${state.pinned.label}. Differences are current − baseline on the same replications ` +
      `(common random numbers), with the baseline run at the current horizon.`
    : "";
}

function describe(s: Settings): string {
  const parts = [s.scenario ?? "imported scenario", s.strategy ?? "own allocation", s.mode];
  if (s.withdrawn.length) parts.push(`without ${s.withdrawn.join(", ")}`);
  const n = Object.keys(s.counts).length;
  if (n) parts.push(`${n} count${n === 1 ? "" : "s"} changed`);
  if (s.targetHours !== null) parts.push(`standard ${s.targetHours} h`);
  return parts.join(", ");
}

/** Apply a URL hash: settings, and an imported scenario it carries. */
async function loadHash(): Promise<void> {
  const { settings, packed, problems } = decodeSettings(location.hash);
  try {
    if (settings.scenario === null && packed !== null) {
      const json = await unpackScenario(packed);
      const { input, issues } = importIssues(json);
      if (issues.length) throw new ScenarioError(issues, "the scenario in the link");
      setBase(input);
      state.packed = packed;
    } else {
      setBase(embedded(settings.scenario ?? "coalition-2026"));
      state.packed = null;
    }
  } catch (e) {
    problems.push(e instanceof Error ? e.message : String(e));
    settings.scenario = DEFAULT_SETTINGS.scenario;
    setBase(embedded("coalition-2026"));
  }
  state.settings = settings;
  showSettings();
  updateUrl();
  if (problems.length) showRunError(new Error(`The link was not understood in full: ${problems.join("; ")}`));
  schedule(0);
}

function wire(): void {
  const changed = () => {
    readSettings();
    showSettings();
    updateUrl();
    schedule();
  };
  for (const id of ["strategy", "mode", "horizon", "target", "replications", "seed"])
    $(id).addEventListener("change", changed);
  $("contributions").addEventListener("change", changed);
  $("metric").addEventListener("change", () => {
    readSettings();
    updateUrl();
    if (state.last) render(state.last);
  });
  $<HTMLSelectElement>("scenario").addEventListener("change", (e) => {
    const v = (e.target as HTMLSelectElement).value;
    if (v === "imported") {
      if (state.settings.scenario === null) return;
      $<HTMLSelectElement>("scenario").value = state.settings.scenario;
      $("import-text").focus();
      return;
    }
    setBase(embedded(v as ScenarioName));
    state.packed = null;
    state.pinned = null;
    state.settings = { ...DEFAULT_SETTINGS, counts: {}, withdrawn: [], scenario: v as ScenarioName };
    showBaseline();
    showSettings();
    updateUrl();
    schedule(0);
  });
  $("pin").addEventListener("click", () => {
    const applied = applySettings(state.base, state.settings);
    state.pinned = { model: { input: applied.input, allocation: applied.allocation }, label: describe(state.settings) };
    showBaseline();
    schedule(0);
  });
  $("unpin").addEventListener("click", () => {
    state.pinned = null;
    showBaseline();
    schedule(0);
  });
  $("import-load").addEventListener("click", () => void importText($<HTMLTextAreaElement>("import-text").value));
  $<HTMLInputElement>("import-file").addEventListener("change", async (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    const text = await file.text();
    $<HTMLTextAreaElement>("import-text").value = text;
    await importText(text);
  });
  $("export").addEventListener("click", () => {
    let input: unknown;
    try {
      input = applySettings(state.base, state.settings).input;
    } catch (e) {
      showRunError(e);
      return;
    }
    const name = (input as { name?: string }).name ?? "scenario";
    const blob = new Blob([`${JSON.stringify(input, null, 2)}\n`], { type: "application/json" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `${name}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
  $("share-copy").addEventListener("click", async () => {
    const url = $<HTMLInputElement>("share-url");
    url.select();
    try {
      await navigator.clipboard.writeText(url.value);
      status("Link copied.");
    } catch {
      status("Select the link and copy it (the clipboard is not available here).");
    }
  });
  window.addEventListener("hashchange", () => {
    if (location.hash !== encodeSettings(state.settings, state.packed)) void loadHash();
  });
}

fillSelects();
wire();
void loadHash().then(() => {
  document.body.dataset.ready = "yes";
});
