import fs from "node:fs";
import os from "node:os";
import { openPglite } from "@/lib/db/pglite";
import type { Db } from "@/lib/db/port";
import { connectPostgres, migratePostgres, postgresDb } from "@/lib/db/postgres";
import { env } from "@/lib/env";

export type ScratchDb = {
  db: Db;
  /** Raw SQL for setting up the measurement (bulk inserts), outside the rpc port. */
  exec(sql: string): Promise<void>;
  /** One raw statement with $n parameters, its rows (setting up and checking a run). */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * CPU seconds the database server has used so far (all its processes), or null when that cannot
   * be read: PGlite runs inside this process (its CPU is the process's), a remote server's is not ours.
   */
  serverCpuSeconds(): Promise<number | null>;
  /** The connection string of a real server's scratch database (null on PGlite). */
  url: string | null;
  kind: "postgres" | "pglite";
  drop(): Promise<void>;
};

/**
 * A migrated, empty database for one measurement: on the real server of `DATABASE_URL` when it is
 * set (a database created for the run and dropped after it), else an in-memory PGlite.
 */
export async function scratchDb(label: string, opts: { poolMax?: number } = {}): Promise<ScratchDb> {
  const base = env.DATABASE_URL;
  if (!base) {
    const pg = await openPglite(null);
    return {
      db: pg,
      exec: async (sql) => {
        await pg.pg.exec(sql);
      },
      query: async <T>(sql: string, params: unknown[] = []) => (await pg.pg.query<T>(sql, params)).rows,
      serverCpuSeconds: async () => null,
      url: null,
      kind: "pglite",
      drop: () => pg.close(),
    };
  }
  const name = `fluxasync_bench_${label}_${process.pid}`;
  const admin = connectPostgres(base, { max: 1 });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const sql = connectPostgres(url.toString(), { max: opts.poolMax ?? 5 });
  await migratePostgres(sql);
  const db = postgresDb(sql);
  return {
    db,
    exec: async (text) => {
      await sql.unsafe(text);
    },
    query: async <T>(text: string, params: unknown[] = []) =>
      (await sql.unsafe(text, params as never[])) as unknown as T[],
    serverCpuSeconds: async () => {
      const [row] = await sql.unsafe<{ dir: string }[]>("select current_setting('data_directory') as dir");
      return row ? localServerCpuSeconds(row.dir) : null;
    },
    url: url.toString(),
    kind: "postgres",
    async drop() {
      await db.close();
      const a = connectPostgres(base, { max: 1 });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime (fields 14 and 15) and, with `children`, cutime + cstime of /proc/<pid>/stat. */
function procCpuTicks(pid: number, children: boolean): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat
    .slice(stat.lastIndexOf(")") + 2)
    .split(" ")
    .map(Number);
  // fields[0] is field 3 (state): utime is field 14, so fields[11].
  const own = (fields[11] ?? 0) + (fields[12] ?? 0);
  return children ? own + (fields[13] ?? 0) + (fields[14] ?? 0) : own;
}

/**
 * A server on this machine (its data directory readable from here): the postmaster's CPU, that of
 * the backends it has reaped (cutime), and that of its live children. Null when it is not local.
 */
function localServerCpuSeconds(dataDirectory: string): number | null {
  if (os.platform() !== "linux") return null;
  let postmaster: number;
  try {
    postmaster = Number(fs.readFileSync(`${dataDirectory}/postmaster.pid`, "utf8").split("\n")[0]);
  } catch {
    return null;
  }
  if (!Number.isInteger(postmaster) || postmaster <= 0) return null;
  let ticks = procCpuTicks(postmaster, true);
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === postmaster) ticks += procCpuTicks(Number(entry), false);
    } catch {
      // The process ended between the listing and the read: the postmaster's cutime has it now.
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/**
 * CPU seconds of a process and every live descendant (a `next start` and the server it may fork),
 * plus what its reaped children used; null off Linux.
 */
export function processTreeCpuSeconds(root: number): number | null {
  if (os.platform() !== "linux") return null;
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // ended meanwhile
    }
  }
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parents)
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
  }
  let ticks = 0;
  for (const pid of tree) {
    try {
      ticks += procCpuTicks(pid, true);
    } catch {
      // ended meanwhile: its parent's cutime has it
    }
  }
  return ticks / TICKS_PER_SECOND;
}
