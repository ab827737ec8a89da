// Decides what a visitor sees: sign-in, a forced password change, or the dashboard shell.
import { Button, Center, Loader, Stack, Text } from '@mantine/core';
import { describeError } from './api.ts';
import { ChangePasswordPage } from './pages/ChangePasswordPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { SessionContext, useSessionQuery } from './session.tsx';
import { AppLayout } from './shell/AppLayout.tsx';

export function App() {
  const sessionQuery = useSessionQuery();

  if (sessionQuery.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (sessionQuery.isError) {
    return (
      <Center h="100vh">
        <Stack align="center" gap="sm">
          <Text fw={600}>The dashboard could not load your session.</Text>
          <Text c="dimmed" size="sm">
            {describeError(sessionQuery.error)}
          </Text>
          <Button variant="light" onClick={() => void sessionQuery.refetch()}>
            Try again
          </Button>
        </Stack>
      </Center>
    );
  }

  const session = sessionQuery.data;
  if (!session) return <SignInPage />;
  if (session.user.mustChangePassword) return <ChangePasswordPage email={session.user.email} />;
  return (
    <SessionContext value={session}>
      <AppLayout />
    </SessionContext>
  );
}
