import type { NextConfig } from "next";
// Importing the environment here makes a bad production configuration fail the build, loudly.
import "./lib/env";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // scripts/dev.ts logs requests itself, without their query strings (tokens travel in some).
  logging: { incomingRequests: false },
  // The local compose form may attach a file of up to 10 MB (the attachment reader's limit).
  experimental: {
    serverActions: { bodySizeLimit: "11mb" },
    // Turbopack's persistent dev cache (on by default since Next 16.1): a `next dev` that restored
    // the cache another session had written after browsing the dashboard, stats and outbox pages
    // sent the browser a reload after every load of the landing page, forever (reproduced with the
    // experience browser suite followed by the reply suite on one .next; a cold cache never loops).
    // Restarts compile from scratch instead: a few seconds, against a page nobody can use.
    turbopackFileSystemCacheForDev: false,
  },
  // PGlite ships WebAssembly and data files it loads from its own folder at run time; so do
  // tesseract.js (its worker script, the wasm core) and the language-data packages, and the other
  // attachment readers run in the extraction worker straight from node_modules.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "tesseract.js",
    "tesseract.js-core",
    "@tesseract.js-data/fra",
    "@tesseract.js-data/eng",
    "unpdf",
    "mammoth",
    "read-excel-file",
  ],
  outputFileTracingIncludes: {
    "/api/**": [
      "./supabase/migrations/**",
      // Loaded by path at run time, so the tracer cannot see them: the LSTM cores and the FR/EN data.
      "./node_modules/tesseract.js/src/worker-script/**",
      "./node_modules/tesseract.js-core/tesseract-core*lstm*",
      "./node_modules/@tesseract.js-data/fra/4.0.0_best_int/**",
      "./node_modules/@tesseract.js-data/eng/4.0.0_best_int/**",
    ],
  },
  // Production never opens PGlite (lib/env.ts refuses to start without DATABASE_URL or Supabase):
  // its 19 MB of WebAssembly and data stay out of every function bundle. scripts/check-bundles.ts
  // (run by .ci/run after the build) fails if a route's trace carries it again.
  outputFileTracingExcludes: {
    // The package, and the link to it the build keeps under .next/node_modules (pglite-<hash>).
    "/**": [
      "./node_modules/@electric-sql/pglite",
      "./node_modules/@electric-sql/pglite/**",
      "./.next/node_modules/@electric-sql/pglite*",
    ],
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
