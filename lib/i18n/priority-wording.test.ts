import { describe, expect, it } from "vitest";
import { PRIORITIES } from "@/lib/analysis/schema";
import { catalogues, LOCALES } from "@/lib/i18n/catalogue";

/*
 * One name per priority, wherever it is shown: the web app (chips, filters, stats), the WhatsApp
 * alerts and mailbox labels, the analysis's reasons, the CRM notes — and the settings that name it.
 */
describe("priority wording", () => {
  for (const locale of LOCALES) {
    const c = catalogues[locale];
    it(`names each priority the same way everywhere (${locale})`, () => {
      for (const p of PRIORITIES) {
        const name = c.web.priority[p];
        expect({
          p,
          whatsapp: c.whatsapp.priority[p],
          analysis: c.analysis.priority[p],
          crm: c.crm.priority[p],
        }).toEqual({ p, whatsapp: name, analysis: name, crm: name });
        expect(c.web.senders.kind[p].toLowerCase(), p).toContain(name.toLowerCase());
      }
    });

    it(`words the minimum-priority choices as what they send, not contradicting their hint (${locale})`, () => {
      const options = c.web.preferences.minPriorityOption;
      const label = (p: (typeof PRIORITIES)[number]) => c.web.priority[p].toLowerCase();
      expect(options.critical.toLowerCase()).toContain(label("critical"));
      expect(options.critical.toLowerCase()).not.toContain(label("important"));
      for (const option of [options.important, options.informational]) {
        expect(option.toLowerCase()).toContain(label("critical"));
        expect(option.toLowerCase()).toContain(label("important"));
        // Spam is alerted under no setting: no option may promise it or "everything but" it.
        expect(option.toLowerCase()).not.toContain(label("spam"));
      }
      // The hint says informational mail goes to the digest; so does the informational choice.
      expect(c.web.preferences.minPriorityHint).toMatch(/résumé quotidien|daily digest/);
      expect(options.informational).toMatch(/résumé quotidien|daily digest/);
    });
  }
});
