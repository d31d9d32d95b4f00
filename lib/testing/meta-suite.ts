import { beforeEach } from "vitest";
import { createMetaFake } from "@/lib/testing/meta-fake";
import { server } from "@/lib/testing/msw";

/** The WhatsApp Cloud API fake for a whole test file: installed and emptied before each test. */
export function setUpMetaFake(
  options?: Parameters<typeof createMetaFake>[0],
): ReturnType<typeof createMetaFake> {
  const meta = createMetaFake(options);
  beforeEach(() => {
    meta.reset();
    server.use(...meta.handlers);
  });
  return meta;
}
