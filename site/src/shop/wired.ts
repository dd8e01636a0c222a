/**
 * An island's controls are sent disabled and marked `data-wired-by-island` (AddToCart,
 * DeliveryEstimate, ProductReviews); the island enables them once its handlers are attached, so
 * a tap before its code has run does nothing rather than submitting the form to the page itself.
 */
export function wired(root: ParentNode): void {
  for (const control of root.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLSelectElement>(
    '[data-wired-by-island]',
  )) {
    control.disabled = false;
    control.removeAttribute('data-wired-by-island');
  }
}
