/**
 * The explorer's local server (`ceasefire-sim explore`): dist/explorer/ served as static files over node:http
 * on the loopback interface, with the MIME types browsers insist on (application/wasm for WebAssembly,
 * text/javascript for module scripts and workers). Nothing else: the page runs the library itself.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "./files.js";

/** Content types of the explorer's files, by extension. */
export const EXPLORER_TYPES: Readonly<Record<string, string>> = Object.freeze({
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
});

/** The built explorer: dist/explorer/ beside this module in dist/, or the checkout's when run from the sources. */
export function explorerDir(): string {
  const built = fileURLToPath(new URL("./explorer/", import.meta.url));
  return existsSync(join(built, "index.html"))
    ? built
    : fileURLToPath(new URL("../../dist/explorer/", import.meta.url));
}

/** Options of `serveExplorer`. */
export interface ServeOptions {
  /** Port (default 8123; 0: any free port). */
  port?: number;
  /** Interface to listen on (default "127.0.0.1": this machine only). */
  host?: string;
  /** Folder to serve (default: `explorerDir()`). */
  dir?: string;
}

/** A running explorer server. */
export interface ExplorerServer {
  /** The page's address, e.g. "http://127.0.0.1:8123/". */
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * Serve the explorer's folder. Rejects when the folder has no index.html (build it: `npm run build`) or the
 * port cannot be had.
 *
 * @example
 * const { url, close } = await serveExplorer({ port: 0 });
 */
export async function serveExplorer(options: ServeOptions = {}): Promise<ExplorerServer> {
  const dir = normalize(options.dir ?? explorerDir());
  if (!existsSync(join(dir, "index.html")))
    throw new InputError(`explore: no explorer in ${dir} (index.html missing); build it with \`npm run build\``);
  const host = options.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    } catch {
      res.writeHead(400).end("bad request");
      return;
    }
    const file = normalize(join(dir, path.endsWith("/") ? `${path}index.html` : path));
    const type = EXPLORER_TYPES[extname(file)];
    if (
      !file.startsWith(dir.endsWith(sep) ? dir : dir + sep) ||
      !type ||
      !existsSync(file) ||
      !statSync(file).isFile()
    ) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found");
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, { "content-type": type, "content-length": body.length, "cache-control": "no-cache" });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 8123, host, () => {
      server.off("error", fail);
      ok();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    server,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
