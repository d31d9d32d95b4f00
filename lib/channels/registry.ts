import type { Channel, ChannelName } from "@/lib/channels/channel";
import { emailChannel } from "@/lib/channels/email/channel";
import type { EmailTransport } from "@/lib/channels/email/config";
import { whatsAppChannel } from "@/lib/channels/whatsapp/channel";
import type { WhatsAppConfig } from "@/lib/channels/whatsapp/config";

/** Each channel's transport, chosen by the composition root (lib/config/channels.ts); null = the local outbox. */
export type Transports = { whatsapp: WhatsAppConfig | null; email: EmailTransport | null };

type Registered = { [K in keyof Transports]: Channel<NonNullable<Transports[K]>> };

/** Every channel with its transport type. A new channel is one entry here and one in Transports. */
const CHANNELS: Registered = { whatsapp: whatsAppChannel, email: emailChannel };

export function channelOf(name: ChannelName): Channel<unknown> | null {
  return (CHANNELS as Record<string, Channel<unknown>>)[name] ?? null;
}

/** The transport a channel sends with, or null when this deployment keeps its messages in the outbox. */
export function transportOf(transports: Transports, name: ChannelName): unknown {
  return (transports as Record<string, unknown>)[name] ?? null;
}
