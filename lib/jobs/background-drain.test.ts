import { describe, expect, it } from "vitest";
import { requestPass } from "@/lib/jobs/background-drain";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("the instance's background drain", () => {
  it("runs one pass at a time: requests during a pass share one more pass after it", async () => {
    let running = 0;
    let most = 0;
    let passes = 0;
    const release: Array<() => void> = [];
    const pass = async () => {
      running++;
      most = Math.max(most, running);
      passes++;
      await new Promise<void>((r) => release.push(r));
      running--;
    };
    const first = requestPass(pass);
    const during = Array.from({ length: 50 }, () => requestPass(pass));
    await tick();
    expect(passes).toBe(1);
    release.shift()?.();
    await first;
    await tick();
    // The 50 requests that arrived mid-pass got exactly one more pass, not fifty.
    expect(passes).toBe(2);
    expect(new Set(during).size).toBe(1);
    release.shift()?.();
    await Promise.all(during);
    expect(most).toBe(1);
    // Idle again: the next request starts a pass of its own at once.
    const later = requestPass(pass);
    await tick();
    expect(passes).toBe(3);
    release.shift()?.();
    await later;
  });

  it("keeps serving after a pass failed", async () => {
    await requestPass(async () => {
      throw new Error("database down");
    });
    let ran = false;
    await requestPass(async () => {
      ran = true;
    });
    expect(ran).toBe(true);
  });
});
