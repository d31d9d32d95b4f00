import type { ReactNode } from "react";
import { WhatsAppText } from "@/app/_components/whatsapp-text";

/**
 * An outgoing WhatsApp message as the recipient's phone shows it: the bubble with its formatted
 * text, a footer line (time, delivery ticks) and the reply buttons under it.
 */
export function WhatsAppBubble({
  body,
  footer,
  buttons,
  label,
}: {
  body: string;
  footer?: ReactNode;
  buttons?: ReactNode;
  label?: string;
}) {
  return (
    <div className="wa-message">
      <article className="wa-bubble" aria-label={label}>
        <p className="wa-body">
          <WhatsAppText text={body} />
        </p>
        {footer && <div className="wa-footer">{footer}</div>}
      </article>
      {buttons && <div className="wa-buttons">{buttons}</div>}
    </div>
  );
}
