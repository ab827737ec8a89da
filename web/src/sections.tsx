// The dashboard's sections: navigation label, path and icon.
import type { ComponentType, SVGProps } from 'react';
import { ChartIcon, JobsIcon, PlugIcon, ScraperIcon, SettingsIcon, SparkIcon, WebhookIcon } from './icons.tsx';

export interface Section {
  key: string;
  label: string;
  path: string;
  icon: ComponentType<SVGProps<SVGSVGElement> & { size?: number }>;
}

export const SECTIONS: readonly Section[] = [
  {
    key: 'integrations',
    label: 'Integrations',
    path: '/integrations',
    icon: PlugIcon,
  },
  {
    key: 'webhooks',
    label: 'Webhooks',
    path: '/webhooks',
    icon: WebhookIcon,
  },
  { key: 'jobs', label: 'Syncs & Jobs', path: '/jobs', icon: JobsIcon },
  {
    key: 'scrapers',
    label: 'Scrapers',
    path: '/scrapers',
    icon: ScraperIcon,
  },
  {
    key: 'ai',
    label: 'AI',
    path: '/ai',
    icon: SparkIcon,
  },
  {
    key: 'analytics',
    label: 'Analytics',
    path: '/analytics',
    icon: ChartIcon,
  },
  { key: 'settings', label: 'Settings', path: '/settings', icon: SettingsIcon },
];

export const HOME_PATH = '/jobs';

export function sectionForPath(path: string): Section | undefined {
  return SECTIONS.find((section) => path === section.path || path.startsWith(`${section.path}/`));
}
