import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseRawMessage } from "@/lib/mail/mime";
import { loadSet } from "@/lib/samples/sets/load-set";
import { setEmailToEml } from "@/lib/samples/sets/set-email-to-eml";

const NAME = "attachments-2026";
const set = loadSet(NAME);
const all = [...set.dev, ...set.holdout];

describe(`${NAME}: emails whose substance is in the attachment`, () => {
  it("has a dev and a holdout split, every email with at least one generated fixture attached", () => {
    expect(set.dev.map((e) => e.id)).toEqual(["d-001", "d-002", "d-003", "d-004", "d-005", "d-006"]);
    expect(set.holdout.map((e) => e.id)).toEqual(["h-001", "h-002", "h-003", "h-004", "h-005", "h-006"]);
    for (const e of all) {
      expect(e.attachments?.length, e.id).toBeGreaterThan(0);
      for (const a of e.attachments ?? [])
        expect(existsSync(path.join("lib/attachments/fixtures", a.fixture)), `${e.id} ${a.fixture}`).toBe(
          true,
        );
    }
  });

  it("covers every label, and the formats and hostile files of issue 16 in each split", () => {
    for (const split of [set.dev, set.holdout]) {
      const labels = new Set(split.map((e) => e.label));
      expect(labels.has("critical") && labels.has("important") && labels.has("informational")).toBe(true);
      const files = split.flatMap((e) => (e.attachments ?? []).map((a) => a.fixture));
      for (const kind of [/facture-FA-2291\.pdf/, /contrat-.*\.docx/, /tarifs-.*\.xlsx/, /courrier-scan/]) {
        expect(
          files.some((f) => kind.test(f)),
          String(kind),
        ).toBe(true);
      }
    }
  });

  it("turns into RFC 822 with the files attached under the email's names", async () => {
    const e = set.holdout.find((x) => x.id === "h-001")!;
    const msg = await parseRawMessage(setEmailToEml(e), { providerMessageId: e.id });
    expect(msg.attachments).toEqual([
      expect.objectContaining({ filename: "FA-2291.pdf", mimeType: "application/pdf", type: "file" }),
    ]);
  });
});
