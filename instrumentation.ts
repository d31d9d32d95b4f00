// Next.js calls register() once when a server starts (dev, `next start`, each Vercel instance):
// it says which mode runs (lib/run-mode.ts), so local mode is never a surprise, and warms the
// analysis up.
export async function register() {
  // Next compiles this file for the Edge runtime too, where lib/env.ts (node:fs) cannot load.
  // NEXT_RUNTIME is Next's own build-time constant, not configuration: lib/env.ts stays the reader.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/lib/env");
  const { describeRunMode } = await import("@/lib/run-mode");
  if (env.NODE_ENV !== "test") console.info(describeRunMode(env));
  // Before the server takes requests: the analysis libraries' lazy start-up (half a second on a
  // busy machine, in one block) is paid here rather than by the first email's webhooks.
  // A warm-up that fails costs the first email its latency, never the server its start.
  try {
    const { warmUpAnalysis } = await import("@/lib/analysis/warm-up");
    await warmUpAnalysis();
  } catch (error) {
    console.warn("FluxAsync Mail: analysis warm-up failed:", error instanceof Error ? error.message : error);
  }
}
