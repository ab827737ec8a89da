// A page's tabs, the open one kept in the address (`/<section>/<tab>`) so a reload or a shared link opens it;
// an unknown or missing tab is replaced by the first one.
import { useEffect, type ComponentType } from 'react';
import { Tabs } from '@mantine/core';
import { navigate } from '../router.ts';

export interface AddressTab {
  value: string;
  label: string;
  Panel: ComponentType;
}

export function AddressTabs({ section, path, tabs }: { section: string; path: string; tabs: readonly [AddressTab, ...AddressTab[]] }) {
  const requested = path.split('/')[2];
  const current = tabs.find((tab) => tab.value === requested) ?? tabs[0];

  useEffect(() => {
    if (requested !== current.value) navigate(`/${section}/${current.value}`, { replace: true });
  }, [section, requested, current.value]);

  return (
    <Tabs value={current.value} onChange={(value) => value && navigate(`/${section}/${value}`)} keepMounted={false}>
      <Tabs.List mb="lg">
        {tabs.map((tab) => (
          <Tabs.Tab key={tab.value} value={tab.value}>
            {tab.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {tabs.map(({ value, Panel }) => (
        <Tabs.Panel key={value} value={value}>
          <Panel />
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
