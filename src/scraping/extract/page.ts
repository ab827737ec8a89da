// Extracts one page: links to follow, products, then the main content (include/exclude selectors first,
// Readability next, the body as a fallback) as Markdown with its fingerprints.
import { Readability } from '@mozilla/readability';
import { parseDocument, type DomDocument, type DomElement } from './dom.ts';
import { contentHash, simhash } from './fingerprint.ts';
import { toMarkdown } from './markdown.ts';
import { extractProducts, type Product } from './products.ts';

export interface ExtractOptions {
  /** The URL the content came from (after redirects): links and relative URLs resolve against it. */
  url: string;
  includeSelectors: readonly string[];
  excludeSelectors: readonly string[];
  extractProducts: boolean;
}

export interface ExtractedPage {
  title: string | null;
  markdown: string;
  contentHash: string;
  simhash: bigint | null;
  /** Fewer than EMPTY_TEXT_CHARS letters or digits of main content: a JavaScript shell, or nothing there. */
  empty: boolean;
  /** Absolute link targets, as written (the crawler normalises and filters them). */
  links: string[];
  products: Product[];
  /** `<meta name="robots">` said noindex (content not kept) or nofollow (links not followed). */
  noindex: boolean;
  nofollow: boolean;
}

export const EMPTY_TEXT_CHARS = 25;
// Readability keeps short pages' content too, but below this it is more often a cookie banner than an article.
const READABILITY_MIN_TEXT = 140;

export function extractPage(html: string, options: ExtractOptions): ExtractedPage {
  const document = parseDocument(html);
  const base = baseUrl(document, options.url);
  const robots = (document.querySelector('meta[name="robots" i]')?.getAttribute('content') ?? '').toLowerCase();
  const nofollow = /\b(nofollow|none)\b/.test(robots);
  const noindex = /\b(noindex|none)\b/.test(robots);
  const links = nofollow ? [] : collectLinks(document, base);
  const products = options.extractProducts ? extractProducts(document, options.url) : [];
  const pageTitle = cleanTitle(document.title) ?? cleanTitle(document.querySelector('h1')?.textContent ?? null);

  for (const selector of options.excludeSelectors) {
    for (const element of [...document.querySelectorAll(selector)]) element.remove();
  }
  const { root, title } = mainContent(document, options.includeSelectors);
  const markdown = noindex ? '' : toMarkdown(root);
  const letters = markdown.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  return {
    title: title ?? pageTitle,
    markdown,
    contentHash: contentHash(markdown),
    simhash: simhash(markdown),
    empty: letters < EMPTY_TEXT_CHARS,
    links,
    products,
    noindex,
    nofollow,
  };
}

function mainContent(document: DomDocument, includeSelectors: readonly string[]): { root: DomElement; title: string | null } {
  if (includeSelectors.length > 0) {
    const container = document.createElement('div');
    const picked: DomElement[] = [];
    for (const selector of includeSelectors) {
      for (const element of document.querySelectorAll(selector)) {
        // An element inside one already picked would be extracted twice.
        if (picked.some((outer) => outer === element || outer.contains(element))) continue;
        picked.push(element);
      }
    }
    for (const element of picked) container.appendChild(element.cloneNode(true));
    return { root: container, title: null };
  }
  const body = document.body ?? document.documentElement;
  // Readability rewrites the document it reads; the fallback needs the body as it was.
  const fallback = body.cloneNode(true) as DomElement;
  const article = new Readability(document as never, { charThreshold: 0 }).parse();
  const articleText = article?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  if (article?.content && articleText.length >= Math.min(READABILITY_MIN_TEXT, bodyTextLength(fallback))) {
    const container = document.createElement('div');
    container.innerHTML = article.content;
    return { root: container, title: cleanTitle(article.title ?? null) };
  }
  for (const element of [...fallback.querySelectorAll('script, style, noscript, template, nav, header, footer')]) element.remove();
  return { root: fallback, title: null };
}

function bodyTextLength(body: DomElement): number {
  return (body.textContent ?? '').replace(/\s+/g, ' ').trim().length;
}

function baseUrl(document: DomDocument, pageUrl: string): string {
  const href = document.querySelector('base[href]')?.getAttribute('href');
  if (!href) return pageUrl;
  try {
    return new URL(href, pageUrl).href;
  } catch {
    return pageUrl;
  }
}

function collectLinks(document: DomDocument, base: string): string[] {
  const links: string[] = [];
  for (const anchor of document.querySelectorAll('a[href], area[href]')) {
    const rel = (anchor.getAttribute('rel') ?? '').toLowerCase();
    if (/\bnofollow\b/.test(rel)) continue;
    const href = anchor.getAttribute('href')!.trim();
    if (!href || href.startsWith('#') || /^(javascript|mailto|tel|data):/i.test(href)) continue;
    try {
      links.push(new URL(href, base).href);
    } catch {
      // An unparsable href leads nowhere.
    }
  }
  return links;
}

function cleanTitle(title: string | null): string | null {
  const cleaned = title?.replace(/\s+/g, ' ').trim();
  return cleaned ? cleaned.slice(0, 500) : null;
}
