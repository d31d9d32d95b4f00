import { Fragment, type ReactNode } from "react";
import { type Inline, parseWhatsAppMarkup } from "@/app/_lib/whatsapp-markup";

function renderInline(nodes: Inline[], keyPrefix: string): ReactNode[] {
  return nodes.map((node, i) => {
    const key = `${keyPrefix}.${i}`;
    switch (node.kind) {
      case "text":
        return <Fragment key={key}>{node.text}</Fragment>;
      case "bold":
        return <strong key={key}>{renderInline(node.children, key)}</strong>;
      case "italic":
        return <em key={key}>{renderInline(node.children, key)}</em>;
      case "strike":
        return <s key={key}>{renderInline(node.children, key)}</s>;
      default:
        return <code key={key}>{node.text}</code>;
    }
  });
}

/** A WhatsApp message body as WhatsApp shows it: its markup applied, everything else literal. */
export function WhatsAppText({ text }: { text: string }) {
  const lines = parseWhatsAppMarkup(text);
  return (
    <>
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines of one immutable text
        <Fragment key={i}>
          {i > 0 && <br />}
          {renderInline(line, String(i))}
        </Fragment>
      ))}
    </>
  );
}
