/**
 * The attributes of a box a wide table scrolls sideways in on a phone: focusable and named, so
 * keyboard and screen-reader users can reach and scroll it too (axe's scrollable-region-focusable).
 */
export function scrollRegion(label: string): Record<string, string> {
  return { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': label };
}
