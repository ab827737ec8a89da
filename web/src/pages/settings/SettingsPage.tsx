// Settings: members, API keys, OAuth apps and the audit log, one tab each, the tab kept in the address.
import { PageHeader } from '../../components/PageHeader.tsx';
import { AddressTabs } from '../../components/AddressTabs.tsx';
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
  return (
    <>
      <PageHeader title="Settings" description="Who can use this workspace, the keys that call its API, its OAuth apps, and what was done in it." />
      <AddressTabs section="settings" path={path} tabs={TABS} />
    </>
  );
}
