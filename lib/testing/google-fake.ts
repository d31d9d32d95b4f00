import { delay, HttpResponse, http, type JsonBodyType } from "msw";
import { GOOGLE_CERTS_URL, GOOGLE_REVOKE_URL, GOOGLE_TOKEN_URL } from "@/lib/mail/gmail/google-endpoints";
import type { GmailMethod } from "@/lib/mail/gmail/quota";
import {
  type FakeEndpoint,
  type FaultSpec,
  faultReply,
  gmailRoutes,
  googleError,
  type Reply,
} from "@/lib/testing/google-fake-gmail";
import { fakeGoogleJwks, fakeGoogleJwksJson } from "@/lib/testing/google-fake-keys";
import { FakeMailbox } from "@/lib/testing/google-fake-mailbox";
import { FakeGoogleOAuth, type FakeIdentity } from "@/lib/testing/google-fake-oauth";
import { gmailRuleViolation } from "@/lib/testing/google-fake-rules";
import {
  type EnvelopeOptions,
  FAKE_PUSH_AUDIENCE,
  FAKE_PUSH_SERVICE_ACCOUNT,
  type IdTokenOptions,
  mintIdToken,
  mintPushToken,
  type PushTokenOptions,
  pushEnvelope,
} from "@/lib/testing/google-fake-tokens";

export type { FakeEndpoint, FaultSpec };

export type GoogleFakeOptions = {
  clientId?: string;
  clientSecret?: string;
  /** When set, users.watch on any other topic is refused like a topic without publish rights. */
  topicName?: string;
  /** Latency added to every call (the benchmark uses ~80 ms). */
  latencyMs?: number;
  now?: () => number;
  /** History id a new mailbox starts at. */
  startHistoryId?: number;
};

const GMAIL = "https://gmail.googleapis.com/gmail/v1/users/:userId";
const GMAIL_PATHS: Record<GmailMethod, ["get" | "post", string]> = {
  getProfile: ["get", "/profile"],
  watch: ["post", "/watch"],
  stop: ["post", "/stop"],
  "history.list": ["get", "/history"],
  "messages.list": ["get", "/messages"],
  "messages.get": ["get", "/messages/:id"],
  "messages.attachments.get": ["get", "/messages/:id/attachments/:attachmentId"],
  "messages.modify": ["post", "/messages/:id/modify"],
  "messages.send": ["post", "/messages/send"],
  "labels.list": ["get", "/labels"],
  "labels.create": ["post", "/labels"],
};
const ENDPOINTS = ["token", "revoke", "certs", ...Object.keys(GMAIL_PATHS)] as FakeEndpoint[];

function respond(reply: Reply) {
  if (reply.status === 204) return new HttpResponse(null, { status: 204, headers: reply.headers });
  return HttpResponse.json(reply.body as JsonBodyType, { status: reply.status, headers: reply.headers });
}

function parseJson(text: string): { ok: true; body: unknown } | { ok: false } {
  try {
    return { ok: true, body: text ? JSON.parse(text) : {} };
  } catch {
    return { ok: false };
  }
}

/**
 * A stateful fake of Google for msw: OAuth (consent, code + PKCE, refresh, revoke), the JWKS and a
 * signing key for id_tokens and Pub/Sub push tokens, and Gmail (profile, watch/stop, history with
 * paging and expiry, messages list/get/modify, labels). Faults, latency and per-endpoint counters
 * for the sync, retry and benchmark suites. Register with `server.use(...fake.handlers)`.
 */
export function createGoogleFake(options: GoogleFakeOptions = {}) {
  const now = options.now ?? Date.now;
  const clientId = options.clientId ?? "fake-client-id.apps.googleusercontent.com";
  const clientSecret = options.clientSecret ?? "fake-client-secret";
  const oauth = new FakeGoogleOAuth({ clientId, clientSecret, now });
  const mailboxes = new Map<string, FakeMailbox>();
  const faults = new Map<FakeEndpoint, FaultSpec[]>();
  const hooks = new Map<FakeEndpoint, Array<() => void | Promise<void>>>();
  const counters = Object.fromEntries(ENDPOINTS.map((e) => [e, 0])) as Record<FakeEndpoint, number>;
  let latencyMs = options.latencyMs ?? 0;
  let idSeq = 0x18f3a2b4c5d60000n;

  function mailbox(address: string): FakeMailbox {
    const key = address.toLowerCase();
    let box = mailboxes.get(key);
    if (!box) {
      const newId = () => {
        idSeq += 1n;
        return idSeq.toString(16);
      };
      box = new FakeMailbox(key, { startHistoryId: options.startHistoryId ?? 4_200_000, now, newId });
      mailboxes.set(key, box);
    }
    return box;
  }

  /** Counter, latency, one-shot hooks and injected faults, then the endpoint itself. */
  async function run(endpoint: FakeEndpoint, handle: () => Reply | Promise<Reply>) {
    counters[endpoint] += 1;
    if (latencyMs > 0) await delay(latencyMs);
    const hook = hooks.get(endpoint)?.shift();
    if (hook) await hook();
    const queue = faults.get(endpoint) ?? [];
    const fault = queue[0];
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) queue.shift();
      return respond(faultReply(endpoint, fault));
    }
    return respond(await handle());
  }

  const gmailHandlers = (Object.keys(GMAIL_PATHS) as GmailMethod[]).map((method) => {
    const [verb, path] = GMAIL_PATHS[method];
    return http[verb](`${GMAIL}${path}`, ({ request, params }) =>
      run(method, async () => {
        const bearer = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
        const grant = oauth.grantOf(bearer);
        const owner = grant?.address;
        if (!grant || !owner) {
          const message = "Request had invalid authentication credentials. Expected OAuth 2 access token.";
          return googleError(401, message, "UNAUTHENTICATED", "authError");
        }
        const userId = decodeURIComponent(String(params.userId));
        if (userId !== "me" && userId.toLowerCase() !== owner) {
          return googleError(
            403,
            "Delegation denied for the requested user",
            "PERMISSION_DENIED",
            "forbidden",
          );
        }
        const parsed = parseJson(verb === "post" ? await request.text() : "");
        if (!parsed.ok)
          return googleError(400, "Invalid JSON payload received.", "INVALID_ARGUMENT", "parseError");
        const url = new URL(request.url);
        const refused = gmailRuleViolation(method, { grantedScopes: grant.scopes, url, body: parsed.body });
        if (refused) return refused;
        return gmailRoutes[method]({
          mailbox: mailbox(owner),
          url,
          body: parsed.body,
          id: typeof params.id === "string" ? params.id : undefined,
          attachmentId: typeof params.attachmentId === "string" ? params.attachmentId : undefined,
          scopes: oauth.scopesOf(bearer),
          now: now(),
          topicName: options.topicName,
        });
      }),
    );
  });

  const handlers = [
    http.post(GOOGLE_TOKEN_URL, ({ request }) =>
      run("token", async () => oauth.token(new URLSearchParams(await request.text()))),
    ),
    http.post(GOOGLE_REVOKE_URL, ({ request }) =>
      run("revoke", async () => {
        const form = new URLSearchParams(await request.text());
        return oauth.revoke(form.get("token") ?? new URL(request.url).searchParams.get("token") ?? "");
      }),
    ),
    http.get(GOOGLE_CERTS_URL, () =>
      run("certs", async () => ({ status: 200, body: await fakeGoogleJwksJson() })),
    ),
    ...gmailHandlers,
  ];

  return {
    handlers,
    clientId,
    clientSecret,
    /** Expected `email` and `aud` of push tokens minted with the defaults. */
    pushServiceAccount: FAKE_PUSH_SERVICE_ACCOUNT,
    pushAudience: FAKE_PUSH_AUDIENCE,
    oauth,
    /** Calls per endpoint, live. */
    counters,
    /** The mailbox of an address (created empty on first use). */
    mailbox,
    /** Valid access token for a mailbox without going through consent (`scopes`: ours by default). */
    accessToken: (address: string, expiresInSeconds?: number, scopes?: readonly string[]) =>
      oauth.issueAccessToken(address.toLowerCase(), expiresInSeconds, null, scopes?.join(" ")),
    refreshToken: (address: string) => oauth.issueRefreshToken(address.toLowerCase()),
    /** The user at Google's consent screen: returns the callback URL Google redirects to. */
    consent: (
      authorizationUrl: string,
      user: { address: string; deny?: boolean; grantedScopes?: string[]; identity?: FakeIdentity },
    ) => oauth.consent(authorizationUrl, { ...user, address: user.address.toLowerCase() }),
    /** Refresh tokens now get `invalid_grant`; access tokens get 401. */
    revokeGrant: (address: string) => oauth.revokeGrant(address.toLowerCase()),
    expireAccessTokens: (address: string) => oauth.expireAccessTokens(address.toLowerCase()),
    /** A local key set with the fake Google keys (inject as `jwks` to skip the certs endpoint). */
    localJwks: fakeGoogleJwks,
    /** Queues a failure for the next call(s) of an endpoint. */
    fail(endpoint: FakeEndpoint, fault: FaultSpec) {
      faults.set(endpoint, [...(faults.get(endpoint) ?? []), { ...fault }]);
    },
    /** Runs `hook` just before the next call of `endpoint` is answered (e.g. mail arriving mid-sync). */
    onNext(endpoint: FakeEndpoint, hook: () => void | Promise<void>) {
      hooks.set(endpoint, [...(hooks.get(endpoint) ?? []), hook]);
    },
    setLatency(ms: number) {
      latencyMs = ms;
    },
    calls: (endpoint: FakeEndpoint) => counters[endpoint],
    resetCounters() {
      for (const key of ENDPOINTS) counters[key] = 0;
    },
    /** A Google id_token for `address` (defaults: valid, aud = clientId, 1 h). */
    mintIdToken: (o: IdTokenOptions) => mintIdToken(o, { clientId, now: now() }),
    /** The push OIDC token (defaults: valid for `pushAudience` and `pushServiceAccount`). */
    mintPushToken: (o: PushTokenOptions = {}) => mintPushToken(o, { now: now() }),
    /** The JSON body of a Pub/Sub push for a mailbox change (historyId defaults to the mailbox's). */
    pushEnvelope: (address: string, o: Partial<EnvelopeOptions> = {}) =>
      pushEnvelope(address, { ...o, historyId: o.historyId ?? mailbox(address).historyId }, { now: now() }),
  };
}

export type GoogleFake = ReturnType<typeof createGoogleFake>;
