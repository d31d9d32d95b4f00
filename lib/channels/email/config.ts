import { z } from "zod";

/** An SMTP submission server and the sender our alerts come from. */
export const smtpConfigSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  /** Implicit TLS (port 465); otherwise STARTTLS is required whenever the server is not local. */
  secure: z.boolean(),
  auth: z.object({ user: z.string().min(1), pass: z.string().min(1) }).nullable(),
  from: z.object({ address: z.email(), name: z.string().min(1) }),
});
export type SmtpConfig = z.infer<typeof smtpConfigSchema>;

/**
 * What the e-mail channel sends with: the SMTP server, and the signed links that stand in for
 * WhatsApp's reply buttons (built by the composition root, which holds the signing key).
 */
export type EmailTransport = {
  smtp: SmtpConfig;
  /** The web link of a button (`done:<alert>`, `snooze:<alert>`, `mute:<alert>`…), or null when it has none. */
  link(buttonId: string, alertId: string): Promise<string | null>;
  /** The alert's unsubscribe link (footer, and List-Unsubscribe with RFC 8058 one-click). */
  unsubscribe(alertId: string): Promise<string>;
};
