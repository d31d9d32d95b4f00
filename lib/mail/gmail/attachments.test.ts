import { beforeEach, describe, expect, it } from "vitest";
import { ProviderRequestError, ReconnectRequiredError } from "@/lib/mail/errors";
import type { GmailCall } from "@/lib/mail/gmail/api-request";
import { createGmailProvider } from "@/lib/mail/gmail/provider";
import type { MailboxAccess } from "@/lib/mail/provider";
import { createGoogleFake, type GoogleFake } from "@/lib/testing/google-fake";
import { server } from "@/lib/testing/msw";

const address = "compta@sotra.ci";
let fake: GoogleFake;
let access: MailboxAccess;
let calls: GmailCall[];
const provider = () =>
  createGmailProvider({ topicName: "projects/fluxasync/topics/gmail", meter: (c) => calls.push(c) });
const invoice = new TextEncoder().encode("%PDF-1.7 facture FA-2291 4 500 000 FCFA");

beforeEach(() => {
  fake = createGoogleFake();
  server.use(...fake.handlers);
  access = { accessToken: fake.accessToken(address), address, mailboxId: "mbx_att" };
  calls = [];
});

describe("Gmail fetchAttachment", () => {
  it("fetches an attachment's bytes by the id the message metadata gave, for 5 quota units", async () => {
    const { id } = fake.mailbox(address).addMessage({
      from: "Fournisseur <factures@fournisseur.ci>",
      text: "Veuillez trouver ci-joint la facture.",
      attachments: [
        { filename: "logo.png", mimeType: "image/png", size: 300, inline: true },
        { filename: "FA-2291.pdf", mimeType: "application/pdf", size: invoice.length, content: invoice },
      ],
    });
    const message = await provider().fetchMessage(access, id);
    const [logo, pdf] = message?.attachments ?? [];
    expect(logo).toMatchObject({ filename: "logo.png", inline: true, contentId: expect.any(String) });
    expect(pdf).toMatchObject({ filename: "FA-2291.pdf", inline: false, type: "file", size: invoice.length });
    const bytes = await provider().fetchAttachment(access, id, pdf!);
    expect(Buffer.from(bytes!).toString("latin1")).toBe(Buffer.from(invoice).toString("latin1"));
    expect(calls.at(-1)).toMatchObject({ method: "messages.attachments.get", units: 5, status: 200 });
  });

  it("answers null when the message is gone and refuses an id that is not the message's", async () => {
    const box = fake.mailbox(address);
    const { id } = box.addMessage({
      from: "a@b.ci",
      attachments: [{ filename: "a.pdf", mimeType: "application/pdf", size: 10 }],
    });
    const meta = (await provider().fetchMessage(access, id))!.attachments[0]!;
    await expect(
      provider().fetchAttachment(access, id, { ...meta, providerAttachmentId: "ANGjdJ_forged" }),
    ).rejects.toBeInstanceOf(ProviderRequestError);
    box.deleteMessage(id);
    await expect(provider().fetchAttachment(access, id, meta)).resolves.toBeNull();
    await expect(
      provider().fetchAttachment(access, id, { ...meta, providerAttachmentId: null }),
    ).resolves.toBeNull();
  });

  it("asks for reconnection when the token lacks a Gmail read scope", async () => {
    const { id } = fake.mailbox(address).addMessage({
      from: "a@b.ci",
      attachments: [{ filename: "a.pdf", mimeType: "application/pdf", size: 10 }],
    });
    const meta = (await provider().fetchMessage(access, id))!.attachments[0]!;
    const narrow = {
      ...access,
      accessToken: fake.oauth.issueAccessToken(address, 3599, null, "openid email"),
    };
    await expect(provider().fetchAttachment(narrow, id, meta)).rejects.toBeInstanceOf(ReconnectRequiredError);
  });
});
