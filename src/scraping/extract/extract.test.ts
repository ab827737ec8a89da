import { describe, expect, it } from 'vitest';
import { duplicatePage, productJsonLd, productMicrodata } from '../../../test/support/fixture-site/content.ts';
import { hammingDistance, NEAR_DUPLICATE_BITS, simhashBands } from './fingerprint.ts';
import { extractPage } from './page.ts';
import { parsePrice } from './products.ts';

const options = { url: 'https://shop.example/p/1', includeSelectors: [], excludeSelectors: [], extractProducts: true };
const article = (extra = '') => `<!doctype html><html><head><title>Shop – Widgets</title></head><body>
<nav><a href="/home">Home</a> <a href="/cart" rel="nofollow">Cart</a></nav>
<main><article><h1>Widgets</h1>
<p>${'Copper widgets are made in the harbor workshop and shipped every week. '.repeat(6)}</p>
<h2>Sizes</h2><table><thead><tr><th>Size</th><th>Weight</th></tr></thead><tbody><tr><td>S</td><td>1 kg</td></tr></tbody></table>
<div class="ad">Buy now!</div>${extra}
<p><a href="../p/2#reviews">Next widget</a> <a href="mailto:x@example.com">mail</a></p></article></main>
<footer>Footer text</footer></body></html>`;

describe('page extraction', () => {
  it('keeps the main content as Markdown, tables included, and collects followable links', () => {
    const page = extractPage(article(), options);
    expect(page.title).toBe('Shop – Widgets');
    expect(page.markdown).toContain('## Sizes');
    expect(page.markdown).toContain('| Size | Weight |\n| --- | --- |\n| S | 1 kg |');
    expect(page.markdown).not.toContain('Footer text');
    expect(page.links).toContain('https://shop.example/home');
    expect(page.links).toContain('https://shop.example/p/2#reviews');
    expect(page.links.some((link) => link.includes('/cart'))).toBe(false);
    expect(page.links.some((link) => link.startsWith('mailto:'))).toBe(false);
    expect(page.empty).toBe(false);
  });

  it('applies exclude selectors first and include selectors instead of Readability', () => {
    expect(extractPage(article(), { ...options, excludeSelectors: ['.ad'] }).markdown).not.toContain('Buy now');
    const only = extractPage(article(), { ...options, includeSelectors: ['table', 'h2'] });
    expect(only.markdown).toContain('| Size | Weight |');
    expect(only.markdown).not.toContain('Copper widgets');
  });

  it('falls back to the body text when Readability finds no article, and flags empty pages', () => {
    const page = extractPage('<html><body><div><span>Just a short note without paragraphs, but real words for a reader.</span></div></body></html>', options);
    expect(page.markdown).toContain('Just a short note');
    expect(extractPage('<html><body><div id="app"></div><script>render()</script></body></html>', options).empty).toBe(true);
  });

  it('honours meta robots noindex and nofollow', () => {
    const page = extractPage(article().replace('<head>', '<head><meta name="robots" content="noindex, nofollow">'), options);
    expect(page.noindex).toBe(true);
    expect(page.links).toEqual([]);
  });

  it('finds products in JSON-LD objects, @graph and arrays, and in microdata; invalid ones are left out', () => {
    const url = 'https://shop.example/products';
    const single = extractPage(productJsonLd('single'), { ...options, url }).products;
    expect(single).toEqual([
      { name: 'Copper Widget', sku: 'CW-1', price: 19.9, currency: 'EUR', availability: 'InStock', brand: 'Fixture Co', image: 'https://shop.example/images/widget.png', url, source: 'json-ld' },
    ]);
    expect(extractPage(productJsonLd('graph'), { ...options, url }).products.map((p) => [p.name, p.price])).toEqual([['Quartz Lamp', 1299]]);
    expect(extractPage(productJsonLd('array'), { ...options, url }).products.map((p) => p.name)).toEqual(['Ember Kettle', 'Falcon Mug']);
    expect(extractPage(productMicrodata(), { ...options, url }).products).toEqual([
      { name: 'Willow Basket', sku: 'WB-5', price: 32, currency: 'USD', availability: 'OutOfStock', brand: null, image: null, url, source: 'microdata' },
    ]);
  });

  it('reads prices as written around the world', () => {
    expect(parsePrice('1,299.00')).toBe(1299);
    expect(parsePrice('1.299,00')).toBe(1299);
    expect(parsePrice('€ 12,50')).toBe(12.5);
    expect(parsePrice(7)).toBe(7);
    expect(parsePrice('free')).toBeNull();
  });

  it('fingerprints exact and near duplicates', () => {
    const a = extractPage(duplicatePage('a', '1 May 2026'), options);
    const b = extractPage(duplicatePage('b', '1 May 2026'), options);
    const near = extractPage(duplicatePage('near', '2 May 2026'), options);
    const other = extractPage(article(), options);
    expect(a.contentHash).toBe(b.contentHash);
    expect(near.contentHash).not.toBe(a.contentHash);
    expect(hammingDistance(a.simhash!, near.simhash!)).toBeLessThanOrEqual(NEAR_DUPLICATE_BITS);
    expect(hammingDistance(a.simhash!, other.simhash!)).toBeGreaterThan(NEAR_DUPLICATE_BITS);
  });
});

describe('SimHash bands', () => {
  it('share at least one band between any two hashes within the near-duplicate distance', () => {
    let seed = 12345;
    const random32 = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return BigInt(seed);
    };
    for (let trial = 0; trial < 2_000; trial++) {
      const a = BigInt.asIntN(64, (random32() << 32n) | random32());
      // Flip NEAR_DUPLICATE_BITS distinct bits chosen at random.
      let b = a;
      const flipped = new Set<number>();
      while (flipped.size < NEAR_DUPLICATE_BITS) flipped.add(Number(random32() % 64n));
      for (const bit of flipped) b = BigInt.asIntN(64, b ^ (1n << BigInt(bit)));
      expect(hammingDistance(a, b)).toBe(NEAR_DUPLICATE_BITS);
      const bandsOfA = new Set(simhashBands(a));
      expect(simhashBands(b).some((band) => bandsOfA.has(band))).toBe(true);
    }
    // Far apart: every band differs.
    expect(simhashBands(0n).filter((band) => simhashBands(-1n).includes(band))).toEqual([]);
  });
});
