import { drainSizing } from "@/lib/config/drain-sizing";
import { env } from "@/lib/env";

/** The drain concurrency and the sql transport's pool, from DRAIN_CONCURRENCY and DATABASE_POOL_MAX. */
export const drainSettings = () =>
  drainSizing({ concurrency: env.DRAIN_CONCURRENCY, poolMax: env.DATABASE_POOL_MAX });
