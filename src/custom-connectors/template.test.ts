// The placeholder syntax: what it accepts, and that every value is encoded for where it lands.
import { describe, expect, it } from 'vitest';
import { placeholdersIn, renderBaseUrl, renderJson, renderPath, renderText, TemplateError } from './template.ts';

describe('run-time connector templates', () => {
  it('finds input and config placeholders and refuses anything else', () => {
    expect(placeholdersIn('/a/{{input.id}}/{{ config.region }}/{{input.customer.id}}')).toEqual([
      { scope: 'input', path: ['id'] },
      { scope: 'config', path: ['region'] },
      { scope: 'input', path: ['customer', 'id'] },
    ]);
    for (const bad of ['{{credentials.apiKey}}', '{{input.a + 1}}', '{{input}}', '{{ process.env.X }}', 'x }} y', '{{input.a}']) {
      expect(() => placeholdersIn(bad), bad).toThrow(TemplateError);
    }
  });

  it('encodes path values as one segment and refuses dot segments or missing values', () => {
    expect(renderPath('/items/{{input.id}}', { input: { id: 'a/b?c#d e' } })).toBe('/items/a%2Fb%3Fc%23d%20e');
    expect(renderPath('/items/{{input.id}}', { input: { id: 'https://evil.test' } })).toBe('/items/https%3A%2F%2Fevil.test');
    expect(() => renderPath('/items/{{input.id}}', { input: { id: '..' } })).toThrow(/may not be/);
    expect(() => renderPath('/items/{{input.id}}', { input: {} })).toThrow(/no value/);
  });

  it('leaves out a query or header that is one missing placeholder, and refuses line breaks in headers', () => {
    expect(renderText('{{input.q}}', { input: {} }, 'query')).toBeUndefined();
    expect(renderText('page-{{input.n}}', { input: { n: 2 } }, 'query')).toBe('page-2');
    expect(() => renderText('{{input.v}}', { input: { v: 'a\r\nX-Evil: 1' } }, 'header')).toThrow(/line break/);
  });

  it('keeps JSON types for whole placeholders and drops missing ones', () => {
    expect(renderJson({ n: '{{input.n}}', tags: '{{input.tags}}', label: 'n={{input.n}}', gone: '{{input.missing}}', list: ['{{input.n}}', '{{input.missing}}'] }, { input: { n: 3, tags: ['a'] } })).toEqual({
      n: 3,
      tags: ['a'],
      label: 'n=3',
      list: [3],
    });
  });

  it('builds base URLs from a whole URL setting or encoded parts, http(s) only, without userinfo', () => {
    expect(renderBaseUrl('{{config.baseUrl}}', { config: { baseUrl: 'https://api.example.com/v2' } })).toBe('https://api.example.com/v2');
    expect(renderBaseUrl('https://{{config.region}}.example.com', { config: { region: 'eu' } })).toBe('https://eu.example.com/');
    expect(() => renderBaseUrl('https://{{config.region}}.example.com', { config: { region: 'evil.test/x' } })).toThrow(TemplateError);
    expect(() => renderBaseUrl('{{config.baseUrl}}', { config: { baseUrl: 'file:///etc/passwd' } })).toThrow(/http or https/);
    expect(() => renderBaseUrl('{{config.baseUrl}}', { config: { baseUrl: 'https://user:pw@example.com' } })).toThrow(/user name/);
  });
});
