"use client";

import type { ComponentProps } from "react";
import { useFormStatus } from "react-dom";

/** A submit button that shows the form is being sent (and cannot be sent twice meanwhile). */
export function SubmitButton({
  children,
  className,
  pendingLabel,
  ...rest
}: ComponentProps<"button"> & { pendingLabel?: string }) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      className={className ?? "button"}
      disabled={pending || rest.disabled}
      aria-busy={pending}
      {...rest}
    >
      {pending && pendingLabel ? pendingLabel : children}
    </button>
  );
}
