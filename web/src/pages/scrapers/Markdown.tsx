// Renders a page's Markdown as React elements (headings, paragraphs, lists, tables, code, links, emphasis),
// without HTML injection: scraped text is never trusted as markup.
import type { ReactNode } from 'react';
import { Anchor, Code, List, Table, Text, Title } from '@mantine/core';

const HEADING = /^(#{1,6})\s+(.*)$/;

export function Markdown({ source }: { source: string }) {
  const lines = source.split('\n');
  const blocks: ReactNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const order = Math.min(6, Math.max(3, heading[1]!.length + 2)) as 3 | 4 | 5 | 6;
      blocks.push(<Title key={i} order={order} mt="sm" mb={4}>{inline(heading[2]!)}</Title>);
      i++;
      continue;
    }
    if (line.startsWith('```')) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.startsWith('```')) body.push(lines[i++]!);
      i++;
      blocks.push(<Code key={i} block mb="sm">{body.join('\n')}</Code>);
      continue;
    }
    if (line.trimStart().startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && lines[i]!.trimStart().startsWith('|')) {
        const cells = lines[i]!.trim().replace(/^\||\|$/g, '').split('|').map((cell) => cell.trim());
        if (!cells.every((cell) => /^:?-{3,}:?$/.test(cell))) rows.push(cells);
        i++;
      }
      const [head, ...body] = rows;
      blocks.push(
        <Table key={i} withTableBorder withColumnBorders mb="sm" fz="sm">
          <Table.Thead><Table.Tr>{head?.map((cell, c) => <Table.Th key={c}>{inline(cell)}</Table.Th>)}</Table.Tr></Table.Thead>
          <Table.Tbody>{body.map((row, r) => <Table.Tr key={r}>{row.map((cell, c) => <Table.Td key={c}>{inline(cell)}</Table.Td>)}</Table.Tr>)}</Table.Tbody>
        </Table>,
      );
      continue;
    }
    if (/^\s*([-*+]|\d+[.)])\s+/.test(line)) {
      const items: string[] = [];
      const ordered = /^\s*\d/.test(line);
      while (i < lines.length && /^\s*([-*+]|\d+[.)])\s+/.test(lines[i]!)) items.push(lines[i++]!.replace(/^\s*([-*+]|\d+[.)])\s+/, ''));
      blocks.push(
        <List key={i} type={ordered ? 'ordered' : 'unordered'} size="sm" mb="sm">
          {items.map((item, n) => <List.Item key={n}>{inline(item)}</List.Item>)}
        </List>,
      );
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && lines[i]!.trim() && !HEADING.test(lines[i]!) && !lines[i]!.startsWith('```') && !lines[i]!.trimStart().startsWith('|')) paragraph.push(lines[i++]!);
    blocks.push(<Text key={i} size="sm" mb="sm">{inline(paragraph.join(' '))}</Text>);
  }
  return <div data-testid="markdown">{blocks}</div>;
}

/** Links, bold, emphasis and inline code; everything else is text. */
function inline(text: string): ReactNode[] {
  const parts: ReactNode[] = [];
  const pattern = /\[([^\]]+)\]\(([^)\s]+)\)|\*\*([^*]+)\*\*|_([^_]+)_|`([^`]+)`/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    const key = `${match.index}`;
    if (match[1] !== undefined) {
      const href = /^https?:\/\//i.test(match[2]!) ? match[2]! : undefined;
      parts.push(href ? <Anchor key={key} href={href} target="_blank" rel="noreferrer noopener">{match[1]}</Anchor> : match[1]);
    } else if (match[3] !== undefined) parts.push(<strong key={key}>{match[3]}</strong>);
    else if (match[4] !== undefined) parts.push(<em key={key}>{match[4]}</em>);
    else parts.push(<Code key={key}>{match[5]}</Code>);
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}
