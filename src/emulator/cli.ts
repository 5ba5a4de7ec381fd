// `npm run emulator`: starts the emulator in the foreground until SIGINT or SIGTERM.
// Prints one line per key, then `listening on URL` once it is ready (tests wait for that line).
import { USAGE, parseCliArgs, type CliOptions } from './cli-args';
import { InvalidFieldError } from './errors';
import { describePermissions } from './keys';
import { DEFAULT_EMULATOR_KEY, startEmulator } from './server';
import { EMULATOR_PERMISSIONS } from './types';

function argumentsOrExit(): CliOptions {
  try {
    return parseCliArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof InvalidFieldError)) throw error;
    console.error(`emulator: ${error.message}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const options = argumentsOrExit();
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const keys = options.emulator.keys.length > 0 ? options.emulator.keys : [{ key: DEFAULT_EMULATOR_KEY }];
  let emulator;
  try {
    emulator = await startEmulator({ ...options.emulator, keys });
  } catch (error) {
    console.error(`emulator: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof InvalidFieldError ? 2 : 1);
  }
  for (const fault of options.faults) emulator.injectFault(fault);

  // Ready to stop before saying it is ready: a SIGINT sent on the ready line must not find the
  // default handler (which kills the process without closing the server).
  const running = emulator;
  const shutdown = () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);

  const defaultSeed = options.emulator.seed ?? 'demo';
  for (const { key, permissions, seed } of keys) {
    const described = describePermissions(permissions ?? EMULATOR_PERMISSIONS);
    console.log(`key ${key} permissions=${described} seed=${seed ?? defaultSeed}`);
  }
  console.log(`listening on ${emulator.url}`);
}

void main();
