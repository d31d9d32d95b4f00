// npm run triage -- <file.eml | folder> [--json] [--profile FILE] [--locale fr|en] [--tz Africa/Abidjan] [--all-files]
// Classifies RFC 822 files with the configured analyzer (Gemini with GEMINI_API_KEY, else the
// local rules). `--profile` stands in for the mailbox's relationship store (without it every
// sender is a first contact, as for a new mailbox). A file that cannot be parsed gets an error
// line and the run goes on.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { analyzeMessage } from "@/lib/analysis/analyze";
import { analysisConfigFrom } from "@/lib/analysis/config";
import { formatAmount, renderText } from "@/lib/analysis/present";
import { attachmentLine } from "@/lib/attachments/present";
import { emailAttachmentReader } from "@/lib/attachments/read-email";
import { toStored } from "@/lib/attachments/stored";
import { DEFAULT_TIME_ZONE } from "@/lib/domain/vocabulary";
import { env } from "@/lib/env";
import { toLocale } from "@/lib/i18n/catalogue";
import { parseRawMessage } from "@/lib/mail/mime";
import { attachmentFromRawOffThread } from "@/lib/mail/mime-off-thread";
import { NO_RELATIONSHIP } from "@/lib/relationships/facts";
import { queryFor } from "@/lib/relationships/lookup";
import { type ProfileStore, profileStore, readProfile } from "@/lib/relationships/profile";

const ICONS = { critical: "🔴", important: "🟡", informational: "🔵", spam: "⚪" } as const;
const USAGE =
  "usage: npm run triage -- <file.eml | folder> [--json] [--profile FILE] [--locale fr|en] [--tz Africa/Abidjan] [--all-files]";
const out = (line: string) => process.stdout.write(`${line}\n`);

/** Every .eml under a folder (or every regular file with --all-files: corpora name files by number). */
function emlFiles(path: string, all: boolean): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: "utf8" })
    .filter((name) => (all ? !basename(name).startsWith(".") : name.toLowerCase().endsWith(".eml")))
    .sort()
    .map((name) => join(path, name))
    .filter((file) => statSync(file).isFile());
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      profile: { type: "string" },
      locale: { type: "string" },
      tz: { type: "string" },
      "all-files": { type: "boolean", default: false },
    },
  });
  if (positionals.length === 0) {
    console.error(USAGE);
    process.exit(2);
  }
  const config = analysisConfigFrom(env);
  const locale = toLocale(values.locale);
  const timeZone = values.tz ?? DEFAULT_TIME_ZONE;
  let profile: ProfileStore | null = null;
  try {
    profile = values.profile ? profileStore(readProfile(values.profile)) : null;
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  let failures = 0;

  for (const file of positionals.flatMap((p) => emlFiles(p, values["all-files"] ?? false))) {
    const started = performance.now();
    try {
      const raw = readFileSync(file);
      const msg = await parseRawMessage(raw, { providerMessageId: basename(file) });
      const relationship = profile ? profile.store.lookup(queryFor(msg, profile.hash)) : NO_RELATIONSHIP;
      const ctx = {
        locale,
        timeZone,
        senderRules: [],
        mailboxAddress: profile?.mailbox ?? msg.to[0]?.address ?? "",
        mailboxHost: profile?.host ?? "other",
        relationship,
      };
      // Judged as of its arrival: "aujourd'hui 17h" in an old file is still that day's deadline.
      // Its attachments are read from the file itself, within the job's limits.
      const {
        analysis: a,
        signals,
        attachments,
      } = await analyzeMessage(msg, ctx, config, {
        now: () => new Date(msg.date),
        attachments: emailAttachmentReader(msg, (meta) => attachmentFromRawOffThread(raw, meta), {
          timeZone,
        }),
      });
      if (values.json) {
        const { priority, deadline, amounts, analyzer } = a;
        // The analysis holds both languages; the line shows the one asked for (--locale).
        const summary = a.summary[locale];
        const suggestedAction = { kind: a.suggestedAction.kind, phrase: a.suggestedAction.phrase[locale] };
        const { relationship: rel, authentication, addressing } = signals;
        out(
          JSON.stringify({
            file,
            priority,
            summary,
            suggestedAction,
            deadline,
            amounts,
            analyzer,
            attachments: attachments.map(toStored),
            // Reading and judging this file (parse + analysis), for the hostile corpus's budget.
            ms: Math.round(performance.now() - started),
            signals: {
              relationship: rel,
              authentication,
              addressing,
              tier: signals.tier,
              fraud: signals.fraud,
            },
          }),
        );
      } else {
        const details = [
          `👉 ${a.suggestedAction.phrase[locale]}`,
          a.deadline ? `⏰ ${a.deadline}` : null,
          ...a.amounts.map((x) => formatAmount(x, locale)),
          `(${a.analyzer})`,
          a.fraudWarning ? `⚠️ ${renderText(a.fraudWarning, locale, timeZone)}` : null,
        ];
        out(`${ICONS[a.priority]} ${a.priority.padEnd(13)} ${file}`);
        out(`   ${a.summary[locale]}`);
        out(`   ${details.filter(Boolean).join("  ")}`);
        out(
          `   👤 ${signals.relationship} · auth ${signals.authentication} · ${signals.addressing} · ${signals.tier}`,
        );
        for (const report of attachments) out(`   ${attachmentLine(toStored(report), locale, timeZone)}`);
      }
    } catch (error) {
      failures++;
      const reason = error instanceof Error ? error.message : String(error);
      const ms = Math.round(performance.now() - started);
      out(
        values.json ? JSON.stringify({ file, error: reason, ms }) : `❌ error         ${file}\n   ${reason}`,
      );
    }
  }
  if (failures > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
