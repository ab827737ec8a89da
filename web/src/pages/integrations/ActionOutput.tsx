// What an action answered: JSON pretty-printed, or bytes as a download (and a player for audio and video).
import { useEffect, useState } from 'react';
import { Anchor, Badge, Code, Group, ScrollArea, Stack, Text } from '@mantine/core';
import type { ActionResult } from '../../api.ts';
import { CopyTextButton } from '../../components/CopyTextButton.tsx';
import { DownloadIcon } from '../../icons.tsx';

function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

function fileNameFor(result: Extract<ActionResult, { kind: 'binary' }>, action: string): string {
  if (result.fileName) return result.fileName;
  const extension = result.contentType.split(';')[0]!.split('/')[1]?.replace(/^x-/, '').replace('mpeg', 'mp3') ?? 'bin';
  return `${action}.${extension}`;
}

export function ActionOutput({ result, action, elapsedMs }: { result: ActionResult; action: string; elapsedMs: number }) {
  return (
    <Stack gap="xs" data-testid="action-output">
      <Group justify="space-between">
        <Group gap="xs">
          <Text size="sm" fw={600}>
            Output
          </Text>
          <Badge size="sm" variant="light" color="green" tt="none">
            OK · {Math.round(elapsedMs)} ms
          </Badge>
        </Group>
        {result.kind === 'json' && <CopyJson value={result.output} />}
      </Group>
      {result.kind === 'json' ? <JsonOutput value={result.output} /> : <BinaryOutput result={result} action={action} />}
    </Stack>
  );
}

function pretty(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value, null, 2);
}

function CopyJson({ value }: { value: unknown }) {
  return <CopyTextButton text={pretty(value)} label="Copy JSON" size="compact-sm" variant="default" />;
}

function JsonOutput({ value }: { value: unknown }) {
  return (
    <ScrollArea.Autosize mah={420} type="auto" style={{ borderRadius: 'var(--mantine-radius-md)', border: '1px solid var(--mantine-color-gray-3)' }}>
      <Code block fz={13} bg="var(--mantine-color-gray-0)" style={{ whiteSpace: 'pre', border: 0 }} data-testid="action-output-json">
        {pretty(value)}
      </Code>
    </ScrollArea.Autosize>
  );
}

function BinaryOutput({ result, action }: { result: Extract<ActionResult, { kind: 'binary' }>; action: string }) {
  // An object URL pins the bytes in memory; it is released when the output is replaced or the page left.
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const objectUrl = URL.createObjectURL(result.blob);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [result.blob]);
  const type = result.contentType.split(';')[0]!.trim();
  const fileName = fileNameFor(result, action);
  return (
    <Stack gap="sm" p="md" style={{ borderRadius: 'var(--mantine-radius-md)', border: '1px solid var(--mantine-color-gray-3)' }} bg="var(--mantine-color-gray-0)">
      {url && type.startsWith('audio/') && <audio controls src={url} style={{ width: '100%' }} data-testid="action-output-audio" />}
      {url && type.startsWith('video/') && <video controls src={url} style={{ width: '100%', maxHeight: 360 }} />}
      {url && type.startsWith('image/') && type !== 'image/svg+xml' && <img src={url} alt={`Output of ${action}`} style={{ maxWidth: '100%', maxHeight: 360 }} />}
      <Group gap="sm">
        {url && (
          <Anchor href={url} download={fileName} size="sm" data-testid="action-output-download">
            <Group gap={6} component="span">
              <DownloadIcon size={16} />
              Download {fileName}
            </Group>
          </Anchor>
        )}
        <Text size="xs" c="dimmed">
          {type} · {formatBytes(result.blob.size)}
        </Text>
      </Group>
    </Stack>
  );
}
