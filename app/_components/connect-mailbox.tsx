import { SubmitButton } from "@/app/_components/submit-button";
import { connectSandboxAction } from "@/app/_lib/actions/mailboxes";
import type { Viewer } from "@/app/_lib/viewer";
import { env, isLocalMode } from "@/lib/env";

/** The ways to connect a mailbox that this installation offers. */
export function ConnectMailbox({
  viewer,
  returnTo,
  hasSandbox = false,
}: {
  viewer: Viewer;
  returnTo: string;
  /** The sandbox is one per installation: no second "connect" once it is there. */
  hasSandbox?: boolean;
}) {
  const { t } = viewer;
  return (
    <div className="button-row connect-mailbox">
      {isLocalMode && !hasSandbox && (
        <form action={connectSandboxAction}>
          <input type="hidden" name="returnTo" value={returnTo} />
          <SubmitButton className="button button-primary" data-testid="connect-sandbox">
            {t("mailboxes.connectSandbox")}
          </SubmitButton>
        </form>
      )}
      {env.GOOGLE_CLIENT_ID && (
        <a className="button button-provider" href="/api/auth/google/start">
          {t("mailboxes.connectGmail")}
        </a>
      )}
      {env.MICROSOFT_CLIENT_ID && (
        <a className="button button-provider" href="/api/auth/microsoft/start">
          {t("mailboxes.connectOutlook")}
        </a>
      )}
    </div>
  );
}
