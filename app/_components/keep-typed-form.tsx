"use client";

import { type ComponentProps, useEffect, useRef } from "react";

/**
 * The text fields, radios and selects the user changed from what the page prefilled (files,
 * checkboxes and hidden fields are not kept). An untouched field is not kept, so it shows the
 * page's own example next time — in the language the interface has then.
 */
function typedFields(form: HTMLFormElement): [string, string][] {
  const typed: [string, string][] = [];
  for (const el of form.elements) {
    if (el instanceof HTMLInputElement) {
      if (!el.name || ["file", "hidden", "checkbox", "submit", "button"].includes(el.type)) continue;
      if (el.type === "radio") {
        if (el.checked && !el.defaultChecked) typed.push([el.name, el.value]);
      } else if (el.value !== el.defaultValue) typed.push([el.name, el.value]);
    } else if (el instanceof HTMLTextAreaElement) {
      if (el.name && el.value !== el.defaultValue) typed.push([el.name, el.value]);
    } else if (el instanceof HTMLSelectElement) {
      const prefilled = [...el.options].find((o) => o.defaultSelected) ?? el.options[0];
      if (el.name && el.value !== prefilled?.value) typed.push([el.name, el.value]);
    }
  }
  return typed;
}

function restore(form: HTMLFormElement, fields: [string, string][]) {
  for (const [name, value] of fields) {
    const field = form.elements.namedItem(name);
    if (field instanceof RadioNodeList) {
      for (const option of field)
        if (option instanceof HTMLInputElement) option.checked = option.value === value;
    } else if (
      (field instanceof HTMLInputElement && field.type !== "file") ||
      field instanceof HTMLTextAreaElement ||
      field instanceof HTMLSelectElement
    ) {
      field.value = value;
    }
  }
}

/**
 * A form that keeps what the user typed after it is sent. React resets a form whose `action` is a
 * function once the action ends, and the redirect that follows (to the page with its notice) mounts
 * the page afresh, so the fields are kept in the tab's sessionStorage on submit and put back on
 * mount: the compose form's next email starts from the last one, not from the example.
 */
export function KeepTypedForm({ storageKey, ...props }: ComponentProps<"form"> & { storageKey: string }) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const saved = sessionStorage.getItem(storageKey);
    if (!ref.current || !saved) return;
    try {
      restore(ref.current, JSON.parse(saved) as [string, string][]);
    } catch {
      sessionStorage.removeItem(storageKey); // not ours any more: start from the example
    }
  }, [storageKey]);
  return (
    <form
      ref={ref}
      {...props}
      onSubmit={(event) =>
        sessionStorage.setItem(storageKey, JSON.stringify(typedFields(event.currentTarget)))
      }
      onReset={(event) => event.preventDefault()}
    />
  );
}
