import { setupServer } from "msw/node";

/**
 * The one msw server of a test file. Vendor fakes add their handlers with `server.use(...)`;
 * any request no handler answers fails the test (see setup.ts), so no test can reach a real vendor.
 */
export const server = setupServer();
