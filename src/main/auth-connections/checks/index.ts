// "Check before sending": each creatable type tried the way ElevenLabs would use it, from main,
// against the servers the builder named, reporting what happened in sentences and public facts.
// Never a credential: every report is scrubbed of the definition's sensitive values, of anything
// derived from them (the Basic header, the signed assertion) and of every token received.
import { Buffer } from 'node:buffer';
import type { X509Certificate } from 'node:crypto';
import { EndpointUrlSchema } from '../../../shared/schemas/accounts';
import { type ConnectionDefinition, type DefinitionOf, sensitiveValuesOf } from '../../../shared/schemas/connection-definitions';
import { AppError } from '../../errors';
import type { Logger } from '../../logging/logger';
import { chainEndsAt, describeCertificate, keyMatchesCertificate, openPrivateKey, parseCertificates } from '../pem';
import { CHECK_DEADLINE_MS, CheckFetchError, checkFetch, hostOf, type CheckFetchOptions } from './check-fetch';
import { signJwt, signingKeyFor, verifyJwt, type SigningKey } from './jwt';
import { CheckRecorder, type CheckReport } from './report';
import { tlsProbe } from './tls-probe';
import { requestToken } from './token-endpoint';

export type { CheckReport, CheckStep } from './report';

export interface CheckOptions {
  /** For basic, bearer, custom header and mTLS: a URL to try the credentials on (status only). */
  probeUrl?: string;
  now?: Date;
  deadlineMs?: number;
  /** Largest answer read (token endpoints, probes). */
  maxBytes?: number;
  logger?: Logger;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** A certificate this close to its end is worth a warning (Review uses the same window). */
export const EXPIRY_WARNING_DAYS = 30;

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Runs the check for a definition (already parsed by ConnectionDefinitionSchema). */
export async function checkConnection(definition: ConnectionDefinition, options: CheckOptions = {}): Promise<CheckReport> {
  const report = new CheckRecorder(definition.authType, Object.values(sensitiveValuesOf(definition)));
  try {
    switch (definition.authType) {
      case 'oauth2_client_credentials':
        await checkClientCredentials(definition, report, options);
        break;
      case 'oauth2_jwt':
        await checkOAuth2Jwt(definition, report, options);
        break;
      case 'private_key_jwt':
        await checkPrivateKeyJwt(definition, report, options);
        break;
      case 'mtls':
        await checkMtls(definition, report, options);
        break;
      case 'basic_auth':
      case 'bearer_auth':
      case 'custom_header_auth':
        await checkHeaderAuth(definition, report, options);
        break;
    }
  } catch (error) {
    report.failure('Check', error);
  }
  return report.finish(options.logger);
}

function fetchOptions(options: CheckOptions): CheckFetchOptions {
  return { deadlineMs: options.deadlineMs ?? CHECK_DEADLINE_MS, ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}) };
}

/** The probe URL, held to the same rule as every other URL here (https, or http on loopback). */
function probeUrlOf(options: CheckOptions): string | undefined {
  if (options.probeUrl === undefined || options.probeUrl === '') return undefined;
  const parsed = EndpointUrlSchema.safeParse(options.probeUrl);
  if (!parsed.success)
    throw new AppError('invalid_request', `probeUrl ${parsed.error.issues[0]?.message ?? 'is not valid'}.`, { field: 'probeUrl' });
  return parsed.data;
}

// ---- OAuth2 client credentials ------------------------------------------------------------------

async function checkClientCredentials(
  definition: DefinitionOf<'oauth2_client_credentials'>,
  report: CheckRecorder,
  options: CheckOptions,
): Promise<void> {
  const form: Record<string, string> = { grant_type: 'client_credentials' };
  // A custom Authorization header cannot stand beside the Basic one: the credentials win.
  const headers: Record<string, string> = Object.fromEntries(
    Object.entries(definition.customHeaders).filter(([name]) => !(definition.basicAuthInHeader && name.toLowerCase() === 'authorization')),
  );
  if (definition.basicAuthInHeader) {
    // RFC 6749 §2.3.1: each part form-urlencoded, then joined with ':' and base64-encoded.
    const encode = (part: string) => encodeURIComponent(part).replace(/%20/g, '+');
    const basic = Buffer.from(`${encode(definition.clientId)}:${encode(definition.clientSecret)}`).toString('base64');
    report.secret(basic);
    headers.authorization = `Basic ${basic}`;
  } else {
    form.client_id = definition.clientId;
    form.client_secret = definition.clientSecret;
  }
  if (definition.scopes.length > 0) form.scope = definition.scopes.join(' ');
  // Extra parameters never replace the grant or the credentials.
  for (const [name, value] of Object.entries(definition.extraParams)) if (!(name in form)) form[name] = value;
  report.facts.clientAuthentication = definition.basicAuthInHeader ? 'basic_header' : 'request_body';
  await requestToken(report, { tokenUrl: definition.tokenUrl, form, headers }, 'access_token', fetchOptions(options));
}

// ---- JWT types ----------------------------------------------------------------------------------

function signingKeyStep(definition: DefinitionOf<'oauth2_jwt' | 'private_key_jwt'>, report: CheckRecorder): SigningKey | undefined {
  try {
    const key = signingKeyFor(definition);
    report.facts.algorithm = definition.algorithm;
    report.step('Signing key', 'passed', `${key.description}, fits ${definition.algorithm}.`);
    return key;
  } catch (error) {
    report.failure('Signing key', error);
    return undefined;
  }
}

async function checkOAuth2Jwt(definition: DefinitionOf<'oauth2_jwt'>, report: CheckRecorder, options: CheckOptions): Promise<void> {
  const key = signingKeyStep(definition, report);
  if (!key) return;
  const assertion = await signJwt(definition, key, options.now ?? new Date());
  report.secret(assertion);
  report.step('Assertion', 'passed', `Signed a JWT for ${hostOf(definition.tokenUrl)} valid for ${definition.expirationSeconds} s.`);
  const form: Record<string, string> = { grant_type: JWT_BEARER_GRANT, assertion };
  if (definition.scopes.length > 0) form.scope = definition.scopes.join(' ');
  await requestToken(report, { tokenUrl: definition.tokenUrl, form, headers: {} }, definition.tokenResponseField, fetchOptions(options));
}

async function checkPrivateKeyJwt(
  definition: DefinitionOf<'private_key_jwt'>,
  report: CheckRecorder,
  options: CheckOptions,
): Promise<void> {
  const key = signingKeyStep(definition, report);
  if (!key) return;
  const now = options.now ?? new Date();
  const jwt = await signJwt(definition, key, now);
  report.secret(jwt);
  try {
    await verifyJwt(jwt, definition, key, now);
    report.step(
      'Test token',
      'passed',
      `Signed a test JWT with ${definition.algorithm} and verified it (issuer, subject, audience, expiry).`,
    );
  } catch {
    report.step('Test token', 'failed', `A test JWT signed with ${definition.algorithm} did not verify with the same key.`);
  }
}

// ---- mTLS ---------------------------------------------------------------------------------------

async function checkMtls(definition: DefinitionOf<'mtls'>, report: CheckRecorder, options: CheckOptions): Promise<void> {
  const now = (options.now ?? new Date()).getTime();
  let chain: X509Certificate[];
  try {
    chain = parseCertificates(definition.clientCertificate, 'clientCertificate');
  } catch (error) {
    report.failure('Client certificate', error);
    return;
  }
  const leaf = chain[0] as X509Certificate;
  const info = describeCertificate(leaf);
  Object.assign(report.facts, {
    subject: info.subject,
    issuer: info.issuer,
    fingerprint256: info.fingerprint256,
    notAfter: info.notAfter,
    certificateKey: `${info.key.type}${info.key.bits ? ` ${info.key.bits}` : ''}`,
  });
  report.step('Client certificate', 'passed', `${info.subject}, issued by ${info.issuer}.`);

  // The handshake is only worth trying with a key that opens and belongs to the certificate.
  let keyUsable = false;
  try {
    const opened = openPrivateKey(definition.clientKey, definition.keyPassphrase, 'clientKey');
    report.facts.keyType = opened.info.type;
    report.facts.keyBits = opened.info.bits;
    const how = opened.encrypted
      ? 'opened with the passphrase'
      : definition.keyPassphrase
        ? 'not encrypted (the passphrase is not needed)'
        : 'not encrypted';
    report.step(
      'Client key',
      'passed',
      `${opened.info.type.toUpperCase()}${opened.info.bits ? ` ${opened.info.bits}-bit` : ''} key, ${how}.`,
    );
    keyUsable = keyMatchesCertificate(leaf, opened.key);
    if (keyUsable) report.step('Key and certificate', 'passed', 'The key belongs to the certificate.');
    else
      report.step(
        'Key and certificate',
        'failed',
        `clientKey does not belong to clientCertificate (${info.subject}): they are not a pair.`,
      );
  } catch (error) {
    report.failure('Client key', error);
  }

  if (definition.caCertificate) {
    try {
      const cas = parseCertificates(definition.caCertificate, 'caCertificate');
      const names = cas.map((ca) => describeCertificate(ca).subject).join('; ');
      if (chainEndsAt(chain, cas)) report.step('Chain', 'passed', `The certificate chain ends at the CA (${names}).`);
      else {
        report.step(
          'Chain',
          'failed',
          `The certificate chain does not lead to the CA (${names}); add the intermediate certificates after the client certificate, or check the CA.`,
        );
      }
    } catch (error) {
      report.failure('Chain', error);
    }
  } else {
    report.step('Chain', 'skipped', 'No CA certificate given.');
  }

  const daysLeft = Math.floor((info.notAfter - now) / DAY_MS);
  report.facts.daysToExpiry = daysLeft;
  const until = new Date(info.notAfter).toISOString().slice(0, 10);
  if (info.notBefore > now)
    report.step('Validity', 'failed', `The certificate is not valid yet (from ${new Date(info.notBefore).toISOString().slice(0, 10)}).`);
  else if (info.notAfter <= now) report.step('Validity', 'failed', `The certificate expired on ${until}.`);
  else if (daysLeft < EXPIRY_WARNING_DAYS) report.step('Validity', 'warning', `The certificate expires in ${daysLeft} days (${until}).`);
  else report.step('Validity', 'passed', `The certificate is valid for ${daysLeft} more days (until ${until}).`);

  const probeUrl = probeUrlOf(options);
  if (!probeUrl) {
    report.step('TLS handshake', 'skipped', 'No URL given to try the certificate on.');
    return;
  }
  if (!keyUsable) {
    report.step('TLS handshake', 'skipped', 'Not tried: the key cannot be used with this certificate.');
    return;
  }
  if (new URL(probeUrl).protocol !== 'https:') {
    report.step('TLS handshake', 'failed', 'A client certificate is only presented over https: give an https URL.');
    return;
  }
  try {
    const result = await tlsProbe(
      probeUrl,
      {
        cert: definition.clientCertificate,
        key: definition.clientKey,
        passphrase: definition.keyPassphrase,
        ca: definition.caCertificate,
      },
      options.deadlineMs ?? CHECK_DEADLINE_MS,
    );
    report.facts.httpStatus = result.status;
    const outcome = result.status === 401 || result.status === 403 ? 'warning' : 'passed';
    report.step(
      'TLS handshake',
      outcome,
      `${hostOf(probeUrl)} accepted the client certificate${result.protocol ? ` (${result.protocol})` : ''} and answered HTTP ${result.status}.`,
    );
  } catch (error) {
    report.failure('TLS handshake', error);
  }
}

// ---- basic, bearer, custom header ---------------------------------------------------------------

async function checkHeaderAuth(
  definition: DefinitionOf<'basic_auth' | 'bearer_auth' | 'custom_header_auth'>,
  report: CheckRecorder,
  options: CheckOptions,
): Promise<void> {
  const headers: Record<string, string> = {};
  if (definition.authType === 'basic_auth') {
    const basic = Buffer.from(`${definition.username}:${definition.password}`).toString('base64');
    report.secret(basic);
    headers.authorization = `Basic ${basic}`;
  } else if (definition.authType === 'bearer_auth') {
    headers.authorization = `Bearer ${definition.token}`;
  } else {
    headers[definition.headerName] = definition.token;
  }
  const probeUrl = probeUrlOf(options);
  if (!probeUrl) {
    report.step('Request', 'skipped', 'No URL given to try the credentials on; the definition itself is valid.');
    return;
  }
  try {
    const reply = await checkFetch(probeUrl, { method: 'GET', headers }, fetchOptions(options));
    report.facts.httpStatus = reply.status;
    const host = hostOf(probeUrl);
    if (reply.status >= 200 && reply.status <= 299) report.step('Request', 'passed', `${host} answered HTTP ${reply.status}.`);
    else if (reply.status === 401 || reply.status === 403) {
      report.step('Request', 'failed', `${host} answered HTTP ${reply.status}: it did not accept the credentials.`);
    } else report.step('Request', 'warning', `${host} answered HTTP ${reply.status}; that says little about the credentials.`);
  } catch (error) {
    if (error instanceof CheckFetchError) report.step('Request', 'failed', error.message);
    else throw error;
  }
}
