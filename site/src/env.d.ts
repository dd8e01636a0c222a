/// <reference types="astro/client" />

interface ImportMetaEnv {
  /** "true" when the build uses made-up demo data (the footer says so). */
  readonly PUBLIC_DEMO_DATA?: string;
}

declare namespace App {
  interface Locals {
    /** Set by the Layout's `islandsAfterPaint`: site/src/middleware.ts defers the page's island scripts. */
    islandsAfterPaint?: boolean;
  }
}
