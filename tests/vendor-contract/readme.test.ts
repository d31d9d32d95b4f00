import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GOOGLE_SCOPES } from "@/lib/mail/gmail/google-endpoints";
import { MICROSOFT_SCOPES } from "@/lib/mail/outlook/oauth";
import { OUTLOOK_SEND_SCOPE } from "@/lib/mail/reply-scopes";

/** The set-up the README asks an operator to do names exactly the scopes the code requests. */
const readme = readFileSync(path.join(process.cwd(), "README.md"), "utf8");
const short = (scope: string) => scope.replace(/^https:\/\/graph\.microsoft\.com\//, "");
const ticked = (line: string) => [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe("README set-up", () => {
  it("lists the Azure delegated permissions the app requests, and the admin-consent URL asks for the same Graph ones", () => {
    const line = readme.split("\n").find((l) => l.includes("_API permissions_ (Microsoft Graph")) ?? "";
    const listed = ticked(line.slice(line.indexOf("):")).split(". ")[0] ?? "");
    expect(listed.sort()).toEqual(MICROSOFT_SCOPES.map(short).sort());
    const consent = /adminconsent\?client_id=[^&]+&scope=([^&`]+)/.exec(readme)?.[1] ?? "";
    const graph = MICROSOFT_SCOPES.filter((s) => s.startsWith("https://graph.microsoft.com/"));
    expect(consent.split(" ").sort()).toEqual([...graph].sort());
  });

  it("documents Mail.Send as asked only when replies are enabled, and no extra Google scope", () => {
    const line = readme.split("\n").find((l) => l.includes("**`Mail.Send`**")) ?? "";
    expect(line).toContain("incremental consent");
    expect(short(OUTLOOK_SEND_SCOPE)).toBe("Mail.Send");
    expect(readme).toContain(
      "Replies from WhatsApp need no other Google scope: `users.messages.send` accepts `gmail.modify`",
    );
  });

  it("lists the Google consent-screen scopes the app requests", () => {
    const line = readme.split("\n").find((l) => l.includes("_OAuth consent screen_")) ?? "";
    expect(
      ticked(line)
        .filter((t) => GOOGLE_SCOPES.includes(t as never) || /auth\/|^openid|^email|^profile/.test(t))
        .sort(),
    ).toEqual([...GOOGLE_SCOPES].sort());
  });
});
