// Starting points for each kind of run-time connector, as the builder's JSON editor first shows them.
export const KINDS = [
  { value: 'rest', label: 'REST API' },
  { value: 'n8n-workflow', label: 'n8n workflow' },
  { value: 'spark', label: 'Spark job (Livy)' },
] as const;
export type Kind = (typeof KINDS)[number]['value'];

export function starter(kind: Kind): Record<string, unknown> {
  switch (kind) {
    case 'rest':
      return {
        kind: 'rest',
        slug: 'my-api',
        title: 'My API',
        description: 'What this API is for',
        baseUrl: '{{config.baseUrl}}',
        config: { type: 'object', properties: { baseUrl: { type: 'string', title: 'Base URL' } }, required: ['baseUrl'] },
        auth: { kind: 'bearer', label: 'Token' },
        check: { request: { method: 'GET', path: '/me' } },
        actions: [
          {
            name: 'getItem',
            title: 'Get an item',
            description: 'Reads one item by id',
            input: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
            request: { method: 'GET', path: '/items/{{input.id}}' },
          },
        ],
      };
    case 'n8n-workflow':
      return {
        kind: 'n8n-workflow',
        slug: 'my-workflow',
        title: 'My workflow',
        description: 'What the workflow does',
        integrationId: '<id of a connected n8n integration>',
        workflow: { webhookPath: 'my-hook', method: 'POST', mode: 'production' },
        input: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
        result: {},
      };
    case 'spark':
      return {
        kind: 'spark',
        slug: 'my-spark-job',
        title: 'My Spark job',
        description: 'What the job computes',
        integrationId: '<id of a connected Apache Livy integration>',
        file: 'hdfs:///jobs/app.jar',
        className: 'com.example.App',
        args: ['--day', '{{input.day}}'],
        conf: {},
        input: { type: 'object', properties: { day: { type: 'string' } }, required: ['day'] },
      };
  }
}
