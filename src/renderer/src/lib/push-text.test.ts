import { describe, expect, it } from 'vitest';
import { confirmationHint } from './push-text';

// Apply waits for each overwrite of a value in use and each replace: the hint names which.
describe('confirmationHint', () => {
  it('names one overwrite, or how many', () => {
    expect(confirmationHint([{ action: 'update' }])).toBe('Confirm the overwrite of a value in use above, or leave it out.');
    expect(confirmationHint([{ action: 'update' }, { action: 'update' }, { action: 'update' }])).toBe(
      'Confirm each of the 3 overwrites of a value in use above, or leave them out.',
    );
  });

  it('names replaces as replaces, and both kinds together', () => {
    expect(confirmationHint([{ action: 'replace' }])).toBe('Confirm the replace above, or leave it out.');
    expect(confirmationHint([{ action: 'replace' }, { action: 'replace' }])).toBe(
      'Confirm each of the 2 replaces above, or leave them out.',
    );
    expect(confirmationHint([{ action: 'update' }, { action: 'replace' }, { action: 'replace' }])).toBe(
      'Confirm the overwrite of a value in use and each of the 2 replaces above, or leave them out.',
    );
  });
});
