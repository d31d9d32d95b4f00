import { eld } from "eld/small";

export type Language = "fr" | "en";

// An isolated instance restricted to our two languages: short business emails are often
// misread as Catalan or Italian by a 60-language detector.
const detector = eld.newInstance();
detector.setLanguageSubset(["fr", "en"]);

/** The language an email is written in, or null when the text is too short to tell. */
export function detectLanguage(text: string): Language | null {
  const sample = text.slice(0, 1500);
  if (sample.replace(/\s+/g, "").length < 12) return null;
  const { language } = detector.detect(sample);
  return language === "fr" || language === "en" ? language : null;
}
