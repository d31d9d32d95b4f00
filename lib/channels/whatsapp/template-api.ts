import { z } from "zod";
import { graphUrl, type WhatsAppConfig } from "@/lib/channels/whatsapp/config";
import { errorFromResponse, TransientError, type WhatsAppError } from "@/lib/channels/whatsapp/errors";
import { type TemplateDefinition, templateDefinitions } from "@/lib/channels/whatsapp/templates";

const createdSchema = z.object({ id: z.string(), status: z.string(), category: z.string().optional() });

/** Graph error subcode for "content in this language already exists" (creation is idempotent for us). */
const ALREADY_EXISTS_SUBCODE = 2388024;

export type TemplateCreation =
  | { name: string; language: string; outcome: "created"; id: string; status: string }
  | { name: string; language: string; outcome: "exists" }
  | { name: string; language: string; outcome: "failed"; error: WhatsAppError };

type TemplateApiConfig = Pick<WhatsAppConfig, "accessToken" | "apiVersion" | "businessAccountId">;

async function createOne(
  config: TemplateApiConfig & { businessAccountId: string },
  definition: TemplateDefinition,
  timeoutMs: number,
): Promise<TemplateCreation> {
  const { name, language } = definition;
  let response: Response;
  try {
    response = await fetch(graphUrl(config.apiVersion, config.businessAccountId, "message_templates"), {
      method: "POST",
      headers: { authorization: `Bearer ${config.accessToken}`, "content-type": "application/json" },
      body: JSON.stringify(definition),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    return {
      name,
      language,
      outcome: "failed",
      error: new TransientError("Could not reach WhatsApp", {}, { cause }),
    };
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const created = createdSchema.safeParse(body);
    if (created.success)
      return { name, language, outcome: "created", id: created.data.id, status: created.data.status };
  }
  const subcode = (body as { error?: { error_subcode?: unknown } } | null)?.error?.error_subcode;
  if (subcode === ALREADY_EXISTS_SUBCODE) return { name, language, outcome: "exists" };
  return {
    name,
    language,
    outcome: "failed",
    error: errorFromResponse(response.status, body, { template: name }),
  };
}

/**
 * Submits every template for review (`POST /{waba-id}/message_templates`), one at a time so a
 * failure names its template. Meta reviews them asynchronously: "created" means PENDING at first.
 */
export async function createTemplates(
  config: TemplateApiConfig,
  options: { definitions?: TemplateDefinition[]; timeoutMs?: number } = {},
): Promise<TemplateCreation[]> {
  const { businessAccountId } = config;
  if (!businessAccountId) throw new Error("WHATSAPP_BUSINESS_ACCOUNT_ID is needed to create templates");
  const results: TemplateCreation[] = [];
  for (const definition of options.definitions ?? templateDefinitions()) {
    results.push(await createOne({ ...config, businessAccountId }, definition, options.timeoutMs ?? 15_000));
  }
  return results;
}
