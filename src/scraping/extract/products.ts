// Products from schema.org markup: JSON-LD (single objects, arrays, @graph, nested in pages and lists) and
// microdata (itemscope/itemprop), normalised to one shape and validated; anything malformed is left out.
import { z } from 'zod';
import type { DomDocument, DomElement } from './dom.ts';

export interface Product {
  name: string;
  sku: string | null;
  price: number | null;
  currency: string | null;
  availability: string | null;
  brand: string | null;
  image: string | null;
  url: string;
  source: 'json-ld' | 'microdata';
}

// schema.org ItemAvailability values (https://schema.org/ItemAvailability); others are dropped, not guessed.
const AVAILABILITY = new Set([
  'BackOrder',
  'Discontinued',
  'InStock',
  'InStoreOnly',
  'LimitedAvailability',
  'MadeToOrder',
  'OnlineOnly',
  'OutOfStock',
  'PreOrder',
  'PreSale',
  'Reserved',
  'SoldOut',
]);

const productSchema = z.object({
  name: z.string().trim().min(1).max(500),
  sku: z.string().trim().min(1).max(200).nullable(),
  price: z.number().finite().min(0).max(1e12).nullable(),
  currency: z.string().regex(/^[A-Z]{3}$/).nullable(),
  availability: z.string().nullable(),
  brand: z.string().trim().min(1).max(200).nullable(),
  image: z.url().max(2048).nullable(),
  url: z.url(),
  source: z.enum(['json-ld', 'microdata']),
});

const MAX_DEPTH = 12;

export function extractProducts(document: DomDocument, pageUrl: string): Product[] {
  const found = [...fromJsonLd(document, pageUrl), ...fromMicrodata(document, pageUrl)];
  const seen = new Set<string>();
  const products: Product[] = [];
  for (const candidate of found) {
    const checked = productSchema.safeParse(candidate);
    if (!checked.success) continue;
    const key = `${checked.data.sku ?? ''}|${checked.data.name}|${checked.data.url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    products.push(checked.data);
  }
  return products;
}

// ---- JSON-LD -----------------------------------------------------------------------------------------------

function fromJsonLd(document: DomDocument, pageUrl: string): Partial<Product>[] {
  const products: Partial<Product>[] = [];
  for (const script of document.querySelectorAll('script[type="application/ld+json" i]')) {
    const data = parseJsonLd(script.textContent ?? '');
    if (data === undefined) continue;
    walk(data, 0, (node) => products.push(normaliseJsonLd(node, pageUrl)));
  }
  return products;
}

function parseJsonLd(text: string): unknown {
  // Some sites wrap the block in HTML comments or CDATA markers left over from XHTML templates.
  const cleaned = text.trim().replace(/^<!--|-->$/g, '').replace(/^\/\*<!\[CDATA\[\*\/|\/\*\]\]>\*\/$/g, '').trim();
  try {
    return JSON.parse(cleaned);
  } catch {
    return undefined;
  }
}

function isType(node: Record<string, unknown>, type: string): boolean {
  const types = Array.isArray(node['@type']) ? node['@type'] : [node['@type']];
  return types.some((value) => typeof value === 'string' && (value === type || value.endsWith(`/${type}`) || value === `schema:${type}`));
}

/** Visits every Product object, whether top level, in an array, in @graph, or nested (ItemList, WebPage). */
function walk(value: unknown, depth: number, visit: (node: Record<string, unknown>) => void): void {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) walk(item, depth + 1, visit);
    return;
  }
  const node = value as Record<string, unknown>;
  if (isType(node, 'Product')) {
    visit(node);
    return;
  }
  for (const [key, child] of Object.entries(node)) {
    if (key !== '@context') walk(child, depth + 1, visit);
  }
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function text(value: unknown): string | null {
  const single = first(value);
  if (typeof single === 'string') return single.trim() || null;
  if (typeof single === 'number') return String(single);
  if (single && typeof single === 'object') {
    const named = (single as Record<string, unknown>).name ?? (single as Record<string, unknown>)['@value'];
    return typeof named === 'string' ? named.trim() || null : null;
  }
  return null;
}

function imageUrl(value: unknown, pageUrl: string): string | null {
  const single = first(value);
  const raw = typeof single === 'string' ? single : single && typeof single === 'object' ? (single as Record<string, unknown>).url : null;
  return typeof raw === 'string' ? absolute(raw, pageUrl) : null;
}

function normaliseJsonLd(node: Record<string, unknown>, pageUrl: string): Partial<Product> {
  const offer = pickOffer(node.offers);
  const specification = offer ? (first(offer.priceSpecification) as Record<string, unknown> | undefined) : undefined;
  const price = offer ? (offer.price ?? offer.lowPrice ?? specification?.price) : undefined;
  const currency = offer ? (offer.priceCurrency ?? specification?.priceCurrency) : undefined;
  const url = text(node.url) ?? (offer ? text(offer.url) : null);
  return {
    name: text(node.name) ?? undefined,
    sku: text(node.sku) ?? text(node.gtin13) ?? text(node.gtin) ?? text(node.mpn) ?? null,
    price: parsePrice(price),
    currency: parseCurrency(currency),
    availability: parseAvailability(offer ? text(offer.availability) : null),
    brand: text(node.brand),
    image: imageUrl(node.image, pageUrl),
    url: (url && absolute(url, pageUrl)) ?? pageUrl,
    source: 'json-ld',
  };
}

/** The first Offer or AggregateOffer of a product (a single object or a list of them). */
function pickOffer(offers: unknown): Record<string, unknown> | undefined {
  const list = Array.isArray(offers) ? offers : [offers];
  for (const candidate of list) {
    if (candidate && typeof candidate === 'object') {
      const nested = (candidate as Record<string, unknown>).offers;
      // AggregateOffer may list its Offers; its own lowPrice is used when it has one.
      if ((candidate as Record<string, unknown>).lowPrice === undefined && (candidate as Record<string, unknown>).price === undefined && nested) {
        return pickOffer(nested);
      }
      return candidate as Record<string, unknown>;
    }
  }
  return undefined;
}

// ---- microdata ---------------------------------------------------------------------------------------------

function fromMicrodata(document: DomDocument, pageUrl: string): Partial<Product>[] {
  const products: Partial<Product>[] = [];
  for (const item of document.querySelectorAll('[itemscope][itemtype]')) {
    const type = item.getAttribute('itemtype') ?? '';
    if (!/schema\.org\/Product\b/i.test(type)) continue;
    const props = itemProps(item);
    const offerScope = props.get('offers')?.[0];
    const offer = offerScope && offerScope.hasAttribute('itemscope') ? itemProps(offerScope) : new Map<string, DomElement[]>();
    const value = (map: Map<string, DomElement[]>, name: string) => {
      const element = map.get(name)?.[0];
      return element ? propValue(element, pageUrl) : null;
    };
    const brandElement = props.get('brand')?.[0];
    const brand = brandElement?.hasAttribute('itemscope') ? value(itemProps(brandElement), 'name') : value(props, 'brand');
    products.push({
      name: value(props, 'name') ?? undefined,
      sku: value(props, 'sku') ?? value(props, 'gtin13') ?? value(props, 'mpn'),
      price: parsePrice(value(offer, 'price') ?? value(offer, 'lowPrice') ?? value(props, 'price')),
      currency: parseCurrency(value(offer, 'priceCurrency') ?? value(props, 'priceCurrency')),
      availability: parseAvailability(value(offer, 'availability')),
      brand,
      image: value(props, 'image'),
      url: value(props, 'url') ?? pageUrl,
      source: 'microdata',
    });
  }
  return products;
}

/** The item's own properties: itemprop elements whose nearest enclosing itemscope is this item. */
function itemProps(item: DomElement): Map<string, DomElement[]> {
  const props = new Map<string, DomElement[]>();
  for (const element of item.querySelectorAll('[itemprop]')) {
    const owner = element.parentElement?.closest('[itemscope]');
    if (owner !== item) continue;
    for (const name of (element.getAttribute('itemprop') ?? '').split(/\s+/).filter(Boolean)) {
      props.set(name, [...(props.get(name) ?? []), element]);
    }
  }
  return props;
}

/** A microdata value per the HTML spec: content=, then href/src for links and media, else the text. */
function propValue(element: DomElement, pageUrl: string): string | null {
  const content = element.getAttribute('content');
  if (content !== null) return content.trim() || null;
  const tag = element.tagName.toLowerCase();
  const link = tag === 'a' || tag === 'link' || tag === 'area' ? element.getAttribute('href') : ['img', 'source', 'video', 'audio'].includes(tag) ? element.getAttribute('src') : null;
  if (link) return absolute(link, pageUrl);
  if (tag === 'meta') return null;
  if (tag === 'data' || tag === 'meter') return element.getAttribute('value');
  if (tag === 'time') return element.getAttribute('datetime') ?? element.textContent?.trim() ?? null;
  return element.textContent?.replace(/\s+/g, ' ').trim() || null;
}

// ---- values ------------------------------------------------------------------------------------------------

/** "1299.00", 1299, "1,299.00", "1.299,00", "€ 12,50" → a number; anything else → null. */
export function parsePrice(value: unknown): number | null {
  const single = first(value);
  if (typeof single === 'number') return Number.isFinite(single) ? single : null;
  if (typeof single !== 'string') return null;
  let digits = single.replace(/[^\d.,-]/g, '');
  if (!/\d/.test(digits)) return null;
  const lastComma = digits.lastIndexOf(',');
  const lastDot = digits.lastIndexOf('.');
  if (lastComma > lastDot) {
    // The comma is the decimal mark when two digits or fewer follow it (12,50); else it groups thousands.
    digits = digits.length - lastComma - 1 <= 2 ? digits.replace(/\./g, '').replace(',', '.') : digits.replace(/,/g, '');
  } else {
    digits = digits.replace(/,/g, '');
  }
  const parsed = Number(digits);
  return Number.isFinite(parsed) ? parsed : null;
}

function parseCurrency(value: unknown): string | null {
  const raw = text(value);
  return raw && /^[a-z]{3}$/i.test(raw) ? raw.toUpperCase() : null;
}

function parseAvailability(value: string | null): string | null {
  if (!value) return null;
  const name = value.replace(/^.*[/:]/, '');
  return AVAILABILITY.has(name) ? name : null;
}

function absolute(value: string, base: string): string | null {
  try {
    return new URL(value, base).href;
  } catch {
    return null;
  }
}
