import { useEffect, useMemo, useRef } from 'react';

/** Calls `fn` once `delayMs` has passed without another call; `flush` calls it at once. */
export function useDebouncedCallback<A extends unknown[]>(fn: (...args: A) => void, delayMs: number) {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useMemo(() => {
    const debounced = (...args: A) => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => fnRef.current(...args), delayMs);
    };
    const flush = (...args: A) => {
      clearTimeout(timer.current);
      fnRef.current(...args);
    };
    return { debounced, flush };
  }, [delayMs]);
}
