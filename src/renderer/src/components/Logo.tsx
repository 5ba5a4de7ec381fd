/** The app mark: a key ring. Drawn inline so it needs no file or network. */
export function Logo({ size = 22 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect x="1" y="1" width="30" height="30" rx="8" className="logo-bg" />
      <circle cx="12.5" cy="13" r="5" className="logo-line" />
      <path d="M16 16.5l7.5 7.5M20.5 21l2.5-2.5M18.5 19l1.8-1.8" className="logo-line" />
    </svg>
  );
}
