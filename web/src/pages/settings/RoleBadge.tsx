// A workspace role as a badge, and the role choices offered in forms.
import { Badge } from '@mantine/core';
import { ROLES, type Role } from '../../api.ts';
import { capitalize } from '../../format.ts';

const ROLE_COLORS: Record<Role, string> = { owner: 'grape', admin: 'blue', member: 'gray' };

export const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: capitalize(role) }));

export function RoleBadge({ role }: { role: Role }) {
  return (
    <Badge color={ROLE_COLORS[role] ?? 'gray'} variant="light">
      {role}
    </Badge>
  );
}
