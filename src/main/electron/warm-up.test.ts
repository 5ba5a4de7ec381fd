import { describe, expect, it, vi } from 'vitest';
import { warmUpOnFocus } from './warm-up';

// The glue's own decision, against a stand-in for Electron's app (the binary cannot run here).
describe('warming the API host up on focus', () => {
  it('gets the host ready each time a window of the app gains focus, and not before', () => {
    const handlers = new Map<string, () => void>();
    const warmUp = vi.fn();
    warmUpOnFocus({ on: (event: string, handler: () => void) => handlers.set(event, handler) } as never, warmUp);
    expect(warmUp).not.toHaveBeenCalled();
    handlers.get('browser-window-focus')!();
    handlers.get('browser-window-focus')!();
    expect(warmUp).toHaveBeenCalledTimes(2);
  });
});
