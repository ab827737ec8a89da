// Exports the event log as CSV or JSON, streamed page by page so a large log never sits in memory.
import { Readable } from 'node:stream';
import type { Queryable } from '../../platform/db/database.ts';
import { listEvents, type EventFilter } from './query.ts';

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const PAGE = 500;
/** An export stops here; the last line (CSV) or a trailing marker (JSON) says so. */
export const EXPORT_MAX_EVENTS = 100_000;

const CSV_COLUMNS = ['id', 'created_at', 'type', 'version', 'source', 'integration_id', 'connector_id', 'status', 'deliveries', 'succeeded', 'failed', 'pending', 'payload'];

export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  // Cells a spreadsheet would run as a formula are prefixed, so an exported payload cannot execute anything.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function exportEvents(db: Queryable, filter: Omit<EventFilter, 'limit' | 'cursor'>, format: ExportFormat): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield format === 'csv' ? `${CSV_COLUMNS.join(',')}\n` : '[';
    let cursor: string | undefined;
    let count = 0;
    for (;;) {
      const rows = await listEvents(db, { ...filter, cursor, limit: PAGE });
      const page = rows.slice(0, PAGE);
      for (const event of page) {
        if (format === 'csv') {
          const cells = [
            event.id,
            event.createdAt,
            event.type,
            event.version,
            event.source,
            event.integrationId,
            event.connectorId,
            event.status,
            event.deliveries.total,
            event.deliveries.succeeded,
            event.deliveries.failed,
            event.deliveries.pending,
            event.payload,
          ];
          yield `${cells.map(csvCell).join(',')}\n`;
        } else {
          yield `${count === 0 ? '' : ','}\n${JSON.stringify(event)}`;
        }
        count += 1;
      }
      if (rows.length <= PAGE) break;
      if (count >= EXPORT_MAX_EVENTS) {
        yield format === 'csv' ? `# truncated after ${EXPORT_MAX_EVENTS} events: narrow the time range\n` : `,\n{"truncated":true}`;
        break;
      }
      cursor = page.at(-1)!.id;
    }
    if (format === 'json') yield '\n]\n';
  }
  return Readable.from(lines());
}
