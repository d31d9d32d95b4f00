"use client";

import type { ComponentProps } from "react";

/**
 * A form that keeps what the user typed after it is sent. React resets a form whose `action` is a
 * function once the action ends (by calling `form.reset()`); the reset event is cancelable, so the
 * fields keep their values — the compose form's next email starts from the last one, not the example.
 */
export function KeepTypedForm(props: ComponentProps<"form">) {
  return <form {...props} onReset={(event) => event.preventDefault()} />;
}
