import { unzipSync } from "fflate";
import type { AttachmentLimits } from "@/lib/attachments/limits";

export type ZipListing = { ok: true; names: Set<string> } | { ok: false; reason: "zip_bomb" | "corrupt" };

/**
 * The entries of a ZIP (DOCX, XLSX) from its central directory, without inflating anything: the
 * sizes the archive declares are checked before a reader decompresses it. An archive that lies
 * about its sizes is still bounded by the extraction worker's heap limit.
 */
export function listZip(bytes: Uint8Array, limits: AttachmentLimits): ZipListing {
  const names = new Set<string>();
  let declared = 0;
  try {
    unzipSync(bytes, {
      filter(file) {
        names.add(file.name);
        declared += file.originalSize;
        return false;
      },
    });
  } catch {
    return { ok: false, reason: "corrupt" };
  }
  if (declared > limits.maxUnzippedBytes || declared > bytes.byteLength * limits.maxZipRatio) {
    return { ok: false, reason: "zip_bomb" };
  }
  return { ok: true, names };
}
