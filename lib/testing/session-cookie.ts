import type { Db } from "@/lib/db/port";
import { openSession } from "@/lib/http/session";

/** A `cookie` header value signing `account` in through a real session row, as sign-in would. */
export async function sessionCookieHeader(db: Db, account: { userId: string; organizationId: string }) {
  const cookie = await openSession(db, account, null);
  return `${cookie.name}=${cookie.value}`;
}
