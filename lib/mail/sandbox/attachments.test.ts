import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSandboxProvider } from "@/lib/mail/sandbox/provider";
import { toEml } from "@/lib/samples/to-eml";

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

describe("sandbox fetchAttachment", () => {
  it("hands over one part's bytes from the .eml by the index its metadata gave", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "sandbox-att-"));
    roots.push(root);
    const sandbox = createSandboxProvider(root);
    const mailboxId = "6f1c2a9e-0000-4000-8000-000000000001";
    const access = { accessToken: "", address: "direction@sahel-negoce.ci", mailboxId };
    const pdf = new TextEncoder().encode("%PDF-1.4 facture");
    const csv = new TextEncoder().encode("article;prix\nciment;4500\n");
    const entry = await sandbox.store.deliver(
      mailboxId,
      toEml({
        from: { address: "factures@fournisseur.ci" },
        to: [{ address: access.address }],
        subject: "Facture",
        date: "2026-11-20T08:15:00Z",
        text: "Ci-joint.",
        attachments: [
          { filename: "FA-2291.pdf", mimeType: "application/pdf", content: pdf },
          { filename: "tarifs.csv", mimeType: "text/csv", content: csv },
        ],
      }),
    );
    const message = await sandbox.fetchMessage(access, entry.id);
    const [first, second] = message!.attachments;
    expect(first).toMatchObject({ providerAttachmentId: "0", type: "file", inline: false });
    expect(Buffer.from((await sandbox.fetchAttachment(access, entry.id, second!))!).toString()).toBe(
      "article;prix\nciment;4500\n",
    );
    expect(
      Buffer.from((await sandbox.fetchAttachment(access, entry.id, first!))!).equals(Buffer.from(pdf)),
    ).toBe(true);
    // Metadata that does not describe that part (another name) gets nothing.
    expect(await sandbox.fetchAttachment(access, entry.id, { ...first!, filename: "autre.pdf" })).toBeNull();
    expect(await sandbox.fetchAttachment(access, "missing-id-000", first!)).toBeNull();
  });
});
