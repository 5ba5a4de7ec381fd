import { describe, expect, it } from 'vitest';
import { blockedPortProblem, isLoopbackHost, noAnswerText, placeOfHost } from './hosts';
import { BaseUrlSchema } from './schemas/workspaces';
import { EndpointUrlSchema } from './schemas/accounts';

describe('where a host is', () => {
  it('knows loopback addresses and names, with or without a scheme, port or brackets', () => {
    for (const host of [
      '127.0.0.1',
      '127.3.2.1:8787',
      'http://127.0.0.1:9',
      'localhost',
      'LOCALHOST:80',
      'emu.localhost',
      '[::1]:8787',
      'http://[::1]/',
    ]) {
      expect(placeOfHost(host), host).toBe('this_computer');
    }
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
  });

  it('knows private ranges, and calls everything else the internet', () => {
    for (const host of [
      '10.0.0.5',
      '172.16.0.1:443',
      '172.31.255.1',
      '192.168.1.20:8443',
      '169.254.1.1',
      'printer.local',
      '[fd00::1]:80',
      '[fe80::1]',
    ]) {
      expect(placeOfHost(host), host).toBe('local_network');
    }
    for (const host of ['api.elevenlabs.io', 'https://api.eu.residency.elevenlabs.io', '172.32.0.1', '8.8.8.8', '11.0.0.1', 'not a host']) {
      expect(placeOfHost(host), host).toBe('internet');
    }
  });

  it('never speaks of the internet connection for an address on this computer or the local network', () => {
    expect(noAnswerText('127.0.0.1:8787')).toBe(
      'Nothing answers at 127.0.0.1:8787 on this computer: is the emulator (or the server meant to be there) running?',
    );
    expect(noAnswerText('10.1.2.3:8443')).not.toMatch(/internet/);
    expect(noAnswerText('api.elevenlabs.io')).toMatch(/Check your internet connection/);
    // A refused connection says so, wherever the host is, and never blames the internet connection.
    expect(noAnswerText('127.0.0.1:8787', true)).toMatch(
      /^Nothing answers at 127\.0\.0\.1:8787 on this computer \(the connection was refused\)/,
    );
    expect(noAnswerText('api.example.com', true)).not.toMatch(/internet/);
  });

  it('refuses an address on a port fetch never tries (port 9 "nothing answers" would be untrue)', () => {
    expect(blockedPortProblem(new URL('http://127.0.0.1:9'))).toMatch(/port 9, which web requests may not use/);
    expect(blockedPortProblem(new URL('http://127.0.0.1:8787'))).toBeNull();
    expect(blockedPortProblem(new URL('https://api.elevenlabs.io'))).toBeNull();
    expect(BaseUrlSchema.safeParse('http://127.0.0.1:9').error?.issues[0]?.message).toMatch(/^uses port 9/);
    expect(EndpointUrlSchema.safeParse('http://localhost:6000/token').error?.issues[0]?.message).toMatch(/^uses port 6000/);
    expect(EndpointUrlSchema.safeParse('http://[::1]:8080/token').success).toBe(true);
  });
});
