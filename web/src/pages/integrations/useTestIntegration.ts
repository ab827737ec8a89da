// "Test": re-checks an integration with its provider now and says how it went.
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { testIntegration, type Integration } from '../../api.ts';
import { notifyError } from '../../notify.ts';
import { useIntegrationsRefresh } from './queries.ts';

export function useTestIntegration() {
  const refresh = useIntegrationsRefresh();
  return useMutation({
    mutationFn: (integration: Integration) => testIntegration(integration.id),
    onSuccess: (result, integration) => {
      void refresh(result.integration);
      if (result.ok) {
        const account = result.integration.account?.name;
        notifications.show({
          color: 'teal',
          title: `${integration.name} works`,
          message: account ? `The provider accepted the credential for ${account}.` : 'The provider accepted the credential.',
          autoClose: 5000,
        });
      } else {
        // A failed check is an answer, not an error of the request: the status light turns red with it.
        notifications.show({ color: 'red', title: `${integration.name}: the check failed`, message: result.message ?? 'The provider refused.', autoClose: 10_000 });
      }
    },
    onError: (error, integration) => notifyError(`Could not test ${integration.name}`, error),
  });
}
