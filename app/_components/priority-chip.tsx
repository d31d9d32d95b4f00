import type { Priority } from "@/lib/db/schemas";
import { PRIORITY_EMOJI } from "@/lib/whatsapp/render-alert";

export function PriorityChip({ priority, label }: { priority: Priority; label: string }) {
  return (
    <span className={`chip chip-${priority}`} data-testid="priority-chip" data-priority={priority}>
      <span aria-hidden="true">{PRIORITY_EMOJI[priority]}</span> {label}
    </span>
  );
}
