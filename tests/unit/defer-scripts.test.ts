/**
 * Islands after the first paint: the module scripts the build wrote under /_astro/ become inert
 * templates on the pages that ask for it (site/src/middleware.ts); the layout's inline script,
 * JSON-LD and any other script stay as they are. The browser side (no script fetched before the
 * largest paint, the islands run after it) is checked in Chromium by tests/e2e/storefront.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { deferModuleScripts } from '../../site/src/lib/defer-scripts.ts';

describe('deferModuleScripts', () => {
  it("turns each of the build's module scripts into a template that names it", () => {
    const html =
      '<main><form data-add-to-cart></form>' +
      '<script type="module" src="/_astro/AddToCart.astro_astro_type_script_index_0_lang.BWwmGrun.js"></script>' +
      '<section></section><script type="module" src="/_astro/PackTable.astro_astro_type_script_index_0_lang.CBs2-Nxk.js"></script></main>';
    expect(deferModuleScripts(html)).toBe(
      '<main><form data-add-to-cart></form>' +
        '<template data-module-src="/_astro/AddToCart.astro_astro_type_script_index_0_lang.BWwmGrun.js"></template>' +
        '<section></section><template data-module-src="/_astro/PackTable.astro_astro_type_script_index_0_lang.CBs2-Nxk.js"></template></main>',
    );
  });

  it('leaves inline scripts, JSON-LD and scripts from elsewhere alone', () => {
    const html = [
      '<script type="module">const m="tn.cart.v1";</script>',
      '<script type="application/ld+json">{"@type":"Product"}</script>',
      '<script type="module" src="https://cdn.example/x.js"></script>',
      '<script type="module" src="/media/x.js"></script>',
      '<script src="/_astro/classic.js"></script>',
      '<script type="module" src="/_astro/../x.js"></script>',
    ].join('');
    expect(deferModuleScripts(html)).toBe(html);
  });
});
