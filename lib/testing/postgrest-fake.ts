import { HttpResponse, http } from "msw";
import type { Db } from "@/lib/db/port";
import { isAppError } from "@/lib/errors/app-error";

/**
 * An msw emulation of PostgREST's `POST /rest/v1/rpc/:fn`, backed by a real (PGlite) database, so
 * the supabase transport runs the same contract suite as the sql one. It checks the secret key like
 * Supabase's gateway does and answers errors in PostgREST's shape ({code, message, details, hint}).
 */
export function postgrestHandlers(url: string, secretKey: string, db: Db) {
  return [
    http.post(`${url}/rest/v1/rpc/:fn`, async ({ request, params }) => {
      const apikey = request.headers.get("apikey");
      if (apikey !== secretKey) {
        return HttpResponse.json(
          {
            message: "Invalid API key",
            hint: "Double check your Supabase `anon` or `service_role` API key.",
          },
          { status: 401 },
        );
      }
      const args = (await request.json().catch(() => null)) as Record<string, unknown> | null;
      if (!args || typeof args !== "object") {
        return HttpResponse.json(
          { code: "PGRST102", message: "Empty or invalid json", details: null, hint: null },
          { status: 400 },
        );
      }
      try {
        const result = await db.rpc(String(params.fn), args);
        return HttpResponse.json(result as never);
      } catch (error) {
        if (isAppError(error)) {
          const pgCode = typeof error.details?.pgCode === "string" ? error.details.pgCode : "";
          const code = error.code === "unknown_rpc" ? "PGRST202" : pgCode || "P0001";
          return HttpResponse.json(
            { code, message: error.message, details: null, hint: null },
            { status: error.status },
          );
        }
        throw error;
      }
    }),
  ];
}
