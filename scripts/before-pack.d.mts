// Types of scripts/before-pack.mjs (electron-builder's beforePack hook), as far as its test uses it.
export interface BeforePackContext {
  packager: { projectDir: string; config: unknown };
  electronPlatformName: string;
  /** electron-builder's Arch: 0 ia32, 1 x64, 2 armv7l, 3 arm64, 4 universal. */
  arch: number;
}
export default function beforePack(context: BeforePackContext): Promise<void>;
