import { describe, expect, it } from 'vitest';
import { productToken, rulesFrom } from './robots.ts';

const ORIGIN = 'https://example.com';
const allowed = (body: string, path: string, agent = 'SwitchboardBot/0.1 (+contact)') =>
  rulesFrom(ORIGIN, 'parsed', body, null, agent).isAllowed(new URL(path, ORIGIN));

describe('robots.txt rules (RFC 9309)', () => {
  it('matches groups on the product token, case-insensitively', () => {
    expect(productToken('SwitchboardBot/0.1 (+https://example.com/bot)')).toBe('SwitchboardBot');
    const body = 'User-agent: switchboardbot\nDisallow: /only-us\n\nUser-agent: *\nDisallow: /everyone\n';
    expect(allowed(body, '/only-us')).toBe(false);
    // Our group replaces the * group: its rules do not add up.
    expect(allowed(body, '/everyone')).toBe(true);
    expect(allowed(body, '/everyone', 'OtherBot/1')).toBe(false);
  });

  it('lets the longest match win, and allow win a tie', () => {
    const body = 'User-agent: *\nDisallow: /shop/\nAllow: /shop/public/\nDisallow: /a\nAllow: /a\n';
    expect(allowed(body, '/shop/cart')).toBe(false);
    expect(allowed(body, '/shop/public/item')).toBe(true);
    expect(allowed(body, '/a')).toBe(true);
  });

  it('understands * and $ in paths', () => {
    const body = 'User-agent: *\nDisallow: /*.pdf$\nDisallow: /tmp*\n';
    expect(allowed(body, '/docs/file.pdf')).toBe(false);
    expect(allowed(body, '/docs/file.pdf?x=1')).toBe(true);
    expect(allowed(body, '/tmpfiles/a')).toBe(false);
  });

  it('reads Crawl-delay for our group', () => {
    expect(rulesFrom(ORIGIN, 'parsed', 'User-agent: *\nCrawl-delay: 2.5\n', null, 'SwitchboardBot').crawlDelay).toBe(2.5);
  });

  it('allows everything after a 4xx and nothing after a 5xx', () => {
    expect(rulesFrom(ORIGIN, 'allow_all', null, 'robots.txt answered 404', 'SwitchboardBot').isAllowed(new URL('/x', ORIGIN))).toBe(true);
    expect(rulesFrom(ORIGIN, 'disallow_all', null, 'robots.txt answered 503', 'SwitchboardBot').isAllowed(new URL('/', ORIGIN))).toBe(false);
  });
});
