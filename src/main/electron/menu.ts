import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import { appCommandNames, appCommands, electronAccelerator } from '../../shared/commands';
import type { MenuCommand } from '../../shared/contract';
import type { AppWindow } from './window';

const isMac = process.platform === 'darwin';

/**
 * The standard application menu. App commands show their shortcut but do not register it
 * (`registerAccelerator: false`): the renderer binds the keys itself, so they behave the same
 * in the browser preview; clicking the item emits the command as the typed `app:menuCommand`
 * event, which reaches the renderer like every other event (checked against its schema). With no
 * window open (macOS), the command opens one and is emitted once its page has loaded.
 */
export function installMenu(emit: (command: MenuCommand) => void, windows: Pick<AppWindow, 'whenLoaded'>): void {
  const commandsOf = (menu: 'File' | 'View'): MenuItemConstructorOptions[] =>
    appCommandNames
      .filter((name) => appCommands[name].menu === menu)
      .map((name) => ({
        label: appCommands[name].label,
        accelerator: electronAccelerator(appCommands[name].combo),
        registerAccelerator: false,
        click: () => windows.whenLoaded(() => emit(name)),
      }));
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [...commandsOf('File'), { type: 'separator' }, isMac ? { role: 'close' } : { role: 'quit' }],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...commandsOf('View'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'ElevenLabs API Keys', click: () => void shell.openExternal('https://elevenlabs.io/app/settings/api-keys') },
        {
          label: 'Workspace Secrets Documentation',
          click: () => void shell.openExternal('https://elevenlabs.io/docs/api-reference/workspace/secrets/list'),
        },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
