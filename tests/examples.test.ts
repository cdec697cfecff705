import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";

// The examples import "ceasefire-sim" (the built package, by self-reference): `npm test` builds first.
function run(file: string): string {
  return execFileSync(process.execPath, ["--import", "tsx", file], {
    cwd: new URL("..", import.meta.url),
    encoding: "utf8",
  });
}

describe("examples run as written", () => {
  it("examples/compare.ts", () => {
    const out = run("examples/compare.ts");
    expect(out).toMatch(/response\.mean \(lower is better\)/);
    expect(out).toMatch(/uniform − risk-weighted: -?\d+\.\d{3} ±\d+\.\d{3} paired/);
    expect(out).toMatch(/ranking: 1\. /);
  });
  it("examples/sweep.ts", () => {
    const out = run("examples/sweep.ts");
    expect(out.trim().split("\n")).toHaveLength(3 * 2 * 2);
    expect(out).toMatch(/^10 \/ 20 +withinStandard +0\.\d{3} ±/m);
  });
  it("examples/withdrawal.ts", () => {
    const out = run("examples/withdrawal.ts");
    expect(out).toMatch(/^full coalition: within standard \d+\.\d%/);
    expect(out.trim().split("\n")).toHaveLength(6);
  });
});
