import { wantsLookalikeCheck } from "@/lib/analysis/lookalike-check";
import type { NormalizedMessage } from "@/lib/mail/types";
import type { Hasher } from "@/lib/relationships/hash";
import { type RelationshipQuery, relationshipQuery } from "@/lib/relationships/query";

/** The query the pipeline and the evaluation both send to a relationship store for one email. */
export function queryFor(
  msg: Pick<NormalizedMessage, "from" | "headers" | "subject" | "text">,
  hash: Hasher,
): RelationshipQuery {
  return relationshipQuery(msg, hash, { lookalikes: wantsLookalikeCheck(msg) });
}
