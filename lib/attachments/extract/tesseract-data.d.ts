// The language-data packages ship a CommonJS index without types: `langPath` is the folder of
// their `4.0.0` data, next to which sits `4.0.0_best_int` (smaller, LSTM-only).
declare module "@tesseract.js-data/fra" {
  const data: { code: string; gzip: boolean; langPath: string };
  export default data;
}
declare module "@tesseract.js-data/eng" {
  const data: { code: string; gzip: boolean; langPath: string };
  export default data;
}
