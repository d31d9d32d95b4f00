import { assertFunctionName, mapDbError } from "@/lib/db/port";
import { AppError } from "@/lib/errors/app-error";

export type Row = Record<string, unknown>;

/** The smallest surface both SQL drivers (PGlite, postgres.js) offer. */
export interface SqlExecutor {
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

type Signatures = Map<string, Map<string, string>>;

const SIGNATURES_SQL = `
  select p.proname as name, coalesce(p.proargnames, '{}'::text[]) as arg_names,
         array(select format_type(t, null) from unnest(p.proargtypes::oid[]) with ordinality as a(t, i) order by i) as arg_types
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
   where n.nspname = 'public'`;

/** Postgres text form of a value for a parameter of the given type (sent as text, cast in SQL). */
function serialize(value: unknown, type: string): string | null {
  if (value === null || value === undefined) return null;
  if (type === "jsonb" || type === "json") return JSON.stringify(value);
  if (type.endsWith("[]")) {
    if (!Array.isArray(value)) throw new AppError("invalid_rpc_arg", `Expected an array for ${type}`);
    const items = value.map((v) =>
      v === null ? "NULL" : `"${String(v instanceof Date ? v.toISOString() : v).replace(/[\\"]/g, "\\$&")}"`,
    );
    return `{${items.join(",")}}`;
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * rpc() over SQL: `select fn(p_a => $1::text::type, …)`, with parameter types read once from pg_proc so
 * callers pass plain JS values by name, exactly as they would to PostgREST. No prepared statements
 * are used, which Supavisor's transaction mode requires.
 */
export function sqlRpc(executor: SqlExecutor) {
  let signatures: Promise<Signatures> | null = null;

  async function load(): Promise<Signatures> {
    const rows = await executor.query(SIGNATURES_SQL);
    const map: Signatures = new Map();
    for (const row of rows) {
      const names = row.arg_names as string[];
      const types = row.arg_types as string[];
      map.set(row.name as string, new Map(types.map((t, i) => [names[i] ?? `$${i + 1}`, t])));
    }
    return map;
  }

  return async function rpc(name: string, args: Record<string, unknown> = {}): Promise<unknown> {
    assertFunctionName(name);
    signatures ??= load().catch((e: unknown) => {
      signatures = null;
      throw e;
    });
    let params = (await signatures).get(name);
    if (!params) {
      // A migration may have been applied since the cache was filled.
      signatures = load();
      params = (await signatures).get(name);
      if (!params) throw new AppError("unknown_rpc", `Unknown database function ${name}`);
    }
    const parts: string[] = [];
    const values: unknown[] = [];
    for (const [key, value] of Object.entries(args)) {
      if (value === undefined) continue;
      const type = params.get(key);
      if (!type) throw new AppError("invalid_rpc_arg", `${name} has no parameter ${key}`);
      values.push(serialize(value, type));
      // Declared text so drivers pass the string through as is (postgres.js would otherwise
      // JSON-encode it again for a jsonb parameter); Postgres then casts it to the real type.
      parts.push(`${key} => $${values.length}::text::${type}`);
    }
    try {
      const rows = await executor.query(`select ${name}(${parts.join(", ")}) as result`, values);
      return rows[0]?.result ?? null;
    } catch (error) {
      throw mapDbError(error as { code?: string; message?: string }, name);
    }
  };
}
