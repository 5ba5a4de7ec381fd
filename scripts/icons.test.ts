import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const resources = path.resolve(__dirname, '..', 'resources');
/** A PNG's width and height, from its IHDR chunk. */
const pngSize = (data: Buffer) => ({ width: data.readUInt32BE(16), height: data.readUInt32BE(20) });

describe('the app icon in resources/', () => {
  it('exists in every size the platforms need (npm run icons makes them)', () => {
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(pngSize(fs.readFileSync(path.join(resources, 'icons', `${size}x${size}.png`)))).toEqual({ width: size, height: size });
    }
    expect(pngSize(fs.readFileSync(path.join(resources, 'icon.png')))).toEqual({ width: 512, height: 512 });
    const ico = fs.readFileSync(path.join(resources, 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, 7]);
    const icns = fs.readFileSync(path.join(resources, 'icon.icns'));
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
  });
});
