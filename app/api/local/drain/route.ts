// POST /api/local/drain — local mode only, from this machine: the dashboard's live refresh runs the
// crons of vercel.json that are due (escalations, reminders, digests, polls, renewals), then the due
// jobs briefly, standing in for Vercel Cron with no secret in the browser (app/_lib/local-drain.ts).
import { localDrain } from "@/app/_lib/local-drain";
import { isLocalMode } from "@/lib/env";
import { withRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const POST = withRoute("local:drain", localDrain(isLocalMode));
