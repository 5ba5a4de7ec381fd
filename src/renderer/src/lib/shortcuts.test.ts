import { describe, expect, it } from 'vitest';
import { appCommandNames, appCommands } from '../../../shared/commands';
import { commandOfKey } from './shortcuts';

// Keys Chromium (the preview, and the engine under Electron) or Electron's standard menu roles
// already take: an app shortcut on one of them would never reach the page, or would do both.
// (Mod+Shift+W and Mod+Shift+A, older app shortcuts, are Chromium's too, in a browser window
// only: close window, tab search. Under Electron they are free.)
const taken = [
  'Mod+T',
  'Mod+W',
  'Mod+Q',
  'Mod+L',
  'Mod+D',
  'Mod+E',
  'Mod+K',
  'Mod+G',
  'Mod+H',
  'Mod+J',
  'Mod+O',
  'Mod+P',
  'Mod+S',
  'Mod+U',
  'Mod+M',
  'Mod+Z',
  'Mod+Y',
  'Mod+X',
  'Mod+C',
  'Mod+V',
  'Mod+A',
  'Mod+0',
  'Mod+=',
  'Mod+-',
  'Mod+Shift+N',
  'Mod+Shift+T',
  'Mod+Shift+I',
  'Mod+Shift+J',
  'Mod+Shift+C',
  'Mod+Shift+B',
  'Mod+Shift+O',
  'Mod+Shift+D',
  'Mod+Shift+G',
  'Mod+Shift+M',
  'Mod+Shift+Q',
  'Mod+Shift+V',
  'Mod+Shift+Z',
  'Mod+Shift+U',
  'Mod+Shift+H',
  'Mod+Shift+Delete',
];

describe('the command table', () => {
  it('gives every command its own combo, none of them one Chromium or Electron already uses', () => {
    const combos = appCommandNames.map((name) => appCommands[name].combo);
    expect(new Set(combos).size).toBe(combos.length);
    expect(combos.filter((combo) => taken.includes(combo))).toEqual([]);
  });

  it('has shortcuts for a new local secret and a .env import, which the keys reach', () => {
    expect(commandOfKey({ key: 'x', shiftKey: true, altKey: false }, true)).toBe('new-local-secret');
    expect(commandOfKey({ key: 'i', shiftKey: false, altKey: false }, true)).toBe('import-env');
    expect(appCommands['new-local-secret'].label).toBe('New Local Secret…');
    expect(appCommands['import-env'].label).toBe('Import .env File…');
  });
});
