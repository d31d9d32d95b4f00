"use server";

import { redirect } from "next/navigation";
import { actionUser, returnPath, userErrorKey, withMessage } from "@/app/_lib/action-helpers";
import {
  type CodeSent,
  sendCodeErrorKey,
  sendOptInCode,
  verifyCodeErrorKey,
  verifyTypedCode,
} from "@/app/_lib/opt-in-code-core";
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
import { isAppError } from "@/lib/errors/app-error";
import { log } from "@/lib/log";

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

export type SendCodeResult = ({ ok: true } & CodeSent) | { ok: false; error: string };

/** "Get a code on WhatsApp": sent with the verification template, typed back in the same panel. */
export async function sendCodeAction(recipientId: string): Promise<SendCodeResult> {
  const user = await actionUser();
  try {
    return { ok: true, ...(await sendOptInCode(await db(), user, recipientId)) };
  } catch (error) {
    // The user can only retry; a refused token or template is for the operator to fix.
    if (isAppError(error) && error.status >= 500)
      log.error("opt_in.code_send_failed", { errorCode: error.code, error });
    return { ok: false, error: sendCodeErrorKey(error) };
  }
}

export type VerifyCodeResult = { ok: true } | { ok: false; error: string };

/** The code typed in the panel, checked for the session's organization only. */
export async function verifyCodeAction(recipientId: string, code: string): Promise<VerifyCodeResult> {
  const user = await actionUser();
  try {
    const result = await verifyTypedCode(await db(), user, recipientId, String(code).slice(0, 32));
    if (result.verified) return { ok: true };
    return { ok: false, error: result.reason === "format" ? "codeFormat" : "wrongCode" };
  } catch (error) {
    return { ok: false, error: verifyCodeErrorKey(error) };
  }
}
