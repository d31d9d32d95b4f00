// npx tsx scripts/check-bundles.ts [.next] — after `next build`: reads every route's trace
// (.next/server/app/**/route.js.nft.json, the files Vercel packs into that function) and fails when
// one carries PGlite, which production never runs (lib/env.ts refuses to start without a database).
// Prints each API route's traced size.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** The package's files, its folder, and the link the build makes to it (.next/node_modules/…/pglite-<hash>). */
const FORBIDDEN = [/node_modules\/@electric-sql\/pglite(-[0-9a-f]+)?(\/|$)/];

function traces(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...traces(full));
    else if (entry.name.endsWith(".nft.json")) found.push(full);
  }
  return found;
}

const distDir = path.resolve(process.argv[2] ?? ".next");
const appDir = path.join(distDir, "server", "app");
const failures: string[] = [];
const files = traces(appDir).filter((f) => f.includes(`${path.sep}api${path.sep}`));
if (files.length === 0) throw new Error(`No API route traces under ${appDir}: run next build first`);
for (const trace of files.sort()) {
  const listed = (JSON.parse(readFileSync(trace, "utf8")) as { files: string[] }).files.map((f) =>
    path.resolve(path.dirname(trace), f),
  );
  let bytes = 0;
  for (const f of listed) {
    try {
      bytes += statSync(f).size;
    } catch {
      // a listed directory or a file the build removed
    }
  }
  const route = path.relative(appDir, trace).replace(/\.nft\.json$/, "");
  const bad = listed.filter((f) => FORBIDDEN.some((re) => re.test(f.split(path.sep).join("/"))));
  console.info(
    `${route} traced_mb=${(bytes / 1024 / 1024).toFixed(1)}${bad.length ? ` FORBIDDEN=${bad.length}` : ""}`,
  );
  if (bad.length > 0)
    failures.push(`${route}: ${bad.length} PGlite files, e.g. ${path.relative(process.cwd(), bad[0]!)}`);
}
if (failures.length > 0) {
  console.error(`Production route bundles carry PGlite:\n${failures.join("\n")}`);
  process.exit(1);
}
console.info(`${files.length} API routes, none carries PGlite`);
