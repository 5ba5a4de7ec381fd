// oidc-provider ships no types; the tests use a small part of it.
declare module 'oidc-provider' {
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void;
    on(event: string, listener: (...args: never[]) => void): this;
  }
}
