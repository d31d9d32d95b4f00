import { z } from "zod";
import { sessionUserSchema } from "@/lib/db/accounts";
import { call, type Db, isoDate } from "@/lib/db/port";

/** Sessions (supabase/migrations/20261204100100_organizations_users_sessions.sql): the cookie's id, checked on every request. */
const startedSchema = z.object({ sessionId: z.string(), expiresAt: isoDate });

export const startSession = (db: Db, p: { userId: string; organizationId: string; days: number }) =>
  call(
    db,
    "session_start",
    { p_user_id: p.userId, p_organization_id: p.organizationId, p_days: p.days },
    startedSchema,
  );

export const resolvedSessionSchema = sessionUserSchema.extend({
  sessionId: z.string(),
  /** Old enough to be replaced by a new id where the response can set a cookie. */
  rotateDue: z.boolean(),
});
export type ResolvedSession = z.infer<typeof resolvedSessionSchema>;

export const resolveSession = (db: Db, sessionId: string, rotateAfterSeconds: number) =>
  call(
    db,
    "session_resolve",
    { p_session_id: sessionId, p_rotate_after_seconds: rotateAfterSeconds },
    resolvedSessionSchema.nullable(),
  );

export const rotateSession = (db: Db, sessionId: string, days: number) =>
  call(db, "session_rotate", { p_session_id: sessionId, p_days: days }, startedSchema);

/** Logout (this session and what rotation made of it), or every session of the user. */
export const revokeSession = (db: Db, sessionId: string, everywhere = false) =>
  call(
    db,
    "session_revoke",
    { p_session_id: sessionId, p_everywhere: everywhere },
    z.object({ revoked: z.number() }),
  );

/** A new sign-in in a browser that held a session: the old one ends. */
export const replaceSession = (db: Db, sessionId: string) =>
  call(db, "session_replace", { p_session_id: sessionId }, z.object({ revoked: z.number() }));
