// PEM material of auth connections (client certificates, chains, CA certificates, private keys),
// parsed with node:crypto into what is public about it: subject, issuer, SHA-256 fingerprint,
// expiry, key type and size. That is all that may reach SQLite, a reply or a log. Errors say
// which field is wrong and how, never a byte of the material (nor OpenSSL's text about it).
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { AppError } from '../errors';

export interface KeyInfo {
  /** `rsa`, `ec`, `ed25519`, … as node:crypto names them. */
  type: string;
  /** Bits: the RSA modulus, or the curve's size. */
  bits: number | null;
  /** The EC curve (`prime256v1`), if any. */
  curve: string | null;
}

export interface CertificateInfo {
  /** Distinguished names, one line, e.g. `CN=client, O=Acme`. */
  subject: string;
  issuer: string;
  /** SHA-256 of the DER, upper-case hex pairs joined by `:` (as `openssl x509 -fingerprint`). */
  fingerprint256: string;
  serialNumber: string;
  notBefore: number;
  notAfter: number;
  /** The certificate's own public key. */
  key: KeyInfo;
  isCa: boolean;
}

/** A private key opened in memory; only `info` is ever shown. */
export interface OpenedKey {
  key: KeyObject;
  info: KeyInfo;
  /** The PEM was encrypted (so a passphrase was needed). */
  encrypted: boolean;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]*?-----END \1-----/g;
const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);
const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp256k1: 256, secp384r1: 384, secp521r1: 521 };

function invalid(field: string, message: string): AppError {
  return new AppError('invalid_request', message, { field });
}

function blocks(pem: string): { label: string; text: string }[] {
  return [...pem.matchAll(BLOCK)].map((match) => ({ label: match[1] as string, text: match[0] }));
}

/** The DN on one line: node:crypto gives one `key=value` per line. */
function oneLine(dn: string): string {
  return dn
    .split('\n')
    .filter((part) => part !== '')
    .join(', ');
}

export function describeKey(key: KeyObject): KeyInfo {
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  if (details.modulusLength !== undefined) return { type, bits: details.modulusLength, curve: null };
  if (details.namedCurve !== undefined) return { type, bits: CURVE_BITS[details.namedCurve] ?? null, curve: details.namedCurve };
  if (type === 'ed25519' || type === 'x25519') return { type, bits: 256, curve: null };
  if (type === 'ed448' || type === 'x448') return { type, bits: 448, curve: null };
  return { type, bits: null, curve: null };
}

export function describeCertificate(cert: X509Certificate): CertificateInfo {
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    fingerprint256: cert.fingerprint256,
    serialNumber: cert.serialNumber,
    notBefore: Date.parse(cert.validFrom),
    notAfter: Date.parse(cert.validTo),
    key: describeKey(cert.publicKey),
    isCa: cert.ca,
  };
}

/**
 * Every certificate in a PEM text (a certificate, or a chain: leaf first). `field` names the
 * request field for errors.
 */
export function parseCertificates(pem: string, field: string): X509Certificate[] {
  const found = blocks(pem);
  if (found.length === 0) {
    throw invalid(field, `${field} is not PEM: it should start with -----BEGIN CERTIFICATE-----.`);
  }
  const other = found.find((block) => block.label !== 'CERTIFICATE');
  if (other !== undefined) {
    const what = KEY_LABELS.has(other.label) ? 'a private key' : `a ${other.label.toLowerCase()}`;
    throw invalid(field, `${field} holds ${what}, not only certificates.`);
  }
  return found.map((block, index) => {
    try {
      return new X509Certificate(block.text);
    } catch {
      const which = found.length > 1 ? ` (certificate ${index + 1} of ${found.length})` : '';
      throw invalid(field, `${field} is not a valid certificate${which}: its PEM block does not decode.`);
    }
  });
}

/** Opens a private key, encrypted or not. */
export function openPrivateKey(pem: string, passphrase: string | undefined, field: string, passphraseField = 'keyPassphrase'): OpenedKey {
  const found = blocks(pem);
  if (found.length === 0) throw invalid(field, `${field} is not PEM: it should start with -----BEGIN PRIVATE KEY-----.`);
  const keyBlocks = found.filter((block) => KEY_LABELS.has(block.label));
  if (keyBlocks.length === 0) {
    const what = found[0]?.label === 'CERTIFICATE' ? 'a certificate' : `a ${String(found[0]?.label).toLowerCase()}`;
    throw invalid(field, `${field} holds ${what}, not a private key.`);
  }
  if (keyBlocks.length > 1) throw invalid(field, `${field} holds ${keyBlocks.length} private keys; give exactly one.`);
  const block = keyBlocks[0] as { label: string; text: string };
  const encrypted = block.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(block.text);
  if (encrypted && (passphrase === undefined || passphrase === '')) {
    throw invalid(passphraseField, `${field} is encrypted: give its passphrase in ${passphraseField}.`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: block.text, format: 'pem', ...(encrypted ? { passphrase } : {}) });
  } catch {
    // OpenSSL's message is not shown: it is about the material, and says little a person can use.
    if (encrypted) throw invalid(passphraseField, `${passphraseField} does not open ${field}: the passphrase is wrong.`);
    throw invalid(field, `${field} is not a valid private key: its PEM block does not decode.`);
  }
  return { key, info: describeKey(key), encrypted };
}

/** Whether the private key is the one the certificate was issued for. */
export function keyMatchesCertificate(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false;
  }
}

/** Refuses a key that is not the certificate's, naming the certificate by its subject (public). */
export function requireMatchingKey(cert: X509Certificate, key: KeyObject): void {
  if (!keyMatchesCertificate(cert, key)) {
    throw invalid('clientKey', `clientKey does not belong to clientCertificate (${oneLine(cert.subject)}): they are not a pair.`);
  }
}

/** `child` names `parent` as its issuer and carries a signature `parent`'s key verifies. */
function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

/**
 * Whether the chain (leaf first, then intermediates in any order) leads, signature by signature,
 * to one of the CA certificates. A chain whose last certificate is itself one of them counts.
 */
export function chainEndsAt(chain: X509Certificate[], cas: X509Certificate[]): boolean {
  const [leaf, ...intermediates] = chain;
  if (leaf === undefined || cas.length === 0) return false;
  const isCa = (cert: X509Certificate) => cas.some((ca) => ca.fingerprint256 === cert.fingerprint256);
  let current = leaf;
  const unused = [...intermediates];
  // Each step uses up one intermediate, so the walk ends.
  for (;;) {
    if (isCa(current) || cas.some((ca) => issuedBy(current, ca))) return true;
    const index = unused.findIndex((candidate) => issuedBy(current, candidate));
    if (index === -1) return false;
    current = unused.splice(index, 1)[0] as X509Certificate;
  }
}

export interface MtlsMaterial {
  clientCertificate: string;
  clientKey: string;
  caCertificate?: string;
  keyPassphrase?: string;
}

/** What is public about an mTLS connection's material: what SQLite may keep and a check reports. */
export interface MtlsSummary {
  certificate: CertificateInfo;
  /** Certificates after the first in `clientCertificate`. */
  intermediates: CertificateInfo[];
  ca: CertificateInfo[];
  key: KeyInfo & { encrypted: boolean };
  /** The key is the certificate's. */
  keyMatches: boolean;
  /** null: no CA was given. */
  chainEndsAtCa: boolean | null;
}

/** Parses and cross-checks mTLS material; throws only when something cannot be parsed at all. */
export function summarizeMtls(material: MtlsMaterial): MtlsSummary {
  const chain = parseCertificates(material.clientCertificate, 'clientCertificate');
  const opened = openPrivateKey(material.clientKey, material.keyPassphrase, 'clientKey');
  const cas = material.caCertificate ? parseCertificates(material.caCertificate, 'caCertificate') : [];
  const leaf = chain[0] as X509Certificate;
  return {
    certificate: describeCertificate(leaf),
    intermediates: chain.slice(1).map(describeCertificate),
    ca: cas.map(describeCertificate),
    key: { ...opened.info, encrypted: opened.encrypted },
    keyMatches: keyMatchesCertificate(leaf, opened.key),
    chainEndsAtCa: cas.length === 0 ? null : chainEndsAt(chain, cas),
  };
}

/** The public half of a private key, to verify what it signed. */
export function publicKeyOf(key: KeyObject): KeyObject {
  return createPublicKey(key);
}
