import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { OG_HEIGHT, OG_WIDTH, ogCardSvg, renderOgCard } from '../../shared/images/og-card.ts';

const input = {
  name: 'Chè đinh Tân Cương thượng hạng <hái tay>',
  price: 'từ 120.000 ₫',
  ocopStars: 4,
  producer: 'HTX Chè Tân Cương Xanh · Xã Tân Cương',
  siteName: 'Sàn OCOP Thái Nguyên',
};

describe('Open Graph card', () => {
  it('is a 1200×630 JPEG, with or without a photo', async () => {
    const photo = await sharp({ create: { width: 800, height: 800, channels: 3, background: '#5b8f4e' } })
      .jpeg()
      .toBuffer();
    for (const card of [await renderOgCard({ ...input, photo }), await renderOgCard(input)]) {
      const meta = await sharp(card).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', OG_WIDTH, OG_HEIGHT]);
    }
  });

  it('carries the name (escaped), the price and the stars only while there are stars', () => {
    const svg = ogCardSvg(input);
    expect(svg).toContain('&lt;hái tay&gt;');
    expect(svg).toContain('từ 120.000 ₫');
    expect(svg).toContain('★★★★ OCOP');
    expect(ogCardSvg({ ...input, ocopStars: null })).not.toContain('OCOP</text>');
  });
});
