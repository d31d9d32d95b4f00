import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { isErrorCode } from "@/lib/errors/codes";

export type Transport = "pglite" | "sql" | "supabase";

/**
 * The data port. Every data operation is a Postgres function (supabase/migrations); the app calls
 * them by name with named p_* arguments and gets their jsonb result back, identical on every transport.
 */
export interface Db {
  readonly transport: Transport;
  rpc(name: string, args?: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

const FUNCTION_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertFunctionName(name: string): void {
  if (!FUNCTION_NAME.test(name)) throw new AppError("invalid_rpc", `Invalid database function name: ${name}`);
}

/** Calls a function and parses its result: the one way typed query functions read the database. */
export async function call<S extends z.ZodType>(
  db: Db,
  name: string,
  args: Record<string, unknown>,
  schema: S,
): Promise<z.infer<S>> {
  const result = await db.rpc(name, args);
  const parsed = schema.safeParse(result);
  if (!parsed.success) {
    throw new AppError("db_contract", `Unexpected result from ${name}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/**
 * Maps a Postgres error to an AppError. Functions raise SQLSTATE PTxxx for errors meant for the
 * caller (PostgREST answers HTTP xxx for those, so both transports agree); unique violations are 409.
 */
export function mapDbError(error: { code?: string; message?: string }, fn: string): Error {
  const code = error.code ?? "";
  const message = error.message ?? "database error";
  const details = { pgCode: code };
  const raised = `db_${code.slice(2)}`;
  if (/^PT[1-5]\d\d$/.test(code) && isErrorCode(raised)) return new AppError(raised, message, details);
  if (code === "23505") return new AppError("conflict", `Already exists (${fn}).`, details);
  if (code === "23503")
    return new AppError("not_found", `A referenced record does not exist (${fn}).`, details);
  if (code === "23514" || code === "22P02" || code === "22023" || code === "22007") {
    return new AppError("invalid", `Rejected by the database (${fn}): ${message}`, details);
  }
  if (code === "PGRST202" || code === "42883")
    return new AppError("unknown_rpc", `Unknown database function ${fn}`, details);
  return new AppError("db_error", `Database call ${fn} failed: ${message}`, details);
}

// Shared zod helpers for database results.
export const isoDate = z.string().transform((s) => new Date(s));
export const nullableIsoDate = z
  .string()
  .nullable()
  .transform((s) => (s === null ? null : new Date(s)));
