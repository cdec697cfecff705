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

/**
 * Chromium for a test file's browser checks, or null: they are then skipped, and the file says so on stderr.
 * With `CI` set a missing Chromium throws instead, so the suite fails: a CI run that lost its browser must not
 * look green.
 */
export function chromiumForTests(file: string): string | null {
  const found = findChromium();
  if (found) return found;
  if (process.env.CI)
    throw new Error(`CI: Chromium not found (${file}); scripts/ci-setup.sh installs it (Debian package \`chromium\`)`);
  console.warn(
    `${file}: SKIPPED the headless-browser checks: Chromium not found; install it with scripts/ci-setup.sh ` +
      "(Debian package `chromium`) or set CHROMIUM_PATH",
  );
  return null;
}
