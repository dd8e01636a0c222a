/// <reference types="astro/client" />

interface ImportMetaEnv {
  /** "true" when the build uses made-up demo data (the footer says so). */
  readonly PUBLIC_DEMO_DATA?: string;
}
