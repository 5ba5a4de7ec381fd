import { EmptyState } from '../../components/EmptyState';

// Scaffolding while the view is built; replaced by the view itself.
export function AccountsView() {
  return <EmptyState title="Coming next">This is where linked accounts will be.</EmptyState>;
}
