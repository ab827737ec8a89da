// The honest placeholder for a section that is not built yet: what it will do, and nothing that pretends to work.
import { EmptyState, Paper } from '@mantine/core';
import { PageHeader } from '../components/PageHeader.tsx';
import type { Section } from '../sections.tsx';

export function ComingSoonPage({ section }: { section: Section }) {
  const Icon = section.icon;
  return (
    <>
      <PageHeader title={section.label} />
      <Paper withBorder p="xl" radius="md" data-testid="coming-soon">
        <EmptyState
          py="xl"
          variant="light"
          icon={<Icon size={28} />}
          title="Coming soon"
          description={section.comingSoon}
        />
      </Paper>
    </>
  );
}
