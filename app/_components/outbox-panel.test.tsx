import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { OutboxPanel } from "@/app/_components/outbox-panel";
import type { Viewer } from "@/app/_lib/viewer";
import type { Recipient } from "@/lib/db/schemas";
import { translator } from "@/lib/i18n/catalogue";

const viewer: Viewer = {
  user: null,
  locale: "fr",
  timeZone: "Africa/Abidjan",
  t: translator("fr", "web", "Africa/Abidjan"),
};

let n = 0;
function recipient(
  name: string,
  status: Recipient["status"],
  channel: Recipient["channel"] = "whatsapp",
): Recipient {
  n += 1;
  const address =
    channel === "whatsapp"
      ? `+22507071234${String(n).padStart(2, "0")}`
      : `${name.toLowerCase()}@entreprise.ci`;
  return {
    id: `00000000-0000-4000-8000-0000000000${String(n).padStart(2, "0")}`,
    organizationId: "o1",
    name,
    channel,
    address,
    phone: channel === "whatsapp" ? address : null,
    role: "member",
    escalationTarget: false,
    status,
    optedInAt: null,
    optedOutAt: null,
    lastInboundAt: null,
    minPriority: "important",
    categories: null,
    quietStartMinute: null,
    quietEndMinute: null,
    criticalBypassesQuiet: true,
    timezone: "Africa/Abidjan",
    locale: "fr",
    escalationDelayMinutes: 30,
    digestEnabled: false,
    digestHour: 18,
    lastDigestOn: null,
    createdAt: new Date(),
  };
}

function phoneOptions(recipients: Recipient[]) {
  const html = renderToStaticMarkup(
    <OutboxPanel
      viewer={viewer}
      alerts={[]}
      next={null}
      paged={false}
      conversations={[]}
      recipientId={null}
      recipients={recipients}
      hrefFor={() => "/dashboard"}
      here="/dashboard"
    />,
  );
  return [...html.matchAll(/<option[^>]*data-status="([a-z_]+)"[^>]*>([^<]*)<\/option>/g)].map((m) => [
    m[1],
    m[2],
  ]);
}

describe("OutboxPanel's simulated phone", () => {
  it("keeps a recipient who sent STOP, marked as stopped, so START can be sent from the phone", () => {
    const options = phoneOptions([recipient("Awa", "opted_in"), recipient("Koffi", "opted_out")]);
    expect(options).toHaveLength(2);
    expect(options[0]).toEqual(["opted_in", expect.stringMatching(/^Awa \(\+225/)]);
    expect(options[1]?.[0]).toBe("opted_out");
    expect(options[1]?.[1]).toMatch(/^Koffi \(\+225.*\) · arrêté par STOP : envoyez START pour reprendre$/);
  });

  it("offers no phone for a recipient still to confirm, unreachable, or reached by e-mail", () => {
    const options = phoneOptions([
      recipient("Awa", "pending"),
      recipient("Koffi", "undeliverable"),
      recipient("Fatou", "opted_in", "email"),
    ]);
    expect(options).toEqual([]);
  });
});
