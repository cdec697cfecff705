#!/usr/bin/env node
import { main } from "./cli/main.js";
import { EXIT } from "./cli/common.js";

// A reader that stops early (`| head`) closes the pipe: that is no error. Stop quietly with exit 0.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code !== "EPIPE") throw e;
  process.exit(EXIT.ok);
});
// Messages on a closed stderr have nowhere to go; the exit code still tells.
process.stderr.on("error", () => {});
// A signal before a command listens for it (while modules load, a scenario is read…): nothing to clean up,
// so stop at once with the signal's exit code. Once a long command listens, it handles the signal itself.
for (const sig of ["SIGINT", "SIGTERM"] as const)
  process.on(sig, () => {
    if (process.listenerCount(sig) > 1) return;
    process.stderr.write(`interrupted by ${sig} before any work finished; nothing written\n`);
    process.exit(sig === "SIGINT" ? EXIT.sigint : EXIT.sigterm);
  });

process.exitCode = await main(process.argv.slice(2));
