import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/contract';

const isMac = process.platform === 'darwin';

/**
 * The standard application menu. App commands show their shortcut but do not register it
 * (`registerAccelerator: false`): the renderer binds the keys itself, so they behave the same
 * in the browser preview; clicking the item emits the command as the typed `app:menuCommand`
 * event, which reaches the renderer like every other event (checked against its schema).
 */
export function installMenu(emit: (command: MenuCommand) => void): void {
  const send = (command: MenuCommand) => () => emit(command);
  const command = (label: string, accelerator: string, name: MenuCommand): MenuItemConstructorOptions => ({
    label,
    accelerator,
    registerAccelerator: false,
    click: send(name),
  });

  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        command('Add Workspace…', 'CmdOrCtrl+N', 'add-workspace'),
        { type: 'separator' },
        command('Sync Active Workspace', 'CmdOrCtrl+R', 'sync-active'),
        command('Sync All Workspaces', 'CmdOrCtrl+Shift+R', 'sync-all'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        command('Secrets', 'CmdOrCtrl+Shift+S', 'show-secrets'),
        command('Auth Connections', 'CmdOrCtrl+Shift+A', 'show-connections'),
        command('Workspaces', 'CmdOrCtrl+Shift+W', 'show-workspaces'),
        command('Find Secret', 'CmdOrCtrl+F', 'focus-search'),
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
        { label: 'Workspace Secrets Documentation', click: () => void shell.openExternal('https://elevenlabs.io/docs/api-reference/workspace/secrets/list') },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
