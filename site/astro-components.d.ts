/**
 * For TypeScript projects that compile without Astro's language tooling (the repo-root `tsc`,
 * which type-checks tests/unit/site-*.test.ts): an imported .astro file is a component.
 */
declare module '*.astro' {
  import type { AstroComponentFactory } from 'astro/runtime/server/index.js';
  const Component: AstroComponentFactory;
  export default Component;
}
