import type { ReactNode, Ref } from 'react';

/**
 * A scrolling area the keyboard can reach: it takes focus itself, so PageDown, End and the
 * arrows scroll it even where nothing inside is focusable (WCAG 2.1.1; axe's
 * scrollable-region-focusable), and it is a named region, so a screen reader says what it is.
 */
export function ScrollRegion({
  label,
  className,
  children,
  ref,
}: {
  label: string;
  className: string;
  children: ReactNode;
  ref?: Ref<HTMLDivElement>;
}) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrolling region must be focusable to be scrolled by keyboard
    <div ref={ref} className={`${className} scroll-region`} tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
