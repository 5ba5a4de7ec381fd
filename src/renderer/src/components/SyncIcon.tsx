export function SyncIcon({ spinning = false }: { spinning?: boolean }) {
  return (
    <svg className={`button-icon${spinning ? ' spinning' : ''}`} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M20 12a8 8 0 0 1-14.3 4.9M4 12a8 8 0 0 1 14.3-4.9M18.5 3v4.2h-4.2M5.5 21v-4.2h4.2" />
    </svg>
  );
}
