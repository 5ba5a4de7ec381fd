import { z } from 'zod';
import { LIMITS } from '../limits';
import { IpcErrorSchema } from '../errors';

export const IdSchema = z.string().min(1, 'must not be empty').max(LIMITS.id, `must be at most ${LIMITS.id} characters`);

/** A request with no parameters still has to be an (empty) object. */
export const EmptyRequestSchema = z.strictObject({});

/** Milliseconds since the epoch. */
export const TimestampSchema = z.number().int().nonnegative();

/** A problem remembered from an earlier call (e.g. the last sync), in the same shape as IPC errors. */
export const ProblemSchema = IpcErrorSchema;
export type Problem = z.infer<typeof ProblemSchema>;
