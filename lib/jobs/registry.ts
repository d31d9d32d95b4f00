import type { JobRegistry } from "@/lib/jobs/drain";

/** Every job kind the pipeline knows. A kind missing here makes its jobs dead, visibly. */
export function jobRegistry(): JobRegistry {
  return {};
}
