import { afterAll, afterEach, beforeAll } from "vitest";
import { server } from "@/lib/testing/msw";

beforeAll(() => {
  server.listen({
    onUnhandledRequest(request, print) {
      // Loopback is ours (the Next server of the browser suite, a local Postgres); all else is a vendor.
      const { hostname } = new URL(request.url);
      if (hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]") return;
      print.error();
    },
  });
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
