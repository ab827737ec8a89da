// The left navigation: one link per section, the current one highlighted.
import { NavLink, Stack } from '@mantine/core';
import { linkProps } from '../router.ts';
import { SECTIONS, sectionForPath } from '../sections.tsx';

export function Navigation({ path }: { path: string }) {
  const current = sectionForPath(path);
  return (
    <Stack component="nav" gap={2} aria-label="Sections">
      {SECTIONS.map((section) => {
        const Icon = section.icon;
        const active = current?.key === section.key;
        return (
          <NavLink
            key={section.key}
            component="a"
            {...linkProps(section.path)}
            label={section.label}
            leftSection={<Icon />}
            active={active}
            aria-current={active ? 'page' : undefined}
            fw={500}
            style={{ borderRadius: 'var(--mantine-radius-md)' }}
          />
        );
      })}
    </Stack>
  );
}
