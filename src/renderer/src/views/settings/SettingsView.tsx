import { EmptyState } from '../../components/EmptyState';

// Scaffolding while the view is built; replaced by the view itself.
export function SettingsView() {
  return <EmptyState title="Coming next">This is where settings will be.</EmptyState>;
}
