import type { ReactNode } from 'react';

/** A link to a web page, opened in the system browser (never inside the app's window). */
export function ExternalLink({ href, children, className }: { href: string; children: ReactNode; className?: string }) {
  return (
    <a href={href} target="_blank" rel="noreferrer noopener" className={`external-link${className ? ` ${className}` : ''}`}>
      {children}
      <span className="visually-hidden"> (opens in your browser)</span>
      <svg className="external-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5" />
      </svg>
    </a>
  );
}
