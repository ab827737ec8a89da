// The route editor: pick a route (a task type), reorder its chain by dragging (or with the arrows), set
// each target's model and optional weight, add or remove targets, and save.
import { useEffect, useState, type DragEvent } from 'react';
import { ActionIcon, Alert, Badge, Button, Group, NumberInput, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { notifyError, notifySuccess } from '../../notify.ts';
import { canManageWorkspace, useSession } from '../../session.tsx';
import { listRoutes, saveRoute, type AiRoute, type ProviderChoice, type RouteTarget } from './api.ts';

export function RoutesTab() {
  const session = useSession();
  const workspace = session.workspace.id;
  const canEdit = canManageWorkspace(session);
  const queryClient = useQueryClient();
  const routes = useQuery({ queryKey: ['ai', workspace, 'routes'], queryFn: listRoutes });
  const [selected, setSelected] = useState('default');
  const [draft, setDraft] = useState<RouteTarget[] | null>(null);
  const [newRoute, setNewRoute] = useState('');
  const route = routes.data?.items.find((item) => item.name === selected);
  const targets = draft ?? route?.targets ?? [];

  // A different route, or a fresh copy from the server, discards an unsaved draft.
  useEffect(() => setDraft(null), [selected, route?.updatedAt]);

  const save = useMutation({
    mutationFn: () => saveRoute(selected, { kind: route?.kind ?? 'chat', targets, ...(route ? { timeoutMs: route.timeoutMs, attemptTimeoutMs: route.attemptTimeoutMs, firstTokenTimeoutMs: route.firstTokenTimeoutMs, retries: route.retries } : {}) }),
    onSuccess: (saved) => {
      notifySuccess(`Saved the route ${saved.name}: ${saved.targets.map((target) => target.provider).join(' → ') || 'no target'}.`);
      setDraft(null);
      void queryClient.invalidateQueries({ queryKey: ['ai', workspace] });
    },
    onError: (error) => notifyError('Could not save the route', error),
  });

  if (routes.isPending) return <Text c="dimmed">Loading routes…</Text>;
  if (routes.error) return <ErrorAlert error={routes.error} />;
  const providers = routes.data.providers;
  const names = routes.data.items.map((item) => item.name);
  if (!names.includes(selected)) names.push(selected);
  const change = (next: RouteTarget[]) => setDraft(next);

  return (
    <Stack gap="md" maw={860}>
      <Group align="flex-end" gap="sm">
        <Select label="Route (task type)" data={names} value={selected} onChange={(value) => value && setSelected(value)} w={260} allowDeselect={false} />
        {canEdit && (
          <>
            <TextInput label="New route" placeholder="e.g. summarize" value={newRoute} onChange={(event) => setNewRoute(event.currentTarget.value)} w={200} />
            <Button
              variant="default"
              disabled={!/^[\w.:-]{1,64}$/.test(newRoute)}
              onClick={() => {
                setSelected(newRoute);
                setDraft([{ provider: providers[0]?.id ?? 'glm', model: providers[0]?.defaultModels.chat ?? '' }]);
                setNewRoute('');
              }}
            >
              Add route
            </Button>
          </>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {route?.stored === false ? 'Built-in default: targets without a connected integration are skipped. ' : ''}
        {route ? `${route.kind} · whole call ${route.timeoutMs / 1000} s · one attempt ${route.attemptTimeoutMs / 1000} s · first token ${route.firstTokenTimeoutMs / 1000} s · ${route.retries} retr${route.retries === 1 ? 'y' : 'ies'} per target` : 'A new chat route.'}
      </Text>
      <ChainEditor targets={targets} providers={providers} kind={route?.kind ?? 'chat'} disabled={!canEdit} onChange={change} />
      {canEdit ? (
        <Group>
          <Button onClick={() => save.mutate()} loading={save.isPending} disabled={draft === null && route?.stored !== false}>
            Save route
          </Button>
          {draft !== null && (
            <Button variant="subtle" onClick={() => setDraft(null)}>
              Discard changes
            </Button>
          )}
        </Group>
      ) : (
        <Alert variant="light">Only owners and admins can change routes.</Alert>
      )}
    </Stack>
  );
}

function ChainEditor({ targets, providers, kind, disabled, onChange }: { targets: RouteTarget[]; providers: ProviderChoice[]; kind: AiRoute['kind']; disabled: boolean; onChange(next: RouteTarget[]): void }) {
  const [dragged, setDragged] = useState<number | null>(null);
  const usable = providers.filter((provider) => provider.kinds.includes(kind));
  const move = (from: number, to: number) => {
    if (to < 0 || to >= targets.length || from === to) return;
    const next = [...targets];
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item!);
    onChange(next);
  };
  const update = (index: number, patch: Partial<RouteTarget>) => onChange(targets.map((target, i) => (i === index ? { ...target, ...patch } : target)));
  const defaultModel = (id: string) => {
    const provider = providers.find((item) => item.id === id);
    return (kind === 'chat' ? provider?.defaultModels.chat : kind === 'embeddings' ? provider?.defaultModels.embeddings : provider?.defaultModels.images) ?? '';
  };

  return (
    <Stack gap="xs" role="list" aria-label="Fallback chain">
      {targets.map((target, index) => {
        const provider = providers.find((item) => item.id === target.provider);
        const connected = provider?.integrations.some((integration) => integration.status === 'connected') ?? false;
        return (
          <Paper
            key={`${target.provider}-${index}`}
            withBorder
            p="sm"
            role="listitem"
            aria-label={`${index + 1}. ${provider?.title ?? target.provider}`}
            data-testid={`chain-item-${target.provider}`}
            draggable={!disabled}
            onDragStart={() => setDragged(index)}
            onDragOver={(event: DragEvent) => event.preventDefault()}
            onDrop={(event: DragEvent) => {
              event.preventDefault();
              if (dragged !== null) move(dragged, index);
              setDragged(null);
            }}
            style={{ cursor: disabled ? 'default' : 'grab', opacity: dragged === index ? 0.5 : 1 }}
          >
            <Group gap="sm" wrap="nowrap" align="flex-end">
              <Text fw={700} w={20} aria-hidden>
                {index + 1}
              </Text>
              <Stack gap={2} w={150}>
                <Text fw={600}>{provider?.title ?? target.provider}</Text>
                <Badge size="xs" variant="light" color={connected ? 'teal' : 'gray'}>
                  {connected ? 'connected' : 'not connected'}
                </Badge>
              </Stack>
              <TextInput label="Model" value={target.model} disabled={disabled} onChange={(event) => update(index, { model: event.currentTarget.value })} style={{ flex: 1 }} aria-label={`Model of ${target.provider}`} />
              <NumberInput
                label="Weight"
                placeholder="—"
                min={0}
                max={1000}
                w={90}
                disabled={disabled}
                value={target.weight ?? ''}
                aria-label={`Weight of ${target.provider}`}
                onChange={(value) => update(index, { weight: typeof value === 'number' ? value : undefined })}
              />
              <Group gap={2} wrap="nowrap">
                <ActionIcon variant="subtle" disabled={disabled || index === 0} onClick={() => move(index, index - 1)} aria-label={`Move ${target.provider} up`}>
                  ↑
                </ActionIcon>
                <ActionIcon variant="subtle" disabled={disabled || index === targets.length - 1} onClick={() => move(index, index + 1)} aria-label={`Move ${target.provider} down`}>
                  ↓
                </ActionIcon>
                <ActionIcon variant="subtle" color="red" disabled={disabled} onClick={() => onChange(targets.filter((_, i) => i !== index))} aria-label={`Remove ${target.provider}`}>
                  ×
                </ActionIcon>
              </Group>
            </Group>
          </Paper>
        );
      })}
      {targets.length === 0 && <Text c="dimmed">No target: requests on this route will be refused.</Text>}
      {!disabled && (
        <Select
          placeholder="Add a provider to the chain"
          aria-label="Add a provider"
          data={usable.map((provider) => ({ value: provider.id, label: provider.title }))}
          value={null}
          w={260}
          onChange={(value) => value && onChange([...targets, { provider: value, model: defaultModel(value) }])}
        />
      )}
    </Stack>
  );
}
