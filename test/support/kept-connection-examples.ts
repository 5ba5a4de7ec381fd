// One definition of each of the seven types the API creates, shared by the tests of connections
// kept here and of pushing them.
import type { ConnectionAuthType } from '../../src/shared/schemas/connection-definitions';
import type { DefinitionRequestInput } from '../../src/shared/schemas/kept-connections';

/** One definition of each type, with the given sensitive values (PEM ones made here). */
export function exampleDefinitions(
  /** Token URLs and audiences point here (a local server: no check leaves this machine). */
  probeBase: string,
  values: {
    secret: (field: string) => string;
    rsa: string;
    certPem: string;
    keyPem: string;
    caPem: string;
  },
): Record<ConnectionAuthType, DefinitionRequestInput> {
  return {
    oauth2_client_credentials: {
      authType: 'oauth2_client_credentials',
      name: 'CRM client credentials',
      provider: 'salesforce',
      clientId: 'crm-client',
      tokenUrl: `${probeBase}/token`,
      clientSecret: values.secret('clientSecret'),
      scopes: ['api'],
      extraParams: { audience: 'crm' },
      customHeaders: { 'X-Tenant': 'acme' },
    },
    oauth2_jwt: {
      authType: 'oauth2_jwt',
      name: 'Warehouse JWT',
      provider: 'warehouse',
      algorithm: 'RS256',
      issuer: 'agent',
      audience: `${probeBase}/token`,
      subject: 'svc-agent',
      tokenUrl: `${probeBase}/token`,
      secretKey: values.rsa,
    },
    private_key_jwt: {
      authType: 'private_key_jwt',
      name: 'Signing service',
      provider: 'signer',
      algorithm: 'HS256',
      issuer: 'agent',
      audience: 'signer',
      subject: 'svc',
      secretKey: values.secret('secretKey'),
    },
    basic_auth: {
      authType: 'basic_auth',
      name: 'Billing basic',
      provider: 'billing',
      username: 'svc',
      password: values.secret('password'),
    },
    bearer_auth: { authType: 'bearer_auth', name: 'Catalog bearer', provider: 'catalog', token: values.secret('token') },
    custom_header_auth: {
      authType: 'custom_header_auth',
      name: 'Search key',
      provider: 'search',
      headerName: 'X-Api-Key',
      token: values.secret('headerToken'),
    },
    mtls: {
      authType: 'mtls',
      name: 'Bank mTLS',
      provider: 'bank',
      clientCertificate: values.certPem,
      clientKey: values.keyPem,
      caCertificate: values.caPem,
      keyPassphrase: values.secret('keyPassphrase'),
    },
  };
}
