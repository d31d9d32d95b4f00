// `npm run dev` — the development server: Next.js in development mode behind a plain HTTP server
// that listens on 127.0.0.1 unless told otherwise, and tells the app who is really connected.
//
//   npm run dev                                   # http://127.0.0.1:3000, this machine only
//   npm run dev -- --port 3001
//   npm run dev -- --hostname 0.0.0.0             # reachable from the network (see README)
//
// Local mode signs in whoever asks from this machine (lib/http/loopback.ts). `next dev` keeps an
// X-Forwarded-For a client wrote and only fills it in when absent, so a client could claim to be
// 127.0.0.1; here the socket's own peer address is appended to it, and the app checks every hop.
//
// It also writes the request log, without query strings: Meta's verification request carries the
// verify token in its query, an OAuth callback its code (next.config.ts turns Next's own log off).
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import next from "next";

const { values } = parseArgs({
  options: {
    hostname: { type: "string", short: "H", default: "127.0.0.1" },
    port: { type: "string", short: "p", default: "3000" },
  },
});
const hostname = values.hostname;
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid --port ${values.port}`);
  process.exit(2);
}

// What `next dev` does; a custom server has to say it.
(process.env as Record<string, string>).NODE_ENV = "development";

/** "GET /api/health 200 in 12 ms": the path only, never the query. */
function logRequest(method: string, url: string, status: number, startedAt: number) {
  const path = url.split("?")[0] ?? "";
  if (path.startsWith("/_next/") || path === "/favicon.ico") return;
  console.info(` ${method} ${path} ${status} in ${Math.round(performance.now() - startedAt)} ms`);
}

// The socket listens first, so the port is known (`--port 0` picks a free one) before the app reads
// its environment: APP_URL defaults to this port (lib/env.ts), and OAuth start and error redirects
// come back here rather than to :3000. Requests that arrive meanwhile wait for Next to be ready.
let ready: (app: ReturnType<typeof next>) => void = () => {};
const started = new Promise<ReturnType<typeof next>>((resolve) => {
  ready = resolve;
});

const server = createServer((req, res) => {
  const startedAt = performance.now();
  res.once("finish", () => logRequest(req.method ?? "?", req.url ?? "", res.statusCode, startedAt));
  const peer = req.socket.remoteAddress ?? "";
  const claimed = req.headers["x-forwarded-for"];
  const hops = [claimed].flat().filter((v): v is string => Boolean(v));
  req.headers["x-forwarded-for"] = [...hops, peer].join(", ");
  void started.then((app) => app.getRequestHandler()(req, res));
});
server.on(
  "upgrade",
  (req, socket, head) => void started.then((app) => app.getUpgradeHandler()(req, socket, head)),
);
await new Promise<void>((resolve) => server.listen(port, hostname, resolve));
const address = server.address();
const bound = typeof address === "object" && address ? address.port : port;
(process.env as Record<string, string>).PORT = String(bound);

const app = next({ dev: true, hostname, port: bound, dir: process.cwd() });
await app.prepare();
ready(app);
const shown = hostname.includes(":") ? `[${hostname}]` : hostname;
const loopback = /^(127\.|::1$|localhost$)/.test(hostname);
console.info(
  `Listening on http://${shown}:${bound}${
    loopback
      ? " (this machine only; `npm run dev -- --hostname 0.0.0.0` opens it to the network)"
      : " (open to the network: local sign-in still refuses other machines)"
  }`,
);

// Ctrl-C or a SIGTERM: stop listening, let Next close its watchers, and exit (at most 3 s later).
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    setTimeout(() => process.exit(0), 3000).unref();
    server.close();
    void app.close().finally(() => process.exit(0));
  });
}
