"use server";

import { actionUser, userErrorKey } from "@/app/_lib/action-helpers";
import { idOf, runFormAction } from "@/app/_lib/form-action";
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
  newEmailRecipientSchema,
  newRecipientSchema,
  recipientSettingsSchema,
} from "@/app/_lib/recipient-form";
import {
  addEmailRecipient,
  addRecipient,
  type OptInStart,
  removeRecipient,
  startOptIn,
  updateRecipient,
} from "@/app/_lib/recipients-core";
import { db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors/app-error";
import { drainAfterResponse } from "@/lib/http/after-response";
import { log } from "@/lib/log";

export async function addRecipientAction(form: FormData): Promise<void> {
  return runFormAction(form, "/settings#recipients", async (f, user) => {
    const parsed = newRecipientSchema.safeParse(formObject(f));
    if (!parsed.success) return { error: firstIssue(parsed.error) };
    try {
      await addRecipient(await db(), user, parsed.data);
    } catch (error) {
      const key = userErrorKey(error);
      return { error: key === "conflict" ? "phoneTaken" : key };
    }
    return { notice: "recipientAdded" };
  });
}

export async function addEmailRecipientAction(form: FormData): Promise<void> {
  return runFormAction(form, "/settings#recipients", async (f, user) => {
    const parsed = newEmailRecipientSchema.safeParse(formObject(f));
    if (!parsed.success) return { error: firstIssue(parsed.error) };
    try {
      await addEmailRecipient(await db(), user, parsed.data);
    } catch (error) {
      const key = userErrorKey(error);
      return { error: key === "conflict" ? "emailTaken" : key };
    }
    drainAfterResponse(15_000);
    return { notice: "emailRecipientAdded" };
  });
}

export async function updateRecipientAction(form: FormData): Promise<void> {
  return runFormAction(form, "/settings#recipients", async (f, user) => {
    const parsed = recipientSettingsSchema.safeParse(formObject(f, ["categories"]));
    if (!parsed.success) return { error: firstIssue(parsed.error) };
    await updateRecipient(await db(), user, idOf(f.get("id")), parsed.data);
    return { notice: "saved" };
  });
}

export async function removeRecipientAction(form: FormData): Promise<void> {
  return runFormAction(form, "/settings#recipients", async (f, user) => {
    await removeRecipient(await db(), user, idOf(f.get("id")));
    return { notice: "recipientRemoved" };
  });
}

export type OptInResult = ({ ok: true } & OptInStart) | { ok: false; error: string };

/** Called by the opt-in panel: the code is shown once, from this answer. */
export async function startOptInAction(recipientId: string): Promise<OptInResult> {
  const user = await actionUser();
  try {
    return { ok: true, ...(await startOptIn(await db(), user, idOf(recipientId))) };
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
    await phoneSendsOptInCode(await db(), user, idOf(recipientId), typeof code === "string" ? code : "");
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
    return { ok: true, ...(await sendOptInCode(await db(), user, idOf(recipientId))) };
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
  if (typeof code !== "string") return { ok: false, error: "codeFormat" };
  try {
    const result = await verifyTypedCode(await db(), user, idOf(recipientId), code.slice(0, 32));
    if (result.verified) return { ok: true };
    return { ok: false, error: result.reason === "format" ? "codeFormat" : "wrongCode" };
  } catch (error) {
    return { ok: false, error: verifyCodeErrorKey(error) };
  }
}
