"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useTranslations } from "use-intl";

/**
 * Keeps a server-rendered page current: every few seconds (while the tab is visible) it asks
 * /api/live for a fingerprint and re-renders the page when it changed. In local mode it first
 * runs due jobs for a moment, standing in for the cron.
 */
export function LiveRefresh({
  initial,
  drain,
  intervalMs = 2500,
}: {
  /** The fingerprint the server rendered the page from. */
  initial: string;
  drain: boolean;
  intervalMs?: number;
}) {
  const router = useRouter();
  const t = useTranslations("client");
  const last = useRef(initial);
  const [state, setState] = useState<"live" | "offline">("live");

  // A refreshed render brings a new initial fingerprint.
  useEffect(() => {
    last.current = initial;
  }, [initial]);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (document.visibilityState === "visible") {
        try {
          if (drain) await fetch("/api/local/drain", { method: "POST" });
          const res = await fetch("/api/live", { cache: "no-store" });
          if (!res.ok) throw new Error(String(res.status));
          const { fingerprint } = (await res.json()) as { fingerprint: string };
          if (last.current !== fingerprint) router.refresh();
          last.current = fingerprint;
          setState("live");
        } catch {
          setState("offline");
        }
      }
      if (!stopped) timer = setTimeout(tick, intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [drain, intervalMs, router]);

  return (
    <p className={`live-indicator live-${state}`} role="status" data-testid="live-indicator">
      <span aria-hidden="true" className="live-dot" />
      {state === "live" ? t("live.on") : t("live.offline")}
    </p>
  );
}
