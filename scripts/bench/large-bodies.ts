import { monitorEventLoopDelay } from "node:perf_hooks";
import { analyzeMessage } from "@/lib/analysis/analyze";
import { warmUpAnalysis } from "@/lib/analysis/warm-up";
import { parseRawMessageOffThread } from "@/lib/mail/mime-off-thread";
import { NO_RELATIONSHIP } from "@/lib/relationships/facts";

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const LINE = "Bonjour, merci de régler la facture de 1 250 000 FCFA avant vendredi 17h.\n";

/** An ordinary French email whose body is `mb` megabytes of invoice lines. */
function bigEmail(mb: number): Buffer {
  const body = LINE.repeat(Math.ceil((mb * 1024 * 1024) / Buffer.byteLength(LINE)));
  return Buffer.from(
    [
      "From: Comptabilité <compta@fournisseur.ci>",
      "To: direction@sahel-negoce.ci",
      `Subject: Relevé de ${mb} Mo`,
      "Date: Mon, 23 Nov 2026 09:00:00 +0000",
      "Content-Type: text/plain; charset=utf-8",
      "",
      body,
    ].join("\r\n"),
    "utf8",
  );
}

/** Raw bytes to an analysis, the way message.analyze does it (parse off the event loop, then the rules). */
async function analyse(raw: Buffer) {
  const msg = await parseRawMessageOffThread(raw, { providerMessageId: "bench-large" });
  const ctx = {
    locale: "fr" as const,
    timeZone: "Africa/Abidjan",
    senderRules: [],
    mailboxAddress: "direction@sahel-negoce.ci",
    relationship: NO_RELATIONSHIP,
  };
  return analyzeMessage(msg, ctx, { geminiApiKey: null, geminiModel: "none" } as never);
}

/**
 * Issue #13 item 3: the time from raw bytes to an analysis for 1, 2 and 10 MB bodies, and the
 * event loop's delay (p99 and max, monitorEventLoopDelay at 10 ms resolution) while a 2 MB email
 * is analysed: what a webhook or /api/health waits for on the same process.
 */
export async function measureLargeBodies() {
  const out: Record<string, number> = {};
  await warmUpAnalysis(); // what instrumentation.ts does when a server starts
  await analyse(bigEmail(0.1)); // the worker's start and JIT warm-up are nobody's email
  for (const mb of [1, 2, 10]) {
    const raw = bigEmail(mb);
    const t0 = performance.now();
    await analyse(raw);
    out[`analysis_${mb}mb_ms`] = round(performance.now() - t0, 0);
  }
  const raw = bigEmail(2);
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  for (let i = 0; i < 5; i++) await analyse(raw);
  h.disable();
  // The histogram includes the 10 ms resolution itself: what is reported is the delay past it.
  out.analysis_2mb_event_loop_p99_ms = round(Math.max(0, h.percentile(99) / 1e6 - 10), 1);
  out.analysis_2mb_event_loop_max_ms = round(Math.max(0, h.max / 1e6 - 10), 1);
  return out;
}
