import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPostgres } from "@/lib/db/postgres";
import { realPostgresAvailable, realPostgresDb } from "@/lib/testing/db";

/**
 * What Supabase's public roles can do with the schema: nothing. PostgREST serves every table and
 * function of `public` to `anon` (the publishable key) and `authenticated` (any signed-in Supabase
 * user), so each one must be denied; only `service_role` (the server's secret key) gets through.
 * Tables and functions are read from the catalogue, so new ones are covered without a test change.
 */
const PUBLIC_ROLES = ["anon", "authenticated"] as const;
const DENIED = "42501"; // insufficient_privilege

type Catalogue = {
  tables: string[];
  functions: Array<{ name: string; call: string }>;
};

describe.runIf(realPostgresAvailable())("PostgreSQL grants and row level security", () => {
  let sql: postgres.Sql;
  let drop: () => Promise<void>;
  let catalogue: Catalogue;

  /** Runs `statement` as `role` in a transaction that is always rolled back; returns the SQLSTATE. */
  async function attempt(role: string, statement: string): Promise<string | null> {
    const rollback = new Error("rollback");
    try {
      await sql.begin(async (tx) => {
        await tx.unsafe(`set local role ${role}`);
        await tx.unsafe(statement);
        throw rollback;
      });
    } catch (error) {
      if (error === rollback) return null;
      return (error as { code?: string }).code ?? "unknown";
    }
    return null;
  }

  beforeAll(async () => {
    const db = await realPostgresDb();
    drop = db.drop;
    await db.close();
    sql = connectPostgres(db.url, { max: 2 });
    const tables = await sql<{ name: string }[]>`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f') order by 1`;
    const functions = await sql<{ name: string; call: string }[]>`
      select p.proname as name,
             format('%I.%I(%s)', n.nspname, p.proname,
               coalesce((select string_agg(format('null::%s', format_type(t, null)), ', ' order by i)
                           from unnest(p.proargtypes::oid[]) with ordinality as a(t, i)), '')) as call
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and p.prokind = 'f' order by 1`;
    catalogue = { tables: tables.map((t) => t.name), functions: [...functions] };
  });
  afterAll(async () => {
    await sql?.end();
    await drop?.();
  });

  it("finds the schema it guards", () => {
    expect(catalogue.tables).toEqual(
      expect.arrayContaining(["organizations", "mailboxes", "messages", "alerts", "jobs", "audit_log"]),
    );
    expect(catalogue.functions.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        "job_enqueue",
        "job_claim",
        "audit_append",
        "mailbox_token_store",
        "health_check",
      ]),
    );
  });

  it.each(PUBLIC_ROLES)("denies %s reading or writing every table", async (role) => {
    const allowed: string[] = [];
    for (const table of catalogue.tables) {
      if ((await attempt(role, `select * from public.${table} limit 1`)) !== DENIED)
        allowed.push(`select ${table}`);
      if ((await attempt(role, `insert into public.${table} default values`)) !== DENIED)
        allowed.push(`insert ${table}`);
      if ((await attempt(role, `delete from public.${table}`)) !== DENIED) allowed.push(`delete ${table}`);
    }
    expect(allowed).toEqual([]);
  });

  it.each(PUBLIC_ROLES)("denies %s executing every function", async (role) => {
    const allowed: string[] = [];
    for (const fn of catalogue.functions) {
      if ((await attempt(role, `select ${fn.call}`)) !== DENIED) allowed.push(fn.name);
    }
    expect(allowed).toEqual([]);
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_proc p
       where p.pronamespace = 'public'::regnamespace and has_function_privilege(${role}, p.oid, 'execute')`;
    expect(row?.n).toBe(0);
  });

  it("lets service_role execute every function, and the data operations work under it", async () => {
    const [row] = await sql<{ names: string[] | null }[]>`
      select array_agg(p.proname order by p.proname) as names from pg_proc p
       where p.pronamespace = 'public'::regnamespace and p.prokind = 'f'
         and not has_function_privilege('service_role', p.oid, 'execute')`;
    expect(row?.names ?? []).toEqual([]);
    expect(await attempt("service_role", "select public.health_check()")).toBeNull();
    expect(
      await attempt(
        "service_role",
        `select public.job_enqueue(p_kind => 'test.grant', p_key => 'grant:1');
         select public.job_claim(p_limit => 1, p_lease_seconds => 30, p_kinds => array['test.grant']);
         select public.audit_append(p_organization_id => null, p_actor => 'system', p_action => 'grant.check')`,
      ),
    ).toBeNull();
  });

  it("keeps the audit log append-only for service_role", async () => {
    await sql`select audit_append(p_organization_id => null, p_actor => 'system', p_action => 'audit.seed')`;
    expect(await attempt("service_role", "select * from public.audit_log")).toBeNull();
    expect(
      await attempt(
        "service_role",
        "insert into public.audit_log (actor, action) values ('system', 'audit.direct')",
      ),
    ).toBeNull();
    expect(await attempt("service_role", "update public.audit_log set actor = 'someone else'")).toBe(DENIED);
    expect(await attempt("service_role", "delete from public.audit_log")).toBe(DENIED);
    expect(await attempt("service_role", "truncate public.audit_log")).toBe(DENIED);
  });

  it("enables row level security on every table", async () => {
    const rows = await sql<{ name: string }[]>`
      select c.relname as name from pg_class c
       where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity`;
    expect(rows.map((r) => r.name)).toEqual([]);
  });

  it("gives the public roles nothing on sequences either", async () => {
    const rows = await sql<{ name: string }[]>`
      select c.relname as name from pg_class c
       where c.relnamespace = 'public'::regnamespace and c.relkind = 'S'
         and (has_sequence_privilege('anon', c.oid, 'usage,select,update')
              or has_sequence_privilege('authenticated', c.oid, 'usage,select,update'))`;
    expect(rows.map((r) => r.name)).toEqual([]);
  });
});
