import { beforeEach, describe, expect, it } from "vitest";
import { GRAPH_CONTENT_BYTES_MAX } from "@/lib/mail/outlook/api";
import { createOutlookProvider } from "@/lib/mail/outlook/provider";
import type { MailboxAccess } from "@/lib/mail/provider";
import { createMicrosoftFake, type FakeUser } from "@/lib/testing/microsoft-fake";
import { graphFileAttachment } from "@/lib/testing/microsoft-fake-mail";
import { server } from "@/lib/testing/msw";

const ms = createMicrosoftFake();
const outlook = createOutlookProvider({ notificationUrl: "https://app.fluxasync.test/api/webhooks/outlook" });

beforeEach(() => {
  server.use(...ms.handlers);
});

function connect(): { user: FakeUser; access: MailboxAccess } {
  const address = `compta.${Math.random().toString(36).slice(2)}@contoso-ci.com`;
  const user = ms.addUser({ address });
  return { user, access: { accessToken: ms.tokensFor(user).accessToken, address, mailboxId: user.oid } };
}

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7) & 0xff);

describe("Outlook fetchAttachment", () => {
  it("reads a small file attachment as contentBytes and a large one through $value", async () => {
    const { user, access } = connect();
    const small = bytes(2048);
    const large = bytes(GRAPH_CONTENT_BYTES_MAX + 10);
    const graph = ms.addMessage(user, {
      subject: "Facture",
      attachments: [
        graphFileAttachment({ name: "FA-2291.pdf", contentType: "application/pdf", content: small }),
        graphFileAttachment({ name: "scan.pdf", contentType: "application/pdf", content: large }),
      ],
    });
    const message = await outlook.fetchMessage(access, graph.id);
    const [first, second] = message!.attachments;
    expect(first).toMatchObject({
      filename: "FA-2291.pdf",
      type: "file",
      providerAttachmentId: expect.any(String),
    });
    const before = { get: ms.calls["attachments.get"] ?? 0, value: ms.calls["attachments.value"] ?? 0 };
    expect(
      Buffer.from((await outlook.fetchAttachment(access, graph.id, first!))!).equals(Buffer.from(small)),
    ).toBe(true);
    expect(
      Buffer.from((await outlook.fetchAttachment(access, graph.id, second!))!).equals(Buffer.from(large)),
    ).toBe(true);
    expect(ms.calls["attachments.get"]).toBe(before.get + 1);
    expect(ms.calls["attachments.value"]).toBe(before.value + 1);
  });

  it("never fetches item or reference attachments, and answers null once the message is gone", async () => {
    const { user, access } = connect();
    const graph = ms.addMessage(user, {
      attachments: [
        {
          "@odata.type": "#microsoft.graph.itemAttachment",
          id: "item1",
          name: "RE: devis",
          contentType: null,
          size: 9000,
          isInline: false,
        },
        {
          "@odata.type": "#microsoft.graph.referenceAttachment",
          id: "ref1",
          name: "Contrat.docx",
          contentType: null,
          size: 300,
          isInline: false,
        },
        graphFileAttachment({ name: "a.pdf", contentType: "application/pdf", content: bytes(10) }),
      ],
    });
    const [item, reference, file] = (await outlook.fetchMessage(access, graph.id))!.attachments;
    expect([item?.type, reference?.type, file?.type]).toEqual(["item", "reference", "file"]);
    const calls = ms.graphCalls();
    expect(await outlook.fetchAttachment(access, graph.id, item!)).toBeNull();
    expect(await outlook.fetchAttachment(access, graph.id, reference!)).toBeNull();
    expect(ms.graphCalls()).toBe(calls);
    ms.deleteMessage(user, graph.id);
    expect(await outlook.fetchAttachment(access, graph.id, file!)).toBeNull();
  });
});
