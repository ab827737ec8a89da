// The audit capability's routes.
import { listAuditLog } from './routes/list-audit-log.ts';

export const auditRoutes = [listAuditLog];
