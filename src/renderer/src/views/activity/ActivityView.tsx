import { EmptyState } from '../../components/EmptyState';

// Scaffolding while the view is built; replaced by the view itself.
export function ActivityView() {
  return <EmptyState title="Coming next">This is where the activity log will be.</EmptyState>;
}
