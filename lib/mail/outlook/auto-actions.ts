import { TokenExpiredError } from "@/lib/mail/errors";
import { getMessageCategories, moveMessage, patchMessage } from "@/lib/mail/outlook/api";
import type { GraphCallOptions } from "@/lib/mail/outlook/graph-client";
import type { AutoAction } from "@/lib/mail/provider";

/**
 * The allowed auto-actions on one Outlook message, each step on its own so a failing one never
 * takes the others with it: a category the mailbox refuses still leaves the spam marked read and
 * archived. Returns what was done (`label:<name>`, `mark_read`, `archive`) and what failed
 * (`failed:label:<name>`, `failed:mark_read`, `failed:archive`), in that order. A 401 is rethrown
 * so the caller refreshes the token and runs them again (every step is idempotent); a message
 * deleted meanwhile ends the list.
 *
 * Categories are set on the message only (`PATCH /me/messages/{id}` with `categories`, which needs
 * Mail.ReadWrite, the scope we already hold). We do not manage the mailbox's master category list:
 * listing it needs MailboxSettings.Read and creating in it MailboxSettings.ReadWrite (Graph's
 * outlookuser-list/post-mastercategories pages), a scope that would have made every existing user
 * re-consent and tenant admins re-approve, for one benefit — a colour. Graph's outlookCategory page
 * says a category is applied by putting its display name in the item's `categories`; a name absent
 * from the master list shows uncoloured until the user gives it a colour once in Outlook.
 */
export async function applyOutlookActions(
  token: string,
  messageId: string,
  actions: AutoAction[],
  call: GraphCallOptions,
): Promise<string[]> {
  const results: string[] = [];
  const labels = [...new Set(actions.flatMap((a) => (a.kind === "label" ? [a.name] : [])))];
  const markRead = actions.some((a) => a.kind === "mark_read");
  const archive = actions.some((a) => a.kind === "archive");
  let readDone = false;

  /** Runs one step; false when the message is gone (stop there). */
  async function step(done: string[], failed: string[], work: () => Promise<boolean>): Promise<boolean> {
    try {
      if (!(await work())) return false;
      results.push(...done);
    } catch (error) {
      if (error instanceof TokenExpiredError) throw error;
      results.push(...failed);
    }
    return true;
  }

  if (labels.length > 0) {
    const going = await step(
      [...labels.map((l) => `label:${l}`), ...(markRead ? ["mark_read"] : [])],
      labels.map((l) => `failed:label:${l}`),
      async () => {
        // Read first so the user's own categories are kept (PATCH replaces the collection).
        const current = await getMessageCategories(token, messageId, call);
        if (current === null) return false;
        const missing = labels.filter((l) => !current.includes(l));
        const patch = {
          ...(missing.length > 0 ? { categories: [...current, ...missing] } : {}),
          // Mark read in the same call when both are asked: one round trip instead of two.
          ...(markRead ? { isRead: true } : {}),
        };
        if (Object.keys(patch).length > 0 && !(await patchMessage(token, messageId, patch, call)))
          return false;
        readDone = markRead;
        return true;
      },
    );
    if (!going) return results;
  }
  if (markRead && !readDone) {
    const going = await step(["mark_read"], ["failed:mark_read"], () =>
      patchMessage(token, messageId, { isRead: true }, call),
    );
    if (!going) return results;
  }
  if (archive) {
    await step(["archive"], ["failed:archive"], () => moveMessage(token, messageId, "archive", call));
  }
  return results;
}
