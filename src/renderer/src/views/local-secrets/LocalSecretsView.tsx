import { EmptyState } from '../../components/EmptyState';

// Scaffolding while the view is built; replaced by the view itself.
export function LocalSecretsView() {
  return <EmptyState title="Coming next">This is where local secrets will be.</EmptyState>;
}
