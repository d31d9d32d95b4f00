import { createRemoteJWKSet, type JWTVerifyGetKey } from "jose";

const sets = new Map<string, JWTVerifyGetKey>();

/**
 * One jose remote key set per URL for the life of the process, so warm serverless invocations reuse
 * the fetched keys (jose refetches when a token names an unknown `kid`, at most every 30 s).
 */
export function remoteJwks(url: string): JWTVerifyGetKey {
  let set = sets.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url));
    sets.set(url, set);
  }
  return set;
}
