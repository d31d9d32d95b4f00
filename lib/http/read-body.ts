import { AppError } from "@/lib/errors/app-error";

/**
 * A request body read up to `maxBytes` and no further, as the exact bytes sent (signatures are
 * computed over bytes, not over a decoded string). A declared Content-Length above the cap is
 * refused before anything is read; a body that runs past it while streaming is cut off there.
 * Either way: 413 and nothing parsed, so a huge POST costs a bounded amount of memory and time.
 */
export async function readBodyCapped(req: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** The same, decoded as UTF-8 (invalid sequences become U+FFFD rather than failing). */
export async function readTextCapped(req: Request, maxBytes: number): Promise<string> {
  return new TextDecoder().decode(await readBodyCapped(req, maxBytes));
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("payload_too_large", `Request body over ${maxBytes} bytes.`);
}
