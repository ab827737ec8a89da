import { describe, expect, it } from 'vitest';
import { chunkMarkdown, parseBlocks } from './chunker.ts';

const markdown = `# Guide

Intro paragraph about the guide.

## Install

Run the installer. Then check the version.

\`\`\`sh
npm install switchboard
npm start
\`\`\`

## Configure

| name | default |
| --- | --- |
| port | 3000 |
| host | 127.0.0.1 |

- one
- two
`;

describe('chunking by Markdown structure', () => {
  it('parses headings, paragraphs, fenced code, tables and lists as blocks', () => {
    expect(parseBlocks(markdown).map((block) => block.kind)).toEqual(['heading', 'paragraph', 'heading', 'paragraph', 'code', 'heading', 'table', 'list']);
  });

  it('starts a chunk at each heading and records the heading path and position', () => {
    const chunks = chunkMarkdown(markdown, { size: 1000, overlap: 0 });
    expect(chunks.map((chunk) => chunk.headingPath)).toEqual([['Guide'], ['Guide', 'Install'], ['Guide', 'Configure']]);
    expect(chunks.map((chunk) => chunk.position)).toEqual([0, 1, 2]);
    // A code block stays whole inside its chunk.
    expect(chunks[1]!.content).toContain('```sh\nnpm install switchboard\nnpm start\n```');
  });

  it('never exceeds the size, splitting big blocks at sentences and words, with overlap inside a section', () => {
    const long = `## Long\n\n${Array.from({ length: 60 }, (_, i) => `Sentence number ${i} says something useful.`).join(' ')}`;
    const chunks = chunkMarkdown(long, { size: 200, overlap: 40 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(chunk.content.length).toBeLessThanOrEqual(200);
    // The overlap repeats the end of the previous chunk at the start of the next.
    const opening = chunks[2]!.content.split(' ').slice(0, 3).join(' ');
    expect(chunks[1]!.content.slice(-60)).toContain(opening);
  });

  it('repeats a table header on every part of a split table', () => {
    const rows = Array.from({ length: 40 }, (_, i) => `| row ${i} | value ${i} |`).join('\n');
    const chunks = chunkMarkdown(`| a | b |\n| --- | --- |\n${rows}`, { size: 150, overlap: 0 });
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(chunk.content.startsWith('| a | b |\n| --- | --- |')).toBe(true);
  });
});
