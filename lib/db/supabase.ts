import { createClient } from "@supabase/supabase-js";
import { assertFunctionName, type Db, mapDbError } from "@/lib/db/port";

/**
 * The supabase transport: PostgREST's /rest/v1/rpc/<fn> over HTTPS with the server secret key.
 * No connection pool to exhaust from serverless functions.
 */
/**
 * supabase-js builds its realtime client eagerly and, on Node.js 20 (no global WebSocket), throws
 * unless handed a transport. The server never subscribes to realtime: this one refuses to be used.
 */
class NoRealtime {
  constructor() {
    throw new Error("Realtime is not used by the server.");
  }
}

export function supabaseDb(url: string, secretKey: string): Db {
  const client = createClient(url, secretKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: NoRealtime as never },
    global: { headers: { "x-client-info": "fluxasync-mail" } },
  });
  return {
    transport: "supabase",
    async rpc(name, args = {}) {
      assertFunctionName(name);
      const clean = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
      const { data, error } = await client.rpc(name, clean);
      if (error) throw mapDbError(error, name);
      return data ?? null;
    },
    async close() {},
  };
}
