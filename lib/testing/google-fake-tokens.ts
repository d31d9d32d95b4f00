import { randomBytes } from "node:crypto";
import { type SignOptions, signAsGoogle } from "@/lib/testing/google-fake-keys";
import { fakeSub } from "@/lib/testing/google-fake-oauth";

export const FAKE_PUSH_SERVICE_ACCOUNT = "gmail-push@fluxasync-test.iam.gserviceaccount.com";
export const FAKE_PUSH_AUDIENCE = "https://app.fluxasync.test/api/webhooks/gmail";

export type IdTokenOptions = {
  address: string;
  audience?: string;
  issuer?: string;
  expiresInSeconds?: number;
  emailVerified?: boolean;
  name?: string;
  hd?: string;
} & SignOptions;

export type PushTokenOptions = {
  audience?: string;
  email?: string;
  emailVerified?: boolean;
  issuer?: string;
  expiresInSeconds?: number;
} & SignOptions;

/** A Google id_token (defaults: valid for `clientId`, 1 h, email verified). */
export function mintIdToken(o: IdTokenOptions, context: { clientId: string; now: number }): Promise<string> {
  const iat = Math.floor(context.now / 1000);
  return signAsGoogle(
    {
      iss: o.issuer ?? "https://accounts.google.com",
      azp: o.audience ?? context.clientId,
      aud: o.audience ?? context.clientId,
      sub: fakeSub(o.address),
      email: o.address,
      email_verified: o.emailVerified ?? true,
      name: o.name ?? o.address.split("@")[0],
      ...(o.hd ? { hd: o.hd } : {}),
      iat,
      exp: iat + (o.expiresInSeconds ?? 3600),
    },
    o,
  );
}

/** The OIDC token Pub/Sub puts in `Authorization: Bearer …` (claims as Pub/Sub documents them). */
export function mintPushToken(o: PushTokenOptions, context: { now: number }): Promise<string> {
  const iat = Math.floor(context.now / 1000);
  return signAsGoogle(
    {
      iss: o.issuer ?? "https://accounts.google.com",
      aud: o.audience ?? FAKE_PUSH_AUDIENCE,
      azp: "113774264823484979386",
      sub: "113774264823484979386",
      email: o.email ?? FAKE_PUSH_SERVICE_ACCOUNT,
      email_verified: o.emailVerified ?? true,
      iat,
      exp: iat + (o.expiresInSeconds ?? 3600),
    },
    o,
  );
}

export type EnvelopeOptions = {
  historyId: string | number;
  encoding?: "base64" | "base64url";
  subscription?: string;
};

/** The JSON body Pub/Sub POSTs for one Gmail notification (both field spellings, as Pub/Sub sends). */
export function pushEnvelope(address: string, o: EnvelopeOptions, context: { now: number }) {
  const data = Buffer.from(JSON.stringify({ emailAddress: address, historyId: o.historyId })).toString(
    o.encoding ?? "base64",
  );
  const messageId = String(BigInt(`0x${randomBytes(6).toString("hex")}`));
  const publishTime = new Date(context.now).toISOString();
  return {
    message: { data, messageId, message_id: messageId, publishTime, publish_time: publishTime },
    subscription: o.subscription ?? "projects/fluxasync-test/subscriptions/gmail-push",
  };
}
