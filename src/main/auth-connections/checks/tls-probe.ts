// A TLS handshake with the client certificate to a URL the builder gives, then one GET whose
// status is all that is read. Nothing is followed (node:https never redirects), the server's
// certificate is always verified (against the connection's CA when it has one, else the
// system's), and the whole exchange has a deadline.
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { CheckFetchError, hostOf } from './check-fetch';

export interface TlsProbeMaterial {
  cert: string;
  key: string;
  passphrase?: string;
  ca?: string;
}

export interface TlsProbeResult {
  status: number;
  protocol: string | null;
}

/** OpenSSL and Node error codes, in words (the server's alert tells why it hung up). */
function describeTlsFailure(code: string | undefined, host: string): string {
  if (!code) return `The TLS connection to ${host} failed.`;
  if (/CERTIFICATE_REQUIRED/.test(code))
    return `${host} asked for a client certificate and did not accept the one sent (TLS alert: certificate required).`;
  if (/ALERT_UNKNOWN_CA/.test(code)) return `${host} does not trust the client certificate's issuer (TLS alert: unknown CA).`;
  if (/ALERT_BAD_CERTIFICATE|ALERT_CERTIFICATE_UNKNOWN/.test(code))
    return `${host} rejected the client certificate (TLS alert: bad certificate).`;
  if (/ALERT_CERTIFICATE_EXPIRED/.test(code)) return `${host} rejected the client certificate as expired.`;
  if (/ALERT_HANDSHAKE_FAILURE/.test(code))
    return `${host} ended the handshake (TLS alert: handshake failure); it may want a client certificate.`;
  if (/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|CERT_UNTRUSTED/.test(code)) {
    return `${host}'s own certificate is not signed by the connection's CA certificate (or a public CA), so it was not trusted (${code}).`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `${host}'s own certificate is not for this host name.`;
  if (code === 'CERT_HAS_EXPIRED') return `${host}'s own certificate has expired.`;
  if (code === 'ECONNREFUSED') return `Could not reach ${host}: the connection was refused.`;
  if (code === 'ENOTFOUND') return `Could not reach ${host}: the host name does not resolve.`;
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return `${host} closed the connection during the TLS handshake; it may have refused the client certificate.`;
  return `The TLS connection to ${host} failed (${code}).`;
}

export function tlsProbe(url: string, material: TlsProbeMaterial, deadlineMs: number): Promise<TlsProbeResult> {
  const host = hostOf(url);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    let request: ReturnType<typeof https.request>;
    try {
      request = https.request(url, {
        method: 'GET',
        cert: material.cert,
        key: material.key,
        ...(material.passphrase ? { passphrase: material.passphrase } : {}),
        ...(material.ca ? { ca: material.ca } : {}),
        rejectUnauthorized: true,
        agent: false,
        headers: { accept: '*/*' },
      });
    } catch {
      // Node builds the TLS context here and throws on material it cannot use; its text is not shown.
      reject(new CheckFetchError('unreachable', 'The TLS client could not use the certificate, key or CA certificate given.'));
      return;
    }
    const timer = setTimeout(() => {
      settle(() =>
        reject(new CheckFetchError('timeout', `${host} did not complete the TLS handshake and answer within ${deadlineMs / 1000} s.`)),
      );
      request.destroy();
    }, deadlineMs);
    request.on('response', (response) => {
      const protocol = (response.socket as TLSSocket).getProtocol?.() ?? null;
      settle(() => resolve({ status: response.statusCode ?? 0, protocol }));
      // Status only: the body is not read.
      response.destroy();
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      settle(() => reject(new CheckFetchError('unreachable', describeTlsFailure(error.code, host))));
    });
    request.end();
  });
}
