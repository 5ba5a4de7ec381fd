export { startEmulator, DEFAULT_EMULATOR_KEY } from './server';
export { EMULATOR_PERMISSIONS } from './types';
export type { EmulatorKey, EmulatorOptions, EmulatorPermission, EmulatorSeed, EmulatorStats, FaultSpec, RunningEmulator } from './types';
