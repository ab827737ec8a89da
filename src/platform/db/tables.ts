// Every table of the hub, for Drizzle's query builder and drizzle-kit. Capabilities add their tables here.
export * from './schema.ts';
export * from '../vault/tables.ts';
export * from '../../integrations/tables.ts';
export * from '../../webhooks/tables.ts';
export * from '../../ai/tables.ts';
export * from '../../scraping/tables.ts';
export * from '../../syncs/tables.ts';
export * from '../../custom-connectors/tables.ts';
export * from '../../integration-runs/tables.ts';
