/**
 * The module scripts the build wrote under /_astro/, as Astro renders them, turned into inert
 * `<template data-module-src>` elements that the layout's inline script starts after the page's
 * largest paint (site/src/middleware.ts, site/src/shop/after-paint.ts). Inline scripts, JSON-LD
 * and scripts from anywhere else are left as they are.
 */
const MODULE_SCRIPT = /<script type="module" src="(\/_astro\/[\w.-]+\.js)"><\/script>/g;

export function deferModuleScripts(html: string): string {
  return html.replace(MODULE_SCRIPT, '<template data-module-src="$1"></template>');
}
