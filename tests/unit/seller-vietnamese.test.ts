/**
 * The seller center and the admin screens are in Vietnamese only (README, "Seller center"): the
 * page templates and the strings of the scripts that fill them carry no English halves — no
 * `.en` spans, no "vi / en" pairs, no English words on buttons — and what goes wrong is said
 * from one Vietnamese table keyed by the API's error code. The built pages are scanned in Chromium
 * by tests/e2e/seller-flow.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { messageForCode, SELLER_MESSAGES, statusMessage } from '../../shared/domain/seller-messages.ts';
import { listingDecisionText } from '../../shared/seller/notifications.ts';

/** English words that showed on these screens before (buttons, headings, hints). */
const ENGLISH =
  /\b(Seller center|Sign in|Sign up|Send code|Resend|Loading|Save|Submit|Draft|Photos?|Approve|Reject|Cancel|Remove|Required|Overview|Products|Orders|Audit trail|Admin|Cooperative|Household|Enterprise|Mobile number|We text you|Your sign-in code|Please|Back to list|New listing)\b/;
/** "Lưu nháp / Save draft": a slash between words, then a capitalised ASCII word. */
const PAIR = / \/ [A-Z][a-z]+/;

const astroFiles = [
  'pages/ban-hang/index.astro',
  'pages/ban-hang/san-pham/index.astro',
  'pages/ban-hang/don-hang/index.astro',
  'pages/ban-hang/nhat-ky/index.astro',
  'pages/quan-tri/index.astro',
  'components/seller/SellerLayout.astro',
  'components/seller/Field.astro',
  'components/seller/ProductForm.astro',
  'components/seller/CommunePicker.astro',
];

describe('the seller center and admin page templates', () => {
  it.each(astroFiles)('site/src/%s has no English half', (file) => {
    const source = readFileSync(new URL(`../../site/src/${file}`, import.meta.url), 'utf8');
    const template = source.replace(/^---[\s\S]*?^---$/m, '').replace(/<script[\s\S]*?<\/script>/g, '');
    expect(template).not.toMatch(/class="en\b|class: 'en'/);
    expect(template).not.toMatch(/\sen="/);
    // English is allowed only on the fields where a seller types a product's English name or description.
    expect(template.match(/lang="en"/g)?.length ?? 0).toBe(file.endsWith('ProductForm.astro') ? 2 : 0);
    const text = template.replace(/<[^>]+>/g, ' ').replace(/\{[^}]*\}/g, ' ');
    expect(text).not.toMatch(PAIR);
    expect(text).not.toMatch(ENGLISH);
    for (const m of template.matchAll(/\s(?:aria-label|title|placeholder|alt|hint|label)="([^"]*)"/g)) {
      expect(m[1]).not.toMatch(PAIR);
      expect(m[1]).not.toMatch(ENGLISH);
    }
  });
});

describe('the scripts of the seller center and admin screens', () => {
  const scripts = [
    'api',
    'dom',
    'labels',
    'session',
    'validate',
    'forms',
    'photos',
    'product-form',
    'products',
    'home',
    'me',
    'review',
    'admin',
    'queue',
    'ocop',
  ];

  it.each(scripts)('site/src/seller/%s.ts writes no English for people', (name) => {
    const source = readFileSync(new URL(`../../site/src/seller/${name}.ts`, import.meta.url), 'utf8');
    // Strings only (comments may speak English): '…', `…` without their ${…} parts.
    const strings = [...source.matchAll(/'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`/g)].map((m) =>
      (m[1] ?? m[2] ?? '').replace(/\$\{[^}]*\}/g, ''),
    );
    expect(source).not.toMatch(/class: 'en'/);
    expect(strings.filter((s) => PAIR.test(s))).toEqual([]);
  });
});

describe('one Vietnamese table of messages keyed by error code', () => {
  it('says each message in Vietnamese only', () => {
    for (const [code, words] of Object.entries(SELLER_MESSAGES)) {
      expect(words, code).not.toMatch(PAIR);
      expect(words, code).toMatch(/[ạảãàáâậầấẩẫăắằặẳẵđêềếểễệôốồổỗộơớờởỡợưứừửữựíìỉĩịýỳỷỹỵúùủũụóòỏõọéèẻẽẹ]/i);
    }
  });

  it('answers by the code, else by the status', () => {
    expect(messageForCode('photo.too_many', 409)).toBe(SELLER_MESSAGES['photo.too_many']);
    expect(messageForCode('something.new', 409)).toBe(statusMessage(409));
    expect(messageForCode('something.new', 503)).toBe(SELLER_MESSAGES['http.500']);
    expect(statusMessage(0)).toBe(SELLER_MESSAGES.network);
  });

  it('covers every error code the seller domain throws', () => {
    const files = [
      'shared/seller/listings.ts',
      'shared/seller/onboarding.ts',
      'shared/seller/provenance.ts',
      'shared/seller/photos.ts',
      'shared/seller/lists.ts',
      'shared/db/photos.ts',
      'shared/auth/sign-in.ts',
      'shared/images/pipeline.ts',
      'functions/producers/app.ts',
      'functions/guard.ts',
    ];
    const codes = new Set<string>();
    for (const file of files) {
      const source = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      for (const m of source.matchAll(
        /\b(?:notFound|conflict|invalid|forbidden|rateLimited|unavailable)\(\s*['`]([a-z_]+\.[a-z_]+)['`]/g,
      ))
        codes.add(m[1]!);
    }
    expect(codes.size).toBeGreaterThan(20);
    expect([...codes].filter((code) => !(code in SELLER_MESSAGES))).toEqual([]);
  });

  it('covers every pre-order error code, with its own words rather than the generic ones', () => {
    // However the code is thrown (a DomainError factory or the reservation's refusal), each
    // pre-order code is named once as a string: gather them from every file that throws them.
    const dirs = ['shared/preorders', 'shared/orders', 'functions/board', 'functions/orders'];
    const files = [
      ...dirs.flatMap((dir) =>
        readdirSync(new URL(`../../${dir}`, import.meta.url))
          .filter((name) => name.endsWith('.ts'))
          .map((name) => `${dir}/${name}`),
      ),
      'shared/db/preorders.ts',
    ];
    const codes = new Set<string>();
    for (const file of files) {
      const source = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      for (const m of source.matchAll(/['`](preorder\.[a-z_]+)['`]/g)) codes.add(m[1]!);
    }
    for (const code of [
      'preorder.balance_unpaid',
      'preorder.still_open',
      'preorder.not_packed',
      'preorder.settled',
    ])
      expect(codes).toContain(code);
    expect(codes.size).toBeGreaterThan(20);
    expect([...codes].filter((code) => !(code in SELLER_MESSAGES))).toEqual([]);
    const generic = new Set<string>(
      Object.entries(SELLER_MESSAGES)
        .filter(([k]) => k.startsWith('http.'))
        .map(([, v]) => v),
    );
    for (const code of codes) {
      const words = messageForCode(code, 409);
      expect(generic.has(words), code).toBe(false);
      expect(words, code).not.toMatch(PAIR);
    }
  });
});

describe('texts to the household', () => {
  it('tells of a decision in Vietnamese with an absolute link', () => {
    const text = listingDecisionText(
      'https://sanocop.example',
      { id: 'p1', name: { vi: 'Chè đinh' } },
      'reject',
      'Ảnh mờ',
    );
    expect(text).not.toMatch(PAIR);
    expect(text).toContain('Lý do: Ảnh mờ');
    expect(text).toContain('https://sanocop.example/ban-hang/san-pham/#sp/p1/thong-tin');
  });

  it('sends sign-in and consent codes without an English half', () => {
    for (const file of ['shared/auth/local-sign-in.ts', 'shared/seller/listings.ts']) {
      const source = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      expect(source).not.toMatch(/\/ (Your sign-in code|Consent code)/);
    }
  });
});
