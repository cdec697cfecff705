/** CLI command `explore`: serve the interactive explorer (dist/explorer/) locally and open it in a browser. */
import { spawn } from "node:child_process";
import { serveExplorer } from "../node/explore.js";
import { parse, positiveInt, UsageError, type Io } from "./common.js";

/** `explore --help`. */
export const EXPLORE_HELP = `Usage: ceasefire-sim explore [options]

Serve the interactive explorer on this machine and open it in the browser: a page
that runs the simulation itself (WebAssembly in Web Workers), with the map of the
line, each state's contribution, the strategy and allocation mode, the horizon
and the response standard, live estimates, a pinned baseline, scenario import and
export, and a shareable link. The server only hands out the page's files; stop it
with Ctrl-C. The same files (dist/explorer/) deploy as static pages anywhere.

Options:
  -p, --port N     port to listen on (default 8123; 0: any free port)
      --host H     interface to listen on (default 127.0.0.1: this machine only)
      --no-open    print the address instead of opening a browser
  -h, --help       this help

Examples:
  ceasefire-sim explore
  ceasefire-sim explore --port 9000 --no-open`;

/** The platform's command that opens a URL in the default browser. */
function opener(url: string): [string, string[]] {
  if (process.platform === "darwin") return ["open", [url]];
  if (process.platform === "win32") return ["cmd", ["/c", "start", "", url]];
  return ["xdg-open", [url]];
}

/** `ceasefire-sim explore`: see EXPLORE_HELP. Resolves to the exit code when the server stops (a signal). */
export async function exploreCommand(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parse(args, {
    port: { type: "string", short: "p" },
    host: { type: "string" },
    "no-open": { type: "boolean" },
  });
  if (v.help) {
    io.stdout.write(EXPLORE_HELP + "\n");
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`explore takes no arguments; got ${positionals.join(" ")}`);
  const port = v.port === "0" ? 0 : positiveInt("port", v.port as string | undefined, 8123);
  if (port > 65535) throw new UsageError(`--port: expected a port from 0 to 65535; got ${port}`);
  const running = await serveExplorer({ port, ...(typeof v.host === "string" ? { host: v.host } : {}) });
  io.stdout.write(`ceasefire-sim explorer: ${running.url}\n(Ctrl-C stops the server)\n`);
  if (!v["no-open"]) {
    const [cmd, argv] = opener(running.url);
    try {
      const child = spawn(cmd, argv, { stdio: "ignore", detached: true });
      child.on("error", () => io.stderr.write(`could not start ${cmd}: open ${running.url} in your browser\n`));
      child.unref();
    } catch {
      io.stderr.write(`could not start ${cmd}: open ${running.url} in your browser\n`);
    }
  }
  const sig = await new Promise<NodeJS.Signals>((ok) => {
    process.once("SIGINT", () => ok("SIGINT"));
    process.once("SIGTERM", () => ok("SIGTERM"));
  });
  await running.close();
  io.stderr.write(`explorer stopped (${sig})\n`);
  return 0;
}
