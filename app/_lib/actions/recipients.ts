"use server";

import { redirect } from "next/navigation";
import { actionUser, returnPath, userErrorKey, withMessage } from "@/app/_lib/action-helpers";
import { phoneSendsOptInCode } from "@/app/_lib/phone-simulator";
import {
  firstIssue,
  formObject,
  newRecipientSchema,
  recipientSettingsSchema,
} from "@/app/_lib/recipient-form";
import {
  addRecipient,
  type OptInStart,
  removeRecipient,
  startOptIn,
  updateRecipient,
} from "@/app/_lib/recipients-core";
import { db } from "@/lib/db/client";

export async function addRecipientAction(form: FormData): Promise<void> {
  const user = await actionUser();
  const back = returnPath(form, "/settings#recipients");
  const parsed = newRecipientSchema.safeParse(formObject(form));
  if (!parsed.success) redirect(withMessage(back, "error", firstIssue(parsed.error)));
  try {
    await addRecipient(await db(), user, parsed.data);
  } catch (error) {
    const key = userErrorKey(error);
    redirect(withMessage(back, "error", key === "conflict" ? "phoneTaken" : key));
  }
  redirect(withMessage(back, "notice", "recipientAdded"));
}

export async function updateRecipientAction(form: FormData): Promise<void> {
  const user = await actionUser();
  const back = returnPath(form, "/settings#recipients");
  const parsed = recipientSettingsSchema.safeParse(formObject(form, ["categories"]));
  if (!parsed.success) redirect(withMessage(back, "error", firstIssue(parsed.error)));
  try {
    await updateRecipient(await db(), user, String(form.get("id")), parsed.data);
  } catch (error) {
    redirect(withMessage(back, "error", userErrorKey(error)));
  }
  redirect(withMessage(back, "notice", "saved"));
}

export async function removeRecipientAction(form: FormData): Promise<void> {
  const user = await actionUser();
  const back = returnPath(form, "/settings#recipients");
  try {
    await removeRecipient(await db(), user, String(form.get("id")));
  } catch (error) {
    redirect(withMessage(back, "error", userErrorKey(error)));
  }
  redirect(withMessage(back, "notice", "recipientRemoved"));
}

export type OptInResult = ({ ok: true } & OptInStart) | { ok: false; error: string };

/** Called by the opt-in panel: the code is shown once, from this answer. */
export async function startOptInAction(recipientId: string): Promise<OptInResult> {
  const user = await actionUser();
  try {
    return { ok: true, ...(await startOptIn(await db(), user, recipientId)) };
  } catch (error) {
    return { ok: false, error: userErrorKey(error) };
  }
}

/** Local mode: the simulated phone sends the code shown by the opt-in panel. */
export async function phoneSendsCodeAction(
  recipientId: string,
  code: string,
): Promise<{ ok: boolean; error?: string }> {
  const user = await actionUser();
  try {
    await phoneSendsOptInCode(await db(), user, recipientId, code);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: userErrorKey(error) };
  }
}
