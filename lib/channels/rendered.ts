import { z } from "zod";

/**
 * A message as a channel renders it, stored on its alert row (`rendered`): the body and buttons
 * the web app shows, and for WhatsApp the approved template with its parameters for a recipient
 * outside the 24 h window (null for replies, which always answer a message the recipient just sent).
 */
/** A list message's menu: the button that opens it and its rows (WhatsApp: at most 10 in all). */
export const renderedListSchema = z.object({
  button: z.string(),
  sections: z.array(
    z.object({
      title: z.string(),
      rows: z.array(z.object({ id: z.string(), title: z.string(), description: z.string().optional() })),
    }),
  ),
});
export type RenderedList = z.infer<typeof renderedListSchema>;

export const renderedMessageSchema = z.object({
  body: z.string().min(1),
  buttons: z.array(z.object({ id: z.string(), title: z.string() })),
  /** Instead of buttons: a list to pick from (the approved replies). */
  list: renderedListSchema.optional(),
  template: z.object({ kind: z.enum(["alert", "digest", "notice"]), params: z.array(z.string()) }).nullable(),
});
export type RenderedMessage = z.infer<typeof renderedMessageSchema>;
