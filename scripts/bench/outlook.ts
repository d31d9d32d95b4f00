import { GET as callback } from "@/app/api/auth/microsoft/callback/route";
import { GET as start } from "@/app/api/auth/microsoft/start/route";
import { POST as outlookWebhook } from "@/app/api/webhooks/outlook/route";
import { findMailboxByAddress } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import type { Mailbox } from "@/lib/db/schemas";
import { drainJobs } from "@/lib/jobs/drain";
import { jobRegistry } from "@/lib/jobs/registry";
import { providerUsage, resetProviderUsage } from "@/lib/mail/meter";
import type { Sample } from "@/lib/samples/samples";
import { createMicrosoftFake, type FakeUser } from "@/lib/testing/microsoft-fake";
import type { World } from "./world";

const APP = "https://bench.fluxasync.test";
const ctx = { params: Promise.resolve({}) };
const webhook = (request: Request) => outlookWebhook(request, ctx);

async function connect(db: Db, ms: ReturnType<typeof createMicrosoftFake>, user: FakeUser): Promise<Mailbox> {
  const started = await start(new Request(`${APP}/api/auth/microsoft/start`), ctx);
  const cookie = started.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .join("; ");
  const done = await callback(
    new Request(ms.approve(started.headers.get("location") ?? "", user).toString(), { headers: { cookie } }),
    ctx,
  );
  if (done.status !== 303) throw new Error(`Outlook sign-in answered ${done.status}`);
  const mailbox = await findMailboxByAddress(db, "outlook", user.address);
  if (!mailbox?.subscriptionId) throw new Error("Outlook mailbox without subscription");
  return mailbox;
}

function graphMessage(sample: Sample, to: string, tag: string) {
  return {
    subject: `${sample.subject} ${tag}`,
    from: { emailAddress: { name: sample.fromName, address: sample.from } },
    toRecipients: [{ emailAddress: { address: to } }],
    body: sample.html
      ? { contentType: "html", content: sample.html }
      : { contentType: "text", content: sample.text },
    internetMessageHeaders: Object.entries(sample.headers).map(([name, value]) => ({ name, value })),
  };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};

/**
 * Outlook figures: the notification answer time (Graph wants < 3 s; we persist then answer) and
 * Graph calls per email through the same sync → analyze → alert path, fakes at zero latency.
 */
export async function measureOutlook(
  world: World,
  opts: { mailboxes: number; notifications: number; emails: number },
) {
  const ms = createMicrosoftFake();
  world.server.use(...ms.handlers);
  ms.setValidator(webhook);
  const users = Array.from({ length: opts.mailboxes }, (_, i) =>
    ms.addUser({ address: `dg${i}@contoso-bench.ci`, name: `DG ${i}` }),
  );
  // Each owner has sent 30 emails: the Sent Items backfill at connect, metered.
  const sentPerUser = 30;
  for (const user of users) {
    for (let i = 0; i < sentPerUser; i++) {
      const at = new Date(Date.now() - (i + 1) * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
      ms.addMessage(
        user,
        {
          subject: "Suivi",
          from: { emailAddress: { address: user.address } },
          toRecipients: [{ emailAddress: { address: `client${i}@bench-client.ci` } }],
          internetMessageId: `<bench-${user.address}-${i}@outlook.fake>`,
          sentDateTime: at,
          receivedDateTime: at,
        },
        "sentitems",
      );
    }
  }
  const mailboxes: Mailbox[] = [];
  for (const user of users) mailboxes.push(await connect(world.db, ms, user));
  resetProviderUsage();
  await drainJobs(world.db, jobRegistry(), { budgetMs: 60_000, kinds: ["relationship.sync"] });
  const backfillCalls = providerUsage.graphCalls;
  await drainJobs(world.db, jobRegistry(), { budgetMs: 60_000 });

  const acks: number[] = [];
  for (let i = 0; i < opts.notifications; i++) {
    const m = mailboxes[i % mailboxes.length]!;
    const body = ms.notificationBody(m.subscriptionId!, [`AAkALgBench${i}`]);
    const t0 = performance.now();
    const res = await webhook(
      new Request(`${APP}/api/webhooks/outlook`, { method: "POST", body: JSON.stringify(body) }),
    );
    acks.push(performance.now() - t0);
    if (res.status !== 202) throw new Error(`Outlook notification answered ${res.status}`);
  }
  await drainJobs(world.db, jobRegistry(), { budgetMs: 60_000 });

  resetProviderUsage();
  for (let i = 0; i < opts.emails; i++) {
    const user = users[i % users.length]!;
    ms.addMessage(user, graphMessage(world.samples[i % world.samples.length]!, user.address, `#ol${i}`));
  }
  for (const m of mailboxes) {
    await webhook(
      new Request(`${APP}/api/webhooks/outlook`, {
        method: "POST",
        body: JSON.stringify(ms.notificationBody(m.subscriptionId!, ["AAkALgNew"])),
      }),
    );
  }
  for (;;) {
    const report = await drainJobs(world.db, jobRegistry(), { budgetMs: 120_000 });
    if (report.claimed === 0) break;
  }
  return {
    outlook_webhook_ack_p50_ms: Number(percentile(acks, 50).toFixed(2)),
    outlook_webhook_ack_p99_ms: Number(percentile(acks, 99).toFixed(2)),
    graph_calls_per_email: Number((providerUsage.graphCalls / opts.emails).toFixed(2)),
    relationship_backfill_graph_calls_per_sent_email: Number(
      (backfillCalls / (users.length * sentPerUser)).toFixed(3),
    ),
    outlookEmails: opts.emails,
  };
}
