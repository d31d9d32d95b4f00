import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { inheritedEnv } from "@/scripts/child-env";

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
  return {
    ...inheritedEnv(["PATH", "HOME", "TMPDIR", "LANG", "SystemRoot"]),
    NODE_ENV: "development",
    DATA_DIR: dataDir,
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: "warn",
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Next allows one `next dev` per project folder, and Vitest runs test files two at a time: the
 * browser suites take turns through a lock file (created exclusively, holding the owner's pid; a
 * dead owner's lock is taken over). Returns its release.
 */
async function takeTurn(waitMs: number): Promise<() => void> {
  const id = createHash("sha256").update(ROOT).digest("hex").slice(0, 16);
  const lock = path.join(tmpdir(), `fluxasync-next-dev-${id}.lock`);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: "wx" });
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(lock, "utf8"));
    } catch {
      continue; // Released between our attempt and the read.
    }
    // A dead owner, or this very process (a suite of this worker that ended without stopping).
    if (Number.isInteger(owner) && owner > 0 && (owner === process.pid || !alive(owner))) {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`another browser suite kept \`next dev\` for ${waitMs} ms (${lock})`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
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

/** Waits for the other browser suites' servers (up to `waitMs`), then starts one in `timeoutMs`. */
export async function startDevServer(timeoutMs = 120_000, waitMs = 900_000): Promise<DevServer> {
  const release = await takeTurn(waitMs);
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
    release();
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
