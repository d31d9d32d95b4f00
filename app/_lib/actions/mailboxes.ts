"use server";

import { idOf, runFormAction } from "@/app/_lib/form-action";
import { connectSandbox, disconnect } from "@/app/_lib/mailboxes-core";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";

export async function connectSandboxAction(form: FormData): Promise<void> {
  return runFormAction(form, "/settings#mailboxes", async (_, user) => {
    await connectSandbox(await db(), user, log);
    return { notice: "mailboxConnected" };
  });
}

export async function disconnectMailboxAction(form: FormData): Promise<void> {
  return runFormAction(form, "/settings#mailboxes", async (f, user) => {
    await disconnect(await db(), user, idOf(f.get("id")), log);
    return { notice: "mailboxDisconnected" };
  });
}
