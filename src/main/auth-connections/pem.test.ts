import { createHash, generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Issued, days, issue, makeCa } from '../../../test/support/certificates';
import { AppError } from '../errors';
import { chainEndsAt, openPrivateKey, parseCertificates, requireMatchingKey, summarizeMtls } from './pem';

// PEM material made here with @peculiar/x509, read back with node:crypto: only public facts come
// out, and every refusal names the field without a byte of the material.

let root: Issued;
let intermediate: Issued;
let client: Issued;
let rsaClient: Issued;
let otherRoot: Issued;

beforeAll(async () => {
  root = await makeCa('CN=Test Root, O=Acme');
  intermediate = await issue(root, { subject: 'CN=Test Issuing CA, O=Acme', ca: true });
  client = await issue(intermediate, { subject: 'CN=agent-client, O=Acme', clientAuth: true, notAfter: days(20) });
  rsaClient = await issue(root, { subject: 'CN=rsa-client', keyType: 'rsa', clientAuth: true });
  otherRoot = await makeCa('CN=Someone Else Root');
});

/** The AppError a call throws. */
function refusal(call: () => unknown): AppError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a refusal');
}

/** The base64 body of a PEM text, which no message may contain any part of. */
function bodyOf(pem: string): string {
  return pem.split('\n').filter((line) => line !== '' && !line.startsWith('-----'))[1] ?? '';
}

describe('PEM material', () => {
  it('describes a certificate chain and its key by public facts only', () => {
    const summary = summarizeMtls({
      clientCertificate: client.certPem + intermediate.certPem,
      clientKey: client.keyPem,
      caCertificate: root.certPem,
    });
    const der = Buffer.from(client.cert.rawData);
    const expectedFingerprint = createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
    expect(summary.certificate).toMatchObject({
      subject: 'CN=agent-client, O=Acme',
      issuer: 'CN=Test Issuing CA, O=Acme',
      fingerprint256: expectedFingerprint,
      key: { type: 'ec', bits: 256, curve: 'prime256v1' },
      isCa: false,
    });
    expect(summary.certificate.notAfter).toBe(Math.floor(client.cert.notAfter.getTime() / 1000) * 1000);
    expect(summary.intermediates.map((c) => c.subject)).toEqual(['CN=Test Issuing CA, O=Acme']);
    expect(summary.ca[0]).toMatchObject({ subject: 'CN=Test Root, O=Acme', isCa: true });
    expect(summary).toMatchObject({ keyMatches: true, chainEndsAtCa: true, key: { type: 'ec', bits: 256, encrypted: false } });
    const text = JSON.stringify(summary);
    for (const pem of [client.keyPem, client.certPem, root.certPem]) expect(text).not.toContain(bodyOf(pem));
  });

  it('gives an RSA key its size', () => {
    const summary = summarizeMtls({ clientCertificate: rsaClient.certPem, clientKey: rsaClient.keyPem });
    expect(summary.key).toMatchObject({ type: 'rsa', bits: 2048, curve: null });
    expect(summary.certificate.key).toMatchObject({ type: 'rsa', bits: 2048 });
    expect(summary.chainEndsAtCa).toBeNull();
  });

  it('opens an encrypted key with its passphrase, and names the passphrase when it is missing or wrong', () => {
    const encrypted = client.encryptedKeyPem('correct horse battery');
    const opened = openPrivateKey(encrypted, 'correct horse battery', 'clientKey');
    expect(opened).toMatchObject({ encrypted: true, info: { type: 'ec', bits: 256 } });
    expect(
      summarizeMtls({ clientCertificate: client.certPem, clientKey: encrypted, keyPassphrase: 'correct horse battery' }).keyMatches,
    ).toBe(true);

    const missing = refusal(() => openPrivateKey(encrypted, undefined, 'clientKey'));
    expect(missing.toIpcError()).toEqual({
      code: 'invalid_request',
      field: 'keyPassphrase',
      message: 'clientKey is encrypted: give its passphrase in keyPassphrase.',
    });
    const wrong = refusal(() => openPrivateKey(encrypted, 'wrong horse', 'clientKey'));
    expect(wrong.toIpcError()).toEqual({
      code: 'invalid_request',
      field: 'keyPassphrase',
      message: 'keyPassphrase does not open clientKey: the passphrase is wrong.',
    });
    expect(wrong.message).not.toContain('wrong horse');
  });

  it('says clearly what is not PEM, what is the wrong kind of block, and what does not decode', () => {
    expect(refusal(() => parseCertificates('MIIBszCCAVmgAwIBAgIU', 'clientCertificate')).toIpcError()).toEqual({
      code: 'invalid_request',
      field: 'clientCertificate',
      message: 'clientCertificate is not PEM: it should start with -----BEGIN CERTIFICATE-----.',
    });
    expect(refusal(() => parseCertificates(client.keyPem, 'caCertificate')).message).toBe(
      'caCertificate holds a private key, not only certificates.',
    );
    expect(refusal(() => openPrivateKey(client.certPem, undefined, 'clientKey')).message).toBe(
      'clientKey holds a certificate, not a private key.',
    );
    const garbled = client.certPem.replace(bodyOf(client.certPem), 'AAAA' + bodyOf(client.certPem).slice(4).split('').reverse().join(''));
    const broken = refusal(() => parseCertificates(root.certPem + garbled, 'clientCertificate'));
    expect(broken.message).toBe('clientCertificate is not a valid certificate (certificate 2 of 2): its PEM block does not decode.');
    const garbledKey = client.keyPem.replace(bodyOf(client.keyPem), 'A'.repeat(bodyOf(client.keyPem).length));
    const badKey = refusal(() => openPrivateKey(garbledKey, undefined, 'clientKey'));
    expect(badKey.message).toBe('clientKey is not a valid private key: its PEM block does not decode.');
    for (const error of [broken, badKey]) {
      expect(error.message).not.toMatch(/error:|routines|asn1|decoder/i);
    }
    expect(refusal(() => openPrivateKey(client.keyPem + rsaClient.keyPem, undefined, 'clientKey')).message).toMatch(/holds 2 private keys/);
  });

  it('tells a key that does not belong to the certificate', () => {
    const summary = summarizeMtls({ clientCertificate: client.certPem, clientKey: rsaClient.keyPem });
    expect(summary.keyMatches).toBe(false);
    const [cert] = parseCertificates(client.certPem, 'clientCertificate');
    const { key } = openPrivateKey(rsaClient.keyPem, undefined, 'clientKey');
    const error = refusal(() => requireMatchingKey(cert!, key));
    expect(error.toIpcError()).toEqual({
      code: 'invalid_request',
      field: 'clientKey',
      message: 'clientKey does not belong to clientCertificate (CN=agent-client, O=Acme): they are not a pair.',
    });
    // Another EC key of the same curve is just as wrong.
    const sameCurve = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    expect(() => requireMatchingKey(cert!, sameCurve)).toThrow(/not a pair/);
  });

  it('follows a chain to the given CA, and says when it ends elsewhere', () => {
    const chain = parseCertificates(client.certPem + intermediate.certPem, 'clientCertificate');
    const [rootCert] = parseCertificates(root.certPem, 'caCertificate');
    const [intermediateCert] = parseCertificates(intermediate.certPem, 'caCertificate');
    const [elsewhere] = parseCertificates(otherRoot.certPem, 'caCertificate');
    expect(chainEndsAt(chain, [rootCert!])).toBe(true);
    expect(chainEndsAt(chain, [intermediateCert!])).toBe(true);
    expect(chainEndsAt(chain, [elsewhere!])).toBe(false);
    expect(chainEndsAt(chain, [elsewhere!, rootCert!])).toBe(true);
    // Without the intermediate the leaf cannot reach the root.
    expect(chainEndsAt(chain.slice(0, 1), [rootCert!])).toBe(false);
    // Intermediates in any order.
    expect(chainEndsAt([chain[0]!, chain[1]!], [rootCert!])).toBe(true);
    expect(chainEndsAt(chain, [])).toBe(false);
    const summary = summarizeMtls({ clientCertificate: client.certPem, clientKey: client.keyPem, caCertificate: otherRoot.certPem });
    expect(summary.chainEndsAtCa).toBe(false);
  });
});
