import { z } from "zod";

/**
 * A message as a channel renders it, stored on its alert row (`rendered`): the body and buttons
 * the web app shows, and for WhatsApp the approved template with its parameters for a recipient
 * outside the 24 h window (null for replies, which always answer a message the recipient just sent).
 */
export const renderedMessageSchema = z.object({
  body: z.string().min(1),
  buttons: z.array(z.object({ id: z.string(), title: z.string() })),
  template: z.object({ kind: z.enum(["alert", "digest", "notice"]), params: z.array(z.string()) }).nullable(),
});
export type RenderedMessage = z.infer<typeof renderedMessageSchema>;
