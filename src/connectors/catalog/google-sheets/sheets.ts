// The Google Sheets actions both Sheets connectors offer (OAuth 2.0 user, or service account): read a range,
// append rows, read a spreadsheet's sheets. How the Authorization header is obtained is the caller's part.
// Docs used:
//   https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/get
//        (GET /v4/spreadsheets/{id}/values/{range}: majorDimension, valueRenderOption, dateTimeRenderOption;
//        trailing empty rows and columns are left out, and `values` is absent for an empty range)
//   https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/append
//        (POST …/values/{range}:append?valueInputOption=&insertDataOption=; appends after the table found in the
//        range; answers { spreadsheetId, tableRange, updates })
//   https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/get  (fields= partial answers)
//   https://developers.google.com/workspace/sheets/api/guides/concepts  (spreadsheet id in the URL /d/{id}/, A1 notation)
//   https://developers.google.com/workspace/sheets/api/limits  (60 read and 60 write requests per minute per user
//        per project; 429 RESOURCE_EXHAUSTED beyond, retry with exponential backoff)
import { z } from 'zod';
import { defineAction, type ActionDefinition, type ConnectorContext } from '../../sdk/define.ts';
import { googleCall } from '../../sdk/google.ts';
import { ProviderError } from '../../sdk/provider-http.ts';

export const SHEETS_API = 'https://sheets.googleapis.com/v4';
export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';
/** Per user per project, for reads and for writes; applied per integration. */
export const SHEETS_RATE_LIMIT = { perMinute: 60 };

/** Runs `call` with the headers that authorise it (nothing extra for OAuth, a minted bearer for service accounts). */
export type Authorize<C> = <T>(ctx: ConnectorContext<C>, call: (headers: Record<string, string>) => Promise<T>) => Promise<T>;

const SPREADSHEET_ID = /^[A-Za-z0-9_-]{20,100}$/;
/** A spreadsheet id, or the spreadsheet's link (…/spreadsheets/d/<id>/edit#gid=0), handed on as the id. */
export const spreadsheetId = z
  .string()
  .trim()
  .min(1)
  .transform((value, ctx) => {
    const fromUrl = /\/spreadsheets\/d\/([A-Za-z0-9_-]+)/.exec(value)?.[1];
    const id = fromUrl ?? value;
    if (!SPREADSHEET_ID.test(id)) {
      ctx.addIssue({ code: 'custom', message: 'expected a spreadsheet id or its link (https://docs.google.com/spreadsheets/d/<id>/edit)' });
      return z.NEVER;
    }
    return id;
  })
  .describe('The spreadsheet id, or its link copied from the browser');
const range = z.string().trim().min(1).max(500).describe('A1 notation, e.g. Sheet1!A1:D50, or a sheet name for all of it');

const valueRange = z.looseObject({ range: z.string(), majorDimension: z.string().optional(), values: z.array(z.array(z.unknown())).optional() });
const readOutput = z.object({ range: z.string(), majorDimension: z.string(), values: z.array(z.array(z.unknown())) });
const appendAnswer = z.looseObject({
  spreadsheetId: z.string(),
  tableRange: z.string().optional(),
  updates: z.looseObject({ updatedRange: z.string(), updatedRows: z.number().optional(), updatedColumns: z.number().optional(), updatedCells: z.number().optional() }),
});
const spreadsheet = z.looseObject({
  spreadsheetId: z.string(),
  properties: z.looseObject({ title: z.string(), locale: z.string().optional(), timeZone: z.string().optional() }),
  sheets: z.array(z.looseObject({ properties: z.looseObject({ sheetId: z.number(), title: z.string(), index: z.number().optional() }) })).default([]),
});

const readInput = z.object({
  spreadsheetId,
  range,
  majorDimension: z.enum(['ROWS', 'COLUMNS']).default('ROWS'),
  valueRenderOption: z.enum(['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA']).default('FORMATTED_VALUE').describe('Values as shown, raw, or the formulas'),
  dateTimeRenderOption: z.enum(['SERIAL_NUMBER', 'FORMATTED_STRING']).optional().describe('How dates come back when values are unformatted'),
});
const appendInput = z.object({
  spreadsheetId,
  range: range.describe('Where the table is, e.g. Sheet1 or Sheet1!A:D; rows go after its last row'),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))).min(1).max(10_000).describe('Rows of cell values'),
  valueInputOption: z.enum(['USER_ENTERED', 'RAW']).default('USER_ENTERED').describe('USER_ENTERED parses "=SUM(A1:A3)" and dates as if typed; RAW stores text as it is'),
  insertDataOption: z.enum(['INSERT_ROWS', 'OVERWRITE']).default('INSERT_ROWS').describe('Insert new rows, or write over the empty cells after the table'),
});
const getInput = z.object({ spreadsheetId });

function read<T>(title: string, schema: z.ZodType<T>, data: unknown, what: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ProviderError({ code: 'invalid_response', body: data, message: `${title} answered ${what} in an unexpected shape` });
  return parsed.data;
}

const valuesPath = (id: string, a1: string) => `${SHEETS_API}/spreadsheets/${id}/values/${encodeURIComponent(a1)}`;

export function sheetsActions<C>(title: string, authorize: Authorize<C>): ActionDefinition<C>[] {
  return [
    defineAction<C, z.output<typeof readInput>, z.infer<typeof readOutput>>({
      name: 'readRange',
      title: 'Read a range',
      description: 'The values of a range in A1 notation, row by row (or column by column).',
      input: readInput,
      output: readOutput,
      async run(ctx, input) {
        const answer = await authorize(ctx, (headers) =>
          googleCall(title, () =>
            ctx.http.get(valuesPath(input.spreadsheetId, input.range), {
              headers,
              query: { majorDimension: input.majorDimension, valueRenderOption: input.valueRenderOption, dateTimeRenderOption: input.dateTimeRenderOption },
            }),
          ),
        );
        const values = read(title, valueRange, answer.data, 'the range');
        return { range: values.range, majorDimension: values.majorDimension ?? input.majorDimension, values: values.values ?? [] };
      },
    }),
    defineAction<C, z.output<typeof appendInput>, z.infer<typeof appendAnswer>>({
      name: 'appendRows',
      title: 'Append rows',
      description: 'Adds rows after the last row of the table in the range (values.append), and says where they landed.',
      input: appendInput,
      output: appendAnswer,
      async run(ctx, input) {
        // Not retried: an append that reached Google before a lost answer would add the rows twice.
        const answer = await authorize(ctx, (headers) =>
          googleCall(title, () =>
            ctx.http.post(
              `${valuesPath(input.spreadsheetId, input.range)}:append`,
              { majorDimension: 'ROWS', values: input.rows },
              { headers, query: { valueInputOption: input.valueInputOption, insertDataOption: input.insertDataOption } },
            ),
          ),
        );
        return read(title, appendAnswer, answer.data, 'the append');
      },
    }),
    defineAction<C, z.output<typeof getInput>, z.infer<typeof spreadsheet>>({
      name: 'getSpreadsheet',
      title: 'Get a spreadsheet',
      description: 'The spreadsheet’s title, locale and time zone, and its sheets (tabs) with their ids, for building ranges.',
      input: getInput,
      output: spreadsheet,
      async run(ctx, input) {
        const answer = await authorize(ctx, (headers) =>
          googleCall(title, () =>
            ctx.http.get(`${SHEETS_API}/spreadsheets/${input.spreadsheetId}`, {
              headers,
              query: { fields: 'spreadsheetId,properties(title,locale,timeZone),sheets.properties(sheetId,title,index)' },
            }),
          ),
        );
        return read(title, spreadsheet, answer.data, 'the spreadsheet');
      },
    }),
  ];
}
