/**
 * The user's own web browser (the system browser, never a window of this app): where OAuth
 * sign-in pages open. Electron passes `shell.openExternal`; the preview prints the address so
 * a test harness can drive a browser to it.
 */
export interface BrowserOpener {
  open(url: string): Promise<void>;
}

/** Only web addresses leave the app. */
export function assertWebUrl(url: string): URL {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`not a web address: ${parsed.protocol}`);
  return parsed;
}

/** For the preview and tools: prints `browser-open <url>` on a line of its own, for whoever drives it. */
export const printingBrowser: BrowserOpener = {
  async open(url) {
    process.stdout.write(`browser-open ${assertWebUrl(url).href}\n`);
  },
};
