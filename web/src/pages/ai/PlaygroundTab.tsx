// Try a route from the dashboard: a prompt through POST /api/v1/ai/completion, showing the answer, the
// provider and model that gave it, the attempts, any fallback and what it cost.
import { useState } from 'react';
import { Button, Code, Group, NumberInput, Paper, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useWorkspaceKey } from '../../session.tsx';
import { complete } from './api.ts';

export function PlaygroundTab() {
  const workspace = useWorkspaceKey();
  const queryClient = useQueryClient();
  const [prompt, setPrompt] = useState('');
  const [taskType, setTaskType] = useState('default');
  const [maxTokens, setMaxTokens] = useState<number | ''>(256);
  const send = useMutation({
    mutationFn: () => complete({ prompt, taskType: taskType || 'default', ...(maxTokens ? { maxTokens } : {}) }),
    // The call changed usage, quota and provider health: refresh whatever shows them.
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['ai', workspace] }),
  });
  const answer = send.data;
  return (
    <Stack gap="md" maw={860}>
      <Textarea label="Prompt" placeholder="Ask something…" autosize minRows={3} value={prompt} onChange={(event) => setPrompt(event.currentTarget.value)} />
      <Group align="flex-end">
        <TextInput label="Task type" description="Selects the route of that name, else default" value={taskType} onChange={(event) => setTaskType(event.currentTarget.value)} w={240} />
        <NumberInput label="Max tokens" min={1} max={32_000} value={maxTokens} onChange={(value) => setMaxTokens(typeof value === 'number' ? value : '')} w={140} />
        <Button onClick={() => send.mutate()} loading={send.isPending} disabled={prompt.trim() === ''}>
          Send prompt
        </Button>
      </Group>
      <ErrorAlert error={send.error} title="The route could not answer" />
      {answer && (
        <Paper withBorder p="md" radius="md" aria-label="Answer">
          <Text data-testid="playground-answer" style={{ whiteSpace: 'pre-wrap' }}>
            {answer.text ?? '(no text)'}
          </Text>
          <Text size="sm" c="dimmed" mt="sm" data-testid="playground-meta">
            Answered by {answer.provider} · {answer.model} in {answer.attempts} attempt{answer.attempts === 1 ? '' : 's'} · {answer.usage.inputTokens} in / {answer.usage.outputTokens} out tokens · ${answer.costUsd.toPrecision(2)}
          </Text>
          {answer.fallbackReason && (
            <Text size="sm" c="orange" mt={4}>
              Fell back after: <Code>{answer.fallbackReason}</Code>
            </Text>
          )}
        </Paper>
      )}
    </Stack>
  );
}
