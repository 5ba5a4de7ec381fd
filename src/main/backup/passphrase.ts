import { randomInt } from 'node:crypto';
import { WORDS } from './wordlist';

export const MIN_WORDS = 6;

/** A passphrase of `count` words drawn uniformly (crypto.randomInt) from the word list, hyphen-separated. */
export function generatePassphrase(count = MIN_WORDS): { passphrase: string; words: number; bits: number } {
  if (!Number.isInteger(count) || count < MIN_WORDS || count > 24) throw new RangeError(`a passphrase has ${MIN_WORDS} to 24 words`);
  const words = Array.from({ length: count }, () => WORDS[randomInt(WORDS.length)]!);
  return { passphrase: words.join('-'), words: count, bits: Math.floor(count * Math.log2(WORDS.length)) };
}

/** A recovery key for backups taken without anyone typing a passphrase: an age X25519 key pair. */
export async function generateRecoveryKey(): Promise<{ identity: string; recipient: string }> {
  const { generateX25519Identity, identityToRecipient } = await import('age-encryption');
  const identity = await generateX25519Identity();
  return { identity, recipient: await identityToRecipient(identity) };
}

export interface RecoverySheetFacts {
  /** The passphrase, or the recovery key (AGE-SECRET-KEY-1...): the sheet is its one written copy. */
  secret: { passphrase: string } | { identity: string };
  file: string;
  createdAt: number;
  hostname: string;
}

/**
 * The printable recovery sheet, as plain text and as a self-contained HTML page. It holds the
 * passphrase or recovery key, so the UI shows it only to be printed or written down, and never
 * saves it: it is built here so the wording is the same everywhere.
 */
export function recoverySheet(facts: RecoverySheetFacts): { text: string; html: string } {
  const isPassphrase = 'passphrase' in facts.secret;
  const secret = isPassphrase ? (facts.secret as { passphrase: string }).passphrase : (facts.secret as { identity: string }).identity;
  const when = new Date(facts.createdAt).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const lines = [
    'Agent Keyring — backup recovery sheet',
    '',
    `Backup made ${when} on ${facts.hostname}`,
    `File: ${facts.file}`,
    '',
    isPassphrase ? 'Passphrase (words joined by hyphens):' : 'Recovery key:',
    `    ${secret}`,
    '',
    'To restore: open Agent Keyring, choose "Restore from a backup", pick the file and enter the ' +
      (isPassphrase ? 'passphrase above.' : 'recovery key above.'),
    'Without Agent Keyring, the file opens with the age tool (https://age-encryption.org):',
    isPassphrase
      ? '    age -d -o backup.json <file>        (age asks for the passphrase)'
      : '    age -d -i recovery-key.txt -o backup.json <file>   (recovery-key.txt holds the key above)',
    'The result is JSON holding every credential in plain text: open it only on a computer you trust,',
    'and delete it after use.',
    '',
    'Keep this sheet somewhere safe and apart from the backup file: anyone holding both can read',
    'every credential in it. Agent Keyring does not keep a copy and cannot recover it.',
  ];
  const escape = (text: string) =>
    text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Agent Keyring recovery sheet</title>',
    '<style>body{font:14px/1.5 system-ui,sans-serif;margin:2rem;color:#000;background:#fff}',
    'code{font:16px/1.6 ui-monospace,monospace;word-break:break-all;display:block;padding:.75rem;border:1px solid #000}</style>',
    '</head><body>',
    '<h1>Agent Keyring — backup recovery sheet</h1>',
    `<p>Backup made ${escape(when)} on ${escape(facts.hostname)}<br>File: ${escape(facts.file)}</p>`,
    `<h2>${isPassphrase ? 'Passphrase' : 'Recovery key'}</h2><code>${escape(secret)}</code>`,
    `<p>To restore: open Agent Keyring, choose “Restore from a backup”, pick the file and enter the ${isPassphrase ? 'passphrase' : 'recovery key'} above.</p>`,
    `<p>Without Agent Keyring, the file opens with the age tool (age-encryption.org): <code>${escape(
      isPassphrase ? 'age -d -o backup.json <file>' : 'age -d -i recovery-key.txt -o backup.json <file>',
    )}</code> The result is JSON holding every credential in plain text: open it only on a computer you trust, and delete it after use.</p>`,
    '<p>Keep this sheet somewhere safe and apart from the backup file: anyone holding both can read every credential in it. Agent Keyring does not keep a copy and cannot recover it.</p>',
    '</body></html>',
  ].join('\n');
  return { text: lines.join('\n'), html };
}
