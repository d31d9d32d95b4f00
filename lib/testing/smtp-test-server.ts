import type { AddressInfo } from "node:net";
import PostalMime from "postal-mime";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";
import type { EmailTransport } from "@/lib/channels/email/config";
import { emailLinks } from "@/lib/config/channels";

/** A message the test server accepted, as a mail client would read it. */
export type ReceivedMail = {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
};

type Rejection = { code: number; message: string };

/**
 * A real SMTP server in the test process (nodemailer's smtp-server): the channel speaks the whole
 * protocol to it — EHLO, AUTH, MAIL FROM, RCPT TO, DATA — and it answers with real reply codes.
 * `reject` refuses an address at RCPT TO with the given reply (550 unknown user, 451 try later);
 * `auth` makes authentication required and checks the credentials (535 otherwise).
 */
export async function startSmtpTestServer(options: { auth?: { user: string; pass: string } } = {}) {
  const received: ReceivedMail[] = [];
  const reject = new Map<string, Rejection>();
  const server = new SMTPServer({
    // Plain SMTP on loopback: the channel asks for STARTTLS only away from localhost.
    disabledCommands: options.auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      const ok = auth.username === options.auth?.user && auth.password === options.auth?.pass;
      if (!ok)
        return callback(
          Object.assign(new Error("Authentication credentials invalid"), { responseCode: 535 }),
        );
      callback(null, { user: auth.username });
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const rejection = reject.get(address.address.toLowerCase());
      if (rejection)
        return callback(Object.assign(new Error(rejection.message), { responseCode: rejection.code }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const parsed = await PostalMime.parse(Buffer.concat(chunks));
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: parsed.subject ?? "",
          text: parsed.text ?? "",
          html: parsed.html ?? "",
          headers: Object.fromEntries(parsed.headers.map((h) => [h.key, h.value])),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  const transport = (auth = options.auth ?? null): EmailTransport => ({
    smtp: {
      host: "127.0.0.1",
      port,
      secure: false,
      auth,
      from: { address: "alertes@fluxasync.test", name: "FluxAsync" },
    },
    ...emailLinks,
  });
  return {
    received,
    reject,
    transport,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The links of a received e-mail's text part, in order. */
export function linksOf(mail: ReceivedMail): string[] {
  return [...mail.text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
}
