// POST /api/auth/local — "Continuer en mode local": signs in the one local user. Local mode only
// (development with no OAuth configured); everywhere else this route does not exist.
import { localSignIn } from "@/app/_lib/local-sign-in";
import { db } from "@/lib/db/client";
import { isLocalMode } from "@/lib/env";
import { withRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const POST = withRoute("auth:local", async (req) => {
  if (!isLocalMode) return new Response("Not found", { status: 404 });
  return localSignIn(await db(), req);
});
