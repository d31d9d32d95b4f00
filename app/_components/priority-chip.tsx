import { PRIORITY_EMOJI } from "@/lib/channels/whatsapp/render-alert";
import type { Priority } from "@/lib/db/schemas";

export function PriorityChip({ priority, label }: { priority: Priority; label: string }) {
  return (
    <span className={`chip chip-${priority}`} data-testid="priority-chip" data-priority={priority}>
      <span aria-hidden="true">{PRIORITY_EMOJI[priority]}</span> {label}
    </span>
  );
}
