import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** `npm run triage -- --json …` as a user runs it, in its own process (async: the worker threads run). */
function triage(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "fluxasync-triage-"));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/triage.ts", ...args], {
      env: { PATH: process.env.PATH, NODE_ENV: "test", DATA_DIR: dataDir },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("close", (status) => {
      rmSync(dataDir, { recursive: true, force: true });
      resolve({ status, stdout, stderr });
    });
  });
}

describe("npm run triage", () => {
  it("reports the amount and due date of an email whose only substance is the attached invoice", async () => {
    const run = await triage([
      "--json",
      "--profile",
      "lib/samples/sets/attachments-2026/profile.json",
      "lib/attachments/fixtures/eml/facture-seule.eml",
    ]);
    expect(run.status, run.stderr).toBe(0);
    const line = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}");
    expect(line.amounts[0]).toEqual({ value: 4_500_000, currency: "XOF" });
    expect(line.deadline).toMatch(/^2026-12-15T/);
    expect(line.attachments).toEqual([
      expect.objectContaining({
        filename: "facture-FA-2291.pdf",
        status: "read",
        findings: expect.objectContaining({ kind: "invoice" }),
      }),
    ]);
    // The body says only "Veuillez trouver ci-joint la facture": the figures came from the PDF.
    expect(line.priority).toBe("important");
  }, 120_000);
});
