import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Migration, readMigrations } from "@/lib/db/migrate";
import { migratePglite, openPglite } from "@/lib/db/pglite";
import { connectPostgres, migratePostgres } from "@/lib/db/postgres";
import { env } from "@/lib/env";
import { realPostgresAvailable } from "@/lib/testing/db";

const m = (name: string, sql: string): Migration => ({ name, sql, checksum: `sum-of-${sql}` });
const first = m("20260101000000_first.sql", "create table t_first (id int primary key);");
const second = m("20260101000100_second.sql", "create table t_second (id int primary key);");
const broken = m("20260101000200_broken.sql", "create table t_third (id int); select no_such_function();");

type Target = {
  migrate(migrations: Migration[]): Promise<string[]>;
  query(sql: string): Promise<Array<Record<string, unknown>>>;
};

/** The same migrator rules, on every kind of database it runs against. */
function migratorContract(open: () => Promise<Target & { close(): Promise<void> }>) {
  let t: Target & { close(): Promise<void> };
  beforeAll(async () => {
    t = await open();
  });
  afterAll(() => t?.close());

  const tables = async () =>
    (
      await t.query(
        "select table_name as name from information_schema.tables where table_schema = 'public' and table_name like 't\\_%' order by 1",
      )
    ).map((r) => r.name);

  it("applies each migration once and records it", async () => {
    expect(await t.migrate([first])).toEqual([first.name]);
    expect(await t.migrate([first, second])).toEqual([second.name]);
    expect(await t.migrate([first, second])).toEqual([]);
    expect(await tables()).toEqual(["t_first", "t_second"]);
    const recorded = await t.query("select name, checksum from app_migrations order by name");
    expect(recorded).toEqual([
      { name: first.name, checksum: first.checksum },
      { name: second.name, checksum: second.checksum },
    ]);
  });

  it("refuses a migration whose file changed after it was applied, applying nothing", async () => {
    const edited = { ...first, sql: `${first.sql} -- edited`, checksum: "another" };
    const later = m("20260101000300_later.sql", "create table t_later (id int);");
    await expect(t.migrate([edited, second, later])).rejects.toThrow(
      `Migration ${first.name} changed after it was applied: add a new migration instead.`,
    );
    expect(await tables()).not.toContain("t_later");
  });

  it("refuses a database that records a migration it has no file for, applying nothing", async () => {
    // A database migrated before the squash into per-domain files (a local-mode data folder, a
    // test database): the new files must not be applied on top of the old history.
    const squashed = m("20260101000050_squashed.sql", "create table t_squashed (id int);");
    const attempt = t.migrate([squashed]);
    await expect(attempt).rejects.toThrow(
      `This database was migrated by another migration history: it records ${first.name}, ${second.name}, which supabase/migrations does not have`,
    );
    await expect(t.migrate([squashed])).rejects.toThrow("rm -rf .data/pglite");
    await expect(t.migrate([second, squashed])).rejects.toThrow(/records 20260101000000_first\.sql,/);
    expect(await tables()).not.toContain("t_squashed");
    expect((await t.query("select name from app_migrations")).map((r) => r.name)).not.toContain(
      squashed.name,
    );
  });

  it("rolls back every migration of a run when one fails", async () => {
    const fine = m("20260101000150_fine.sql", "create table t_fine (id int);");
    await expect(t.migrate([first, second, fine, broken])).rejects.toThrow(/no_such_function/);
    expect(await tables()).toEqual(["t_first", "t_second"]);
    expect((await t.query("select name from app_migrations")).map((r) => r.name)).not.toContain(fine.name);
  });
}

describe("migrator on PGlite", () => {
  migratorContract(async () => {
    const pg = new PGlite();
    await pg.waitReady;
    return {
      migrate: (ms) => migratePglite(pg, ms),
      query: async (q) => (await pg.query<Record<string, unknown>>(q)).rows,
      close: () => pg.close(),
    };
  });

  it("applies the project's migrations to an empty database, then nothing on a second run", async () => {
    const pg = new PGlite();
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThanOrEqual(4);
    expect(await migratePglite(pg, migrations)).toEqual(migrations.map((x) => x.name));
    expect(await migratePglite(pg, migrations)).toEqual([]);
    await pg.close();
    // Every migration in WebAssembly Postgres: seconds on a quiet machine, half a minute or more
    // on a loaded one; the test is about what gets applied, not how fast.
  }, 180_000);
});

describe("a local-mode database from before the squash", () => {
  it("stops opening with what to do, and applies none of the per-domain files", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "fluxasync-old-"));
    try {
      const old = new PGlite(dir);
      await old.exec(`
        create table app_migrations (name text primary key, checksum text not null, applied_at timestamptz not null default now());
        insert into app_migrations (name, checksum) values ('20261123190000_schema.sql', 'old'), ('20261123190100_jobs_audit.sql', 'old');
        create table organizations (id uuid primary key);`);
      await old.close();
      await expect(openPglite(dir)).rejects.toThrow(
        /records 20261123190000_schema\.sql, 20261123190100_jobs_audit\.sql, which supabase\/migrations does not have[\s\S]*Nothing was applied\. Local mode: delete the embedded database/,
      );
      const after = new PGlite(dir);
      const { rows } = await after.query<{ n: number }>("select count(*)::int as n from app_migrations");
      const jobs = await after.query("select 1 from pg_class where relname = 'jobs'");
      await after.close();
      expect(rows[0]!.n).toBe(2);
      expect(jobs.rows).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("readMigrations", () => {
  it("reads timestamped files in order, ignoring anything else", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "fluxasync-mig-"));
    try {
      writeFileSync(path.join(dir, "20260102000000_b.sql"), "select 2;");
      writeFileSync(path.join(dir, "20260101000000_a.sql"), "select 1;");
      writeFileSync(path.join(dir, "README.md"), "notes");
      writeFileSync(path.join(dir, "seed.sql"), "select 3;");
      const read = await readMigrations(dir);
      expect(read.map((x) => x.name)).toEqual(["20260101000000_a.sql", "20260102000000_b.sql"]);
      expect(read[0]).toMatchObject({ sql: "select 1;" });
      expect(read[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(read[0]!.checksum).not.toBe(read[1]!.checksum);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Runs `npm run db:migrate` as a newcomer would, with only the given variables. */
function dbMigrate(vars: Record<string, string>) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "fluxasync-cli-"));
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/db-migrate.ts"], {
    env: { PATH: process.env.PATH, NODE_ENV: "test", DATA_DIR: dataDir, ...vars },
    encoding: "utf8",
    timeout: 80_000,
  });
  rmSync(dataDir, { recursive: true, force: true });
  return result;
}

describe("npm run db:migrate", () => {
  it("stops with a clear message and a failure code when DATABASE_URL is missing", () => {
    const result = dbMigrate({});
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("db:migrate needs DATABASE_URL");
  }, 90_000);
});

describe.runIf(realPostgresAvailable())("migrator on a real PostgreSQL server", () => {
  let admin: postgres.Sql;
  const created: string[] = [];
  async function emptyDatabase(): Promise<string> {
    // Named like the harness's databases, so the run's teardown drops it even after a crash.
    const name = `fluxasync_t_mig_${process.pid}_${created.length}`;
    await admin.unsafe(`drop database if exists ${name}`);
    await admin.unsafe(`create database ${name}`);
    created.push(name);
    const url = new URL(env.DATABASE_URL_TEST!);
    url.pathname = `/${name}`;
    return url.toString();
  }
  beforeAll(() => {
    admin = connectPostgres(env.DATABASE_URL_TEST!, { max: 1 });
  });
  afterAll(async () => {
    for (const name of created) await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  describe("rules", () => {
    migratorContract(async () => {
      const sql = connectPostgres(await emptyDatabase(), { max: 2 });
      return {
        migrate: (ms) => migratePostgres(sql, ms),
        query: async (q) => (await sql.unsafe(q)) as unknown as Array<Record<string, unknown>>,
        close: () => sql.end(),
      };
    });
  });

  it("lets two processes start together: one applies everything, the other nothing", async () => {
    const url = await emptyDatabase();
    const a = connectPostgres(url, { max: 1 });
    const b = connectPostgres(url, { max: 1 });
    const migrations = await readMigrations();
    const [ra, rb] = await Promise.all([migratePostgres(a, migrations), migratePostgres(b, migrations)]);
    await Promise.all([a.end(), b.end()]);
    expect([ra.length, rb.length].sort((x, y) => x - y)).toEqual([0, migrations.length]);
  });

  it("npm run db:migrate applies the project's migrations, then nothing on a second run", async () => {
    const url = await emptyDatabase();
    const migrations = await readMigrations();
    const run1 = dbMigrate({ DATABASE_URL: url });
    expect(run1.status, run1.stderr).toBe(0);
    for (const x of migrations) expect(run1.stdout).toContain(`applied ${x.name}`);
    expect(run1.stdout).toContain(`Applied ${migrations.length} of ${migrations.length} migrations.`);
    const run2 = dbMigrate({ DATABASE_URL: url });
    expect(run2.status).toBe(0);
    expect(run2.stdout).not.toContain("applied 2");
    expect(run2.stdout).toContain("Nothing to apply");
  }, 180_000);
});
