import type { FakeMailbox, StoredMessage } from "@/lib/testing/google-fake-mailbox";

type Predicate = (m: StoredMessage) => boolean;

const IN: Record<string, string> = {
  inbox: "INBOX",
  sent: "SENT",
  drafts: "DRAFT",
  spam: "SPAM",
  trash: "TRASH",
};
const IS: Record<string, Predicate> = {
  unread: (m) => m.labelIds.includes("UNREAD"),
  read: (m) => !m.labelIds.includes("UNREAD"),
  starred: (m) => m.labelIds.includes("STARRED"),
  important: (m) => m.labelIds.includes("IMPORTANT"),
};

/** Gmail `after:`/`before:` take epoch seconds or a YYYY/MM/DD date. */
function instant(value: string): number | null {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(value);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
}

function term(mailbox: FakeMailbox, key: string, value: string): Predicate | null {
  switch (key) {
    case "in": {
      if (value === "anywhere") return () => true;
      const label = IN[value];
      return label ? (m) => m.labelIds.includes(label) : null;
    }
    case "is":
      return IS[value] ?? null;
    case "label": {
      const user = [...mailbox.userLabels.values()].find((l) => l.name.toLowerCase() === value.toLowerCase());
      const id = user?.id ?? value.toUpperCase();
      return (m) => m.labelIds.includes(id);
    }
    case "category": {
      const id = `CATEGORY_${value === "primary" ? "PERSONAL" : value.toUpperCase()}`;
      return (m) => m.labelIds.includes(id);
    }
    case "after": {
      const t = instant(value);
      return t === null ? null : (m) => m.internalDate >= t;
    }
    case "before": {
      const t = instant(value);
      return t === null ? null : (m) => m.internalDate < t;
    }
    default:
      return null;
  }
}

/**
 * messages.list over the fake mailbox: the subset of Gmail's search syntax our code uses, newest
 * first, spam and trash excluded unless asked for. Unsupported terms are an error, so a test can
 * never pass on a query the fake silently ignored.
 */
export function searchMessages(
  mailbox: FakeMailbox,
  params: { q?: string; labelIds: string[]; includeSpamTrash: boolean },
): StoredMessage[] | { error: string } {
  const predicates: Predicate[] = params.labelIds.map((l) => (m) => m.labelIds.includes(l));
  const tokens = (params.q ?? "").split(/\s+/).filter(Boolean);
  const wantsSpamTrash = params.includeSpamTrash || tokens.some((t) => /^in:(spam|trash|anywhere)$/.test(t));
  for (const token of tokens) {
    const negated = token.startsWith("-");
    const [key, ...rest] = (negated ? token.slice(1) : token).split(":");
    const p = key && rest.length > 0 ? term(mailbox, key.toLowerCase(), rest.join(":")) : null;
    if (!p) return { error: `google-fake: unsupported search term "${token}"` };
    predicates.push(negated ? (m) => !p(m) : p);
  }
  if (!wantsSpamTrash) predicates.push((m) => !m.labelIds.includes("SPAM") && !m.labelIds.includes("TRASH"));
  return [...mailbox.messages.values()]
    .filter((m) => predicates.every((p) => p(m)))
    .sort((a, b) => b.internalDate - a.internalDate || b.historyId - a.historyId);
}
