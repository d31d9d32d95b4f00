import { env } from "@/lib/env";
import pkg from "@/package.json";

export const version = env.VERCEL_GIT_COMMIT_SHA
  ? `${pkg.version}+${env.VERCEL_GIT_COMMIT_SHA.slice(0, 7)}`
  : pkg.version;
