import { queryOptions } from '@tanstack/react-query';
import { call } from '../keyring';

/** The newest backup known to open (checked right after it was written, or by Verify): never a value. */
export const lastVerifiedBackupQuery = queryOptions({
  queryKey: ['backup', 'lastVerified'] as const,
  queryFn: async () => (await call((api) => api.backup.lastVerified({}))).backup,
});
