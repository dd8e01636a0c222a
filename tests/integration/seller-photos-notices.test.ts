/**
 * A listing's photos can be deleted and put in order (the first is the cover) by the listing's
 * writers only; the household hears by SMS (the dev inbox) when a listing is approved or sent
 * back, with the reason and an absolute link to the listing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { devInbox } from '../../shared/db/dev-inbox.ts';
import { photoMediaKey, photos } from '../../shared/db/photos.ts';
import { call, createSellerWorld, type SellerWorld } from './seller-world.ts';

let world: SellerWorld;
beforeAll(async () => {
  world = await createSellerWorld();
});

const newListing = (name: string) => ({
  category: 'che-tom-non',
  name: { vi: name },
  description: { vi: 'Búp non hái sáng sớm.' },
  packs: [{ grams: 100, price: 220_000, stock: 10 }],
});

/** A draft of the member household with `count` processed photos; their ids in upload order. */
async function listingWithPhotos(count: number): Promise<{ id: string; photoIds: string[] }> {
  const token = world.actors.member.token;
  const created = await call('POST', '/api/seller/products', { token, body: newListing('Chè có ảnh') });
  const id = created.body.id as string;
  const photoIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const slot = await call('POST', `/api/seller/products/${id}/photos`, {
      token,
      body: { contentType: 'image/jpeg', bytes: 300_000, alt: `Ảnh ${i + 1}` },
    });
    expect(slot.status).toBe(201);
    const photoId = slot.body.photoId as string;
    await photos.complete(id, photoId, {
      image: { key: photoMediaKey(id, photoId), alt: `Ảnh ${i + 1}`, width: 1280, height: 960 },
    });
    photoIds.push(photoId);
  }
  return { id, photoIds };
}

const galleryIds = (product: { images: { key: string }[] }) =>
  product.images.map((image) => image.key.split('/').pop());

describe('photos of a listing: delete, reorder, cover', () => {
  it('puts the photos in the given order, the first being the cover', async () => {
    const { id, photoIds } = await listingWithPhotos(3);
    const [a, b, c] = photoIds as [string, string, string];
    const ordered = await call('PUT', `/api/seller/products/${id}/photos/order`, {
      token: world.actors.member.token,
      body: { photoIds: [c, a, b] },
    });
    expect(ordered.status).toBe(200);
    expect(galleryIds(ordered.body)).toEqual([c, a, b]);
    const read = await call('GET', `/api/seller/products/${id}`, { token: world.actors.member.token });
    expect(galleryIds(read.body)).toEqual([c, a, b]);
    const audit = await call('GET', `/api/producers/${world.member.id}/audit`, {
      token: world.actors.member.token,
    });
    expect(audit.body.items[0]).toMatchObject({ action: 'photo.reordered', details: { cover: c } });
  });

  it('refuses an order that is not exactly the gallery, changing nothing', async () => {
    const { id, photoIds } = await listingWithPhotos(2);
    const [a, b] = photoIds as [string, string];
    for (const ids of [[a], [a, a], [a, b, 'other'], [b, 'other']]) {
      const res = await call('PUT', `/api/seller/products/${id}/photos/order`, {
        token: world.actors.member.token,
        body: { photoIds: ids },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('photo.order_mismatch');
    }
    const unknownField = await call('PUT', `/api/seller/products/${id}/photos/order`, {
      token: world.actors.member.token,
      body: { photoIds: [b, a], cover: b },
    });
    expect(unknownField.status).toBe(400);
    const read = await call('GET', `/api/seller/products/${id}`, { token: world.actors.member.token });
    expect(galleryIds(read.body)).toEqual([a, b]);
  });

  it('deletes a photo from the gallery and its record', async () => {
    const { id, photoIds } = await listingWithPhotos(2);
    const [a, b] = photoIds as [string, string];
    const removed = await call('DELETE', `/api/seller/products/${id}/photos/${a}`, {
      token: world.actors.member.token,
    });
    expect(removed.status).toBe(200);
    expect(galleryIds(removed.body)).toEqual([b]);
    expect(await photos.get(id, a)).toBeUndefined();
    const again = await call('DELETE', `/api/seller/products/${id}/photos/${a}`, {
      token: world.actors.member.token,
    });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('photo.not_found');
  });

  it('clears a failed upload that never joined the gallery', async () => {
    const { id } = await listingWithPhotos(0);
    const slot = await call('POST', `/api/seller/products/${id}/photos`, {
      token: world.actors.member.token,
      body: { contentType: 'image/jpeg', bytes: 1000 },
    });
    await photos.complete(id, slot.body.photoId, { error: { code: 'image.corrupt', message: 'hỏng' } });
    const removed = await call('DELETE', `/api/seller/products/${id}/photos/${slot.body.photoId}`, {
      token: world.actors.member.token,
    });
    expect(removed.status).toBe(200);
    expect(removed.body.pendingPhotos).toEqual([]);
  });

  it('lets nobody else touch the photos: another household, another cooperative, the admin', async () => {
    const { id, photoIds } = await listingWithPhotos(2);
    const [a, b] = photoIds as [string, string];
    for (const actor of ['otherMember', 'independent', 'managerB', 'admin'] as const) {
      const token = world.actors[actor].token;
      const del = await call('DELETE', `/api/seller/products/${id}/photos/${a}`, { token });
      expect(del.status, actor).toBe(403);
      const order = await call('PUT', `/api/seller/products/${id}/photos/order`, {
        token,
        body: { photoIds: [b, a] },
      });
      expect(order.status, actor).toBe(403);
    }
    const anonymous = await call('DELETE', `/api/seller/products/${id}/photos/${a}`);
    expect(anonymous.status).toBe(401);
    const read = await call('GET', `/api/seller/products/${id}`, { token: world.actors.member.token });
    expect(galleryIds(read.body)).toEqual([a, b]);
    // The household's cooperative manager writes its members' listings, photos included.
    const byManager = await call('PUT', `/api/seller/products/${id}/photos/order`, {
      token: world.actors.managerA.token,
      body: { photoIds: [b, a] },
    });
    expect(byManager.status).toBe(200);
  });
});

describe('the household hears of a review decision by SMS', () => {
  const notices = async (phone: string) =>
    (await devInbox.list()).filter((m) => m.to === phone && m.kind === 'notification');

  async function inReview(name: string): Promise<string> {
    const token = world.actors.member.token;
    const id = (await call('POST', '/api/seller/products', { token, body: newListing(name) })).body.id;
    expect((await call('POST', `/api/seller/products/${id}/submit`, { token })).status).toBe(200);
    return id;
  }

  it('is told a listing is on sale, with an absolute link to it', async () => {
    const id = await inReview('Chè được duyệt');
    const before = (await notices(world.member.phone)).length;
    const res = await call('POST', `/api/seller/products/${id}/decision`, {
      token: world.actors.managerA.token,
      body: { decision: 'approve' },
    });
    expect(res.status).toBe(200);
    const sent = await notices(world.member.phone);
    expect(sent.length).toBe(before + 1);
    const text = sent.find((m) => m.text.includes(id))!.text;
    expect(text).toContain('“Chè được duyệt” đã được duyệt');
    expect(text).toContain(`http://127.0.0.1:8080/ban-hang/san-pham/#sp/${id}/thong-tin`);
    expect(text).not.toMatch(/ \/ [A-Z]/);
  });

  it('is told a listing was sent back, with the reviewer’s reason', async () => {
    const id = await inReview('Chè bị trả lại');
    await call('POST', `/api/seller/products/${id}/decision`, {
      token: world.actors.managerA.token,
      body: { decision: 'reject', reason: 'Ảnh mờ, hãy chụp lại' },
    });
    const text = (await notices(world.member.phone)).find((m) => m.text.includes(id))!.text;
    expect(text).toContain('“Chè bị trả lại” chưa được duyệt');
    expect(text).toContain('Lý do: Ảnh mờ, hãy chụp lại');
    expect(text).toMatch(
      new RegExp(
        `^Sàn OCOP Thái Nguyên: .* http://127\\.0\\.0\\.1:8080/ban-hang/san-pham/#sp/${id}/thong-tin$`,
      ),
    );
  });

  it('hears nothing when the decision is refused', async () => {
    const id = await inReview('Chè không ai duyệt được');
    const before = (await notices(world.member.phone)).length;
    const res = await call('POST', `/api/seller/products/${id}/decision`, {
      token: world.actors.managerB.token,
      body: { decision: 'approve' },
    });
    expect(res.status).toBe(403);
    expect((await notices(world.member.phone)).length).toBe(before);
  });
});
