// Settings: members, API keys, OAuth apps and the audit log, one tab each, the tab kept in the address.
import { useEffect } from 'react';
import { Tabs } from '@mantine/core';
import { PageHeader } from '../../components/PageHeader.tsx';
import { navigate } from '../../router.ts';
import { ApiKeysTab } from './ApiKeysTab.tsx';
import { AuditLogTab } from './AuditLogTab.tsx';
import { MembersTab } from './MembersTab.tsx';
import { OAuthAppsTab } from './OAuthAppsTab.tsx';

const TABS = [
  { value: 'members', label: 'Members', Panel: MembersTab },
  { value: 'api-keys', label: 'API keys', Panel: ApiKeysTab },
  { value: 'oauth-apps', label: 'OAuth apps', Panel: OAuthAppsTab },
  { value: 'audit-log', label: 'Audit log', Panel: AuditLogTab },
] as const;

export function SettingsPage({ path }: { path: string }) {
  const requested = path.split('/')[2];
  const current = TABS.find((tab) => tab.value === requested) ?? TABS[0];

  useEffect(() => {
    if (requested !== current.value) navigate(`/settings/${current.value}`, { replace: true });
  }, [requested, current.value]);

  return (
    <>
      <PageHeader title="Settings" description="Who can use this workspace, the keys that call its API, its OAuth apps, and what was done in it." />
      <Tabs value={current.value} onChange={(value) => value && navigate(`/settings/${value}`)} keepMounted={false}>
        <Tabs.List mb="lg">
          {TABS.map((tab) => (
            <Tabs.Tab key={tab.value} value={tab.value}>
              {tab.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TABS.map(({ value, Panel }) => (
          <Tabs.Panel key={value} value={value}>
            <Panel />
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
