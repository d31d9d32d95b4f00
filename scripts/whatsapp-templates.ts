// npm run whatsapp:templates — submits the WhatsApp message templates for review, or prints them without credentials.

import { DEFAULT_GRAPH_API_VERSION } from "@/lib/channels/whatsapp/config";
import { createTemplates } from "@/lib/channels/whatsapp/template-api";
import { templateDefinitions } from "@/lib/channels/whatsapp/templates";
import { env } from "@/lib/env";

async function main(): Promise<number> {
  const accessToken = env.WHATSAPP_ACCESS_TOKEN;
  const businessAccountId = env.WHATSAPP_BUSINESS_ACCOUNT_ID;
  if (!accessToken || !businessAccountId) {
    // On stderr, so stdout is pure JSON (`npm run whatsapp:templates > templates.json`).
    console.warn(
      "WHATSAPP_ACCESS_TOKEN or WHATSAPP_BUSINESS_ACCOUNT_ID is not set: here are the template definitions to create",
      "in WhatsApp Manager or with POST /{waba-id}/message_templates.\n",
    );
    process.stdout.write(`${JSON.stringify(templateDefinitions(), null, 2)}\n`);
    return 0;
  }
  const results = await createTemplates({
    accessToken,
    businessAccountId,
    apiVersion: env.WHATSAPP_API_VERSION ?? DEFAULT_GRAPH_API_VERSION,
  });
  let failed = 0;
  for (const r of results) {
    const what = `${r.name} (${r.language})`;
    if (r.outcome === "created")
      console.info(`created ${what}: id ${r.id}, status ${r.status} (Meta reviews it)`);
    else if (r.outcome === "exists") console.info(`exists  ${what}: already submitted`);
    else {
      failed++;
      console.error(`failed  ${what}: ${r.error.message}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
