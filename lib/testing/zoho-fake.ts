import { HttpResponse, http } from "msw";
import { FakeZohoOAuth, ZOHO_DCS, type ZohoDc } from "@/lib/testing/zoho-fake-oauth";

/*
 * msw fake of Zoho CRM v8 for what we call, in every data centre of zoho-fake-oauth.ts: org,
 * users, Contacts and Deals lists, Notes and Tasks created. What Zoho enforces, and where it says so:
 * - `Authorization: Zoho-oauthtoken`, 401 INVALID_TOKEN for an expired or foreign token, 401
 *   OAUTH_SCOPE_MISMATCH without the scope of the call (each API page's "Scope"; "Status codes");
 * - records lists: `fields` mandatory (REQUIRED_PARAM_MISSING), per_page at most 200, `page`
 *   beyond 2,000 records refused (DISCRETE_PAGINATION_LIMIT_EXCEEDED: use page_token), 204 when
 *   empty ("Get Records");
 * - one API credit per call against the organization's 24-hour budget ("API limits"), and 429
 *   TOO_MANY_REQUESTS when it is spent or a burst is forced;
 * - Notes: Note_Content mandatory, Parent_Id {module: {api_name}, id} of an existing record
 *   ("Create Notes"); Tasks: Subject mandatory, Status/Priority picklists, Due_Date yyyy-MM-dd,
 *   What_Id with $se_module, Who_Id a contact ("Tasks" module fields); at most 100 records a call
 *   ("Insert Records"); INVALID_DATA / MANDATORY_NOT_FOUND per record with HTTP 400.
 */

export const ZOHO_CLIENT_ID = "1000.FAKEZOHOCLIENTID";
export const ZOHO_CLIENT_SECRET = "fake-zoho-client-secret";

type Rec = Record<string, unknown> & { id: string };
export type ZohoCreated = { module: "Notes" | "Tasks"; dc: ZohoDc; record: Record<string, unknown> };
export type ZohoRequest = { method: string; url: string; body: string };

const SCOPE: Record<string, string> = {
  org: "ZohoCRM.org.READ",
  users: "ZohoCRM.users.READ",
  Contacts: "ZohoCRM.modules.contacts.READ",
  Deals: "ZohoCRM.modules.deals.READ",
  Notes: "ZohoCRM.modules.notes.CREATE",
  Tasks: "ZohoCRM.modules.tasks.CREATE",
};
const TASK_STATUS = ["Not Started", "Deferred", "In Progress", "Completed", "Waiting for input"];
const TASK_PRIORITY = ["High", "Highest", "Low", "Lowest", "Normal"];

const zohoError = (status: number, code: string, message: string, details: Record<string, unknown> = {}) =>
  HttpResponse.json({ code, details, message, status: "error" }, { status });
const recordError = (code: string, message: string, details: Record<string, unknown>) =>
  HttpResponse.json({ data: [{ code, details, message, status: "error" }] }, { status: 400 });

export function createZohoFake(opts: { now?: () => number; dc?: ZohoDc } = {}) {
  const now = opts.now ?? Date.now;
  const home: ZohoDc = opts.dc ?? "eu";
  const oauth = new FakeZohoOAuth({ clientId: ZOHO_CLIENT_ID, clientSecret: ZOHO_CLIENT_SECRET, now });
  const modules: Record<"Contacts" | "Deals", Map<string, Rec>> = { Contacts: new Map(), Deals: new Map() };
  const users = new Map<string, { id: string; full_name: string }>();
  const created: ZohoCreated[] = [];
  const requests: ZohoRequest[] = [];
  let nextId = 5_725_767_000_000_100n;
  let credits = 50_000;
  let forced: { count: number; retryAfterS: number | null } | null = null;
  const id = () => String(++nextId);

  async function guard(dc: ZohoDc, request: Request, scope: string) {
    requests.push({ method: request.method, url: request.url, body: await request.clone().text() });
    const grant = oauth.bearer(dc, request.headers.get("authorization"));
    if (grant === "invalid") return zohoError(401, "INVALID_TOKEN", "invalid oauth token");
    if (!grant.scopes.includes(scope) && !grant.scopes.includes("ZohoCRM.modules.ALL"))
      return zohoError(401, "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL");
    if (forced && forced.count > 0) {
      forced.count--;
      const res = zohoError(429, "TOO_MANY_REQUESTS", "too many requests");
      if (forced.retryAfterS !== null) res.headers.set("Retry-After", String(forced.retryAfterS));
      return res;
    }
    if (credits <= 0) return zohoError(429, "TOO_MANY_REQUESTS", "API credits for the day are exhausted");
    credits--;
    // A grant only reaches the data of its own data centre's organization.
    return dc === home ? null : zohoError(401, "INVALID_TOKEN", "invalid oauth token");
  }

  const list = (dc: ZohoDc, module: "Contacts" | "Deals") =>
    http.get(`${ZOHO_DCS[dc].api}/crm/v8/${module}`, async ({ request }) => {
      const refusal = await guard(dc, request, SCOPE[module]!);
      if (refusal) return refusal;
      const q = new URL(request.url).searchParams;
      const fields = (q.get("fields") ?? "").split(",").filter(Boolean);
      if (fields.length === 0)
        return zohoError(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", {
          param: "fields",
        });
      const perPage = Number(q.get("per_page") ?? "200");
      if (!Number.isInteger(perPage) || perPage < 1 || perPage > 200)
        return zohoError(400, "INVALID_DATA", "per_page must be between 1 and 200", { param: "per_page" });
      const all = [...modules[module].values()];
      const token = q.get("page_token");
      const page = Number(q.get("page") ?? "1");
      if (!token && page * perPage > 2000)
        return zohoError(400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED", "use page_token beyond 2000 records");
      const start = token ? Number(Buffer.from(token, "base64url").toString()) : (page - 1) * perPage;
      const slice = all.slice(start, start + perPage);
      if (slice.length === 0) return new HttpResponse(null, { status: 204 });
      const more = start + perPage < all.length;
      return HttpResponse.json({
        data: slice.map((r) => Object.fromEntries([["id", r.id], ...fields.map((f) => [f, r[f] ?? null])])),
        info: {
          per_page: perPage,
          count: slice.length,
          page: token ? null : page,
          more_records: more,
          ...(more
            ? { next_page_token: Buffer.from(String(start + perPage)).toString("base64url") }
            : { next_page_token: null }),
        },
      });
    });

  const insert = (dc: ZohoDc, module: "Notes" | "Tasks") =>
    http.post(`${ZOHO_DCS[dc].api}/crm/v8/${module}`, async ({ request }) => {
      const refusal = await guard(dc, request, SCOPE[module]!);
      if (refusal) return refusal;
      const body = (await request.json()) as { data?: Array<Record<string, unknown>> };
      const data = body.data ?? [];
      if (data.length < 1 || data.length > 100)
        return zohoError(400, "INVALID_DATA", "1 to 100 records a call");
      const r = data[0]!;
      if (module === "Notes") {
        if (typeof r.Note_Content !== "string" || !r.Note_Content)
          return recordError("MANDATORY_NOT_FOUND", "required field not found", { api_name: "Note_Content" });
        const parent = r.Parent_Id as { module?: { api_name?: string }; id?: string } | undefined;
        const parentModule = parent?.module?.api_name;
        if (parentModule !== "Contacts" && parentModule !== "Deals")
          return recordError("INVALID_DATA", "invalid data", { api_name: "Parent_Id" });
        if (!modules[parentModule].has(parent?.id ?? ""))
          return recordError("INVALID_DATA", "the related id given seems to be invalid", {
            api_name: "Parent_Id",
          });
      } else {
        if (typeof r.Subject !== "string" || !r.Subject)
          return recordError("MANDATORY_NOT_FOUND", "required field not found", { api_name: "Subject" });
        if (r.Status !== undefined && !TASK_STATUS.includes(String(r.Status)))
          return recordError("INVALID_DATA", "invalid data", { api_name: "Status" });
        if (r.Priority !== undefined && !TASK_PRIORITY.includes(String(r.Priority)))
          return recordError("INVALID_DATA", "invalid data", { api_name: "Priority" });
        if (r.Due_Date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(r.Due_Date)))
          return recordError("INVALID_DATA", "invalid data", {
            api_name: "Due_Date",
            expected_data_type: "date",
          });
        if (r.Owner !== undefined && !users.has((r.Owner as { id?: string }).id ?? ""))
          return recordError("INVALID_DATA", "invalid data", { api_name: "Owner" });
        const who = (r.Who_Id as { id?: string } | undefined)?.id;
        if (who !== undefined && !modules.Contacts.has(who))
          return recordError("INVALID_DATA", "the related id given seems to be invalid", {
            api_name: "Who_Id",
          });
        const what = (r.What_Id as { id?: string } | undefined)?.id;
        if (what !== undefined && (r.$se_module !== "Deals" || !modules.Deals.has(what)))
          return recordError("INVALID_DATA", "the related id given seems to be invalid", {
            api_name: "What_Id",
          });
      }
      const newId = id();
      created.push({ module, dc, record: { ...r, id: newId } });
      const at = new Date(now()).toISOString();
      return HttpResponse.json(
        {
          data: [
            {
              code: "SUCCESS",
              details: {
                Modified_Time: at,
                Created_Time: at,
                id: newId,
                Created_By: { id: "1", name: "Admin" },
              },
              message: "record added",
              status: "success",
            },
          ],
        },
        { status: 201 },
      );
    });

  const handlers = (Object.keys(ZOHO_DCS) as ZohoDc[]).flatMap((dc) => [
    http.post(`${ZOHO_DCS[dc].accounts}/oauth/v2/token`, async ({ request }) => {
      const r = oauth.token(dc, new URLSearchParams(await request.text()));
      return HttpResponse.json(r.body, { status: r.status });
    }),
    http.post(`${ZOHO_DCS[dc].accounts}/oauth/v2/token/revoke`, ({ request }) => {
      const r = oauth.revoke(dc, new URL(request.url).searchParams.get("token"));
      return HttpResponse.json(r.body, { status: r.status });
    }),
    http.get(`${ZOHO_DCS[dc].api}/crm/v8/org`, async ({ request }) => {
      const refusal = await guard(dc, request, SCOPE.org!);
      if (refusal) return refusal;
      return HttpResponse.json({
        org: [
          {
            id: "20071234567",
            company_name: "Sahel Négoce",
            domain_name: "org20071234567",
            currency: "XOF",
            country_code: "CI",
          },
        ],
      });
    }),
    http.get(`${ZOHO_DCS[dc].api}/crm/v8/users`, async ({ request }) => {
      const refusal = await guard(dc, request, SCOPE.users!);
      if (refusal) return refusal;
      const q = new URL(request.url).searchParams;
      const perPage = Number(q.get("per_page") ?? "200");
      const page = Number(q.get("page") ?? "1");
      if (perPage > 200) return zohoError(400, "INVALID_DATA", "per_page must be at most 200");
      const all = [...users.values()];
      const slice = all.slice((page - 1) * perPage, page * perPage);
      if (slice.length === 0) return new HttpResponse(null, { status: 204 });
      return HttpResponse.json({
        users: slice.map((u) => ({ ...u, status: "active", email: `${u.id}@vendeur.example` })),
        info: { per_page: perPage, count: slice.length, page, more_records: page * perPage < all.length },
      });
    }),
    list(dc, "Contacts"),
    list(dc, "Deals"),
    insert(dc, "Notes"),
    insert(dc, "Tasks"),
  ]);

  return {
    handlers,
    oauth,
    created,
    requests,
    get credits() {
      return credits;
    },
    setCredits(n: number) {
      credits = n;
    },
    addUser(fullName: string) {
      const u = { id: id(), full_name: fullName };
      users.set(u.id, u);
      return u.id;
    },
    addContact(p: {
      email: string;
      secondary?: string;
      ownerId?: string;
      account?: { id: string; name: string };
    }) {
      const r: Rec = {
        id: id(),
        Email: p.email,
        Secondary_Email: p.secondary ?? null,
        Owner: p.ownerId ? { id: p.ownerId, name: users.get(p.ownerId)?.full_name ?? null } : null,
        Account_Name: p.account ?? null,
        First_Name: "Confidentiel",
        Phone: "+225 07 00 00 00",
      };
      modules.Contacts.set(r.id, r);
      return r.id;
    },
    addDeal(p: {
      name: string;
      amount: number;
      stage?: string;
      contactId: string;
      account?: { id: string; name: string };
      ownerId?: string;
    }) {
      const r: Rec = {
        id: id(),
        Deal_Name: p.name,
        Amount: p.amount,
        Stage: p.stage ?? "Negotiation/Review",
        Closing_Date: "2027-01-31",
        Owner: p.ownerId ? { id: p.ownerId, name: users.get(p.ownerId)?.full_name ?? null } : null,
        Account_Name: p.account ?? null,
        Contact_Name: { id: p.contactId, name: "Confidentiel" },
      };
      modules.Deals.set(r.id, r);
      return r.id;
    },
    deleteContact(contactId: string) {
      modules.Contacts.delete(contactId);
    },
    throttleNext(count: number, retryAfterS: number | null = null) {
      forced = { count, retryAfterS };
    },
  };
}

export type ZohoFake = ReturnType<typeof createZohoFake>;
