import { queryOptions } from '@tanstack/react-query';
import { call } from '../keyring';

/** Settings › Command line: akr's socket, paired terminals, grants and requests waiting. Never a value. */
export const brokerStateQuery = queryOptions({
  queryKey: ['broker'] as const,
  queryFn: () => call((api) => api.broker.state({})),
});
