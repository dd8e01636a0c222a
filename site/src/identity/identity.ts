/**
 * Digital identity in the seller pages (shared/auth/identity.ts): the "Đăng nhập bằng định danh
 * điện tử" button, the account's "đã định danh" state with its "Liên kết định danh điện tử"
 * button, and the page the identity provider sends the browser back to (/dang-nhap/dinh-danh/).
 */
import { api, ApiError, errorMessage } from '../seller/api.ts';
import { loadSession, saveSession, SIGN_IN_PATH, type SignInResult } from '../seller/session.ts';

interface VerifiedIdentity {
  issuer: string;
  verifiedAt: string;
  name?: string;
}

type FinishResult =
  | { mode: 'link'; identity: VerifiedIdentity }
  | { mode: 'signIn'; identity: VerifiedIdentity; session: SignInResult };

const STATE_KEY = 'tn-identity-state';

const dateText = (iso: string) => new Date(iso).toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });

/** Asks for an authorization URL and goes there. */
async function start(purpose: 'link' | 'signIn', status: HTMLElement | null): Promise<void> {
  try {
    const { authorizationUrl } = await api<{ authorizationUrl: string }>('/api/auth/identity/start', {
      body: { purpose },
      auth: purpose === 'link',
      on401: 'throw',
    });
    // The request belongs to this tab: the return page refuses a state it did not start (a link
    // with someone else's code and state would otherwise sign this browser in as them).
    sessionStorage.setItem(STATE_KEY, new URL(authorizationUrl).searchParams.get('state') ?? '');
    location.assign(authorizationUrl);
  } catch (error) {
    if (status) {
      status.textContent = errorMessage(error);
      status.hidden = false;
    }
  }
}

/** The sign-in page's button. */
export function mountIdentitySignIn(root: HTMLElement): void {
  const button = root.querySelector<HTMLButtonElement>('[data-identity-sign-in]');
  const status = root.querySelector<HTMLElement>('[data-identity-status]');
  button?.addEventListener('click', () => {
    button.disabled = true;
    void start('signIn', status).finally(() => (button.disabled = false));
  });
}

/** The account area: "đã định danh" with the verified name, or the button to link. */
export async function mountIdentityStatus(root: HTMLElement): Promise<void> {
  if (!loadSession()) {
    // On the sign-in page: show it once the phone sign-in has shown the signed-in part.
    const host = root.closest<HTMLElement>('#signed-in');
    if (!host) return;
    const observer = new MutationObserver(() => {
      if (host.hidden || !loadSession()) return;
      observer.disconnect();
      void mountIdentityStatus(root);
    });
    observer.observe(host, { attributes: true, attributeFilter: ['hidden'] });
    return;
  }
  const verified = root.querySelector<HTMLElement>('[data-identity-verified]')!;
  const unverified = root.querySelector<HTMLElement>('[data-identity-unverified]')!;
  const status = root.querySelector<HTMLElement>('[data-identity-status]');
  try {
    const state = await api<{ verified: VerifiedIdentity | null }>('/api/auth/identity');
    if (state.verified) {
      const who = root.querySelector<HTMLElement>('[data-identity-name]')!;
      who.textContent = `${state.verified.name ?? ''}${state.verified.name ? ' · ' : ''}ngày ${dateText(state.verified.verifiedAt)}`;
      verified.hidden = false;
    } else {
      unverified.hidden = false;
    }
    root.hidden = false;
  } catch {
    return; // the rest of the page shows the sign-in problem
  }
  const button = root.querySelector<HTMLButtonElement>('[data-identity-link]');
  button?.addEventListener('click', () => {
    button.disabled = true;
    void start('link', status).finally(() => (button.disabled = false));
  });
  const unlink = root.querySelector<HTMLButtonElement>('[data-identity-unlink]');
  unlink?.addEventListener('click', () => {
    if (!confirm('Hủy liên kết định danh điện tử khỏi tài khoản này?')) return;
    unlink.disabled = true;
    api<{ verified: null }>('/api/auth/identity', { method: 'DELETE' })
      .then(
        () => {
          verified.hidden = true;
          unverified.hidden = false;
          if (status) {
            status.textContent = 'Đã hủy liên kết định danh điện tử.';
            status.className = 'notice notice--ok';
            status.setAttribute('role', 'status');
            status.hidden = false;
          }
        },
        (error: unknown) => {
          if (status) {
            status.textContent = errorMessage(error);
            status.className = 'notice notice--error';
            status.setAttribute('role', 'alert');
            status.hidden = false;
          }
        },
      )
      .finally(() => (unlink.disabled = false));
  });
}

/** /dang-nhap/dinh-danh/: posts what the provider sent back, then links or signs in. */
export async function finishIdentityPage(root: HTMLElement): Promise<void> {
  const title = root.querySelector<HTMLElement>('[data-identity-title]')!;
  const message = root.querySelector<HTMLElement>('[data-identity-message]')!;
  const params = new URLSearchParams(location.search);
  const show = (heading: string, text: string, failed: boolean) => {
    title.textContent = heading;
    message.textContent = text;
    message.className = failed ? 'notice notice--error' : 'notice notice--ok';
    message.setAttribute('role', failed ? 'alert' : 'status');
    root.querySelector<HTMLElement>('[data-identity-next]')!.hidden = false;
  };
  const code = params.get('code');
  const state = params.get('state');
  if (!code || !state) {
    show(
      'Không hoàn tất được định danh',
      params.get('error') === 'access_denied'
        ? 'Bạn đã hủy định danh điện tử. Có thể thử lại bất cứ lúc nào.'
        : 'Thiếu thông tin từ nhà cung cấp định danh. Hãy bắt đầu lại từ Kênh người bán.',
      true,
    );
    return;
  }
  // The code is single use: take it out of the address bar and the history.
  history.replaceState(null, '', location.pathname);
  const started = sessionStorage.getItem(STATE_KEY);
  sessionStorage.removeItem(STATE_KEY);
  if (started !== state) {
    show(
      'Không hoàn tất được định danh',
      'Yêu cầu định danh này không bắt đầu từ trình duyệt này. Hãy bắt đầu lại từ Kênh người bán.',
      true,
    );
    return;
  }
  try {
    const iss = params.get('iss');
    const result = await api<FinishResult>('/api/auth/identity/finish', {
      body: { code, state, ...(iss ? { iss } : {}) },
      auth: false,
      on401: 'throw',
    });
    if (result.mode === 'signIn') {
      saveSession(result.session);
      show('Đã đăng nhập', `Đăng nhập bằng định danh điện tử của ${result.identity.name ?? 'bạn'}.`, false);
      location.replace(SIGN_IN_PATH);
      return;
    }
    show(
      'Đã định danh',
      `Tài khoản đã liên kết định danh điện tử${result.identity.name ? ` của ${result.identity.name}` : ''}. Lần sau có thể đăng nhập bằng định danh điện tử.`,
      false,
    );
  } catch (error) {
    show('Không hoàn tất được định danh', errorMessage(error), true);
    const code = error instanceof ApiError ? error.code : undefined;
    const next = root.querySelector<HTMLAnchorElement>('[data-identity-next] a');
    if (code === 'identity.not_linked' && next) {
      // Linking starts from the phone sign-in: that page then offers "Liên kết định danh điện tử".
      next.textContent = 'Đăng nhập bằng số điện thoại';
      next.href = SIGN_IN_PATH;
    }
    const again = root.querySelector<HTMLButtonElement>('[data-identity-again]');
    if (code === 'identity.sign_in_again' && again) {
      again.hidden = false;
      again.addEventListener('click', () => {
        again.disabled = true;
        void start('signIn', message).finally(() => (again.disabled = false));
      });
    }
  }
}

/** The admin's producer card: whether the producer's account is "đã định danh", and as whom. */
export function producerIdentityLine(producerId: string): HTMLElement {
  const line = document.createElement('p');
  line.className = 'identity-line';
  line.textContent = 'Định danh điện tử: đang kiểm tra…';
  api<{ verified: VerifiedIdentity | null }>(
    `/api/admin/producers/${encodeURIComponent(producerId)}/identity`,
  ).then(
    ({ verified }) => {
      line.textContent = verified
        ? `Đã định danh điện tử${verified.name ? `: ${verified.name}` : ''} (ngày ${dateText(verified.verifiedAt)})`
        : 'Chưa định danh điện tử';
      line.dataset.verified = verified ? 'true' : 'false';
    },
    (error: unknown) => {
      line.textContent = `Định danh điện tử: ${errorMessage(error)}`;
    },
  );
  return line;
}
