// Confirms disconnecting an integration: its credential is deleted, its history stays.
import { useMutation } from '@tanstack/react-query';
import { disconnectIntegration, type Integration } from '../../api.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { notifySuccess } from '../../notify.ts';
import { useIntegrationsRefresh } from './queries.ts';

export function DisconnectModal({
  integration,
  onClose,
  onDisconnected,
}: {
  /** The modal is open while this is set. */
  integration: Integration | null;
  onClose: () => void;
  onDisconnected?: (integration: Integration) => void;
}) {
  const refresh = useIntegrationsRefresh();
  const disconnect = useMutation({
    mutationFn: (target: Integration) => disconnectIntegration(target.id),
    onSuccess: (_, target) => {
      notifySuccess(`${target.name} was disconnected.`);
      onDisconnected?.(target);
      onClose();
      disconnect.reset();
      void refresh();
    },
  });

  return (
    <ConfirmModal
      opened={integration !== null}
      title="Disconnect integration"
      confirmLabel="Disconnect"
      pending={disconnect.isPending}
      error={disconnect.error}
      onConfirm={() => integration && disconnect.mutate(integration)}
      onClose={() => {
        onClose();
        disconnect.reset();
      }}
    >
      <b>{integration?.name}</b> stops working at once: its credential is deleted
      from the vault and its actions and syncs stop. The operation history is kept. Connecting again needs the credential
      again.
    </ConfirmModal>
  );
}
