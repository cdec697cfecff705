/** The readable allocation the CLI prints: teams per base and state, sensors per sector, idle units. */
import type { Allocation } from "../allocation/allocation.js";
import type { Scenario } from "../model/types.js";

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!)))
      .join("  ")
      .trimEnd();
  return [line(head), w.map((x) => "-".repeat(x)).join("  "), ...rows.map(line)].join("\n");
}

/** The text of an allocation: teams per base and state, sensors per sector, idle units and why. */
export function allocationText(s: Scenario, a: Allocation, seconds: number): string {
  const out: string[] = [];
  const strategyWhy = a.teams[0]?.why ?? a.sensors[0]?.why ?? "";
  out.push(
    `${s.name}: allocation by ${a.strategy} (${seconds.toFixed(2)} s) — ${a.teams.length} teams, ` +
      `${a.sensors.length} sensors`,
  );
  if (strategyWhy) out.push(`e.g. ${a.teams[0]?.id ?? a.sensors[0]?.id}: ${strategyWhy}`);
  out.push("");
  if (a.teams.length > 0) {
    const rows = s.bases.map((b) => {
      const here = a.teams.filter((t) => t.base === b.id);
      return [
        b.id,
        `${here.length}/${b.capacity >= 1e6 ? "∞" : b.capacity}`,
        here
          .map((t) => t.state)
          .filter((v, i, arr) => arr.indexOf(v) === i)
          .map((st) => `${st} ${here.filter((t) => t.state === st).length}`)
          .join(", "),
      ];
    });
    out.push(table(["base", "teams", "by state"], rows));
    out.push("");
  }
  const rows = s.sectors.map((sec) => {
    const within = (u: { from: number; to: number }) => u.from < sec.to && u.to > sec.from;
    const n = (k: string) => a.sensors.filter((u) => u.kind === k && within(u)).length;
    const km = a.sensors
      .filter((u) => u.kind === "fixed")
      .reduce((acc, u) => acc + Math.max(0, Math.min(u.to, sec.to) - Math.max(u.from, sec.from)), 0);
    return [
      sec.id,
      sec.lengthKm.toFixed(0),
      String(n("fixed")),
      `${Math.min(100, (100 * km) / sec.lengthKm).toFixed(0)}%`,
      String(n("uav")),
      String(n("satellite")),
    ];
  });
  out.push(table(["sector", "km", "fixed", "fixed km", "UAV orbits", "satellites"], rows));
  if (a.idle.length > 0) {
    out.push("");
    out.push(`Idle: ${a.idle.map((i) => `${i.count} ${i.asset} of ${i.state} (${i.why})`).join("; ")}`);
  }
  return out.join("\n") + "\n";
}
