import { isIP } from "node:net";

/*
 * Is a request from this machine? Local mode's sign-in hands a full session to whoever asks, so
 * it asks this first. `npm run dev` (scripts/dev.ts) appends the socket's peer address to
 * X-Forwarded-For, so that header always ends with the real peer, after whatever a client or a
 * tunnel wrote: every hop must be loopback. A tunnel (ngrok, cloudflared) connects from loopback
 * but adds the visitor's address, and is refused. The Host must be a loopback name as well, which
 * also defeats DNS rebinding (a page of evil.example resolving to 127.0.0.1 sends Host: evil.example).
 */

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

function isLoopbackAddress(value: string): boolean {
  const address = value
    .trim()
    .replace(/^\[|\]$/g, "")
    .replace(/^::ffff:/i, "");
  if (isIP(address) === 4) return address.startsWith("127.");
  if (isIP(address) === 6) return address === "::1";
  return false;
}

function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  return h.split(":")[0] ?? "";
}

export function isLoopbackRequest(req: Request): boolean {
  const host = req.headers.get("host");
  if (!host) return false;
  const name = hostName(host);
  if (!LOOPBACK_NAMES.has(name) && !name.endsWith(".localhost") && !isLoopbackAddress(name)) return false;
  // Headers a proxy adds, naming the client: any non-loopback hop is a remote visitor.
  const forwardedFor = req.headers.get("x-forwarded-for");
  if (forwardedFor === null) return false;
  const hops = forwardedFor.split(",");
  if (!hops.every(isLoopbackAddress)) return false;
  const realIp = req.headers.get("x-real-ip");
  if (realIp !== null && !isLoopbackAddress(realIp)) return false;
  const forwarded = req.headers.get("forwarded");
  if (forwarded !== null) {
    const fors = [...forwarded.matchAll(/for="?([^";,]+)"?/gi)].map((m) => m[1] ?? "");
    if (!fors.every(isLoopbackAddress)) return false;
  }
  return true;
}
