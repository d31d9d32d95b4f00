// Next.js calls register() once when a server starts (dev, `next start`, each Vercel instance):
// it says which mode runs (lib/run-mode.ts), so local mode is never a surprise.
export async function register() {
  // Next compiles this file for the Edge runtime too, where lib/env.ts (node:fs) cannot load.
  // NEXT_RUNTIME is Next's own build-time constant, not configuration: lib/env.ts stays the reader.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/lib/env");
  const { describeRunMode } = await import("@/lib/run-mode");
  if (env.NODE_ENV !== "test") console.info(describeRunMode(env));
}
