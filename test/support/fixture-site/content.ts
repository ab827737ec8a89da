// The generated pages of the fixture site: deterministic articles (headings, paragraphs, a table, a list, a
// code block) wrapped in the same navigation and footer, and the special pages tests aim at.
const WORDS = (
  'river lantern copper orchard signal harbor meadow quartz falcon ember tundra violet canyon pepper marble ' +
  'glacier willow saffron beacon prairie cobalt thistle lagoon basalt juniper fjord nectar obsidian pylon ' +
  'cedar monsoon tangerine walnut zephyr kelp mosaic granite aurora cinder delta ferry grove isthmus'
).split(' ');

/** A pseudo-random but repeatable word stream, so a page's content is the same on every request. */
function words(seed: number, count: number): string {
  let state = (seed * 2654435761) >>> 0 || 1;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out.push(WORDS[(state >>> 0) % WORDS.length]!);
  }
  return out.join(' ');
}

function sentence(seed: number, count = 14): string {
  const text = words(seed, count);
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

export function layout(title: string, body: string, options: { head?: string; nav?: string } = {}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>${options.head ?? ''}</head>
<body>
<header><nav class="site-nav"><a href="/">Home</a> <a href="/about">About</a> ${options.nav ?? ''}</nav></header>
<main>${body}</main>
<footer class="site-footer"><p>Fixture site footer: contact, terms and privacy links appear on every page.</p></footer>
</body></html>`;
}

export function articlePage(index: number, links: string[]): string {
  const paragraphs = Array.from({ length: 4 }, (_, p) => `<p>${sentence(index * 31 + p, 40)} ${sentence(index * 37 + p, 30)}</p>`).join('\n');
  const body = `<article>
<h1>Article ${index}: ${words(index, 3)}</h1>
<p>This is article number ${index} of the fixture site, about ${words(index + 7, 4)}.</p>
${paragraphs}
<h2>Measurements of ${words(index + 3, 2)}</h2>
<table><thead><tr><th>Sample</th><th>Value</th><th>Unit</th></tr></thead>
<tbody><tr><td>${words(index + 1, 1)}</td><td>${index * 3}</td><td>cm</td></tr><tr><td>${words(index + 2, 1)}</td><td>${index * 5 + 1}</td><td>kg</td></tr></tbody></table>
<h2>Notes</h2>
<ul><li>${sentence(index * 41, 8)}</li><li>${sentence(index * 43, 9)}</li></ul>
<pre><code>const article = ${index};\nconsole.log(article * 2);</code></pre>
<h3>See also</h3>
<ul class="related">${links.map((href) => `<li><a href="${href}">${href}</a></li>`).join('')}</ul>
</article>`;
  return layout(`Article ${index}`, body);
}

const SEEDS = { single: 1, graph: 2, array: 3 } as const;

export function productJsonLd(kind: 'single' | 'graph' | 'array'): string {
  const product = (name: string, sku: string, price: string) => ({
    '@type': 'Product',
    name,
    sku,
    brand: { '@type': 'Brand', name: 'Fixture Co' },
    image: '/images/widget.png',
    offers: { '@type': 'Offer', price, priceCurrency: 'EUR', availability: 'https://schema.org/InStock' },
  });
  const data =
    kind === 'single'
      ? { '@context': 'https://schema.org', ...product('Copper Widget', 'CW-1', '19.90') }
      : kind === 'graph'
        ? {
            '@context': 'https://schema.org',
            '@graph': [
              { '@type': 'WebPage', name: 'Catalogue' },
              product('Quartz Lamp', 'QL-2', '1,299.00'),
              { '@type': 'BreadcrumbList', itemListElement: [] },
            ],
          }
        : [
            { '@context': 'https://schema.org', ...product('Ember Kettle', 'EK-3', '45') },
            { '@context': 'https://schema.org', ...product('Falcon Mug', 'FM-4', '8.50') },
            // Invalid on purpose: no name, a negative price; it must be left out.
            { '@context': 'https://schema.org', '@type': 'Product', offers: { price: '-3', priceCurrency: 'EUR' } },
          ];
  return layout(
    `Products (${kind})`,
    `<article><h1>Products (${kind})</h1><p>${sentence(900 + SEEDS[kind], 40)}</p><p>${sentence(950 + SEEDS[kind], 40)}</p></article>`,
    { head: `<script type="application/ld+json">${JSON.stringify(data)}</script>` },
  );
}

export function productMicrodata(): string {
  return layout(
    'Product (microdata)',
    `<article><h1>Product (microdata)</h1><p>${sentence(1200, 40)}</p>
<div itemscope itemtype="https://schema.org/Product">
  <h2 itemprop="name">Willow Basket</h2>
  <span itemprop="sku">WB-5</span>
  <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
    <meta itemprop="priceCurrency" content="USD"><span itemprop="price" content="32.00">$32</span>
    <link itemprop="availability" href="https://schema.org/OutOfStock">Sold out
  </div>
</div><p>${sentence(1201, 40)}</p></article>`,
  );
}

export function duplicatePage(variant: string, stamp: string): string {
  return layout(
    `Duplicate ${variant}`,
    `<article><h1>The same story</h1><p>Updated ${stamp}.</p>${Array.from({ length: 5 }, (_, i) => `<p>${sentence(7000 + i, 45)}</p>`).join('')}</article>`,
  );
}

/** A page whose content is drawn by JavaScript: empty over HTTP, full in a browser. */
export function scriptOnlyPage(): string {
  return `<!doctype html><html><head><title>Rendered by script</title></head><body><div id="app"></div>
<script>
  const app = document.getElementById('app');
  const article = document.createElement('article');
  article.innerHTML = '<h1>Rendered in the browser</h1><p>' + ${JSON.stringify(sentence(5000, 60))} + '</p><p>' + ${JSON.stringify(sentence(5001, 60))} + '</p>';
  app.appendChild(article);
</script></body></html>`;
}

export { sentence, words };
