import { EmptyState } from '../../components/EmptyState';

// Scaffolding while the view is built; replaced by the view itself.
export function ReviewView() {
  return <EmptyState title="Coming next">This is where the review will be.</EmptyState>;
}
