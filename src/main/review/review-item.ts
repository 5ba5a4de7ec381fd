import type { ReviewItem } from '../../shared/schemas/review';

/** What a review item must say; everything it is not about defaults to null. */
export type ReviewItemFields = Pick<ReviewItem, 'kind' | 'name' | 'workspaceIds' | 'detail'> & Partial<ReviewItem>;

export function reviewItem(fields: ReviewItemFields): ReviewItem {
  return {
    localSecretId: null,
    remoteSecretId: null,
    linkedAccountId: null,
    keptConnectionId: null,
    remoteConnectionId: null,
    since: null,
    ...fields,
  };
}
