"use server";

import { z } from "zod";
import { idOf, runFormAction, textField } from "@/app/_lib/form-action";
import { availableCrms } from "@/lib/config/crm-providers";
import { db } from "@/lib/db/client";
import { getCrmStatus, saveCrmSettings } from "@/lib/db/crm";
import { deleteDemoRecord, saveDemoContact, saveDemoDeal } from "@/lib/db/crm-demo";
import { AppError } from "@/lib/errors/app-error";
import { connectDemoCrm, disconnectOrganizationCrm, queueCrmSync } from "@/lib/jobs/crm-connect";
import { logger } from "@/lib/log";

/*
 * Settings › CRM: connect the demo CRM (local mode; HubSpot and Zoho connect through
 * /api/crm/<crm>/start), disconnect, sync now, the key-client threshold and the logging priority,
 * and the demo CRM's records. Every change to the demo CRM queues a sync so the next email sees it.
 */

const log = logger({ area: "crm-actions" });
const optional = (f: FormData, name: string) => textField(f, name).trim() || null;

async function resync(organizationId: string) {
  const database = await db();
  const status = await getCrmStatus(database, organizationId);
  if (status.connection?.status === "active") await queueCrmSync(database, status.connection.id);
}

export async function connectDemoCrmAction(form: FormData): Promise<void> {
  return runFormAction(form, "/settings#crm", async (_, user) => {
    if (!availableCrms().includes("demo"))
      throw new AppError("not_configured", "The demo CRM is for local mode.");
    await connectDemoCrm(await db(), { organizationId: user.organizationId, userId: user.userId });
    return { notice: "crmConnected" };
  });
}

export async function disconnectCrmAction(form: FormData): Promise<void> {
  return runFormAction(form, "/settings#crm", async (_, user) => {
    await disconnectOrganizationCrm(await db(), user.organizationId, `user:${user.userId}`, log);
    return { notice: "crmDisconnected" };
  });
}

export async function syncCrmNowAction(form: FormData): Promise<void> {
  return runFormAction(form, "/settings#crm", async (_, user) => {
    await resync(user.organizationId);
    return { notice: "saved" };
  });
}

const settingsSchema = z.object({
  keyClientXof: z.coerce.number().int().min(0).max(1_000_000_000_000),
  logMinPriority: z.enum(["critical", "important"]),
});

export async function saveCrmSettingsAction(form: FormData): Promise<void> {
  return runFormAction(form, "/settings#crm", async (f, user) => {
    const s = settingsSchema.parse({
      keyClientXof: textField(f, "keyClientXof").replace(/[\s\u00a0\u202f.]/g, ""),
      logMinPriority: textField(f, "logMinPriority"),
    });
    await saveCrmSettings(await db(), {
      organizationId: user.organizationId,
      ...s,
      actor: `user:${user.userId}`,
    });
    return { notice: "saved" };
  });
}

const contactSchema = z.object({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200),
  lifecycle: z.enum(["subscriber", "lead", "opportunity", "customer", "other"]),
});

export async function saveDemoContactAction(form: FormData): Promise<void> {
  return runFormAction(form, "/settings/crm", async (f, user) => {
    const c = contactSchema.parse({
      email: textField(f, "email").trim().toLowerCase(),
      name: textField(f, "name"),
      lifecycle: textField(f, "lifecycle") || "customer",
    });
    const id = optional(f, "id");
    await saveDemoContact(await db(), user.organizationId, {
      id: id ? idOf(id) : null,
      ...c,
      company: optional(f, "company"),
      ownerName: optional(f, "ownerName"),
    });
    await resync(user.organizationId);
    return { notice: "saved" };
  });
}

const dealSchema = z.object({
  name: z.string().trim().min(1).max(200),
  amountXof: z.coerce.number().int().min(0).max(1_000_000_000_000),
  stage: z.enum(["qualification", "proposal", "negotiation", "won", "lost"]),
  closeDate: z.iso.date().nullable(),
});

export async function saveDemoDealAction(form: FormData): Promise<void> {
  return runFormAction(form, "/settings/crm", async (f, user) => {
    const d = dealSchema.parse({
      name: textField(f, "name"),
      amountXof: textField(f, "amountXof").replace(/[\s\u00a0\u202f.]/g, ""),
      stage: textField(f, "stage"),
      closeDate: optional(f, "closeDate"),
    });
    const id = optional(f, "id");
    await saveDemoDeal(await db(), user.organizationId, {
      id: id ? idOf(id) : null,
      contactId: idOf(textField(f, "contactId")),
      ...d,
    });
    await resync(user.organizationId);
    return { notice: "saved" };
  });
}

export async function deleteDemoRecordAction(form: FormData): Promise<void> {
  return runFormAction(form, "/settings/crm", async (f, user) => {
    const object = z.enum(["contact", "deal"]).parse(textField(f, "object"));
    await deleteDemoRecord(await db(), user.organizationId, object, idOf(textField(f, "id")));
    await resync(user.organizationId);
    return { notice: "saved" };
  });
}
