import { describe, expect, it } from 'vitest';
import { compilePattern, createUrlFilter, normalizeUrl } from './url-rules.ts';

describe('url rules', () => {
  it('normalises URLs so one page is one frontier entry', () => {
    expect(normalizeUrl('HTTP://Example.COM:80/a?#frag')?.href).toBe('http://example.com/a');
    expect(normalizeUrl('/b#x', 'https://example.com/a/')?.href).toBe('https://example.com/b');
    expect(normalizeUrl('mailto:someone@example.com')).toBeNull();
    expect(normalizeUrl('not a url')).toBeNull();
  });

  it('matches globs against the path when they start with /, else the whole URL; regex: as written', () => {
    const url = new URL('https://example.com/blog/2026/post?id=1');
    expect(compilePattern('/blog/**')(url)).toBe(true);
    expect(compilePattern('/blog/*')(url)).toBe(false);
    expect(compilePattern('/blog/*/post?id=1')(url)).toBe(true);
    expect(compilePattern('https://example.com/**')(url)).toBe(true);
    expect(compilePattern('regex:/20\\d\\d/')(url)).toBe(true);
    expect(() => compilePattern('regex:(')).toThrow();
  });

  it('keeps other hosts out with sameHost, and applies exclude before include', () => {
    const filter = createUrlFilter({ includePatterns: ['/docs/**'], excludePatterns: ['/docs/private/**'], sameHost: true, seedHosts: ['example.com'] });
    expect(filter(new URL('https://example.com/docs/a'))).toEqual({ ok: true });
    expect(filter(new URL('https://example.com/docs/private/a'))).toEqual({ ok: false, reason: 'excluded' });
    expect(filter(new URL('https://example.com/blog'))).toEqual({ ok: false, reason: 'not_included' });
    expect(filter(new URL('https://other.example/docs/a'))).toEqual({ ok: false, reason: 'other_host' });
  });
});
