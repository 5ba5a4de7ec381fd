// Whether a plain string looks like a credential. ElevenLabs stores string variables in the clear
// (they are not secrets to the API), but a builder may paste a key into one. Such a value should
// be a workspace secret instead; until it is, Agent Keyring treats it as one: it is not written
// to SQLite, not shown, and Review says why (never what).

/** Prefixes of well-known key formats. Matched at the start of the value or of a word in it. */
export const KEY_PREFIXES = [
  'sk_', // Stripe secret and restricted keys, ElevenLabs keys
  'sk-', // OpenAI, Anthropic
  'rk_live_', // Stripe restricted (live)
  'xoxb-', // Slack bot token
  'xoxp-', // Slack user token
  'xoxa-', // Slack app token
  'xapp-', // Slack app-level token
  'ghp_', // GitHub personal access token
  'gho_', // GitHub OAuth token
  'ghs_', // GitHub app installation token
  'github_pat_', // GitHub fine-grained token
  'glpat-', // GitLab personal access token
  'AKIA', // AWS access key id
  'ASIA', // AWS temporary access key id
  'AIza', // Google API key
  'SG.', // SendGrid
  'shpat_', // Shopify admin token
  'pat', // Airtable personal access token (patXXXX.XXXX)
  'eyJ', // a JWT (base64url of '{"')
  '-----BEGIN', // a PEM key or certificate
] as const;

/** The shape after the prefix: enough key-like characters that it is not just a word starting so. */
const PREFIX_BODY: Partial<Record<(typeof KEY_PREFIXES)[number], RegExp>> = {
  AKIA: /^[0-9A-Z]{16}/,
  ASIA: /^[0-9A-Z]{16}/,
  AIza: /^[0-9A-Za-z_-]{35}/,
  pat: /^[0-9A-Za-z]{14}\.[0-9a-f]{16}/,
  eyJ: /^[0-9A-Za-z_-]{10,}\.[0-9A-Za-z_-]{10,}\./,
  '-----BEGIN': /^ /,
};
const DEFAULT_BODY = /^[0-9A-Za-z_.-]{12,}/;

/** A run of characters this long or longer is measured; shorter ones carry too little to tell. */
export const ENTROPY_MIN_LENGTH = 24;
/**
 * Bits per character from which a run looks random. English words and identifiers (even long
 * snake_case ones) stay under about 3.9; 24 random base62 characters give about 4.3, and a
 * random token's entropy only grows with its length.
 */
export const ENTROPY_THRESHOLD = 4.0;

export type CredentialShape =
  { kind: 'key_prefix'; prefix: string; length: number } | { kind: 'high_entropy'; bitsPerChar: number; runLength: number; length: number };

/** Shannon entropy of a string in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Why `value` looks like a credential, or null. Checked: a key-shaped prefix at the start of the
 * value or of any word in it (a URL may carry one in its query), then each run of token
 * characters of at least ENTROPY_MIN_LENGTH with both letters and digits whose entropy reaches
 * ENTROPY_THRESHOLD (a URL's path is split at / . : ? & = so a host name is not one run).
 */
export function credentialShape(value: string): CredentialShape | null {
  const words = value.split(/[\s"'`,;=?&/]+/).filter((word) => word !== '');
  for (const word of [value, ...words]) {
    for (const prefix of KEY_PREFIXES) {
      if (!word.startsWith(prefix)) continue;
      const body = PREFIX_BODY[prefix] ?? DEFAULT_BODY;
      if (body.test(word.slice(prefix.length))) return { kind: 'key_prefix', prefix, length: value.length };
    }
  }
  for (const run of value.split(/[^A-Za-z0-9+_]+/)) {
    if (run.length < ENTROPY_MIN_LENGTH || !/[A-Za-z]/.test(run) || !/[0-9]/.test(run)) continue;
    const bits = shannonEntropy(run);
    if (bits >= ENTROPY_THRESHOLD) {
      return { kind: 'high_entropy', bitsPerChar: Math.round(bits * 100) / 100, runLength: run.length, length: value.length };
    }
  }
  return null;
}

/** Why, in words, never quoting the value: "it starts like a key (sk_)". */
export function describeCredentialShape(shape: CredentialShape): string {
  if (shape.kind === 'key_prefix') return `it starts the way ${shape.prefix}… keys do`;
  return `it holds ${shape.runLength} random-looking characters (${shape.bitsPerChar.toFixed(1)} bits each; words stay under ${ENTROPY_THRESHOLD.toFixed(1)})`;
}
