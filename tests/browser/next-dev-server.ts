import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The app as a newcomer runs it: `npm run dev` (scripts/dev.ts) in local mode (development, no
 * OAuth, WhatsApp or Gemini configuration) with its own throwaway data directory, on a free port.
 */
export type DevServer = { baseUrl: string; dataDir: string; logs: () => string; stop: () => Promise<void> };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Only what a shell needs: nothing from the developer's or CI's environment leaks into the app. */
function localModeEnv(dataDir: string): NodeJS.ProcessEnv {
  const keep = ["PATH", "HOME", "TMPDIR", "LANG", "SystemRoot"];
  const inherited = Object.fromEntries(keep.filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
  return {
    ...inherited,
    NODE_ENV: "development",
    DATA_DIR: dataDir,
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: "warn",
  };
}

async function waitForHealth(baseUrl: string, child: ChildProcess, logs: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next dev exited (${child.exitCode}):\n${logs()}`);
    if (logs().includes("Another next dev server is already running")) {
      throw new Error(`Stop the other \`next dev\` of this project first (one per folder):\n${logs()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(30_000) });
      if (res.ok) return;
    } catch {
      // Not listening or still compiling.
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`next dev did not become healthy in ${timeoutMs} ms:\n${logs()}`);
}

export async function startDevServer(timeoutMs = 120_000): Promise<DevServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "fluxasync-browser-"));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(ROOT, "scripts/dev.ts"), "--port", String(port)],
    { cwd: ROOT, env: localModeEnv(dataDir), stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let output = "";
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const logs = () => output;
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once("exit", r));
      // The whole group: next dev runs its server in a child process.
      process.kill(-child.pid, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch (error) {
          // ESRCH: the group ended between the wait and the kill.
          if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
        }
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, child, logs, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, dataDir, logs, stop };
}
