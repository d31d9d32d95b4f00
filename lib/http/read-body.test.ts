import { describe, expect, it } from "vitest";
import { readBodyCapped, readTextCapped } from "@/lib/http/read-body";

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://localhost/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("readBodyCapped", () => {
  it("returns the exact bytes up to the cap", async () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x41]);
    expect(await readBodyCapped(post(bytes), 3)).toEqual(bytes);
    expect(await readTextCapped(post("é"), 2)).toBe("é");
  });

  it("refuses a declared length above the cap before reading", async () => {
    await expect(readBodyCapped(post("{}", { "content-length": "5000000" }), 1000)).rejects.toMatchObject({
      status: 413,
    });
  });

  it("cuts off a streamed body that runs past the cap", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    await expect(readBodyCapped(post(stream), 256 * 1024)).rejects.toMatchObject({ status: 413 });
    expect(pulled).toBeLessThan(10);
  });
});
