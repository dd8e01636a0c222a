import { describe, expect, it } from 'vitest';
import { findCommune, THAI_NGUYEN_PROVINCE_CODE } from '../../shared/domain/admin-units.ts';
import { Lot } from '../../shared/domain/lot.ts';
import { OcopCertificate } from '../../shared/domain/ocop.ts';
import { Producer } from '../../shared/domain/producer.ts';
import { Product, Variant } from '../../shared/domain/product.ts';
import {
  DEFAULT_SCALE,
  producerMix,
  scaleListing,
  scaleProducers,
} from '../../infra/local/demo/scale-data.ts';

describe('the province-scale catalog (npm run seed:scale)', () => {
  const people = scaleProducers(DEFAULT_SCALE);
  const listings = Array.from({ length: DEFAULT_SCALE.listings }, (_, i) =>
    scaleListing(i, people, DEFAULT_SCALE),
  );

  it('has 5,000 producers by default: ~300 cooperatives with members, enterprises, households', () => {
    expect(producerMix(5000)).toEqual({ cooperatives: 300, enterprises: 100, households: 4600 });
    expect(people.all).toHaveLength(5000);
    const members = people.households.filter((h) => h.membership?.status === 'approved');
    expect(members.length / people.households.length).toBeGreaterThan(0.6);
    expect([...people.members.values()].filter((m) => m.length > 0).length).toBeGreaterThan(250);
    expect(new Set(people.all.map((p) => p.slug)).size).toBe(5000);
    expect(new Set(people.all.map((p) => p.phone)).size).toBe(5000);
  });

  it('places every producer in a real 2025 commune of Thái Nguyên and passes the schema', () => {
    for (const producer of people.all) {
      expect(findCommune(producer.address.communeCode)?.province.code).toBe(THAI_NGUYEN_PROVINCE_CODE);
    }
    for (const producer of people.all.slice(0, 400)) expect(() => Producer.parse(producer)).not.toThrow();
  });

  it('has 20,000 listings, 60,000 packs, 40,000 lots and a few hundred OCOP certificates, all unique', () => {
    expect(listings.flatMap((l) => l.variants)).toHaveLength(60_000);
    expect(listings.flatMap((l) => l.lots)).toHaveLength(40_000);
    const certs = listings.flatMap((l) => l.certificates);
    expect(certs.length).toBeGreaterThan(250);
    expect(certs.length).toBeLessThan(400);
    expect(certs.some((c) => c.stars === 5)).toBe(true);
    expect(new Set(listings.map((l) => l.product.slug)).size).toBe(20_000);
    expect(new Set(listings.flatMap((l) => l.lots.map((lot) => lot.traceCode))).size).toBe(40_000);
    const categories = new Set(listings.map((l) => l.product.category));
    expect(categories.size).toBe(12);
  });

  it('writes valid entities with Vietnamese names and realistic prices', () => {
    for (const listing of listings.filter((_, i) => i % 97 === 0)) {
      expect(() => Product.parse({ ...listing.product, images: [] })).not.toThrow();
      for (const v of listing.variants) expect(() => Variant.parse(v)).not.toThrow();
      for (const l of listing.lots) expect(() => Lot.parse(l)).not.toThrow();
      for (const c of listing.certificates) expect(() => OcopCertificate.parse(c)).not.toThrow();
    }
    const dinh = listings.filter((l) => l.product.category === 'che-dinh');
    for (const l of dinh.slice(0, 50)) {
      expect(l.product.name.vi).toMatch(/^(Chè|Trà) đinh/);
      const g100 = l.variants.find((v) => v.grams === 100);
      if (g100) expect(g100.price).toBeGreaterThanOrEqual(200_000);
    }
  });

  it('is deterministic: the same seed gives the same catalog, another seed another one', () => {
    const again = scaleProducers(DEFAULT_SCALE);
    expect(again.all).toEqual(people.all);
    expect(scaleListing(12_345, again, DEFAULT_SCALE)).toEqual(listings[12_345]);
    const other = scaleProducers({ ...DEFAULT_SCALE, seed: 1 });
    expect(other.all.map((p) => p.name)).not.toEqual(people.all.map((p) => p.name));
  });
});
