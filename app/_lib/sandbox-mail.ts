import path from "node:path";
import { z } from "zod";
import { sandboxRoot } from "@/lib/config/mail-providers";
import type { SessionUser } from "@/lib/db/accounts";
import { listMailboxes } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import type { Mailbox } from "@/lib/db/schemas";
import { badRequest, conflict } from "@/lib/errors/app-error";
import { deliverSandboxEmail, recordSandboxSentEmail } from "@/lib/local/sandbox-delivery";
import { SandboxSentFolder } from "@/lib/mail/sandbox/sent-folder";
import { readProfileFile } from "@/lib/samples/eval-sets";
import { loadSamples, SAMPLES_PATH } from "@/lib/samples/samples";
import { sampleToEml, toEml } from "@/lib/samples/to-eml";

/** The organization's connected sandbox mailbox (local mode), if any. */
export async function findSandboxMailbox(db: Db, organizationId: string): Promise<Mailbox | null> {
  const mailboxes = await listMailboxes(db, organizationId);
  return mailboxes.find((m) => m.provider === "sandbox" && m.status === "active") ?? null;
}

async function requireSandbox(db: Db, user: SessionUser): Promise<Mailbox> {
  const mailbox = await findSandboxMailbox(db, user.organizationId);
  if (!mailbox) throw conflict("Connect the sandbox mailbox first.");
  return mailbox;
}

export const composeSchema = z.object({
  /** The other party: the sender of a received email, the recipient of a sent one. */
  fromAddress: z.email().max(200),
  fromName: z.string().trim().max(120).optional(),
  subject: z.string().trim().min(1).max(300),
  body: z.string().trim().min(1).max(20_000),
  /** received: into the inbox; sent: into the Sent folder, as if the owner had written it. */
  direction: z.enum(["received", "sent"]).default("received"),
  /** What the sandbox, standing in for the receiving server, says of the sender's authentication. */
  authentication: z.enum(["pass", "fail", "none"]).default("pass"),
});
export type ComposeInput = z.input<typeof composeSchema> & {
  /** A file attached to a received email, read by the pipeline like a provider's (local mode). */
  attachment?: { filename: string; mimeType: string; content: Uint8Array } | null;
};

/** Server actions take at most 11 MB (next.config.ts): a file past the reader's 10 MB is refused here. */
const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** The receiving server's verdict, as Gmail or Exchange would write it at the top of the message. */
function receivedAuthentication(verdict: "pass" | "fail" | "none", from: string): Record<string, string> {
  if (verdict === "none") return {};
  const domain = from.split("@")[1] ?? "";
  return {
    "Authentication-Results": `sandbox.local; dkim=${verdict} header.d=${domain}; spf=${verdict} smtp.mailfrom=${from}; dmarc=${verdict} header.from=${domain}`,
  };
}

/**
 * A test email, as a real mail client would write it: received into the sandbox mailbox (with the
 * authentication verdict chosen), or sent by its owner into the Sent folder.
 */
export async function composeTestEmail(db: Db, user: SessionUser, input: ComposeInput, now = new Date()) {
  const parsed = composeSchema.safeParse(input);
  if (!parsed.success) throw badRequest("Fill in the sender address, the subject and the text.");
  const file = input.attachment ?? null;
  if (file && (file.content.byteLength > MAX_ATTACHMENT_BYTES || !file.filename.trim()))
    throw badRequest("Attach one file of at most 10 MB.");
  const mailbox = await requireSandbox(db, user);
  const other = { name: parsed.data.fromName || null, address: parsed.data.fromAddress };
  const me = { address: mailbox.address };
  const sent = parsed.data.direction === "sent";
  const raw = toEml({
    from: sent ? me : other,
    to: [sent ? other : me],
    subject: parsed.data.subject,
    date: now.toISOString(),
    messageId: `${now.getTime()}.${crypto.randomUUID()}@compose.sandbox.local`,
    headers: sent ? {} : receivedAuthentication(parsed.data.authentication, other.address),
    text: parsed.data.body,
    attachments: file
      ? [
          {
            filename: file.filename.trim().slice(0, 200),
            mimeType: file.mimeType || "application/octet-stream",
            content: file.content,
          },
        ]
      : [],
  });
  return sent ? recordSandboxSentEmail(db, mailbox.id, raw) : deliverSandboxEmail(db, mailbox.id, raw);
}

/**
 * A demo Sent folder for a new sandbox mailbox: its owner has written to the sample set's
 * correspondents and to the compose form's example sender, so they are known, as a real
 * manager's bank and suppliers are. Anyone else is a first contact until the owner writes to them.
 */
export async function seedSandboxSentFolder(db: Db, mailbox: Mailbox, extra: string[], now = new Date()) {
  if ((await new SandboxSentFolder(sandboxRoot()).list(mailbox.id)).length > 0) return;
  const profile = readProfileFile(path.join(path.dirname(SAMPLES_PATH), "profile.json"));
  const recipients = [...profile.correspondents.filter((c) => !c.startsWith("@")), ...extra];
  for (const [i, address] of recipients.entries()) {
    const raw = toEml({
      from: { address: mailbox.address },
      to: [{ address }],
      subject: "Suivi de nos échanges",
      date: new Date(now.getTime() - (30 + i) * 86_400_000).toISOString(),
      messageId: `seed-${i}.${crypto.randomUUID()}@compose.sandbox.local`,
      text: "Bonjour,\n\nMerci pour votre retour.\n\nCordialement",
    });
    await recordSandboxSentEmail(db, mailbox.id, raw);
  }
}

/** The project's labelled sample emails, delivered into the sandbox mailbox. */
export async function loadSampleEmails(db: Db, user: SessionUser): Promise<number> {
  const mailbox = await requireSandbox(db, user);
  const samples = loadSamples();
  for (const sample of samples) await deliverSandboxEmail(db, mailbox.id, sampleToEml(sample));
  return samples.length;
}
