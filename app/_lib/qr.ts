import QRCode from "qrcode";

/** Quiet zone around the symbol, in modules (the QR spec asks for 4). */
const MARGIN = 4;

export type QrPath = { size: number; path: string };

/**
 * A QR code as one SVG path (one `h1v1` square per dark module, offset by the quiet zone), so the
 * page draws it as a React <svg> — crisp at any size, no image, no innerHTML.
 */
export function qrPath(text: string): QrPath {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) parts.push(`M${col + MARGIN} ${row + MARGIN}h1v1h-1z`);
    }
  }
  return { size: modules.size + 2 * MARGIN, path: parts.join("") };
}
