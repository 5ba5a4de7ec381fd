import { hash } from 'node:crypto';
import { dependantText, type DependantValues } from '../elevenlabs/listed-secret';

/** Identifies a dependant row by every column of it, so one seen again is found, not stored twice. */
export function dependantFingerprint(values: DependantValues): string {
  return hash('md5', dependantText(values), 'base64');
}
