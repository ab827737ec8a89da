// Splits a page's Markdown into chunks that follow its structure: a heading starts a new chunk, blocks
// (paragraphs, lists, tables, fenced code) are kept whole while they fit, and an oversized block is cut at
// the gentlest boundary it has (lines, sentences, words). Consecutive chunks of a section overlap.

export interface Chunk {
  /** Order within the page, from 0. */
  position: number;
  /** The headings above the chunk, outermost first. */
  headingPath: string[];
  content: string;
}

export interface ChunkOptions {
  /** Characters per chunk at most (a single word longer than this is cut). */
  size: number;
  /** Characters of the previous chunk of the same section repeated at the start of the next. */
  overlap: number;
}

type BlockKind = 'heading' | 'code' | 'table' | 'list' | 'paragraph';
interface Block {
  kind: BlockKind;
  text: string;
  level?: number;
}

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s*(```+|~~~+)/;
const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s+/;

export function parseBlocks(markdown: string): Block[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', text: line.trim(), level: heading[1]!.length });
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const body = [line];
      i++;
      while (i < lines.length && !lines[i]!.trim().startsWith(marker)) body.push(lines[i++]!);
      if (i < lines.length) body.push(lines[i++]!);
      blocks.push({ kind: 'code', text: body.join('\n') });
      continue;
    }
    const kind: BlockKind = line.trimStart().startsWith('|') ? 'table' : LIST_ITEM.test(line) ? 'list' : 'paragraph';
    const body = [line];
    i++;
    while (i < lines.length && lines[i]!.trim() !== '' && !HEADING.test(lines[i]!) && !FENCE.test(lines[i]!)) {
      const next = lines[i]!;
      // A table ends where its rows do; a paragraph ends where a list or table begins.
      if (kind === 'table' && !next.trimStart().startsWith('|')) break;
      if (kind === 'paragraph' && (next.trimStart().startsWith('|') || LIST_ITEM.test(next))) break;
      body.push(next);
      i++;
    }
    blocks.push({ kind, text: body.join('\n') });
  }
  return blocks;
}

export function chunkMarkdown(markdown: string, options: ChunkOptions): Chunk[] {
  const size = Math.max(1, options.size);
  const overlap = Math.max(0, Math.min(options.overlap, Math.floor(size / 2)));
  const chunks: Chunk[] = [];
  const path: { level: number; title: string }[] = [];
  let parts: string[] = [];
  let length = 0;
  let carry = '';

  const headingPath = () => path.map((entry) => entry.title);
  const flush = (keepOverlap: boolean) => {
    const content = parts.join('\n\n').trim();
    if (content) {
      chunks.push({ position: chunks.length, headingPath: headingPath(), content });
      carry = keepOverlap && overlap > 0 ? tail(content, overlap) : '';
    } else if (!keepOverlap) {
      carry = '';
    }
    parts = carry ? [carry] : [];
    length = carry.length;
  };
  const add = (text: string) => {
    const separator = parts.length > 0 ? 2 : 0;
    if (length + separator + text.length > size && parts.some((part) => part !== carry)) flush(true);
    // The size is a promise; the overlap is a courtesy, dropped when both do not fit.
    if (parts.length === 1 && parts[0] === carry && carry.length + 2 + text.length > size) {
      parts = [];
      length = 0;
    }
    parts.push(text);
    length += (parts.length > 1 ? 2 : 0) + text.length;
  };

  for (const block of parseBlocks(markdown)) {
    if (block.kind === 'heading') {
      flush(false);
      const level = block.level!;
      while (path.length > 0 && path.at(-1)!.level >= level) path.pop();
      path.push({ level, title: block.text.replace(HEADING, '$2').trim() });
      parts = [block.text];
      length = block.text.length;
      continue;
    }
    const room = size - (carry ? carry.length + 2 : 0);
    for (const piece of block.text.length > size ? splitBlock(block, Math.max(1, room)) : [block.text]) add(piece);
  }
  flush(false);
  return chunks;
}

/** Cuts an oversized block at lines (code, tables, lists), then sentences, then words, then characters. */
function splitBlock(block: Block, size: number): string[] {
  if (block.kind === 'table') {
    const rows = block.text.split('\n');
    // A table's header (and its separator) is repeated on each part, so every part is a table.
    const header = rows.slice(0, 2).join('\n');
    return packUnits(rows.slice(2), size, '\n', header);
  }
  if (block.kind === 'code' || block.kind === 'list') {
    return packUnits(block.text.split('\n'), size, '\n');
  }
  const sentences = block.text.split(/(?<=[.!?。！？])\s+/);
  return packUnits(sentences, size, ' ');
}

function packUnits(units: string[], size: number, joiner: string, prefix = ''): string[] {
  const budget = Math.max(1, size - (prefix ? prefix.length + 1 : 0));
  const pieces: string[] = [];
  let current = '';
  const push = () => {
    if (current) pieces.push(prefix ? `${prefix}\n${current}` : current);
    current = '';
  };
  for (const unit of units) {
    if (unit.length > budget) {
      push();
      for (const part of splitWords(unit, budget)) pieces.push(prefix ? `${prefix}\n${part}` : part);
      continue;
    }
    if (current && current.length + joiner.length + unit.length > budget) push();
    current = current ? `${current}${joiner}${unit}` : unit;
  }
  push();
  return pieces;
}

function splitWords(text: string, size: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    if (word.length > size) {
      if (current) pieces.push(current);
      current = '';
      for (let i = 0; i < word.length; i += size) pieces.push(word.slice(i, i + size));
      continue;
    }
    if (current && current.length + 1 + word.length > size) {
      pieces.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  if (current) pieces.push(current);
  return pieces;
}

/** The last `length` characters of a text, starting at a word boundary. */
function tail(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.slice(text.length - length);
  const space = cut.search(/\s/);
  return (space >= 0 && space < cut.length - 1 ? cut.slice(space + 1) : cut).trim();
}
