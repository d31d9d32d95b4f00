// GET /api/corrections — the signed-in organization's corrections as JSONL, for
// `npm run eval -- --corrections FILE`: metadata and signals only (the bodies were never kept).
import { db } from "@/lib/db/client";
import { listCorrections } from "@/lib/db/messages";
import { json, withRoute } from "@/lib/http/route";
import { sessionFromRequest } from "@/lib/http/session";
import { correctionLineSchema } from "@/lib/samples/correction-export";

export const dynamic = "force-dynamic";

/** The kept list headers, as placeholders: the values (unsubscribe links) were never stored. */
function headersOf(bulk: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const reason of bulk) {
    if (reason === "list-unsubscribe") out["list-unsubscribe"] = "<kept>";
    else if (reason === "list-id") out["list-id"] = "<kept>";
    else if (reason === "precedence") out.precedence = "bulk";
  }
  return out;
}

export const GET = withRoute("corrections", async (req) => {
  const user = await sessionFromRequest(req);
  if (!user) return json({ error: "unauthorized" }, { status: 401 });
  const rows = await listCorrections(await db(), user.organizationId);
  const lines = rows.map((r) =>
    JSON.stringify(
      correctionLineSchema.parse({
        ...r,
        headers: headersOf(r.signals.bulk),
        analyzer: r.analyzer ?? "unknown",
      }),
    ),
  );
  return new Response(lines.length ? `${lines.join("\n")}\n` : "", {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": 'attachment; filename="fluxasync-corrections.jsonl"',
      "cache-control": "no-store",
    },
  });
});
