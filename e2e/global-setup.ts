import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The preview serves the built renderer; build it when a run starts without one. */
export default function globalSetup(): void {
  const root = path.resolve(__dirname, '..');
  if (!fs.existsSync(path.join(root, 'out', 'renderer', 'index.html'))) {
    execFileSync(path.join(root, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: root, stdio: 'inherit' });
  }
}
