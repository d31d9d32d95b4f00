import type { RenderedMessage } from "@/lib/channels/rendered";
import type { Locale } from "@/lib/domain/vocabulary";

/*
 * The seam every delivery channel implements (lib/channels/<name>/channel.ts): WhatsApp today,
 * e-mail over SMTP beside it. A channel is vendor code: it receives its transport configuration and
 * the message as arguments, never reads the environment or the database, and answers with one of
 * the outcomes below. What to do with an outcome (retry, flag the recipient, wait for a status) is
 * decided once, in alert.send, for every channel alike.
 */

export const CHANNELS = ["whatsapp", "email"] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** How a channel sent a message (alerts.delivery): the outbox is local mode, for every channel. */
export type Delivery = "interactive" | "template" | "text" | "email" | "outbox";

/** The one outcome taxonomy of a send, shared by every channel. */
export type SendOutcome =
  /** Accepted by the provider, which gave it this id (a WhatsApp wamid, an e-mail Message-ID). */
  | { outcome: "sent"; providerMessageId: string; delivery: Exclude<Delivery, "outbox"> }
  /**
   * The request may have reached the provider (timeout, an answer we cannot read): resending could
   * deliver twice, so the alert waits for a status carrying its id before anything is resent.
   */
  | { outcome: "unknown"; reason: string }
  /** Nothing was sent and the same send may succeed later: after `afterMs`, or the queue's backoff when null. */
  | { outcome: "retry-after"; afterMs: number | null; code: number | null; reason: string }
  /** The channel's delivery window is closed and this message has no form allowed outside it. */
  | { outcome: "window-closed"; code: number | null; reason: string }
  /** The address cannot receive anything on this channel: flag the recipient, never retry. */
  | { outcome: "undeliverable"; code: number | null; reason: string }
  /** Configuration or a refused request: an operator must act (the job goes dead with the reason). */
  | { outcome: "permanent"; code: number | null; reason: string };

/**
 * When free-form messages may go out. `none`: the channel has no window (e-mail); `open` / `closed`:
 * the channel limits free-form messages to a time after the recipient last wrote (WhatsApp's 24 h),
 * and outside it only an approved template may be sent.
 */
export type WindowState = "none" | "open" | "closed";

/** What a send needs, whatever the channel. */
export type SendRequest = {
  /** The recipient's address on this channel (E.164, an e-mail address). */
  to: string;
  alertId: string;
  locale: Locale;
  rendered: RenderedMessage;
  window: WindowState;
  /** A status said the free-form message failed for the window: use the template whatever the clock says. */
  forceTemplate: boolean;
  timeoutMs?: number;
};

/**
 * What an inbound message or a link asks us to do, whichever channel carried it (a WhatsApp button
 * or word, an e-mail action link). Opt-in codes are WhatsApp's and stay in its folder.
 */
export type ChannelCommand =
  | { kind: "done"; alertId: string }
  | { kind: "snooze"; alertId: string }
  | { kind: "mute"; alertId: string }
  | { kind: "unmute"; ruleId: string }
  | { kind: "digest" }
  | { kind: "stop" }
  | { kind: "start" }
  | { kind: "help" };

/**
 * What an alert lets its recipient do (lib/channels/alert-buttons.ts): mark it handled, be reminded
 * in an hour, answer the email, or ignore the sender from now on.
 */
export type AlertAction = "done" | "snooze" | "reply" | "mute";

/** How a recipient gives consent on this channel before any alert is sent. */
export type OptInMethod =
  /** A code the recipient sends from their own number (wa.me link), or one we send and they type in the app. */
  | "code"
  /** A confirmation link sent to the address (double opt-in). */
  | "confirmation-link";

export type Channel<Transport> = {
  readonly name: ChannelName;
  /** The address kind and its validation: the canonical form, or null when the input is not one. */
  readonly address: { kind: "e164" | "email"; parse(input: string): string | null };
  readonly optIn: OptInMethod;
  /**
   * The alert's buttons on this channel, in order, chosen when the alert is rendered: WhatsApp's
   * three reply buttons, e-mail's links (answering has no e-mail flow: the recipient answers from
   * their own mail client). A channel sends the buttons it is given and never rewrites them.
   */
  readonly alertActions: readonly AlertAction[];
  /** The delivery-window policy, from the last time the recipient wrote to us on this channel. */
  window(lastInboundAt: Date | null, now: Date): WindowState;
  /** One send. Never throws for a provider's answer: every failure is an outcome. */
  send(transport: Transport, request: SendRequest): Promise<SendOutcome>;
};
