// Copies a text to the clipboard, with a fallback for pages served over plain http (no Clipboard API there).
import { useState } from 'react';
import { Button, type ButtonProps } from '@mantine/core';
import { CheckIcon, CopyIcon } from '../icons.tsx';

async function copyText(text: string): Promise<boolean> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission refused: try the legacy route below.
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

export function CopyTextButton({
  text,
  label = 'Copy',
  size,
  variant = 'filled',
}: {
  text: string;
  label?: string;
  size?: ButtonProps['size'];
  /** The button's look before it is clicked; a secondary copy button is 'default'. */
  variant?: ButtonProps['variant'];
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <Button
      size={size}
      variant={state === 'copied' ? 'light' : variant}
      color={state === 'copied' ? 'teal' : state === 'failed' ? 'red' : undefined}
      leftSection={state === 'copied' ? <CheckIcon size={16} /> : <CopyIcon size={16} />}
      onClick={async () => {
        setState((await copyText(text)) ? 'copied' : 'failed');
        window.setTimeout(() => setState('idle'), 2000);
      }}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy it by hand' : label}
    </Button>
  );
}
