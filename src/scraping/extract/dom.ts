// A page's DOM, parsed once with linkedom (a fast DOM, ~5× quicker than jsdom for Readability), and the few
// DOM shapes the extractors use: the server compiles without the browser's DOM types, so they are named here.
import { parseHTML } from 'linkedom';

export interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  textContent: string | null;
  readonly parentNode: DomNode | null;
  readonly childNodes: ArrayLike<DomNode>;
  cloneNode(deep?: boolean): DomNode;
}

export interface DomElement extends DomNode {
  readonly tagName: string;
  readonly children: ArrayLike<DomElement>;
  readonly parentElement: DomElement | null;
  innerHTML: string;
  readonly outerHTML: string;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  setAttribute(name: string, value: string): void;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement> & ArrayLike<DomElement>;
  closest(selector: string): DomElement | null;
  contains(other: DomNode): boolean;
  appendChild(child: DomNode): DomNode;
  remove(): void;
}

export interface DomDocument {
  readonly documentElement: DomElement;
  readonly head: DomElement | null;
  readonly body: DomElement | null;
  title: string;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement> & ArrayLike<DomElement>;
  createElement(tag: string): DomElement;
}

export function parseDocument(html: string): DomDocument {
  // A fragment without <html> would leave linkedom's document without a body: wrap it.
  const source = /<html[\s>]/i.test(html) ? html : `<!doctype html><html><head></head><body>${html}</body></html>`;
  return parseHTML(source).document as unknown as DomDocument;
}

let probe: DomDocument | null = null;

/** Null when the selector is valid, else the selector engine's complaint. */
export function selectorProblem(selector: string): string | null {
  probe ??= parseDocument('<p></p>');
  try {
    probe.querySelectorAll(selector);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
