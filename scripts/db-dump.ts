/**
 * npm run db:dump — applies supabase/migrations to a throwaway embedded database (PGlite, in
 * memory) and writes the schema it ends with to supabase/schema.sql (lib/db/schema-dump.ts).
 * `npm run db:dump -- --check` writes nothing and exits 1 when the file is out of date.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { migratedSchema, SCHEMA_FILE } from "@/lib/db/schema-dump";

const schema = await migratedSchema();
const where = path.relative(process.cwd(), SCHEMA_FILE);
if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(SCHEMA_FILE, "utf8");
  } catch {}
  if (committed !== schema) {
    console.error(`${where} is out of date: run npm run db:dump`);
    process.exit(1);
  }
  console.info(`${where} matches the migrations`);
} else {
  writeFileSync(SCHEMA_FILE, schema);
  console.info(`wrote ${where} (${schema.split("\n").length} lines)`);
}
