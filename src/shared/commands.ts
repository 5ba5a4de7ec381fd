/**
 * Every app command with a keyboard shortcut, declared once: the renderer binds the keys and
 * lists them in the shortcuts dialog, and the Electron menu shows the same labels and keys.
 * A combo is written "Mod+Shift+R": Mod is ⌘ on macOS and Ctrl elsewhere. Free of zod and of
 * any runtime, so every process can import it.
 */
export const appCommands = {
  'add-workspace': { menu: 'File', label: 'Add Workspace…', description: 'Add a workspace', combo: 'Mod+N' },
  // Acts on what the screen shows: the active workspace, or every workspace when all are shown.
  'sync-shown': { menu: 'File', label: 'Sync Shown Workspaces', description: 'Sync the workspaces on screen', combo: 'Mod+R' },
  'sync-all': { menu: 'File', label: 'Sync All Workspaces', description: 'Sync all workspaces', combo: 'Mod+Shift+R' },
  'plan-push': { menu: 'File', label: 'Plan Push…', description: 'Plan a push of every local secret', combo: 'Mod+Shift+P' },
  // Mod+Shift+N and Mod+Shift+I are Chromium's (incognito window, developer tools): these two are free.
  'new-local-secret': { menu: 'File', label: 'New Local Secret…', description: 'Add a local secret', combo: 'Mod+Shift+X' },
  'import-env': { menu: 'File', label: 'Import .env File…', description: 'Import a .env file as local secrets', combo: 'Mod+I' },
  'focus-search': { menu: 'View', label: 'Find', description: 'Search (also /)', combo: 'Mod+F' },
  'show-secrets': { menu: 'View', label: 'Secrets', description: 'Show secrets', combo: 'Mod+Shift+S' },
  'show-connections': { menu: 'View', label: 'Auth Connections', description: 'Show auth connections', combo: 'Mod+Shift+A' },
  'show-workspaces': { menu: 'View', label: 'Workspaces', description: 'Show workspaces', combo: 'Mod+Shift+W' },
  'show-local-secrets': { menu: 'View', label: 'Local Secrets', description: 'Show local secrets', combo: 'Mod+Shift+L' },
  'show-accounts': { menu: 'View', label: 'Linked Accounts', description: 'Show linked accounts', combo: 'Mod+Shift+K' },
  'show-review': { menu: 'View', label: 'Review', description: 'Show what needs attention', combo: 'Mod+Shift+E' },
  'show-activity': { menu: 'View', label: 'Activity', description: 'Show the activity log', combo: 'Mod+Shift+Y' },
  'show-settings': { menu: 'View', label: 'Settings…', description: 'Show settings', combo: 'Mod+,' },
  'show-variables': {
    menu: 'View',
    label: 'Environment Variables',
    description: 'Show environment variables by environment',
    combo: 'Mod+Shift+F',
  },
} as const satisfies Record<string, { menu: 'File' | 'View'; label: string; description: string; combo: string }>;

export type AppCommand = keyof typeof appCommands;
export const appCommandNames = Object.keys(appCommands) as AppCommand[];

/** Keys the renderer handles that are not menu commands, for the shortcuts dialog. */
export const otherShortcuts = [
  { combo: 'Mod+1…9', description: 'Switch to workspace 1 to 9' },
  { combo: '↑ ↓', description: 'Move through a list' },
  { combo: 'Enter', description: 'Open the selected item' },
  { combo: 'Escape', description: 'Close a dialog, or clear the selection' },
] as const;

/** A combo as Electron's menu writes it: "CmdOrCtrl+Shift+R". */
export function electronAccelerator(combo: string): string {
  return combo.replace(/\bMod\b/, 'CmdOrCtrl');
}
