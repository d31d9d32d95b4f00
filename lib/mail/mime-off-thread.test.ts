import { describe, expect, it } from "vitest";
import type { GmailMessage } from "@/lib/mail/gmail/api-schemas";
import { gmailMessageToNormalized } from "@/lib/mail/gmail/transform";
import { gmailMessageOffThread, graphMessageOffThread } from "@/lib/mail/mime-off-thread";
import { graphMessageToNormalized } from "@/lib/mail/outlook/transform";

const para = "<p>Merci de régler la <b>facture</b> de 1 250 000 FCFA avant <i>vendredi</i> 17h.</p>\n";
const html = para.repeat(2_000); // about 170 KB: past the inline threshold
const context = { mailboxAddress: "direction@sahel-negoce.ci" };

const gmail: GmailMessage = {
  id: "m1",
  threadId: "t1",
  labelIds: ["INBOX"],
  internalDate: Date.parse("2026-11-23T09:00:00Z"),
  payload: {
    mimeType: "text/html",
    headers: [
      { name: "From", value: "Compta <compta@fournisseur.ci>" },
      { name: "Subject", value: "Relevé" },
      { name: "Date", value: "Mon, 23 Nov 2026 09:00:00 +0000" },
    ],
    body: { size: html.length, data: Buffer.from(html).toString("base64url") },
  },
};

const graph = {
  id: "g1",
  subject: "Relevé",
  from: { emailAddress: { name: "Compta", address: "compta@fournisseur.ci" } },
  receivedDateTime: "2026-11-23T09:00:00Z",
  sentDateTime: "2026-11-23T09:00:00Z",
  body: { contentType: "html", content: html },
  toRecipients: [],
  ccRecipients: [],
};

describe("provider messages off the event loop", () => {
  it("turns a large Gmail payload into the same message the transform makes inline", async () => {
    const off = await gmailMessageOffThread(gmail, context);
    expect(off).toEqual(gmailMessageToNormalized(gmail, context));
    expect(off.text).toContain("1 250 000 FCFA");
  });

  it("turns a large Graph body into the same message the transform makes inline", async () => {
    expect(await graphMessageOffThread(graph, context)).toEqual(graphMessageToNormalized(graph, context));
  });

  it("keeps the headers without the body when the conversion passes its deadline", async () => {
    const off = await gmailMessageOffThread(gmail, context, { timeoutMs: 1 });
    expect(off).toMatchObject({ subject: "Relevé", text: "", html: null });
    expect(off.from.address).toBe("compta@fournisseur.ci");
  });
});
