/**
 * Approve, or reject with a reason the other side will read: the one decision control of the
 * cooperative board and the admin page (the Decision body of shared/domain/seller.ts).
 */
import { fill, h, uid } from './dom.ts';
import { runSubmit, value } from './forms.ts';
import { checkDecision } from './validate.ts';

export interface DecisionBody {
  decision: 'approve' | 'reject';
  reason?: string;
}

export interface DecisionOptions {
  /** What is decided, for the buttons' accessible names: "HTX …", "Chè đinh …". */
  subject: string;
  approveText?: string;
  rejectHint?: string;
  send: (body: DecisionBody) => Promise<void>;
  /** Called after a decision went through (e.g. to drop the card from the queue). */
  done: (body: DecisionBody) => void;
}

export function decisionForm(options: DecisionOptions): HTMLFormElement {
  const reasonId = uid('reason');
  const approve = h(
    'button',
    {
      type: 'button',
      class: 'btn btn--primary',
      'aria-label': `${options.approveText ?? 'Duyệt'}: ${options.subject}`,
    },
    options.approveText ?? 'Duyệt',
  );
  const reject = h(
    'button',
    {
      type: 'button',
      class: 'btn btn--danger',
      'aria-expanded': 'false',
      'aria-controls': `${reasonId}-box`,
    },
    'Từ chối…',
  );
  const confirmReject = h('button', { type: 'submit', class: 'btn btn--danger' }, 'Gửi từ chối');
  const cancel = h('button', { type: 'button', class: 'btn' }, 'Thôi');
  const reasonBox = h(
    'div',
    { class: 'decide__reject', id: `${reasonId}-box`, hidden: true },
    h(
      'div',
      { class: 'field' },
      h('label', { for: reasonId }, h('span', { class: 'vi' }, 'Lý do từ chối')),
      h(
        'p',
        { class: 'hint', id: `${reasonId}-hint` },
        options.rejectHint ?? 'Viết rõ cần sửa gì để người gửi làm lại được.',
      ),
      h('textarea', {
        id: reasonId,
        name: 'reason',
        rows: 3,
        maxlength: '500',
        'aria-describedby': `${reasonId}-hint`,
      }),
    ),
    h('div', { class: 'decide__buttons' }, confirmReject, cancel),
  );
  const result = h('p', { role: 'status' });
  const form = h(
    'form',
    { class: 'decide', novalidate: true },
    h('div', { class: 'form-summary', tabindex: '-1', hidden: true }),
    h('div', { class: 'decide__buttons' }, approve, reject),
    reasonBox,
    result,
  );

  const finish = (body: DecisionBody) => {
    fill(
      form,
      h(
        'p',
        {
          class: `notice ${body.decision === 'approve' ? 'notice--ok' : 'notice--error'}`,
          role: 'status',
          tabindex: '-1',
        },
        body.decision === 'approve' ? 'Đã duyệt.' : `Đã từ chối. Lý do đã gửi: “${body.reason}”.`,
      ),
    );
    (form.firstElementChild as HTMLElement | null)?.focus();
    options.done(body);
  };

  approve.addEventListener('click', async () => {
    const body: DecisionBody = { decision: 'approve' };
    const ok = await runSubmit(
      form,
      approve,
      () => [],
      () => options.send(body),
      'Đang duyệt…',
    );
    if (ok) finish(body);
  });
  reject.addEventListener('click', () => {
    reasonBox.hidden = false;
    reject.setAttribute('aria-expanded', 'true');
    form.querySelector<HTMLTextAreaElement>('textarea')!.focus();
  });
  cancel.addEventListener('click', () => {
    reasonBox.hidden = true;
    reject.setAttribute('aria-expanded', 'false');
    reject.focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const reason = value(form, 'reason');
    const body: DecisionBody = { decision: 'reject', reason };
    const ok = await runSubmit(
      form,
      confirmReject,
      () => checkDecision('reject', reason),
      () => options.send(body),
    );
    if (ok) finish(body);
  });
  return form;
}
