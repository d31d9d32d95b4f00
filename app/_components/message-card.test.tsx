import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MessageCard } from "@/app/_components/message-card";
import type { Viewer } from "@/app/_lib/viewer";
import type { ListedMessage } from "@/lib/db/messages";
import { translator } from "@/lib/i18n/catalogue";

const viewer: Viewer = {
  user: null,
  locale: "fr",
  timeZone: "Africa/Abidjan",
  t: translator("fr", "web", "Africa/Abidjan"),
};

function listed(priority: ListedMessage["priority"], category: string | null = null): ListedMessage {
  const at = new Date("2026-11-23T10:00:00Z");
  return {
    id: "11111111-1111-4111-8111-111111111111",
    organizationId: "o1",
    mailboxId: "m1",
    providerMessageId: "p1",
    threadId: null,
    internetMessageId: null,
    fromAddress: "promo@gains-express.example",
    fromName: null,
    subject: "Vous avez gagné",
    receivedAt: at,
    webLink: null,
    status: "analyzed",
    priority,
    category,
    summary: null,
    suggestedAction: null,
    suggestedActionPhrase: null,
    deadline: new Date("2026-11-23T17:00:00Z"),
    amounts: [{ value: 5_000_000, currency: "XOF" }],
    fraudWarning: null,
    confidence: null,
    reasons: [],
    analyzer: "fallback",
    llmModel: null,
    llmInputTokens: null,
    llmOutputTokens: null,
    analysisMs: null,
    autoActions: [],
    handledAt: null,
    feedbackPriority: null,
    createdAt: at,
    analyzedAt: at,
    attachments: [],
    sortKey: at,
    alerts: [],
  };
}

describe("MessageCard", () => {
  it("shows the deadline and amounts of an email that matters", () => {
    const html = renderToStaticMarkup(
      <MessageCard viewer={viewer} message={listed("important")} returnTo="/" />,
    );
    expect(html).toContain('data-testid="deadline"');
    expect(html).toMatch(/data-testid="amount">5\s000\s000 FCFA/);
  });

  it("shows neither on a spam card: they are the bait, not something to act on", () => {
    const html = renderToStaticMarkup(<MessageCard viewer={viewer} message={listed("spam")} returnTo="/" />);
    expect(html).not.toContain('data-testid="deadline"');
    expect(html).not.toContain('data-testid="amount"');
    expect(html).not.toContain("FCFA");
  });

  it("shows a known sender's promotion as « Promotions »", () => {
    const html = renderToStaticMarkup(
      <MessageCard viewer={viewer} message={listed("informational", "promotion")} returnTo="/" />,
    );
    expect(html).toMatch(/data-testid="promotions-badge">Promotions</);
    const spam = renderToStaticMarkup(
      <MessageCard viewer={viewer} message={listed("spam", "promotion")} returnTo="/" />,
    );
    expect(spam).not.toContain("promotions-badge");
  });
});
