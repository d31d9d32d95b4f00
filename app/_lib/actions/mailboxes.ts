"use server";

import { redirect } from "next/navigation";
import { actionUser, returnPath, userErrorKey, withMessage } from "@/app/_lib/action-helpers";
import { connectSandbox, disconnect } from "@/app/_lib/mailboxes-core";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";

export async function connectSandboxAction(form: FormData): Promise<void> {
  const user = await actionUser();
  const back = returnPath(form, "/settings#mailboxes");
  try {
    await connectSandbox(await db(), user, log);
  } catch (error) {
    redirect(withMessage(back, "error", userErrorKey(error)));
  }
  redirect(withMessage(back, "notice", "mailboxConnected"));
}

export async function disconnectMailboxAction(form: FormData): Promise<void> {
  const user = await actionUser();
  const back = returnPath(form, "/settings#mailboxes");
  try {
    await disconnect(await db(), user, String(form.get("id")), log);
  } catch (error) {
    redirect(withMessage(back, "error", userErrorKey(error)));
  }
  redirect(withMessage(back, "notice", "mailboxDisconnected"));
}
