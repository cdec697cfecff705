import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Chromium from $CHROMIUM_PATH or the PATH (Debian's `chromium`); never downloaded. */
export function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const name of ["chromium", "chromium-browser"]) {
    try {
      const found = execFileSync("which", [name], { encoding: "utf8" }).trim();
      if (found) return found;
    } catch {
      // not on the PATH
    }
  }
  return null;
}

/** The flags Chromium runs with in tests (headless, no sandbox as root, no background network). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
];
