import { errors, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions, jwtVerify } from "jose";
import { ProviderUnavailableError, UnauthorizedError } from "@/lib/mail/errors";
import type { ProviderKind } from "@/lib/mail/types";

/** True when the key set could not be fetched or read: our problem (or the vendor's), not the caller's. */
function keySetUnavailable(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  if (error instanceof errors.JOSEError) {
    return error.code === "ERR_JOSE_GENERIC" && /JSON Web Key Set/.test(error.message);
  }
  // fetch() rejected (DNS, connection reset) while loading the key set.
  return error instanceof TypeError;
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "token expired";
  if (error instanceof errors.JWTClaimValidationFailed) return `claim "${error.claim}" ${error.reason}`;
  if (error instanceof errors.JWKSNoMatchingKey) return "unknown signing key";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "bad signature";
  if (error instanceof errors.JOSEAlgNotAllowed) return "algorithm not allowed";
  return "malformed token";
}

/**
 * jose `jwtVerify` with our error contract: anything wrong with the token is `UnauthorizedError`
 * (401, nothing stored); a key set we cannot load is `ProviderUnavailableError` (retry later).
 */
export async function verifyJwt(
  provider: ProviderKind,
  token: string,
  keys: JWTVerifyGetKey,
  options: JWTVerifyOptions,
): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, keys, options);
    return payload;
  } catch (error) {
    if (keySetUnavailable(error)) throw new ProviderUnavailableError(provider, null, { cause: error });
    throw new UnauthorizedError(reasonOf(error));
  }
}
