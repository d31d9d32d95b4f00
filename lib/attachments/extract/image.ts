import { encode } from "fast-png";
import { imageSize } from "image-size";
import type { OcrEngine } from "@/lib/attachments/extract/ocr-engine";
import { boundText, type ExtractOutcome, unreadable } from "@/lib/attachments/extract/outcome";
import type { AttachmentLimits } from "@/lib/attachments/limits";

export type RawImage = { data: Uint8ClampedArray; width: number; height: number; channels: 1 | 3 | 4 };

/**
 * A decoded bitmap (from a scanned PDF page) as an 8-bit grayscale PNG for tesseract, scaled down
 * by an integer step when it has more than `maxPixels`.
 */
export function toGrayPng(image: RawImage, maxPixels: number): Uint8Array {
  const { width, height, channels, data } = image;
  const step = Math.max(1, Math.ceil(Math.sqrt((width * height) / maxPixels)));
  const w = Math.floor(width / step);
  const h = Math.floor(height / step);
  const gray = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = x * step;
      const sy = y * step;
      let v: number;
      if (channels === 1) v = data[sy * width + sx]!;
      else {
        const i = (sy * width + sx) * channels;
        v = (data[i]! * 299 + data[i + 1]! * 587 + data[i + 2]! * 114) / 1000;
      }
      gray[y * w + x] = v;
    }
  }
  return encode({ width: w, height: h, data: gray, channels: 1, depth: 8 });
}

/** JPEG and PNG attachments: dimensions checked from the header before anything decodes them. */
export async function readImage(
  bytes: Uint8Array,
  limits: AttachmentLimits,
  ocr: () => Promise<OcrEngine>,
): Promise<ExtractOutcome> {
  let size: { width?: number; height?: number };
  try {
    size = imageSize(bytes);
  } catch {
    return unreadable("image", "corrupt");
  }
  if (!size.width || !size.height) return unreadable("image", "corrupt");
  if (size.width * size.height > limits.maxImagePixels) return unreadable("image", "image_too_large");
  if (limits.ocrPages === 0) return unreadable("image", "no_text");
  let text: string;
  try {
    text = await (await ocr()).recognize(bytes);
  } catch {
    return unreadable("image", "corrupt");
  }
  const bounded = boundText(text, limits.maxTextChars);
  if (bounded.text.length < 3) return unreadable("image", "no_text");
  return {
    ok: true,
    format: "image",
    method: "ocr",
    text: bounded.text,
    pages: 1,
    truncated: bounded.truncated,
  };
}
