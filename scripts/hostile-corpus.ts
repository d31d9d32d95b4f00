// npm run samples:hostile -- <folder>
// Writes the hostile-MIME corpus (lib/samples/hostile-mime.ts) as .eml files, for `npm run triage`.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HOSTILE_CASES } from "@/lib/samples/hostile-mime";

const folder = process.argv[2];
if (!folder) {
  process.stderr.write("usage: npm run samples:hostile -- <folder>\n");
  process.exit(2);
}
mkdirSync(folder, { recursive: true });
for (const c of HOSTILE_CASES) {
  const raw = c.raw();
  writeFileSync(join(folder, `${c.name}.eml`), raw);
  process.stdout.write(`${c.name}.eml\t${raw.length} bytes\t${c.trigger}\n`);
}
