import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCliArgs, parseFaultArgument, parseKeyArgument } from './cli-args';
import { InvalidFieldError } from './errors';
import { sdk } from '../../test/support/emulator';
import { startEmulatorProcess } from '../../test/support/processes';
import type { RunningEmulator } from './types';

const CLI = join(__dirname, 'cli.ts');
const TSX = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');

function runCli(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(TSX, [CLI, ...args], { stdio: 'pipe' });
}

describe('cli arguments', () => {
  it('parses keys with and without permissions', () => {
    expect(parseKeyArgument('sk_all')).toEqual({ key: 'sk_all' });
    expect(parseKeyArgument('sk_scoped:convai_read,user_read')).toEqual({ key: 'sk_scoped', permissions: ['convai_read', 'user_read'] });
    expect(parseKeyArgument('sk_none:')).toEqual({ key: 'sk_none', permissions: [] });
    expect(() => parseKeyArgument('sk_bad:admin')).toThrow(InvalidFieldError);
  });

  it('parses faults, keeping the commas of an HTTP date', () => {
    expect(parseFaultArgument('status=429,retryAfter=1,count=3')).toEqual({ status: 429, retryAfter: 1, count: 3 });
    expect(parseFaultArgument('status=503,retryAfter=Wed, 21 Oct 2025 07:28:00 GMT,method=get')).toEqual({
      status: 503,
      retryAfter: 'Wed, 21 Oct 2025 07:28:00 GMT',
      method: 'GET',
    });
    expect(parseFaultArgument('malformed,pathPrefix=/v1/user')).toEqual({ malformed: true, pathPrefix: '/v1/user' });
    expect(() => parseFaultArgument('status=abc')).toThrow(/--fault: status/);
  });

  it('names the bad argument', () => {
    expect(() => parseCliArgs(['--port', 'abc'])).toThrow(/--port/);
    expect(() => parseCliArgs(['--port=70000'])).toThrow(/--port/);
    expect(() => parseCliArgs(['--seed', 'bench:x'])).toThrow(/--seed/);
    expect(() => parseCliArgs(['--wat'])).toThrow(/--wat/);
    expect(() => parseCliArgs(['--key'])).toThrow(/--key: needs a value/);
    expect(parseCliArgs(['--port=0', '--seed', 'bench:10', '--case-insensitive-search']).emulator).toMatchObject({
      port: 0,
      seed: 'bench:10',
      caseSensitiveSearch: false,
    });
  });
});

describe('cli process', () => {
  it('prints its keys and the listening line, serves the SDK, and stops on SIGTERM', async () => {
    const running = await startEmulatorProcess([
      '--key',
      'sk_cli',
      '--key',
      'sk_cli_scoped:convai_read',
      '--fault',
      'status=500,count=1,key=sk_cli',
    ]);
    const { url, child } = running;
    expect(running.output()).toContain('key sk_cli permissions=all seed=demo');
    expect(running.output()).toContain('key sk_cli_scoped permissions=convai_read seed=demo');
    const port = Number(new URL(url).port);
    expect(port).toBeGreaterThan(0);

    const emulator = { url, port } as RunningEmulator;
    await expect(sdk(emulator, 'sk_cli').user.get()).rejects.toMatchObject({ statusCode: 500 });
    await expect(sdk(emulator, 'sk_cli').user.get()).resolves.toMatchObject({ firstName: 'Avery' });
    await expect(sdk(emulator, 'sk_cli_scoped').user.get()).rejects.toMatchObject({ statusCode: 401 });

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('uses the well-known demo key when none is given', async () => {
    const { child, output } = await startEmulatorProcess([]);
    expect(output()).toContain('key sk_emulator_demo permissions=all seed=demo');
    child.kill('SIGINT');
    expect((await once(child, 'exit'))[0]).toBe(0);
  });

  it('exits with code 2 and a one-line error naming a bad argument', async () => {
    const child = runCli(['--port', 'abc']);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('--port');
  });
});
