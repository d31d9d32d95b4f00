"use server";

import { userErrorKey } from "@/app/_lib/action-helpers";
import { idOf, runFormAction, textField } from "@/app/_lib/form-action";
import { phonePressesButton, phoneRepliesTo, phoneTypes } from "@/app/_lib/phone-simulator";
import { composeTestEmail, loadSampleEmails } from "@/app/_lib/sandbox-mail";
import { db } from "@/lib/db/client";
import { isLocalMode } from "@/lib/env";
import { notFound } from "@/lib/errors/app-error";
import { drainAfterResponse } from "@/lib/http/after-response";

const BACK = "/dashboard#sandbox";
const OUTBOX = "/dashboard#outbox";

/** The compose form's file, if one was chosen (a browser sends an empty, unnamed part otherwise). */
async function attachedFile(value: FormDataEntryValue | null) {
  if (!(value instanceof File) || value.size === 0 || !value.name) return null;
  return { filename: value.name, mimeType: value.type, content: new Uint8Array(await value.arrayBuffer()) };
}

function requireLocal() {
  if (!isLocalMode) throw notFound("Local mode only.");
}

/** Local mode: a test email into the sandbox mailbox; the pipeline runs right after the answer. */
export async function composeAction(form: FormData): Promise<void> {
  return runFormAction(form, BACK, async (f, user) => {
    requireLocal();
    try {
      await composeTestEmail(await db(), user, {
        fromAddress: textField(f, "fromAddress").trim(),
        fromName: textField(f, "fromName"),
        subject: textField(f, "subject"),
        body: textField(f, "body"),
        direction: textField(f, "direction") === "sent" ? "sent" : "received",
        authentication:
          (["pass", "fail", "none"] as const).find((v) => v === textField(f, "authentication")) ?? "pass",
        attachment: await attachedFile(f.get("attachment")),
      });
    } catch (error) {
      return { error: userErrorKey(error) === "conflict" ? "noSandbox" : "composeInvalid" };
    }
    drainAfterResponse(15_000);
    return { notice: "emailSent" };
  });
}

export async function loadSamplesAction(): Promise<void> {
  return runFormAction(new FormData(), BACK, async (_, user) => {
    requireLocal();
    try {
      await loadSampleEmails(await db(), user);
    } catch (error) {
      return { error: userErrorKey(error) === "conflict" ? "noSandbox" : "invalid" };
    }
    drainAfterResponse(25_000);
    return { notice: "samplesLoaded" };
  });
}

/** Local mode: a reply button of the outbox, pressed on the simulated phone. */
export async function pressOutboxButtonAction(form: FormData): Promise<void> {
  return runFormAction(form, OUTBOX, async (f, user) => {
    await phonePressesButton(await db(), user, idOf(f.get("alertId")), textField(f, "buttonId"));
    return { notice: "buttonPressed" };
  });
}

/** Local mode: a text typed on the simulated phone of a recipient. */
export async function phoneTypesAction(form: FormData): Promise<void> {
  return runFormAction(form, OUTBOX, async (f, user) => {
    await phoneTypes(await db(), user, idOf(f.get("recipientId")), textField(f, "text"));
    return { notice: "messageSent" };
  });
}

/** Local mode: a text typed as a reply to one outbox message (WhatsApp's reply context). */
export async function phoneRepliesToAction(form: FormData): Promise<void> {
  return runFormAction(form, OUTBOX, async (f, user) => {
    await phoneRepliesTo(await db(), user, idOf(f.get("alertId")), textField(f, "text"));
    return { notice: "messageSent" };
  });
}
