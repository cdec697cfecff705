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
// A signal while no command listens for it (modules and the scenario loading, the output being renamed into
// place): stop at once with the signal's exit code. While a long command works, it handles the signal itself.
for (const sig of ["SIGINT", "SIGTERM"] as const)
  process.on(sig, () => {
    if (process.listenerCount(sig) > 1) return;
    process.stderr.write(`interrupted by ${sig}\n`);
    process.exit(sig === "SIGINT" ? EXIT.sigint : EXIT.sigterm);
  });

process.exitCode = await main(process.argv.slice(2));
