/**
 * The product page's pre-order box rendered with the Astro Container API: the open window's facts
 * are in the page's HTML (no script fills them after load), in both languages; no box without one.
 */
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { beforeAll, describe, expect, it } from 'vitest';
import PreorderBox from '../../site/src/components/shop/PreorderBox.astro';
import type { PreorderWindow } from '../../site/src/lib/catalog.ts';

const NBSP = '\u00a0';

const window: PreorderWindow = {
  id: 'w1',
  season: 'Chè xuân 2027 — vụ đầu',
  phase: 'open',
  closesOn: '2027-01-05',
  harvestFrom: '2027-01-10',
  harvestTo: '2027-02-04',
  leftGrams: 12_500,
  depositPercent: 30,
  packs: [
    { grams: 200, price: 880_000, deposit: 264_000 },
    { grams: 100, price: 450_000, deposit: 135_000 },
  ],
  depositRule: { vi: 'Hợp tác xã giữ tiền cọc nhưng không quá 30%.', en: 'The deposit is kept up to 30%.' },
};

let container: AstroContainer;
beforeAll(async () => {
  container = await AstroContainer.create();
});

describe('PreorderBox', () => {
  it('renders the open window into the page, with “Đặt trước” and no script', async () => {
    const html = await container.renderToString(PreorderBox, {
      props: { slug: 'che-dinh', window },
      request: new Request('http://localhost/san-pham/che-dinh/'),
    });
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/<section[^>]*hidden/);
    expect(html).toContain('Sản phẩm này đang nhận đặt trước.');
    expect(html).toContain('Mùa vụ: Chè xuân 2027 — vụ đầu');
    expect(html).toContain('Nhận đặt trước đến hết ngày 05/01/2027');
    expect(html).toContain('Dự kiến gửi hàng từ 10/01/2027 đến 04/02/2027');
    expect(html).toContain('Còn khoảng 12,5 kg');
    // The cheapest pack's deposit.
    expect(html).toContain(`Đặt cọc 30%: từ 135.000${NBSP}₫ cho gói 100 g giá 450.000${NBSP}₫`);
    expect(html).toContain('Hợp tác xã giữ tiền cọc nhưng không quá 30%.');
    expect(html).toMatch(/<a class="btn btn--primary" href="\/dat-truoc\/\?dot=w1">Đặt trước<\/a>/);
  });

  it('speaks English on English pages and links the English pre-order page', async () => {
    const html = await container.renderToString(PreorderBox, {
      props: { slug: 'che-dinh', window },
      request: new Request('http://localhost/en/san-pham/che-dinh/'),
    });
    expect(html).toContain('This product is open for pre-order.');
    expect(html).toContain('About 12.5 kg left');
    expect(html).toContain('The deposit is kept up to 30%.');
    expect(html).toContain('href="/en/dat-truoc/?dot=w1"');
  });

  it('renders nothing when the product has no open window', async () => {
    const html = await container.renderToString(PreorderBox, {
      props: { slug: 'che-dinh', window: null },
      request: new Request('http://localhost/san-pham/che-dinh/'),
    });
    expect(html.trim()).toBe('');
  });
});
