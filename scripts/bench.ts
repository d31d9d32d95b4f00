// npm run bench [-- --http] — the whole pipeline in one process against latency-controlled fakes;
// prints one name=value line per figure (see the README's "Benchmarks" for each definition).
import os from "node:os";
import { POST as gmailWebhook } from "@/app/api/webhooks/gmail/route";
import { drainSettings } from "@/lib/config/drain";
import { gmailQuotaFromEnv } from "@/lib/config/mail-providers";
import { drainJobs } from "@/lib/jobs/drain";
import { enqueue } from "@/lib/jobs/enqueue";
import { mailboxSyncJob } from "@/lib/jobs/mailbox-sync";
import { jobRegistry } from "@/lib/jobs/registry";
import { renewWatch } from "@/lib/jobs/watch";
import { log } from "@/lib/log";
import { GMAIL_QUOTA_PROFILES, type GmailMethod } from "@/lib/mail/gmail/quota";
import { providerUsage, resetProviderUsage } from "@/lib/mail/meter";
import type { Sample } from "@/lib/samples/samples";
import { measureAttachments } from "./bench/attachments";
import { measureHttpAck } from "./bench/http-ack";
import { measureJobClaim } from "./bench/job-claim";
import { measureLargeBodies } from "./bench/large-bodies";
import { measureOutlook } from "./bench/outlook";
import { realisticEmail, realisticEmailMedianBytes } from "./bench/realistic-email";
import { createWorld, type World } from "./bench/world";

/**
 * Provider latencies the realistic figures use (one value per call, at the fake's answer):
 * Gmail API calls (history.list, messages.get, modify, labels) 80 ms, Gemini generateContent
 * 600 ms (Flash, ~1 k input and ~150 output tokens), WhatsApp Cloud API send 150 ms. Neither vendor
 * publishes a latency figure; these are the medians one sees from a European or West African
 * region, documented in the README so a run can be read against them.
 */
const LATENCY = { gmail: 80, gemini: 600, whatsapp: 150 };
const ZERO = { gmail: 0, gemini: 0, whatsapp: 0 };
/** A manager's inbox: the widely quoted 121 business emails received a day (Radicati). */
const EMAILS_PER_MAILBOX_DAY = 121;
/** The daily watch renewal (`/api/cron/renew`); the polls a day are simulated (pollsPerDay). */
const RENEWALS_PER_MAILBOX_DAY = 1;

const out: Record<string, string | number> = {};
const ctx = { params: Promise.resolve({}) };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}
const round = (n: number, d = 2) => Number(n.toFixed(d));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setLatency(world: World, l: typeof LATENCY) {
  world.google.setLatency(l.gmail);
  world.gemini.state.latencyMs = l.gemini;
  world.meta.setLatency(l.whatsapp);
}

function deliver(world: World, mailboxIndex: number, sample: Sample, i: number, tag: string) {
  const mailbox = world.mailboxes[mailboxIndex % world.mailboxes.length]!;
  const added = world.google.mailbox(mailbox.address).addMessage({
    from: `${sample.fromName} <${sample.from}>`,
    to: mailbox.address,
    subject: `${sample.subject} ${tag}`,
    headers: sample.headers,
    ...realisticEmail(sample, i),
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

async function push(world: World, address: string, historyId: string) {
  const res = await gmailWebhook(pushRequest(world, address, historyId), ctx);
  if (res.status !== 204) throw new Error(`push answered ${res.status}`);
}

/**
 * Gmail pushes every change of a watched mailbox, our own included: each messages.modify we make
 * (label, mark read, archive) is followed, as in production, by a push carrying the new history id.
 */
const selfPushes = { count: 0, pending: new Set<Promise<void>>() };
function armSelfPushes(world: World) {
  world.server.events.on("response:mocked", ({ request }) => {
    if (request.method !== "POST" || !/\/gmail\/v1\/users\/[^/]+\/messages\/[^/]+\/modify$/.test(request.url))
      return;
    const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
    const address = world.tokenOwner.get(token);
    if (!address) return;
    selfPushes.count++;
    const p: Promise<void> = sleep(1)
      .then(() => push(world, address, world.google.mailbox(address).historyId))
      .finally(() => selfPushes.pending.delete(p));
    selfPushes.pending.add(p);
  });
}

/** Drains until the queue is empty and no push (ours or the producer's) is still on its way. */
async function drainAll(world: World, done: () => boolean, concurrency = drainSettings().concurrency) {
  for (;;) {
    const report = await drainJobs(world.db, jobRegistry(), { budgetMs: 600_000, concurrency });
    if (report.claimed > 0) continue;
    if (!done() || selfPushes.pending.size > 0) {
      await Promise.race([sleep(5), ...selfPushes.pending]);
      continue;
    }
    const again = await drainJobs(world.db, jobRegistry(), { budgetMs: 600_000, concurrency });
    if (again.claimed === 0 && selfPushes.pending.size === 0) return;
  }
}

/**
 * Push received → first WhatsApp request, one critical email at a time, realistic latencies. The
 * overhead ratio divides it by the unavoidable path only: history.list + messages.get + Gemini.
 */
async function measureLatency(world: World, rounds: number) {
  setLatency(world, LATENCY);
  const criticals = world.samples.filter((s) => s.label === "critical");
  const latencies: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const sample = criticals[i % criticals.length]!;
    const { mailbox, historyId } = deliver(world, i, sample, i, `#lat${i}`);
    const geminiBefore = world.gemini.state.calls;
    let firstSend = 0;
    world.onWhatsAppRequest = () => {
      firstSend ||= performance.now();
    };
    const t0 = performance.now();
    await push(world, mailbox.address, historyId);
    await drainAll(world, () => true);
    if (!firstSend) continue;
    const latency = firstSend - t0;
    const unavoidable = 2 * LATENCY.gmail + (world.gemini.state.calls - geminiBefore) * LATENCY.gemini;
    latencies.push(latency);
    ratios.push(latency / unavoidable);
  }
  out.pipeline_latency_p50_ms = round(percentile(latencies, 50), 1);
  out.pipeline_unavoidable_ms = 2 * LATENCY.gmail + LATENCY.gemini;
  out.pipeline_overhead_ratio = round(percentile(ratios, 50), 3);
}

/** 2,000 pushes to the webhook called as a function (no HTTP), request to response. */
async function measureAck(world: World, pushes: number) {
  setLatency(world, ZERO);
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
  await drainAll(world, () => true);
}

/**
 * One worker's throughput: `emails` emails over 50 mailboxes, each followed by its own push (and
 * the pushes our own label changes trigger), delivered while the worker drains, until every one
 * is analysed and alerted. CPU and database round trips are per email over the same run.
 */
async function measureThroughput(world: World, emails: number, latency: typeof LATENCY) {
  setLatency(world, latency);
  resetProviderUsage();
  const dbBefore = world.counter.calls;
  const geminiBefore = world.gemini.state.calls;
  const sendsBefore = world.meta.sent.length;
  const selfBefore = selfPushes.count;
  world.gemini.state.inputTokens = [];
  const cpuBefore = process.cpuUsage();
  const serverBefore = await world.pg.serverCpuSeconds();
  const tag = latency.gemini > 0 ? "real" : "zero";
  let produced = false;
  const t0 = performance.now();
  const producer = (async () => {
    for (let i = 0; i < emails; i++) {
      const sample = world.samples[i % world.samples.length]!;
      const { mailbox, historyId } = deliver(world, i, sample, i, `#${tag}${i}`);
      await push(world, mailbox.address, historyId);
      // Mail arrives over time, not in one block ahead of the worker.
      if (i % 10 === 9) await sleep(1);
    }
    produced = true;
  })();
  await Promise.all([producer, drainAll(world, () => produced)]);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const serverAfter = await world.pg.serverCpuSeconds();
  return {
    emailsPerSecond: round(emails / seconds, 1),
    dbRoundTrips: round((world.counter.calls - dbBefore) / emails),
    cpuMs: round((cpu.user + cpu.system) / 1000 / emails, 2),
    serverCpuMs:
      serverBefore === null || serverAfter === null
        ? null
        : round(((serverAfter - serverBefore) * 1000) / emails, 2),
    providerCalls: round(
      (providerUsage.gmailCalls +
        world.gemini.state.calls -
        geminiBefore +
        world.meta.sent.length -
        sendsBefore) /
        emails,
    ),
    selfPushes: round((selfPushes.count - selfBefore) / emails),
    tokens: [...world.gemini.state.inputTokens],
  };
}

/**
 * How many of the 288 five-minute poll runs of a day sync a mailbox whose push works, under the
 * database's own rule (mailbox_poll_due): its EMAILS_PER_MAILBOX_DAY pushes spread over a working
 * day (08:00–18:00), the night silent. Time is simulated by moving the mailbox's timestamps back
 * five minutes a step.
 */
async function pollsPerDay(world: World): Promise<number> {
  const id = world.mailboxes[0]!.id;
  const q = (sql: string) => world.pg.query(sql, [id]);
  await q(
    "update mailboxes set last_push_at = null, push_gap_seconds = null, last_polled_at = null where id = $1",
  );
  let polls = 0;
  for (let step = 0; step < 288; step++) {
    const minute = step * 5;
    const working = minute >= 8 * 60 && minute < 18 * 60;
    // 121 pushes over 120 working slots: one or two a slot.
    const pushes = working ? 1 + (step % 120 === 0 ? 1 : 0) : 0;
    for (let p = 0; p < pushes; p++) await q("select mailbox_record_push($1)");
    const due = await world.pg.query<{ due: string[] }>("select mailbox_poll_due('gmail') as due");
    if ((due[0]?.due ?? []).includes(id)) {
      polls++;
      await q("update mailboxes set last_polled_at = now() where id = $1");
    }
    await q(
      "update mailboxes set last_push_at = last_push_at - interval '5 minutes', last_polled_at = last_polled_at - interval '5 minutes' where id = $1",
    );
  }
  return polls;
}

/** Units of the calls in `work`, under the profile in force and under each profile. */
async function metered(work: () => Promise<unknown>) {
  resetProviderUsage();
  await work();
  const byMethod = { ...providerUsage.gmailCallsByMethod };
  const price = (costs: Record<GmailMethod, number>) =>
    Object.entries(byMethod).reduce(
      (n, [method, calls]) => n + calls * (costs[method as GmailMethod] ?? 0),
      0,
    );
  return { units: providerUsage.gmailQuotaUnits, price, byMethod };
}

/**
 * Gmail quota units per email, everything included: each email alone (its push, sync, read,
 * labels, the push our label change triggers and its sync), then the mailbox's fixed costs — the
 * fallback poll and the watch renewal — spread over a day's mail (EMAILS_PER_MAILBOX_DAY).
 */
async function measureQuota(world: World, emails: number) {
  setLatency(world, ZERO);
  const perEmail = await metered(async () => {
    for (let i = 0; i < emails; i++) {
      const { mailbox, historyId } = deliver(world, i, world.samples[i % world.samples.length]!, i, `#q${i}`);
      await push(world, mailbox.address, historyId);
      await drainAll(world, () => true);
    }
  });
  const poll = await metered(async () => {
    for (const m of world.mailboxes)
      await enqueue(world.db, mailboxSyncJob, { mailboxId: m.id, historyHint: null, reason: "poll" });
    await drainAll(world, () => true);
  });
  const renewal = await metered(async () => {
    for (const m of world.mailboxes) await renewWatch(world.db, m, log);
    await drainAll(world, () => true);
  });
  const n = world.mailboxes.length;
  const quota = gmailQuotaFromEnv();
  const polls = await pollsPerDay(world);
  out.gmail_polls_per_mailbox_day = polls;
  const allIn = (price: (c: Record<GmailMethod, number>) => number, costs: Record<GmailMethod, number>) =>
    price(costs) / emails +
    ((poll.price(costs) / n) * polls + (renewal.price(costs) / n) * RENEWALS_PER_MAILBOX_DAY) /
      EMAILS_PER_MAILBOX_DAY;
  out.gmail_quota_profile = quota.profile;
  out.gmail_quota_units_per_email = round(allIn(perEmail.price, quota.costs));
  out.gmail_quota_units_per_email_events_only = round(perEmail.price(quota.costs) / emails);
  out.gmail_quota_poll_units_per_mailbox_day = round((poll.price(quota.costs) / n) * polls);
  out.gmail_quota_renewal_units_per_mailbox_day = round(
    (renewal.price(quota.costs) / n) * RENEWALS_PER_MAILBOX_DAY,
  );
  for (const [name, profile] of Object.entries(GMAIL_QUOTA_PROFILES))
    out[`gmail_quota_units_per_email_${name.replace("-", "_")}`] = round(
      allIn(perEmail.price, profile.costs),
    );
  out.gmail_calls_per_email = Object.entries(perEmail.byMethod)
    .map(([m, c]) => `${m}:${round(c / emails)}`)
    .join(",");
  // How many such emails one mailbox can take per minute within its per-user budget.
  out.gmail_emails_per_mailbox_minute = Math.floor(
    quota.perUserPerMinute / (perEmail.price(quota.costs) / emails),
  );
}

async function integrity(world: World, expected: number) {
  const [row] = await world.pg.query<{ n: number; without: number }>(
    "select count(*)::int as n, (count(*) filter (where analyzer in ('prefilter', 'fallback')))::int as without from messages where status = 'analyzed'",
  );
  if (!row) throw new Error("no count of analysed messages");
  const perAlert = new Map<string, number>();
  for (const s of world.meta.sent)
    perAlert.set(s.alertId ?? s.wamid, (perAlert.get(s.alertId ?? s.wamid) ?? 0) + 1);
  out.decided_without_llm_share = round(row.without / Math.max(1, row.n), 3);
  out.duplicate_alerts = [...perAlert.values()].filter((n) => n > 1).length;
  out.lost_emails = Math.max(0, expected - row.n);
}

/** Progress on stderr (the figures go to stdout, one name=value a line). */
const phase = (name: string) =>
  console.error(`# ${new Date().toISOString().slice(11, 19)} ${name} (load ${os.loadavg()[0]?.toFixed(1)})`);

async function main() {
  const http = process.argv.includes("--http");
  const started = performance.now();
  out.bench_cpus = os.cpus().length;
  out.bench_load_average_start = round(os.loadavg()[0] ?? 0);
  // The production sizing (DRAIN_CONCURRENCY, default 16): what one worker runs at once.
  out.drain_concurrency = drainSettings().concurrency;
  // First, so its peak RSS is the attachment reader's own, not the pipeline's.
  phase("attachments");
  Object.assign(out, await measureAttachments());
  phase("large bodies");
  Object.assign(out, await measureLargeBodies());
  phase("job claim");
  Object.assign(out, await measureJobClaim());
  const claim = out as Record<string, number>;
  out.job_claim_200k_over_100 = round(
    (claim.job_claim_ms_200k ?? 0) / Math.max(0.01, claim.job_claim_ms_100 ?? 0),
  );
  phase("world");
  const world = await createWorld({ mailboxes: 50, orgs: 10 });
  // Where the pipeline's database runs: `postgres` (DATABASE_URL, its own process as in production)
  // or `pglite` (in this process, the default).
  out.bench_database = world.pg.kind;
  world.pushToken = await world.google.mintPushToken({ expiresInSeconds: 3600 });
  world.server.events.on("request:start", ({ request }) => {
    if (request.url.startsWith("https://graph.facebook.com/") && request.url.endsWith("/messages"))
      world.onWhatsAppRequest();
  });
  armSelfPushes(world);
  out.email_size_median_bytes = realisticEmailMedianBytes(world.samples);
  const latencyRounds = 30;
  const zeroEmails = 1000;
  const realEmails = 300;
  const quotaEmails = 66;
  phase("latency");
  await measureLatency(world, latencyRounds);
  phase("ack");
  await measureAck(world, 2000);
  phase("throughput, zero latency");
  const zero = await measureThroughput(world, zeroEmails, ZERO);
  phase("throughput, realistic");
  const real = await measureThroughput(world, realEmails, LATENCY);
  out.emails_per_second_realistic = real.emailsPerSecond;
  out.emails_per_second_zero_latency = zero.emailsPerSecond;
  out.db_round_trips_per_email = zero.dbRoundTrips;
  out.db_round_trips_per_email_realistic = real.dbRoundTrips;
  out.cpu_ms_per_email = zero.cpuMs;
  // PGlite runs in this process (its CPU is in cpu_ms_per_email); a PostgreSQL server is measured
  // apart when it runs on this machine.
  out.db_server_cpu_ms_per_email =
    zero.serverCpuMs ?? (world.pg.kind === "pglite" ? "in_process" : "not_measured(remote)");
  out.provider_calls_per_email = zero.providerCalls;
  out.self_triggered_pushes_per_email = zero.selfPushes;
  const tokens = [...zero.tokens, ...real.tokens];
  out.llm_input_tokens_median = percentile(tokens, 50);
  out.llm_input_tokens_max = Math.max(0, ...tokens);
  phase("quota");
  await measureQuota(world, quotaEmails);
  phase("outlook");
  const outlook = await measureOutlook(world, { mailboxes: 10, notifications: 1000, emails: 200 });
  out.outlook_webhook_ack_p50_ms = outlook.outlook_webhook_ack_p50_ms;
  out.outlook_webhook_ack_p99_ms = outlook.outlook_webhook_ack_p99_ms;
  out.graph_calls_per_email = outlook.graph_calls_per_email;
  out.relationship_backfill_gmail_units_per_sent_email = round(world.backfill.gmailUnitsPerSentEmail, 2);
  out.relationship_backfill_gmail_calls_per_sent_email = round(world.backfill.gmailCallsPerSentEmail, 3);
  out.relationship_backfill_graph_calls_per_sent_email =
    outlook.relationship_backfill_graph_calls_per_sent_email;
  await integrity(world, latencyRounds + zeroEmails + realEmails + quotaEmails + outlook.outlookEmails);
  out.peak_rss_mb = round(process.resourceUsage().maxRSS / 1024, 0);
  world.server.close();
  await world.pg.drop();
  if (http) phase("http");
  if (http) Object.assign(out, await measureHttpAck());
  else for (const c of [1, 10, 50]) out[`webhook_ack_http_p99_ms_c${c}`] = "not_measured(--http)";
  out.bench_load_average_end = round(os.loadavg()[0] ?? 0);
  out.bench_seconds = round((performance.now() - started) / 1000, 1);
  for (const [k, v] of Object.entries(out)) console.info(`${k}=${v}`);
  const failed = out.duplicate_alerts !== 0 || out.lost_emails !== 0;
  process.exit(failed ? 1 : 0);
}

await main();
