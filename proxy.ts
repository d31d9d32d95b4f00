// Runs before every page request (not the API routes, which check their own callers): a POST to a
// page is a server action, refused with a readable 403/400 when Next.js would answer 500.
import { type NextRequest, NextResponse } from "next/server";
import { refuseServerAction } from "@/app/_lib/server-action-guard";

export async function proxy(req: NextRequest) {
  return (await refuseServerAction(req)) ?? NextResponse.next();
}

export const config = {
  matcher: ["/((?!api/|_next/|favicon.ico|icon.svg).*)"],
};
