// npm run icons: renders resources/icon.svg in Chromium at every size the platforms need and
// writes resources/icons/<size>x<size>.png (Linux), resources/icon.ico (Windows) and
// resources/icon.icns (macOS). The ICO and ICNS containers hold PNGs, which both accept.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';

const resources = path.resolve(__dirname, '..', 'resources');
const svg = fs.readFileSync(path.join(resources, 'icon.svg'), 'utf8');
const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

async function render(): Promise<Map<number, Buffer>> {
  const browser = await chromium.launch({
    executablePath: fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
  });
  const pngs = new Map<number, Buffer>();
  try {
    for (const size of sizes) {
      const page = await browser.newPage({ viewport: { width: size, height: size } });
      await page.setContent(
        `<html><body style="margin:0;background:transparent">${svg.replace('width="1024" height="1024"', `width="${size}" height="${size}"`)}</body></html>`,
      );
      pngs.set(size, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return pngs;
}

/** ICO: a directory of entries, each pointing at a PNG (Windows Vista and later read PNG entries). */
function ico(pngs: Map<number, Buffer>): Buffer {
  const entries = [16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: pngs.get(size)! }));
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(entries.length, 4);
  let offset = 6 + 16 * entries.length;
  const directory = entries.map(({ size, data }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(data.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += data.length;
    return entry;
  });
  return Buffer.concat([header, ...directory, ...entries.map((e) => e.data)]);
}

/** ICNS: 'icns', total length, then (type, length, PNG) chunks. */
function icns(pngs: Map<number, Buffer>): Buffer {
  const types: [string, number][] = [
    ['icp4', 16],
    ['icp5', 32],
    ['icp6', 64],
    ['ic07', 128],
    ['ic08', 256],
    ['ic09', 512],
    ['ic10', 1024],
  ];
  const chunks = types.map(([type, size]) => {
    const data = pngs.get(size)!;
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'ascii');
  header.writeUInt32BE(8 + chunks.reduce((sum, chunk) => sum + chunk.length, 0), 4);
  return Buffer.concat([header, ...chunks]);
}

async function main(): Promise<void> {
  const pngs = await render();
  fs.mkdirSync(path.join(resources, 'icons'), { recursive: true });
  for (const [size, data] of pngs) fs.writeFileSync(path.join(resources, 'icons', `${size}x${size}.png`), data);
  fs.copyFileSync(path.join(resources, 'icons', '512x512.png'), path.join(resources, 'icon.png'));
  fs.writeFileSync(path.join(resources, 'icon.ico'), ico(pngs));
  fs.writeFileSync(path.join(resources, 'icon.icns'), icns(pngs));
  process.stdout.write(`wrote ${pngs.size} PNG sizes, icon.png, icon.ico and icon.icns to ${resources}\n`);
}

void main();
