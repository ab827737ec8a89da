// Connectors defined at run time: the public surface the hub wires in (routes, the registry's source) and
// what the runs capability reads about a compiled connector.
export { customConnectorRoutes } from './routes.ts';
export { customConnectorSource } from './service.ts';
export { customConnectorInfo, sparkBatch, type CustomConnectorInfo } from './compile.ts';
export type { CustomDefinition, SparkDefinition } from './definition.ts';
