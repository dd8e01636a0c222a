/**
 * Field errors for the seller forms. An issue `{ path, message }` (from the API or from the
 * checks in validate.ts) is shown next to the control whose `data-path` or `name` matches its
 * path — `address.communeCode`, `packs.0.price` — with `aria-invalid` and `aria-describedby`,
 * and listed in a summary at the top of the form that links to each field.
 */
import { ApiError, errorMessage, type FieldIssue } from './api.ts';
import { fill, h } from './dom.ts';

type Control = HTMLElement;

function controlFor(form: HTMLElement, path: string): Control | null {
  let candidate = path;
  for (;;) {
    const found =
      form.querySelector<HTMLElement>(`[data-path="${CSS.escape(candidate)}"]`) ??
      form.querySelector<HTMLElement>(`[name="${CSS.escape(candidate)}"]:not([type=hidden])`);
    if (found) return found;
    const cut = candidate.lastIndexOf('.');
    if (cut < 0) return null;
    candidate = candidate.slice(0, cut);
  }
}

function errorElementFor(control: Control): HTMLElement {
  const id = `${control.id || control.dataset.path || 'field'}-error`;
  const existing = document.getElementById(id);
  if (existing) return existing;
  const el = h('p', { class: 'field-error', id });
  if (control.tagName === 'FIELDSET') {
    const legend = control.querySelector(':scope > legend');
    if (legend) legend.after(el);
    else control.prepend(el);
  } else {
    const field = control.closest('.field') ?? control.parentElement;
    field?.append(el);
  }
  return el;
}

/** The words of a control's label, for the summary. */
function labelOf(control: Control): string {
  const label =
    (control as HTMLInputElement).labels?.[0] ??
    (control.tagName === 'FIELDSET' ? control.querySelector(':scope > legend') : null) ??
    (control.getAttribute('aria-labelledby')
      ? document.getElementById(control.getAttribute('aria-labelledby')!)
      : null);
  const vi = label?.querySelector('.vi') ?? label;
  const text = vi?.textContent?.trim() ?? '';
  // A field of a repeated group (a pack) says which one: "Gói 2 (mới) — Giá (đồng)".
  const group = control.parentElement?.closest('fieldset[data-group-label]');
  const groupLabel = group?.querySelector(':scope > legend')?.firstChild?.textContent?.trim();
  return groupLabel && group !== control ? `${groupLabel} — ${text}` : text;
}

export function setFieldError(control: Control, message: string): void {
  const el = errorElementFor(control);
  const previous = el.textContent ? `${el.textContent} ` : '';
  fill(el, previous + message);
  el.hidden = false;
  control.setAttribute('aria-invalid', 'true');
  const described = new Set((control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean));
  described.add(el.id);
  control.setAttribute('aria-describedby', [...described].join(' '));
}

export function clearIssues(form: HTMLElement): void {
  for (const control of form.querySelectorAll('[aria-invalid="true"]'))
    control.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll<HTMLElement>('.field-error')) {
    el.textContent = '';
    el.hidden = true;
  }
  const summary = form.querySelector<HTMLElement>('.form-summary');
  if (summary) {
    summary.hidden = true;
    summary.replaceChildren();
  }
}

function summaryFor(form: HTMLElement): HTMLElement {
  let summary = form.querySelector<HTMLElement>('.form-summary');
  if (!summary) {
    summary = h('div', { class: 'form-summary', tabindex: '-1', hidden: true });
    form.prepend(summary);
  }
  return summary;
}

/** Shows each issue beside its field and a linked list of them at the top; focuses the summary. */
export function showIssues(form: HTMLElement, issues: FieldIssue[], heading?: string): void {
  clearIssues(form);
  const summary = summaryFor(form);
  const items: HTMLElement[] = [];
  for (const issue of issues) {
    const control = issue.path ? controlFor(form, issue.path) : null;
    if (control) {
      setFieldError(control, issue.message);
      const label = labelOf(control);
      const target =
        control.tagName === 'FIELDSET' ? control.querySelector('input,select,textarea') : control;
      const link = h(
        'a',
        { href: `#${(target as HTMLElement | null)?.id ?? control.id}` },
        label ? `${label}: ` : '',
        issue.message,
      );
      link.addEventListener('click', (event) => {
        event.preventDefault();
        (target as HTMLElement | null)?.focus();
      });
      items.push(h('li', null, link));
    } else {
      items.push(h('li', null, issue.message));
    }
  }
  fill(
    summary,
    h(
      'p',
      { class: 'form-summary__title' },
      heading ?? `Chưa gửi được — hãy sửa ${issues.length} lỗi dưới đây`,
    ),
    h('ul', null, items),
  );
  summary.setAttribute('role', 'alert');
  summary.hidden = false;
  summary.focus();
}

/** One message for the whole form (no field to point at). */
export function showFormError(form: HTMLElement, message: string): void {
  clearIssues(form);
  const summary = summaryFor(form);
  fill(summary, h('p', { class: 'form-summary__title' }, message));
  summary.setAttribute('role', 'alert');
  summary.hidden = false;
  summary.focus();
}

/** Shows whatever went wrong: field issues where the API named fields, else one message. */
export function showError(form: HTMLElement, error: unknown): void {
  if (error instanceof ApiError && error.issues.length > 0) {
    showIssues(form, error.issues);
  } else {
    showFormError(form, errorMessage(error));
  }
}

/** Disables a button while a request runs and says so ("Đang gửi…"). */
export function setBusy(button: HTMLButtonElement, busy: boolean, busyText = 'Đang gửi…'): void {
  if (busy) {
    if (!button.dataset.idleText) button.dataset.idleText = button.textContent ?? '';
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    button.textContent = busyText;
  } else {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    if (button.dataset.idleText !== undefined) button.textContent = button.dataset.idleText;
  }
}

/**
 * Runs a form's submit: local checks first (issues block the request), then the request with
 * the button busy; errors land beside the fields. Resolves true when the action succeeded.
 */
export async function runSubmit(
  form: HTMLElement,
  button: HTMLButtonElement,
  check: () => FieldIssue[],
  action: () => Promise<void>,
  busyText?: string,
): Promise<boolean> {
  const issues = check();
  if (issues.length > 0) {
    showIssues(form, issues);
    return false;
  }
  clearIssues(form);
  setBusy(button, true, busyText);
  try {
    await action();
    return true;
  } catch (error) {
    if ((error as Error).name === 'AbortError') return false;
    showError(form, error);
    return false;
  } finally {
    setBusy(button, false);
  }
}

/** The trimmed value of a named control in a form ('' when absent). */
export function value(form: HTMLElement, name: string): string {
  const el = form.querySelector<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
    `[name="${CSS.escape(name)}"]`,
  );
  return el ? el.value.trim() : '';
}

/** Typing into a flagged field clears its flag: the error was about the old value. */
if (typeof document !== 'undefined') {
  document.addEventListener('input', (event) => {
    const control = event.target as HTMLElement;
    if (control.getAttribute?.('aria-invalid') !== 'true') return;
    control.removeAttribute('aria-invalid');
    const error = document.getElementById(`${control.id}-error`);
    if (error) error.hidden = true;
  });
}
