import { Fragment } from 'react';

/**
 * A name, id or URL that may break across lines only where it reads sensibly: after "_", ".",
 * "-", "/", ":" or "?". A part longer than the whole line still breaks (overflow-wrap: break-word).
 */
export function BreakableId({ text }: { text: string }) {
  const parts = text.split(/(?<=[_./:?&=-])/);
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {index > 0 ? <wbr /> : null}
          {part}
        </Fragment>
      ))}
    </>
  );
}
