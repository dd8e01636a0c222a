/**
 * /ban-hang/: sign-in (phone → 6-digit code), then the dashboard: onboarding for a new
 * producer, verification and membership status with the reasons given, and shortcuts.
 */
import { api, ApiError, enc } from './api.ts';
import { initCommunePicker, wardName } from './communes.ts';
import { byId, fill, formatDateTime, h, notice, show } from './dom.ts';
import { runSubmit, setBusy, showError, value } from './forms.ts';
import { actionLabel, chip, KIND, MEMBERSHIP, VERIFICATION } from './labels.ts';
import { loadMe, showNav } from './me.ts';
import { sellerMessage } from '../../../shared/domain/seller-messages.ts';
import {
  forgetPendingSignIn,
  loadSession,
  pendingSignIn,
  rememberPendingSignIn,
  safeNext,
  saveSession,
  type SignInResult,
} from './session.ts';
import type { AuditEntry, ItemsOf, Me, Producer, ProducerProfile } from './types.ts';
import { Checker, isMobile, normalize, SIX_DIGITS } from './validate.ts';

export function startHome(): void {
  const params = new URLSearchParams(location.search);
  show(byId('boot'), false);
  if (loadSession()) {
    void showDashboard();
  } else {
    show(byId('signed-out'));
    show(byId('signin-expired'), params.has('het-han'));
    initSignIn(params);
  }
}

let signInStarted = false;
function initSignIn(params: URLSearchParams): void {
  if (signInStarted) return;
  signInStarted = true;
  const phoneForm = byId<HTMLFormElement>('phone-form');
  const codeForm = byId<HTMLFormElement>('code-form');
  const phoneInput = byId<HTMLInputElement>('signin-phone');
  const codeInput = byId<HTMLInputElement>('signin-code');
  const resendStatus = byId('resend-status');
  let phone = '';

  const sendCode = () => api<void>('/api/auth/start', { method: 'POST', body: { phone }, auth: false });
  const showCodeStep = () => {
    fill(byId('code-phone'), phone);
    show(phoneForm, false);
    show(codeForm);
    codeInput.focus();
  };

  // A reload on the code step stays there while the code is valid; the phone stays filled in.
  const pending = pendingSignIn();
  if (pending) {
    phone = pending.phone;
    phoneInput.value = pending.phone;
    if (pending.codeValid) showCodeStep();
  }

  phoneForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = phoneForm.querySelector<HTMLButtonElement>('button[type=submit]')!;
    phone = phoneInput.value.trim();
    const ok = await runSubmit(
      phoneForm,
      button,
      () =>
        isMobile(phone)
          ? []
          : [
              {
                path: 'phone',
                message: 'Số điện thoại di động gồm 10 số, bắt đầu bằng 03, 05, 07, 08 hoặc 09',
              },
            ],
      sendCode,
    );
    if (!ok) return;
    rememberPendingSignIn(phone);
    codeInput.value = '';
    showCodeStep();
  });

  // Only digits; a pasted "123 456" or a full SMS keeps its 6 digits.
  codeInput.addEventListener('input', () => {
    const digits = codeInput.value.replace(/\D/g, '').slice(0, 6);
    if (digits !== codeInput.value) codeInput.value = digits;
  });

  codeForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = codeForm.querySelector<HTMLButtonElement>('button[type=submit]')!;
    const code = codeInput.value.trim();
    let result: SignInResult | undefined;
    const ok = await runSubmit(
      codeForm,
      button,
      () => (SIX_DIGITS.test(code) ? [] : [{ path: 'code', message: 'Mã gồm đúng 6 chữ số' }]),
      async () => {
        try {
          result = await api<SignInResult>('/api/auth/verify', {
            method: 'POST',
            body: { phone, code },
            auth: false,
            on401: 'throw',
          });
        } catch (error) {
          // On this form a refusal is about the code, not a session.
          if (error instanceof ApiError && error.status === 401)
            throw new ApiError(401, 'auth.code_invalid', sellerMessage('auth.code_invalid'));
          throw error;
        }
      },
      'Đang đăng nhập…',
    );
    if (!ok || !result) return;
    saveSession(result);
    forgetPendingSignIn();
    const next = safeNext(params.get('next'));
    if (next) {
      location.assign(next);
      return;
    }
    history.replaceState(null, '', '/ban-hang/');
    show(byId('signed-out'), false);
    void showDashboard();
  });

  byId<HTMLButtonElement>('resend-code').addEventListener('click', async (event) => {
    const button = event.currentTarget as HTMLButtonElement;
    setBusy(button, true);
    try {
      await sendCode();
      rememberPendingSignIn(phone);
      notice(resendStatus, 'Đã gửi mã mới.', 'ok');
    } catch (error) {
      notice(resendStatus, error instanceof ApiError ? error.message : String(error), 'error');
    } finally {
      setBusy(button, false);
    }
  });

  byId('change-phone').addEventListener('click', () => {
    rememberPendingSignIn(phone, 0); // the number stays filled in, the code step is left
    show(codeForm, false);
    show(phoneForm);
    phoneInput.focus();
  });
}

async function showDashboard(): Promise<void> {
  show(byId('signed-in'));
  const boot = byId('boot');
  show(boot);
  let me: Me;
  try {
    me = await loadMe(true);
  } catch (error) {
    show(boot, false);
    if (error instanceof ApiError && error.status === 401) {
      // The stored token was refused (expired, or signed by another issuer): sign in again here.
      show(byId('signed-in'), false);
      show(byId('signed-out'));
      show(byId('signin-expired'));
      initSignIn(new URLSearchParams(location.search));
      return;
    }
    notice(byId('dash-error'), error instanceof ApiError ? error.message : String(error), 'error');
    return;
  } finally {
    show(boot, false);
  }
  showNav(me);
  for (const id of ['onboarding', 'profile', 'membership', 'shortcuts', 'recent']) show(byId(id), false);

  if (!me.producer) {
    renderShortcuts(me);
    if (!me.isAdmin || me.manages) initSignUp();
    return;
  }
  const audit = await api<ItemsOf<AuditEntry>>(`/api/producers/${enc(me.producer.id)}/audit`).catch(
    () => ({ items: [] }) as ItemsOf<AuditEntry>,
  );
  renderProfile(me.producer, audit.items);
  if (me.producer.kind === 'household') void renderMembership(me, audit.items);
  renderShortcuts(me);
  renderRecent(audit.items);
}

let signUpStarted = false;
function initSignUp(): void {
  show(byId('onboarding'));
  if (signUpStarted) return;
  signUpStarted = true;
  const form = byId<HTMLFormElement>('signup-form');
  initCommunePicker(form.querySelector<HTMLElement>('[data-commune-picker]')!);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
    const c = new Checker();
    const kind = (form.querySelector<HTMLInputElement>('input[name=kind]:checked')?.value ?? '') as string;
    c.oneOf('kind', kind, ['household', 'cooperative', 'enterprise'], 'Hãy chọn loại nhà sản xuất');
    const name = c.text('name', value(form, 'name'), 120);
    const provinceCode = value(form, 'address.provinceCode');
    const communeCode = value(form, 'address.communeCode');
    if (!/^\d{5}$/.test(communeCode)) {
      c.add('address.communeCode', 'Hãy chọn xã/phường trong danh sách');
    }
    const street = c.text('address.street', value(form, 'address.street'), 200, false);
    const vi = c.text('description.vi', value(form, 'description.vi'), 2000, false);
    const en = c.text('description.en', value(form, 'description.en'), 2000, false);
    if (en && !vi) c.add('description.vi', 'Hãy viết phần tiếng Việt trước');
    const ok = await runSubmit(
      form,
      button,
      () => c.issues,
      async () => {
        await api<Producer>('/api/producers', {
          method: 'POST',
          body: {
            kind,
            name,
            address: { provinceCode, communeCode, ...(street ? { street } : {}) },
            ...(vi ? { description: { vi, ...(en ? { en } : {}) } } : {}),
          },
        });
      },
    );
    if (ok) {
      show(byId('onboarding'), false);
      await showDashboard();
      byId('profile-title').focus?.();
    }
  });
}

function renderProfile(producer: Producer, audit: AuditEntry[]): void {
  show(byId('profile'));
  fill(byId('profile-title'), producer.name);
  const facts = byId('profile-facts');
  const place = h('dd', null, producer.address.communeCode);
  fill(
    facts,
    h('dt', null, 'Loại'),
    h('dd', null, KIND[producer.kind]?.vi ?? producer.kind),
    h('dt', null, 'Địa chỉ'),
    place,
    h('dt', null, 'Xác minh'),
    h('dd', null, chip(VERIFICATION[producer.verification.status], producer.verification.status)),
  );
  void wardName(producer.address.provinceCode, producer.address.communeCode).then((name) => {
    if (name) fill(place, [producer.address.street, name].filter(Boolean).join(', '));
  });

  const box = byId('verification-box');
  const v = producer.verification;
  const lines: (HTMLElement | string)[] = [];
  if (v.status === 'verified') {
    lines.push(
      h(
        'p',
        { class: 'notice notice--ok' },
        `Đã xác minh${v.decidedAt ? ` ngày ${formatDateTime(v.decidedAt)}` : ''}. Bạn có thể gửi sản phẩm để duyệt.`,
      ),
    );
  } else if (v.status === 'rejected') {
    const last = audit.find((a) => a.action === 'producer.rejected');
    lines.push(
      h(
        'div',
        { class: 'notice notice--error' },
        h('p', null, h('strong', null, 'Hồ sơ chưa được chấp nhận. '), 'Verification was rejected.'),
        h('p', null, 'Lý do: ', h('q', null, v.reason ?? last?.reason ?? '—')),
      ),
    );
  } else if (producer.kind === 'household') {
    lines.push(
      h(
        'p',
        { class: 'notice notice--info' },
        producer.membership?.status === 'requested'
          ? 'Hộ của bạn được xác minh khi hợp tác xã nhận vào.'
          : 'Hộ sản xuất được xác minh khi hợp tác xã nhận vào (hoặc quản trị viên xác minh nếu bán độc lập). Trong lúc chờ, bạn vẫn tạo được sản phẩm nháp.',
      ),
    );
  } else {
    lines.push(
      h(
        'p',
        { class: 'notice notice--info' },
        'Quản trị viên sàn đang xem hồ sơ. Trong lúc chờ, bạn vẫn tạo được sản phẩm nháp.',
      ),
    );
  }
  fill(box, lines);
}

async function renderMembership(me: Me, audit: AuditEntry[]): Promise<void> {
  const producer = me.producer!;
  show(byId('membership'));
  const status = byId('membership-status');
  const form = byId<HTMLFormElement>('join-form');
  const membership = producer.membership;
  show(form, false);
  if (membership?.status === 'approved') {
    const coop = me.cooperative;
    fill(
      status,
      h(
        'p',
        null,
        chip(MEMBERSHIP.approved),
        ' ',
        coop ? h('a', { href: `/nha-san-xuat/${coop.slug}/` }, coop.name) : 'Hợp tác xã',
        membership.decidedAt ? ` — từ ${formatDateTime(membership.decidedAt)}` : '',
      ),
      h('p', { class: 'muted' }, 'Hợp tác xã duyệt sản phẩm của bạn trước khi bán.'),
    );
    return;
  }
  if (membership?.status === 'requested') {
    const asked = audit.find((a) => a.action === 'membership.requested');
    const name = (asked?.details?.cooperativeName as string | undefined) ?? 'hợp tác xã';
    fill(
      status,
      h('p', null, chip(MEMBERSHIP.requested), ' ', `Đã gửi yêu cầu gia nhập ${name}`),
      asked
        ? h(
            'p',
            { class: 'muted' },
            `Gửi lúc ${formatDateTime(asked.at)}. Quản lý HTX sẽ duyệt và ghi lý do nếu từ chối.`,
          )
        : null,
    );
    return;
  }
  const parts: HTMLElement[] = [];
  if (membership?.status === 'rejected') {
    const rejected = audit.find((a) => a.action === 'membership.rejected');
    parts.push(
      h(
        'div',
        { class: 'notice notice--error' },
        h('p', null, chip(MEMBERSHIP.rejected), ' Yêu cầu gia nhập trước chưa được chấp nhận.'),
        rejected?.reason ? h('p', null, 'Lý do: ', h('q', null, rejected.reason)) : null,
        h('p', null, 'Bạn có thể xin gia nhập lại hoặc chọn hợp tác xã khác.'),
      ),
    );
  } else {
    parts.push(h('p', null, 'Hộ của bạn chưa thuộc hợp tác xã nào.'));
  }
  fill(status, parts);
  show(form);
  const select = byId<HTMLSelectElement>('join-coop');
  if (select.options.length <= 1) {
    try {
      const { items } = await api<ItemsOf<ProducerProfile>>('/api/catalog/producers', { auth: false });
      const coops = items.filter((p) => p.kind === 'cooperative');
      // Cooperatives of the household's own commune first, then the rest by name.
      coops.sort(
        (a, b) =>
          Number(b.commune.code === producer.address.communeCode) -
            Number(a.commune.code === producer.address.communeCode) || a.name.localeCompare(b.name, 'vi'),
      );
      for (const coop of coops) {
        select.append(h('option', { value: coop.slug }, `${coop.name} — ${coop.commune.name}`));
      }
    } catch (error) {
      showError(form, error);
    }
  }
  if (form.dataset.wired) return;
  form.dataset.wired = '1';
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
    const cooperativeSlug = select.value;
    const ok = await runSubmit(
      form,
      button,
      () => (cooperativeSlug ? [] : [{ path: 'cooperativeSlug', message: 'Hãy chọn một hợp tác xã' }]),
      async () => {
        await api(`/api/producers/${enc(producer.id)}/membership`, {
          method: 'POST',
          body: { cooperativeSlug },
        });
      },
    );
    if (ok) await showDashboard();
  });
}

function renderShortcuts(me: Me): void {
  const tiles: HTMLElement[] = [];
  const tile = (href: string, vi: string, note: string) =>
    h(
      'li',
      null,
      h('a', { class: 'tile', href }, h('strong', null, vi), h('span', { class: 'tile__note' }, note)),
    );
  if (me.producer) {
    tiles.push(tile('/ban-hang/san-pham/', 'Sản phẩm của tôi', 'Thêm, sửa giá, kho, ảnh, lô hàng, OCOP'));
    tiles.push(tile('/ban-hang/san-pham/#moi', 'Thêm sản phẩm', 'Chụp ảnh bằng điện thoại'));
    tiles.push(tile('/ban-hang/thi-truong/', 'Thị trường', 'Giá tham chiếu, giá bán gần đây, doanh số'));
    tiles.push(tile('/ban-hang/nhat-ky/', 'Nhật ký', 'Ai đã làm gì, khi nào, vì sao'));
  }
  if (me.manages) {
    tiles.push(
      tile('/hop-tac-xa/', `Bảng ${me.manages.name}`, 'Duyệt thành viên, sản phẩm; đăng thay; nhập CSV'),
    );
  }
  if (me.isAdmin) tiles.push(tile('/quan-tri/', 'Quản trị sàn', 'Xác minh nhà sản xuất, chứng nhận OCOP'));
  if (tiles.length === 0) return;
  fill(byId('shortcut-list'), tiles);
  show(byId('shortcuts'));
}

function renderRecent(audit: AuditEntry[]): void {
  const decisions = audit
    .filter((a) => /approved|rejected|verified|created_on_behalf/.test(a.action))
    .slice(0, 5);
  if (decisions.length === 0) return;
  fill(
    byId('recent-list'),
    decisions.map((a) =>
      h(
        'li',
        null,
        h('time', { datetime: a.at }, formatDateTime(a.at)),
        ' ',
        h('strong', null, actionLabel(a.action)),
        a.subject.name ? ` — ${a.subject.name}` : '',
        a.reason ? h('p', { class: 'reason' }, 'Lý do: ', h('q', null, normalize(a.reason))) : null,
      ),
    ),
  );
  show(byId('recent'));
}
