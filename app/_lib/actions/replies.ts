"use server";

import { idOf, runFormAction, textField } from "@/app/_lib/form-action";
import { allowReplies, removeTemplate, saveTemplate, templateFormSchema } from "@/app/_lib/replies-core";
import { db } from "@/lib/db/client";
import { unknownPlaceholders } from "@/lib/replies/fill-template";

const BACK = "/settings#replies";

export async function saveReplyTemplateAction(form: FormData): Promise<void> {
  return runFormAction(form, BACK, async (f, user) => {
    const id = textField(f, "id");
    const parsed = templateFormSchema.safeParse({
      ...(id ? { id } : {}),
      locale: textField(f, "locale"),
      title: textField(f, "title"),
      body: textField(f, "body"),
      approved: textField(f, "approved") === "on",
    });
    if (!parsed.success) return { error: "replyTemplate" };
    if (unknownPlaceholders(parsed.data.body).length > 0) return { error: "replyPlaceholder" };
    await saveTemplate(await db(), user, parsed.data);
    return { notice: "saved" };
  });
}

export async function deleteReplyTemplateAction(form: FormData): Promise<void> {
  return runFormAction(form, BACK, async (f, user) => {
    await removeTemplate(await db(), user, idOf(f.get("id")));
    return { notice: "saved" };
  });
}

export async function setMayReplyAction(form: FormData): Promise<void> {
  return runFormAction(form, BACK, async (f, user) => {
    await allowReplies(await db(), user, idOf(f.get("recipientId")), textField(f, "mayReply") === "on");
    return { notice: "saved" };
  });
}
