// npm run bench — the whole pipeline in one process against latency-controlled fakes; prints one
// name=value line per figure (see the README's "Benchmarks").
import { POST as gmailWebhook } from "@/app/api/webhooks/gmail/route";
import { gmailQuotaFromEnv } from "@/lib/config/mail-providers";
import { drainJobs } from "@/lib/jobs/drain";
import { jobRegistry } from "@/lib/jobs/registry";
import { GMAIL_QUOTA_PROFILES, type GmailMethod } from "@/lib/mail/gmail/quota";
import { providerUsage, resetProviderUsage } from "@/lib/mail/meter";
import type { Sample } from "@/lib/samples/samples";
import { measureAttachments } from "./bench/attachments";
import { measureLargeBodies } from "./bench/large-bodies";
import { measureOutlook } from "./bench/outlook";
import { createWorld, type World } from "./bench/world";

const LATENCY = { gmail: 80, gemini: 600, whatsapp: 150 };
const out: Record<string, string | number> = {};
const ctx = { params: Promise.resolve({}) };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}
const round = (n: number, d = 2) => Number(n.toFixed(d));

function deliver(world: World, mailboxIndex: number, sample: Sample, tag: string) {
  const mailbox = world.mailboxes[mailboxIndex % world.mailboxes.length]!;
  const added = world.google.mailbox(mailbox.address).addMessage({
    from: `${sample.fromName} <${sample.from}>`,
    to: mailbox.address,
    subject: `${sample.subject} ${tag}`,
    text: sample.text,
    html: sample.html,
    headers: sample.headers,
  });
  return { mailbox, historyId: added.historyId };
}

function pushRequest(world: World, address: string, historyId: string): Request {
  return new Request("https://bench.fluxasync.test/api/webhooks/gmail", {
    method: "POST",
    headers: { authorization: `Bearer ${world.pushToken}`, "content-type": "application/json" },
    body: JSON.stringify(world.google.pushEnvelope(address, { historyId })),
  });
}

/** Push received → first WhatsApp request, one critical email at a time, realistic latencies. */
async function measureLatency(world: World, rounds: number) {
  world.google.setLatency(LATENCY.gmail);
  world.gemini.state.latencyMs = LATENCY.gemini;
  world.meta.setLatency(LATENCY.whatsapp);
  const criticals = world.samples.filter((s) => s.label === "critical");
  const latencies: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const sample = criticals[i % criticals.length]!;
    const { mailbox, historyId } = deliver(world, i, sample, `#lat${i}`);
    const gmailBefore = providerUsage.gmailCalls;
    const geminiBefore = world.gemini.state.calls;
    let firstSend = 0;
    world.onWhatsAppRequest = () => {
      firstSend ||= performance.now();
    };
    const t0 = performance.now();
    const res = await gmailWebhook(pushRequest(world, mailbox.address, historyId), ctx);
    if (res.status !== 204) throw new Error(`push answered ${res.status}`);
    await drainJobs(world.db, jobRegistry(), { budgetMs: 30_000 });
    if (!firstSend) continue;
    const latency = firstSend - t0;
    const onPath =
      (providerUsage.gmailCalls - gmailBefore) * LATENCY.gmail +
      (world.gemini.state.calls - geminiBefore) * LATENCY.gemini;
    latencies.push(latency);
    ratios.push(latency / onPath);
  }
  out.pipeline_latency_p50_ms = round(percentile(latencies, 50), 1);
  out.pipeline_overhead_ratio = round(percentile(ratios, 50), 3);
}

/** 2,000 pushes to the webhook, measured from request to response (what Pub/Sub waits for). */
async function measureAck(world: World, pushes: number) {
  world.google.setLatency(0);
  const acks: number[] = [];
  for (let i = 0; i < pushes; i++) {
    const mailbox = world.mailboxes[i % world.mailboxes.length]!;
    const req = pushRequest(world, mailbox.address, String(10_000_000 + i));
    const t0 = performance.now();
    const res = await gmailWebhook(req, ctx);
    acks.push(performance.now() - t0);
    if (res.status !== 204) throw new Error(`push answered ${res.status}`);
  }
  out.webhook_ack_p50_ms = round(percentile(acks, 50));
  out.webhook_ack_p99_ms = round(percentile(acks, 99));
  await drainJobs(world.db, jobRegistry(), { budgetMs: 60_000 });
}

/** One worker, fakes at zero latency: 2,000 emails over 50 mailboxes, pushed then drained. */
async function measureThroughput(world: World, emails: number) {
  world.google.setLatency(0);
  world.gemini.state.latencyMs = 0;
  world.meta.setLatency(0);
  resetProviderUsage();
  const dbBefore = world.counter.calls;
  const geminiBefore = world.gemini.state.calls;
  const sendsBefore = world.meta.sent.length;
  world.gemini.state.inputTokens = [];
  const last = new Map<string, string>();
  for (let i = 0; i < emails; i++) {
    const { mailbox, historyId } = deliver(world, i, world.samples[i % world.samples.length]!, `#tp${i}`);
    last.set(mailbox.address, historyId);
  }
  const t0 = performance.now();
  for (const [address, historyId] of last) await gmailWebhook(pushRequest(world, address, historyId), ctx);
  for (;;) {
    const report = await drainJobs(world.db, jobRegistry(), { budgetMs: 120_000 });
    if (report.claimed === 0) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  const llmCalls = world.gemini.state.calls - geminiBefore;
  const sends = world.meta.sent.length - sendsBefore;
  out.emails_per_second = round(emails / seconds, 1);
  out.db_calls_per_email = round((world.counter.calls - dbBefore) / emails);
  out.provider_calls_per_email = round((providerUsage.gmailCalls + llmCalls + sends) / emails);
  // Priced from the one quota table (lib/mail/gmail/quota.ts): the profile in force, then each profile.
  const quota = gmailQuotaFromEnv();
  out.gmail_quota_profile = quota.profile;
  out.gmail_quota_units_per_email = round(providerUsage.gmailQuotaUnits / emails);
  for (const [name, profile] of Object.entries(GMAIL_QUOTA_PROFILES)) {
    const units = Object.entries(providerUsage.gmailCallsByMethod).reduce(
      (n, [method, calls]) => n + calls * (profile.costs[method as GmailMethod] ?? 0),
      0,
    );
    out[`gmail_quota_units_per_email_${name.replace("-", "_")}`] = round(units / emails);
  }
  // How many such emails one mailbox can take per minute within its per-user budget.
  out.gmail_emails_per_mailbox_minute = Math.floor(
    quota.perUserPerMinute / (providerUsage.gmailQuotaUnits / emails),
  );
  out.llm_input_tokens_median = percentile(world.gemini.state.inputTokens, 50);
  out.llm_input_tokens_max = Math.max(0, ...world.gemini.state.inputTokens);
}

async function integrity(world: World, expected: number) {
  const analysed = await world.pg.pg.query<{ n: number; without: number }>(
    "select count(*)::int as n, (count(*) filter (where analyzer in ('prefilter', 'fallback')))::int as without from messages where status = 'analyzed'",
  );
  const row = analysed.rows[0]!;
  const perAlert = new Map<string, number>();
  for (const s of world.meta.sent)
    perAlert.set(s.alertId ?? s.wamid, (perAlert.get(s.alertId ?? s.wamid) ?? 0) + 1);
  out.decided_without_llm_share = round(row.without / Math.max(1, row.n), 3);
  out.duplicate_alerts = [...perAlert.values()].filter((n) => n > 1).length;
  out.lost_emails = Math.max(0, expected - row.n);
}

async function main() {
  const started = performance.now();
  // First, so its peak RSS is the attachment reader's own, not the pipeline's.
  Object.assign(out, await measureAttachments());
  Object.assign(out, await measureLargeBodies());
  const world = await createWorld({ mailboxes: 50, orgs: 10 });
  world.pushToken = await world.google.mintPushToken({ expiresInSeconds: 3600 });
  world.server.events.on("request:start", ({ request }) => {
    if (request.url.startsWith("https://graph.facebook.com/") && request.url.endsWith("/messages"))
      world.onWhatsAppRequest();
  });
  const latencyRounds = 30;
  const throughputEmails = 2000;
  await measureLatency(world, latencyRounds);
  await measureAck(world, 2000);
  await measureThroughput(world, throughputEmails);
  const outlook = await measureOutlook(world, { mailboxes: 10, notifications: 1000, emails: 200 });
  out.outlook_webhook_ack_p50_ms = outlook.outlook_webhook_ack_p50_ms;
  out.outlook_webhook_ack_p99_ms = outlook.outlook_webhook_ack_p99_ms;
  out.graph_calls_per_email = outlook.graph_calls_per_email;
  out.relationship_backfill_gmail_units_per_sent_email = round(world.backfill.gmailUnitsPerSentEmail, 2);
  out.relationship_backfill_gmail_calls_per_sent_email = round(world.backfill.gmailCallsPerSentEmail, 3);
  out.relationship_backfill_graph_calls_per_sent_email =
    outlook.relationship_backfill_graph_calls_per_sent_email;
  await integrity(world, latencyRounds + throughputEmails + outlook.outlookEmails);
  out.peak_rss_mb = round(process.resourceUsage().maxRSS / 1024, 0);
  out.bench_seconds = round((performance.now() - started) / 1000, 1);
  for (const [k, v] of Object.entries(out)) console.info(`${k}=${v}`);
  world.server.close();
  await world.pg.close();
  const failed = out.duplicate_alerts !== 0 || out.lost_emails !== 0;
  process.exit(failed ? 1 : 0);
}

await main();
