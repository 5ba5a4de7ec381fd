import type { ReactNode } from 'react';

export function EmptyState({ title, children, icon = '○', tone }: { title: string; children?: ReactNode; icon?: string; tone?: 'error' }) {
  return (
    <div className={`empty-state${tone ? ` empty-${tone}` : ''}`} role={tone === 'error' ? 'alert' : undefined}>
      <div className="empty-icon" aria-hidden="true">
        {icon}
      </div>
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-body">{children}</div> : null}
    </div>
  );
}
