import { Cron } from "croner";
import { z } from "zod";
import type { Db } from "@/lib/db/port";
import { type CronPath, cronTasks } from "@/lib/jobs/cron-tasks";
import type { Logger } from "@/lib/log";
import vercel from "@/vercel.json";

/**
 * Local mode's cron: the schedules are read from vercel.json (the one source of truth, the file
 * Vercel deploys) and each due task runs when the dashboard's drain asks (POST /api/local/drain),
 * so escalations, reminders, digests, polls and renewals happen on the deployment's schedule with
 * no secret in the browser. Vercel runs its crons in UTC; so does this.
 */
const vercelCrons = z.object({
  crons: z.array(z.object({ path: z.string(), schedule: z.string() })),
});

export type CronEntry = { path: CronPath; schedule: Cron };

function isCronPath(path: string): path is CronPath {
  return Object.hasOwn(cronTasks, path);
}

/** Every cron of vercel.json with its task; a cron with no task here is a configuration error. */
export function cronSchedule(config: unknown = vercel): CronEntry[] {
  return vercelCrons.parse(config).crons.map(({ path, schedule }) => {
    if (!isCronPath(path))
      throw new Error(`vercel.json schedules ${path}, which has no task in cron-tasks.ts`);
    return { path, schedule: new Cron(schedule, { timezone: "UTC", paused: true }) };
  });
}

/** When each cron last ran in this process (the dev server keeps one). */
export type CronRuns = Map<CronPath, Date>;

/**
 * The crons due at `now`: those with a scheduled time after their last run. A cron never seen
 * counts as last run a minute before the process first asked, so the every-minute work starts at
 * once and a daily renewal waits for its hour.
 */
export function dueCrons(schedule: CronEntry[], runs: CronRuns, now: Date): CronPath[] {
  const due: CronPath[] = [];
  for (const { path, schedule: cron } of schedule) {
    const last = runs.get(path) ?? new Date(now.getTime() - 60_000);
    const next = cron.nextRun(last);
    if (next && next.getTime() <= now.getTime()) due.push(path);
    else if (!runs.has(path)) runs.set(path, last);
  }
  return due;
}

// On globalThis: next dev may load this module more than once in one process.
const shared = globalThis as { __fluxasyncCronRuns?: CronRuns };
shared.__fluxasyncCronRuns ??= new Map();
const processRuns: CronRuns = shared.__fluxasyncCronRuns;

/**
 * Runs the due crons' tasks, each marked as run before it starts (two tabs draining at once do not
 * both run it; the tasks are idempotent besides). A failing task is logged and retried next tick.
 */
export async function runDueCrons(
  db: Db,
  log: Logger,
  { now = new Date(), runs = processRuns, schedule = cronSchedule() } = {},
): Promise<Partial<Record<CronPath, Record<string, number>>>> {
  const done: Partial<Record<CronPath, Record<string, number>>> = {};
  for (const path of dueCrons(schedule, runs, now)) {
    const previous = runs.get(path);
    runs.set(path, now);
    try {
      done[path] = await cronTasks[path](db, log);
    } catch (error) {
      if (previous) runs.set(path, previous);
      else runs.delete(path);
      log.warn("local_cron.failed", { path, error });
    }
  }
  return done;
}
