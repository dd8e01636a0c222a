/**
 * Who is signed in (GET /api/me), loaded once per page; shows the sub-navigation items the
 * account may use and wires "Đăng xuất".
 */
import { api } from './api.ts';
import { byId, fill, h, show } from './dom.ts';
import { requireSession, signOut } from './session.ts';
import type { Me } from './types.ts';

let mePromise: Promise<Me> | undefined;

/** The signed-in account (the sign-in page when there is none). */
export function loadMe(refresh = false): Promise<Me> {
  if (!requireSession()) return new Promise(() => undefined); // on its way to the sign-in page
  if (refresh || !mePromise) {
    mePromise = api<Me>('/api/me').then((me) => {
      showNav(me);
      return me;
    });
    mePromise.catch(() => {
      mePromise = undefined;
    });
  }
  return mePromise;
}

/**
 * The signed-in account of an admin-only page: hides the loading line, and for an account that is
 * not an admin says so (with the way back) and answers null.
 */
export async function loadAdmin(): Promise<Me | null> {
  const me = await loadMe();
  show(byId('boot'), false);
  if (me.isAdmin) return me;
  const box = byId('page-error');
  fill(
    box,
    'Trang này chỉ dành cho quản trị viên sàn. ',
    h('a', { href: '/ban-hang/' }, 'Về trang Tổng quan'),
  );
  box.className = 'notice notice--info';
  show(box);
  return null;
}

function localPhone(phone: string): string {
  const national = `0${phone.replace(/^\+84/, '')}`;
  return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
}

export function showNav(me: Me): void {
  const nav = document.getElementById('seller-nav');
  if (!nav) return;
  nav.hidden = false;
  const allowed: Record<string, boolean> = {
    producer: me.producer !== null,
    manager: me.manages !== null,
    admin: me.isAdmin,
  };
  for (const item of nav.querySelectorAll<HTMLElement>('[data-needs]')) {
    item.hidden = !allowed[item.dataset.needs ?? ''];
  }
  const who = document.getElementById('seller-account');
  if (who) fill(who, me.producer?.name ?? localPhone(me.account.phone));
  const out = document.getElementById('seller-signout');
  if (out) {
    out.hidden = false;
    out.onclick = signOut;
  }
}
