"use server";

import { redirect } from "next/navigation";
import { actionUser, userErrorKey, withMessage } from "@/app/_lib/action-helpers";
import { drainSoon } from "@/app/_lib/drain-soon";
import { phonePressesButton, phoneTypes } from "@/app/_lib/phone-simulator";
import { composeTestEmail, loadSampleEmails } from "@/app/_lib/sandbox-mail";
import { db } from "@/lib/db/client";
import { isLocalMode } from "@/lib/env";
import { notFound } from "@/lib/errors/app-error";

const BACK = "/dashboard#sandbox";

function requireLocal() {
  if (!isLocalMode) throw notFound("Local mode only.");
}

/** Local mode: a test email into the sandbox mailbox; the pipeline runs right after the answer. */
export async function composeAction(form: FormData): Promise<void> {
  requireLocal();
  const user = await actionUser();
  try {
    await composeTestEmail(await db(), user, {
      fromAddress: String(form.get("fromAddress") ?? "").trim(),
      fromName: String(form.get("fromName") ?? ""),
      subject: String(form.get("subject") ?? ""),
      body: String(form.get("body") ?? ""),
    });
  } catch (error) {
    redirect(withMessage(BACK, "error", userErrorKey(error) === "conflict" ? "noSandbox" : "composeInvalid"));
  }
  drainSoon();
  redirect(withMessage(BACK, "notice", "emailSent"));
}

export async function loadSamplesAction(): Promise<void> {
  requireLocal();
  const user = await actionUser();
  try {
    await loadSampleEmails(await db(), user);
  } catch (error) {
    redirect(withMessage(BACK, "error", userErrorKey(error) === "conflict" ? "noSandbox" : "invalid"));
  }
  drainSoon(25_000);
  redirect(withMessage(BACK, "notice", "samplesLoaded"));
}

/** Local mode: a reply button of the outbox, pressed on the simulated phone. */
export async function pressOutboxButtonAction(form: FormData): Promise<void> {
  const user = await actionUser();
  try {
    await phonePressesButton(await db(), user, String(form.get("alertId")), String(form.get("buttonId")));
  } catch (error) {
    redirect(withMessage("/dashboard#outbox", "error", userErrorKey(error)));
  }
  redirect(withMessage("/dashboard#outbox", "notice", "buttonPressed"));
}

/** Local mode: a text typed on the simulated phone of a recipient. */
export async function phoneTypesAction(form: FormData): Promise<void> {
  const user = await actionUser();
  try {
    await phoneTypes(await db(), user, String(form.get("recipientId")), String(form.get("text") ?? ""));
  } catch (error) {
    redirect(withMessage("/dashboard#outbox", "error", userErrorKey(error)));
  }
  redirect(withMessage("/dashboard#outbox", "notice", "messageSent"));
}
