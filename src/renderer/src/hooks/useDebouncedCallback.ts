import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';

/** Calls `fn` once `delayMs` has passed without another call; `flush` calls it at once, `cancel` drops it. */
export function useDebouncedCallback<A extends unknown[]>(fn: (...args: A) => void, delayMs: number) {
  const fnRef = useRef(fn);
  useLayoutEffect(() => {
    fnRef.current = fn;
  });
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
    const cancel = () => clearTimeout(timer.current);
    return { debounced, flush, cancel };
  }, [delayMs]);
}
