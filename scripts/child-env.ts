/**
 * The variables of this process's environment that a child process (a `next start` or `next dev`
 * a script runs) inherits: only those named, and only when set, so nothing else of the developer's
 * or CI's environment reaches the app. What the app itself reads goes through lib/env.ts.
 */
export function inheritedEnv(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])));
}
