import { randomUUID } from "node:crypto";
import { HttpResponse, http } from "msw";
import { FakeHubSpotOAuth, type HubSpotGrant } from "@/lib/testing/hubspot-fake-oauth";

/*
 * msw fake of the HubSpot CRM API for what we call: OAuth 2026-03 token/revoke, v3 owners, v3
 * contacts and deals (list with paging, read one), v3 notes and tasks created with v4
 * associations. It enforces what HubSpot enforces, with where HubSpot states it:
 * - the scopes of each endpoint (each reference page's "Scopes" / "Required scopes"), answering
 *   403 category MISSING_SCOPES (HubSpot "Error handling" guide);
 * - 401 EXPIRED_AUTHENTICATION for an expired access token (same guide);
 * - the burst limit of OAuth apps, 110 requests per 10 seconds per account ("API usage
 *   guidelines and limits", public apps), 429 category RATE_LIMITS with the X-HubSpot-RateLimit-*
 *   headers (changelog "Rate limit headers will now appear for OAuth authenticated calls");
 * - list `limit` at most 100 for objects (objects reference "limit: maximum number of results per
 *   page"), 500 for owners (owners reference);
 * - hs_timestamp required on notes and tasks, task enums (hs_task_status, hs_task_priority,
 *   hs_task_type) (engagements notes / tasks references), VALIDATION_ERROR otherwise;
 * - the HUBSPOT_DEFINED association type ids between engagements and records (associations v4
 *   reference "Association type ID values").
 */

export const HUBSPOT_CLIENT_ID = "fake-hubspot-client-id";
export const HUBSPOT_CLIENT_SECRET = "fake-hubspot-client-secret";
const API = "https://api.hubapi.com";
const BURST = 110;
const WINDOW_MS = 10_000;

type Props = Record<string, string | null>;
type Obj = { id: string; properties: Props; archived: boolean; associations: Record<string, string[]> };
export type HubSpotEngagement = Obj & { type: "notes" | "tasks"; associationTypes: number[] };
export type HubSpotRequest = { method: string; url: string; body: string };

const ASSOCIATION_TYPES: Record<string, Record<number, string>> = {
  notes: { 202: "contacts", 190: "companies", 214: "deals" },
  tasks: { 204: "contacts", 192: "companies", 216: "deals" },
};
const TASK_ENUMS: Record<string, string[]> = {
  hs_task_status: ["NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED"],
  hs_task_priority: ["LOW", "MEDIUM", "HIGH", "NONE"],
  hs_task_type: ["EMAIL", "CALL", "TODO", "LINKED_IN", "MEETING"],
};
// Read and write scopes per object (the objects references' "Scopes" sections). Notes and tasks
// are engagements: their references list the contacts scopes.
const READ_SCOPE: Record<string, string> = {
  contacts: "crm.objects.contacts.read",
  companies: "crm.objects.companies.read",
  deals: "crm.objects.deals.read",
};
const WRITE_SCOPE: Record<string, string> = {
  notes: "crm.objects.contacts.write",
  tasks: "crm.objects.contacts.write",
};

const hsError = (status: number, category: string, message: string, extra: Record<string, unknown> = {}) =>
  HttpResponse.json(
    { status: "error", message, correlationId: randomUUID(), category, ...extra },
    { status },
  );

export function createHubSpotFake(opts: { now?: () => number } = {}) {
  const now = opts.now ?? Date.now;
  const oauth = new FakeHubSpotOAuth({
    clientId: HUBSPOT_CLIENT_ID,
    clientSecret: HUBSPOT_CLIENT_SECRET,
    now,
  });
  const objects: Record<string, Map<string, Obj>> = {
    contacts: new Map(),
    companies: new Map(),
    deals: new Map(),
  };
  const owners = new Map<string, { id: string; firstName: string; lastName: string; email: string }>();
  const engagements: HubSpotEngagement[] = [];
  const requests: HubSpotRequest[] = [];
  let nextId = 1000;
  let windowStart = now();
  let windowCount = 0;
  let forced: { count: number; retryAfterS: number | null } | null = null;

  const id = () => String(++nextId);

  /** Counts a call against the account's 10-second window; a 429 when it is spent (or forced). */
  function throttle(): { response: Response | null; headers: Record<string, string> } {
    if (now() - windowStart >= WINDOW_MS) {
      windowStart = now();
      windowCount = 0;
    }
    windowCount++;
    const headers = {
      "X-HubSpot-RateLimit-Max": String(BURST),
      "X-HubSpot-RateLimit-Remaining": String(Math.max(0, BURST - windowCount)),
      "X-HubSpot-RateLimit-Interval-Milliseconds": String(WINDOW_MS),
    };
    if (forced && forced.count > 0) {
      forced.count--;
      const h: Record<string, string> = { ...headers, "X-HubSpot-RateLimit-Remaining": "0" };
      if (forced.retryAfterS !== null) h["Retry-After"] = String(forced.retryAfterS);
      const response = hsError(429, "RATE_LIMITS", "You have reached your ten_secondly_rolling limit.", {
        errorType: "RATE_LIMIT",
        policyName: "TEN_SECONDLY_ROLLING",
      });
      for (const [k, v] of Object.entries(h)) response.headers.set(k, v);
      return { response, headers };
    }
    if (windowCount > BURST) {
      const response = hsError(429, "RATE_LIMITS", "You have reached your ten_secondly_rolling limit.", {
        policyName: "TEN_SECONDLY_ROLLING",
      });
      for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
      return { response, headers };
    }
    return { response: null, headers };
  }

  /** Auth, scope and rate limit of one API call: a refusal, or the grant and headers to answer with. */
  async function guard(request: Request, scopes: string[]) {
    requests.push({ method: request.method, url: request.url, body: await request.clone().text() });
    const grant = oauth.bearer(request.headers.get("authorization"));
    if (grant === "expired")
      return {
        refusal: hsError(401, "EXPIRED_AUTHENTICATION", "The OAuth token used to make this call expired."),
      };
    if (grant === "invalid")
      return { refusal: hsError(401, "INVALID_AUTHENTICATION", "Authentication credentials not found.") };
    const missing = scopes.filter((s) => !grant.scopes.includes(s));
    if (missing.length > 0)
      return {
        refusal: hsError(
          403,
          "MISSING_SCOPES",
          "This app hasn't been granted all required scopes to make this call.",
          {
            errors: [
              {
                message: "One or more of the following scopes are required.",
                context: { requiredGranularScopes: missing },
              },
            ],
          },
        ),
      };
    const t = throttle();
    if (t.response) return { refusal: t.response };
    return { grant, headers: t.headers };
  }

  const view = (o: Obj, wanted: string[], assoc: string[]) => ({
    id: o.id,
    properties: Object.fromEntries([
      ["hs_object_id", o.id],
      ...wanted.map((p) => [p, o.properties[p] ?? null]),
    ]),
    createdAt: new Date(0).toISOString(),
    updatedAt: new Date(0).toISOString(),
    archived: o.archived,
    ...(assoc.length > 0
      ? {
          associations: Object.fromEntries(
            assoc
              .filter((a) => (o.associations[a] ?? []).length > 0)
              .map((a) => [
                a,
                { results: (o.associations[a] ?? []).map((to) => ({ id: to, type: `${a}_association` })) },
              ]),
          ),
        }
      : {}),
  });

  const listObjects = (type: "contacts" | "deals") =>
    http.get(`${API}/crm/v3/objects/${type}`, async ({ request }) => {
      const q = new URL(request.url).searchParams;
      const assoc = (q.get("associations") ?? "").split(",").filter(Boolean);
      // Reading associations needs the read scope of the associated objects too.
      const g = await guard(request, [
        READ_SCOPE[type]!,
        ...assoc.map((a) => READ_SCOPE[a]!).filter(Boolean),
      ]);
      if (g.refusal) return g.refusal;
      const limit = Number(q.get("limit") ?? "10");
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        return hsError(400, "VALIDATION_ERROR", "limit must be between 1 and 100");
      const wanted = (q.get("properties") ?? "").split(",").filter(Boolean);
      const all = [...objects[type]!.values()]
        .filter((o) => !o.archived)
        .sort((a, b) => Number(a.id) - Number(b.id));
      const after = q.get("after");
      const start = after ? all.findIndex((o) => Number(o.id) > Number(after)) : 0;
      const slice = start < 0 ? [] : all.slice(start, start + limit);
      const more = start >= 0 && start + limit < all.length;
      return HttpResponse.json(
        {
          results: slice.map((o) => view(o, wanted, assoc)),
          ...(more
            ? {
                paging: {
                  next: {
                    after: slice.at(-1)!.id,
                    link: `${API}/crm/v3/objects/${type}?after=${slice.at(-1)!.id}`,
                  },
                },
              }
            : {}),
        },
        { headers: g.headers },
      );
    });

  const create = (type: "notes" | "tasks") =>
    http.post(`${API}/crm/v3/objects/${type}`, async ({ request }) => {
      const g = await guard(request, [WRITE_SCOPE[type]!]);
      if (g.refusal) return g.refusal;
      const body = (await request.json()) as {
        properties?: Props;
        associations?: Array<{
          to: { id: string };
          types: Array<{ associationCategory: string; associationTypeId: number }>;
        }>;
      };
      const props = body.properties ?? {};
      if (!props.hs_timestamp || Number.isNaN(Date.parse(props.hs_timestamp)))
        return hsError(400, "VALIDATION_ERROR", "Property values were not valid: hs_timestamp is required");
      if (type === "tasks")
        for (const [name, allowed] of Object.entries(TASK_ENUMS))
          if (props[name] != null && !allowed.includes(props[name]!))
            return hsError(
              400,
              "VALIDATION_ERROR",
              `Property values were not valid: ${props[name]} is not a valid option for ${name}`,
            );
      if (props.hubspot_owner_id && !owners.has(props.hubspot_owner_id))
        return hsError(
          400,
          "VALIDATION_ERROR",
          `Property values were not valid: owner ${props.hubspot_owner_id} does not exist`,
        );
      const associations: Record<string, string[]> = {};
      const types: number[] = [];
      for (const a of body.associations ?? []) {
        for (const t of a.types) {
          const target =
            t.associationCategory === "HUBSPOT_DEFINED"
              ? ASSOCIATION_TYPES[type]![t.associationTypeId]
              : undefined;
          if (!target)
            return hsError(
              400,
              "VALIDATION_ERROR",
              `association type ${t.associationTypeId} is not valid for ${type}`,
            );
          if (!objects[target]!.get(a.to.id) || objects[target]!.get(a.to.id)!.archived)
            return hsError(400, "VALIDATION_ERROR", `${target} ${a.to.id} does not exist`);
          associations[target] = [...(associations[target] ?? []), a.to.id];
          types.push(t.associationTypeId);
        }
      }
      const created: HubSpotEngagement = {
        id: id(),
        type,
        properties: props,
        archived: false,
        associations,
        associationTypes: types,
      };
      engagements.push(created);
      return HttpResponse.json(view(created, Object.keys(props), []), { status: 201, headers: g.headers });
    });

  const form = async (request: Request) => new URLSearchParams(await request.text());
  const handlers = [
    http.post(`${API}/oauth/2026-03/token`, async ({ request }) => {
      const r = oauth.token(await form(request));
      return HttpResponse.json(r.body, { status: r.status });
    }),
    http.post(`${API}/oauth/2026-03/token/revoke`, async ({ request }) => {
      const r = oauth.revoke(await form(request));
      return HttpResponse.json(r.body, { status: r.status });
    }),
    http.get(`${API}/crm/v3/owners`, async ({ request }) => {
      const g = await guard(request, ["crm.objects.owners.read"]);
      if (g.refusal) return g.refusal;
      const q = new URL(request.url).searchParams;
      const limit = Number(q.get("limit") ?? "100");
      if (!Number.isInteger(limit) || limit < 1 || limit > 500)
        return hsError(400, "VALIDATION_ERROR", "limit must be between 1 and 500");
      const all = [...owners.values()];
      const start = Number(q.get("after") ?? "0");
      const slice = all.slice(start, start + limit);
      return HttpResponse.json(
        {
          results: slice.map((o) => ({ ...o, userId: Number(o.id) + 1, archived: false, teams: [] })),
          ...(start + limit < all.length ? { paging: { next: { after: String(start + limit) } } } : {}),
        },
        { headers: g.headers },
      );
    }),
    listObjects("contacts"),
    listObjects("deals"),
    http.get(`${API}/crm/v3/objects/contacts/:id`, async ({ request, params }) => {
      const g = await guard(request, [READ_SCOPE.contacts!]);
      if (g.refusal) return g.refusal;
      const o = objects.contacts!.get(String(params.id));
      if (!o || o.archived) return hsError(404, "OBJECT_NOT_FOUND", "resource not found");
      const wanted = (new URL(request.url).searchParams.get("properties") ?? "").split(",").filter(Boolean);
      return HttpResponse.json(view(o, wanted, []), { headers: g.headers });
    }),
    create("notes"),
    create("tasks"),
  ];

  return {
    handlers,
    oauth,
    requests,
    engagements,
    /** The account a user installs the app into, with the scopes the app's settings list. */
    grant: (scopes: string[], hubId = 24_681_357): HubSpotGrant => ({ hubId, scopes, userId: 77 }),
    addOwner(firstName: string, lastName: string) {
      const o = { id: id(), firstName, lastName, email: `${firstName.toLowerCase()}@vendeur.example` };
      owners.set(o.id, o);
      return o.id;
    },
    addCompany(name: string, domain: string) {
      const o: Obj = { id: id(), properties: { name, domain }, archived: false, associations: {} };
      objects.companies!.set(o.id, o);
      return o.id;
    },
    addContact(p: {
      email: string;
      additional?: string[];
      ownerId?: string;
      lifecycle?: string;
      companyId?: string;
      company?: string;
    }) {
      const o: Obj = {
        id: id(),
        properties: {
          email: p.email,
          hs_additional_emails: p.additional?.join(";") ?? null,
          hubspot_owner_id: p.ownerId ?? null,
          lifecyclestage: p.lifecycle ?? "customer",
          associatedcompanyid: p.companyId ?? null,
          company: p.company ?? null,
        },
        archived: false,
        associations: p.companyId ? { companies: [p.companyId] } : {},
      };
      objects.contacts!.set(o.id, o);
      return o.id;
    },
    addDeal(p: {
      name: string;
      amount: number;
      currency?: string;
      stage?: string;
      closed?: boolean;
      contactIds: string[];
      companyId?: string;
      ownerId?: string;
      closeDate?: string;
    }) {
      const o: Obj = {
        id: id(),
        properties: {
          dealname: p.name,
          amount: String(p.amount),
          deal_currency_code: p.currency ?? "XOF",
          dealstage: p.stage ?? (p.closed ? "closedwon" : "contractsent"),
          closedate: p.closeDate ? `${p.closeDate}T00:00:00Z` : null,
          hubspot_owner_id: p.ownerId ?? null,
          hs_is_closed: p.closed ? "true" : "false",
        },
        archived: false,
        associations: { contacts: p.contactIds, ...(p.companyId ? { companies: [p.companyId] } : {}) },
      };
      objects.deals!.set(o.id, o);
      return o.id;
    },
    /** Deletes a contact (HubSpot archives it: gone from lists, 404 on read). */
    deleteContact(contactId: string) {
      const o = objects.contacts!.get(contactId);
      if (o) o.archived = true;
    },
    /** The next `count` API calls answer 429 (with Retry-After seconds when given). */
    throttleNext(count: number, retryAfterS: number | null = null) {
      forced = { count, retryAfterS };
    },
  };
}

export type HubSpotFake = ReturnType<typeof createHubSpotFake>;
