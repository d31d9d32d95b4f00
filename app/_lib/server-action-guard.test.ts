import { describe, expect, it } from "vitest";
import { refuseServerAction } from "@/app/_lib/server-action-guard";

const origin = "https://app.fluxasync.test";
const action = (headers: Record<string, string>, body?: BodyInit) =>
  new Request(`${origin}/settings`, {
    method: "POST",
    headers: { host: "app.fluxasync.test", ...headers },
    body,
  });

const form = () => {
  const f = new FormData();
  f.set("$ACTION_ID_abc", "");
  f.set("name", "Mon organisation");
  return f;
};

describe("server actions refused before Next.js would answer 500", () => {
  it("lets our own forms and fetch actions through", async () => {
    expect(await refuseServerAction(action({ origin }, form()))).toBeNull();
    const fetched = action(
      { origin, "next-action": "abc", "content-type": "text/plain;charset=UTF-8" },
      "[]",
    );
    expect(await refuseServerAction(fetched)).toBeNull();
    expect(await refuseServerAction(new Request(`${origin}/settings`))).toBeNull();
  });

  it("refuses a form posted from another site with a 403 page in the visitor's language", async () => {
    const res = await refuseServerAction(
      action({ origin: "https://evil.example", cookie: "locale=en" }, form()),
    );
    expect(res?.status).toBe(403);
    expect(res?.headers.get("content-type")).toContain("text/html");
    expect(await res?.text()).toContain("This form was not sent from FluxAsync: nothing was changed.");
    const fetched = await refuseServerAction(
      action({ origin: "https://evil.example", "next-action": "abc" }, "[]"),
    );
    expect(fetched?.status).toBe(403);
    expect(await fetched?.text()).toContain("Requête refusée.");
  });

  it("refuses a body React could never have sent with a 400", async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ "content-type": "text/plain;charset=UTF-8", "next-action": "abc" }, "{{{garbage"],
      [{ "content-type": "multipart/form-data; boundary=xyz" }, "--xyz\r\nnot a part"],
      [{ "content-type": "application/json" }, "{}"],
    ];
    for (const [headers, body] of cases) {
      const res = await refuseServerAction(action({ origin, ...headers }, body));
      expect(res?.status, JSON.stringify(headers)).toBe(400);
      expect(await res?.text()).toContain("mal formé");
    }
  });
});
