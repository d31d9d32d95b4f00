import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { qrPath } from "@/app/_lib/qr";

describe("qrPath", () => {
  it("draws exactly the dark modules of the symbol, inside a 4-module quiet zone", () => {
    const link = "https://wa.me/2250101010101?text=FLUX-123456";
    const { size, path } = qrPath(link);
    const { modules } = QRCode.create(link, { errorCorrectionLevel: "M" });
    expect(size).toBe(modules.size + 8);
    const dark = Array.from(modules.data).filter(Boolean).length;
    expect(path.match(/M/g)).toHaveLength(dark);
    // The top-left finder pattern starts right after the quiet zone.
    expect(path.startsWith("M4 4h1v1h-1z")).toBe(true);
  });
});
