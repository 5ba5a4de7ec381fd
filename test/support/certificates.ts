// Certificates and keys made in the test, with @peculiar/x509 on Node's WebCrypto: a root CA,
// intermediates, server and client certificates, expired or soon-expiring ones, RSA or EC keys,
// and the private key as (optionally encrypted) PKCS#8 PEM.
// @peculiar/x509's dependency injection needs the Reflect metadata API at load time.
import 'reflect-metadata';
import { KeyObject, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;

export type TestKeyType = 'ec' | 'rsa';

const ALGORITHMS = {
  ec: { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
  rsa: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
} as const;

export interface Issued {
  /** The certificate in PEM. */
  certPem: string;
  /** The private key, unencrypted PKCS#8 PEM. */
  keyPem: string;
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  keyType: TestKeyType;
  /** The private key as encrypted PKCS#8 PEM (AES-256-CBC). */
  encryptedKeyPem(passphrase: string): string;
}

export interface IssueOptions {
  subject: string;
  keyType?: TestKeyType;
  notBefore?: Date;
  notAfter?: Date;
  /** May sign other certificates. */
  ca?: boolean;
  serverAuth?: boolean;
  clientAuth?: boolean;
  /** IP addresses the certificate is for (servers on 127.0.0.1). */
  ips?: string[];
}

const DAY = 24 * 60 * 60 * 1000;

async function generate(keyType: TestKeyType): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHMS[keyType], true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
}

async function extensionsFor(options: IssueOptions, publicKey: CryptoKey): Promise<x509.Extension[]> {
  const extensions: x509.Extension[] = [await x509.SubjectKeyIdentifierExtension.create(publicKey)];
  if (options.ca) {
    extensions.push(new x509.BasicConstraintsExtension(true, undefined, true));
    extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true));
  } else {
    extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true));
  }
  const usages: x509.ExtendedKeyUsage[] = [];
  if (options.serverAuth) usages.push(x509.ExtendedKeyUsage.serverAuth);
  if (options.clientAuth) usages.push(x509.ExtendedKeyUsage.clientAuth);
  if (usages.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension(usages));
  if (options.ips?.length) extensions.push(new x509.SubjectAlternativeNameExtension(options.ips.map((value) => ({ type: 'ip', value }))));
  return extensions;
}

function issued(cert: x509.X509Certificate, keys: CryptoKeyPair, keyType: TestKeyType): Issued {
  const key = KeyObject.from(keys.privateKey);
  return {
    certPem: cert.toString('pem'),
    keyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    cert,
    keys,
    keyType,
    encryptedKeyPem: (passphrase) => key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString(),
  };
}

/** A self-signed root CA. */
export async function makeCa(subject = 'CN=Agent Keyring Test Root CA, O=Tests', keyType: TestKeyType = 'ec'): Promise<Issued> {
  const keys = await generate(keyType);
  const options: IssueOptions = { subject, ca: true };
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: subject,
    keys,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 3650 * DAY),
    signingAlgorithm: ALGORITHMS[keyType],
    extensions: await extensionsFor(options, keys.publicKey),
  });
  return issued(cert, keys, keyType);
}

/** A certificate signed by `issuer`. */
export async function issue(issuer: Issued, options: IssueOptions): Promise<Issued> {
  const keyType = options.keyType ?? 'ec';
  const keys = await generate(keyType);
  const cert = await x509.X509CertificateGenerator.create({
    subject: options.subject,
    issuer: issuer.cert.subject,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    notBefore: options.notBefore ?? new Date(Date.now() - DAY),
    notAfter: options.notAfter ?? new Date(Date.now() + 365 * DAY),
    signingAlgorithm: ALGORITHMS[issuer.keyType],
    extensions: [
      ...(await extensionsFor(options, keys.publicKey)),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
    ],
  });
  return issued(cert, keys, keyType);
}

export const days = (n: number) => new Date(Date.now() + n * DAY);
