import { z } from "zod";
import type { SessionUser } from "@/lib/db/accounts";
import { listMailboxes } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import type { Mailbox } from "@/lib/db/schemas";
import { badRequest, conflict } from "@/lib/errors/app-error";
import { deliverSandboxEmail } from "@/lib/local/sandbox-delivery";
import { loadSamples } from "@/lib/samples/samples";
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
  fromAddress: z.email().max(200),
  fromName: z.string().trim().max(120).optional(),
  subject: z.string().trim().min(1).max(300),
  body: z.string().trim().min(1).max(20_000),
});
export type ComposeInput = z.input<typeof composeSchema>;

/** A test email, as a real mail client would write it, delivered into the sandbox mailbox. */
export async function composeTestEmail(db: Db, user: SessionUser, input: ComposeInput, now = new Date()) {
  const parsed = composeSchema.safeParse(input);
  if (!parsed.success) throw badRequest("Fill in the sender address, the subject and the text.");
  const mailbox = await requireSandbox(db, user);
  const raw = toEml({
    from: { name: parsed.data.fromName || null, address: parsed.data.fromAddress },
    to: [{ address: mailbox.address }],
    subject: parsed.data.subject,
    date: now.toISOString(),
    messageId: `${now.getTime()}.${crypto.randomUUID()}@compose.sandbox.local`,
    text: parsed.data.body,
  });
  return deliverSandboxEmail(db, mailbox.id, raw);
}

/** The project's labelled sample emails, delivered into the sandbox mailbox. */
export async function loadSampleEmails(db: Db, user: SessionUser): Promise<number> {
  const mailbox = await requireSandbox(db, user);
  const samples = loadSamples();
  for (const sample of samples) await deliverSandboxEmail(db, mailbox.id, sampleToEml(sample));
  return samples.length;
}
