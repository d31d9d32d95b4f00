import { ZodError } from "zod";
import type { MessageMeta } from "@/lib/db/messages";
import { isAppError } from "@/lib/errors/app-error";
import { RetryLater } from "@/lib/jobs/outcome";
import { cleanHeaderText } from "@/lib/mail/clean-text";
import {
  ProviderRequestError,
  ProviderUnavailableError,
  RateLimitedError,
  ReconnectRequiredError,
  TokenExpiredError,
  UnauthorizedError,
} from "@/lib/mail/errors";
import type { NormalizedMessage } from "@/lib/mail/types";

/**
 * Why an email's analysis failed, as the code stored on the message (the web catalogue's
 * `failure.<code>`): never text from the email.
 * - data: the database refused what the analysis produced (a character jsonb refuses, a value
 *   out of its column's range);
 * - schema: a result did not have the shape it must have;
 * - size: past a limit of the runtime (call stack, string or array length);
 * - analysis: the analysis itself threw on this email;
 * - retries: every attempt failed for a reason that looked temporary;
 * - interrupted: the process running it died on every attempt (the every-minute sweep says so).
 */
export type FailureCode = "data" | "schema" | "size" | "analysis" | "retries" | "interrupted";

/** Where in message.analyze an error was thrown: the same error means different things. */
export type AnalyzeStage = "open" | "fetch" | "analyze" | "save";

/**
 * The vendor or the network said no, or a time limit passed: retrying later may work, whatever the
 * stage (an attachment read during the analysis calls the provider too).
 */
function isProviderError(error: unknown): boolean {
  return (
    error instanceof RetryLater ||
    (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) ||
    error instanceof ProviderRequestError ||
    error instanceof ProviderUnavailableError ||
    error instanceof RateLimitedError ||
    error instanceof ReconnectRequiredError ||
    error instanceof TokenExpiredError ||
    error instanceof UnauthorizedError ||
    (error instanceof TypeError && (error.message === "fetch failed" || error.cause !== undefined))
  );
}

/**
 * The failures that the same email will meet on every attempt, recognised so the message fails at
 * once instead of after eight retries over ten minutes; null for what may pass on a retry (the
 * network, the provider, a database that is down).
 */
export function deterministicFailure(error: unknown, stage: AnalyzeStage): FailureCode | null {
  if (isProviderError(error)) return null;
  if (isAppError(error)) {
    // SQLSTATE class 22 (data exception: 22P05 "\u0000 cannot be converted to text", 22001 too
    // long, 22008 datetime out of range), 23514 (a check constraint), 54 (program limit exceeded).
    const pgCode = String(error.details?.pgCode ?? "");
    if (error.code === "invalid" || /^(?:22|23514|54)/.test(pgCode)) return "data";
    if (error.code === "db_contract") return "schema";
    return null;
  }
  if (error instanceof ZodError || (error instanceof Error && error.name === "ZodError")) return "schema";
  if (error instanceof RangeError) return "size";
  // The analysis is computation on the email in memory (the model call never throws: the rules
  // take over): what it throws, it throws again.
  if (stage === "analyze") return "analysis";
  return null;
}

/** What the dashboard can show of a failed email: header fields cleaned again, a date only if valid. */
export function failedMeta(msg: NormalizedMessage | null): MessageMeta | null {
  if (!msg) return null;
  const when = new Date(msg.date);
  return {
    threadId: msg.threadId ? cleanHeaderText(msg.threadId, 200) : null,
    internetMessageId: msg.internetMessageId ? cleanHeaderText(msg.internetMessageId, 998) : null,
    fromAddress: cleanHeaderText(msg.from.address, 320),
    fromName: msg.from.name ? cleanHeaderText(msg.from.name, 200) : null,
    subject: cleanHeaderText(msg.subject, 500),
    receivedAt: Number.isNaN(when.getTime()) ? new Date().toISOString() : when.toISOString(),
    webLink: msg.webLink ? cleanHeaderText(msg.webLink, 2000) : null,
  };
}
