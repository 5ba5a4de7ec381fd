import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Domain } from '../main/app/composition';
import { encodeFrame } from '../main/broker/frames';
import { helloTranscript, newKeyPair, newNonce, privateKeyFromPem, proveTranscript, signWith, clientIdOf } from '../main/broker/identity';
import { startBrokerServer } from '../main/broker/server';
import { socketPathIn } from '../main/broker/socket-path';
import { startEmulator } from '../emulator/server';
import type { RunningEmulator } from '../emulator/types';
import { BROKER_MAX_FRAME, ServerFrameSchema } from '../shared/schemas/broker';
import { akrWorld, builtAkr, pairTerminal, rawConnection, runAkr, startAkr, type AkrWorld } from '../../test/support/akr';
import { startProgram } from '../../test/support/akr-process';
import { buildDomain, call, filesUnder, removeTempDirs, tempDir } from '../../test/support/harness';

// akr against the real domain (issue 15): the built CLI in its own process, the app's socket
// server on a domain with the real keychain and SQLite, the official SDK's emulator behind it.

const STAGING_KEY = `sk_staging_${randomUUID().replace(/-/g, '')}`;
const PLANTED_KEY = `sk_planted_${randomUUID().replace(/-/g, '')}`;
const DOTENV_KEY = `sk_dotenv_${randomUUID().replace(/-/g, '')}`;
const CANARY = `canary-${randomUUID()}`;
const SECOND_CANARY = `canary2-${randomUUID()}`;

let akr: string;
let emulator: RunningEmulator;
let domain: Domain;
let world: AkrWorld;
let stagingId: string;

beforeAll(async () => {
  [akr, emulator] = await Promise.all([
    builtAkr(),
    startEmulator({ keys: [{ key: STAGING_KEY }, { key: PLANTED_KEY, seed: 'empty' }, { key: DOTENV_KEY, seed: 'empty' }] }),
  ]);
  domain = buildDomain();
  const added = await call(domain, 'workspaces:add', { label: 'Staging', residency: 'custom', baseUrl: emulator.url, apiKey: STAGING_KEY });
  if (added.outcome !== 'saved') throw new Error(added.outcome);
  stagingId = added.workspace.id;
  for (const [name, value] of [
    ['TWILIO_TOKEN', CANARY],
    ['STRIPE_KEY', SECOND_CANARY],
  ] as const) {
    await call(domain, 'localSecrets:create', { name, value, targets: [{ workspaceId: stagingId, remoteName: null }] });
  }
  world = await akrWorld(domain);
  const phrases = await pairTerminal(akr, world);
  expect(phrases.printed).toMatch(/^[a-z]+( [a-z]+){4}$/);
  expect(phrases.printed).toBe(phrases.shown);
}, 60_000);

afterAll(async () => {
  await world?.close();
  await domain?.close();
  await emulator?.close();
  removeTempDirs();
});

const node = (script: string) => [process.execPath, '-e', script];

describe('pairing', () => {
  it('keeps the terminal key in a file only its user can read, and the app lists the terminal', async () => {
    const file = path.join(world.configDir, 'pairing.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const state = await call(domain, 'broker:state', {});
    expect(state.clients.map((c) => c.label)).toEqual(['test terminal']);
    expect(state.socket).toEqual({ path: socketPathIn(world.socketDir), listening: true, problem: null });
  });
});

/** The official ElevenLabs CLI, a native binary published for Linux x64 only (an optional dependency). */
const officialCli = path.resolve(__dirname, '../../node_modules/@elevenlabs/cli-linux-x64/elevenlabs');
const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64';

describe('the official elevenlabs CLI through akr run', () => {
  it.skipIf(!onLinuxX64)(
    'lists the workspace secrets with the key from the app, never on its command line or in a file (Linux x64: the only build published)',
    async () => {
      const { secrets: expected } = (await (
        await fetch(`${emulator.url}/v1/convai/secrets`, { headers: { 'xi-api-key': STAGING_KEY } })
      ).json()) as {
        secrets: { name: string }[];
      };
      expect(expected.length).toBeGreaterThan(0);
      const argv = ['run', '-w', 'Staging', '--', officialCli, 'agents', 'secrets', 'list', '--format', 'json', '--base-url', emulator.url];
      expect(argv.join(' ')).not.toContain(STAGING_KEY);
      const result = await runAkr(akr, argv, { env: world.env, cwd: world.home });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const listed = JSON.parse(result.stdout) as { secrets: { name: string }[] };
      expect(listed.secrets.map((s) => s.name).sort()).toEqual(expected.map((s) => s.name).sort());

      // The base URL comes from the app too (a custom workspace): no flag needed.
      const fromEnv = await runAkr(akr, ['run', '-w', 'Staging', '--', officialCli, 'agents', 'secrets', 'list', '--format', 'json'], {
        env: world.env,
        cwd: world.home,
      });
      expect(fromEnv.code).toBe(0);
      expect((JSON.parse(fromEnv.stdout) as { secrets: unknown[] }).secrets).toHaveLength(expected.length);

      for (const file of [...filesUnder(world.home), ...filesUnder(domain.paths.dataDir)]) {
        expect(fs.readFileSync(file, 'latin1').includes(STAGING_KEY), `the key in ${file}`).toBe(false);
      }
    },
  );
});

describe('akr run', () => {
  it('passes the exit code through, and hands the key and mapped values to the child only', async () => {
    const result = await runAkr(
      akr,
      [
        'run',
        '-w',
        'Staging',
        '--env',
        'TWILIO=akr://Staging/TWILIO_TOKEN',
        '--',
        ...node("process.exit(process.env.TWILIO.startsWith('canary-') ? 3 : 4)"),
      ],
      { env: world.env },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(3);
  });

  it('masks values the child prints, even split across writes, and shows them with --no-mask', async () => {
    const script =
      'const v = process.env.TWILIO; process.stdout.write("token: " + v.slice(0, 7)); setTimeout(() => { process.stdout.write(v.slice(7) + "\\n"); console.error("key " + process.env.ELEVENLABS_API_KEY); }, 30);';
    const masked = await runAkr(akr, ['run', '-w', 'Staging', '--env', 'TWILIO=akr://Staging/TWILIO_TOKEN', '--', ...node(script)], {
      env: world.env,
    });
    expect(masked.code).toBe(0);
    expect(masked.stdout).toBe('token: ********\n');
    expect(masked.stderr).toBe('key ********\n');
    const shown = await runAkr(
      akr,
      ['run', '--no-mask', '-w', 'Staging', '--env', 'TWILIO=akr://Staging/TWILIO_TOKEN', '--', ...node(script)],
      {
        env: world.env,
      },
    );
    expect(shown.stdout).toBe(`token: ${CANARY}\n`);
  });

  it('forwards SIGINT and SIGTERM to the child, and gives 128+n when a signal kills it', async () => {
    for (const [signal, code] of [
      ['SIGTERM', 7],
      ['SIGINT', 8],
    ] as const) {
      const script = `process.on('${signal}', () => { console.log('child got ${signal}'); process.exit(${code}); }); console.log('ready'); setInterval(() => {}, 1000);`;
      const running = startAkr(akr, ['run', '-w', 'Staging', '--', ...node(script)], { env: world.env });
      await running.waitFor(/ready/);
      running.child.kill(signal);
      const result = await running.done;
      expect(result.stdout).toContain(`child got ${signal}`);
      expect(result.code).toBe(code);
    }
    const killed = await runAkr(akr, ['run', '-w', 'Staging', '--', ...node("process.kill(process.pid, 'SIGKILL')")], { env: world.env });
    expect(killed.code).toBe(128 + 9);
  });

  it('takes the workspace and references from a committable .agentkeyring.json up the tree', async () => {
    const project = tempDir('akr-project-');
    fs.writeFileSync(
      path.join(project, '.agentkeyring.json'),
      JSON.stringify({ workspace: 'Staging', env: { STRIPE: 'akr://Staging/STRIPE_KEY' } }),
    );
    const nested = path.join(project, 'src', 'deep');
    fs.mkdirSync(nested, { recursive: true });
    const result = await runAkr(
      akr,
      ['run', '--', ...node("process.exit(process.env.STRIPE.startsWith('canary2-') && process.env.ELEVENLABS_API_KEY ? 0 : 5)")],
      {
        env: world.env,
        cwd: nested,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    fs.writeFileSync(path.join(project, '.agentkeyring.json'), JSON.stringify({ env: { STRIPE: SECOND_CANARY } }));
    const refused = await runAkr(akr, ['run', '--', 'true'], { env: world.env, cwd: nested });
    expect(refused.code).toBe(125);
    expect(refused.stderr).toContain('never values');
    expect(refused.stderr).not.toContain(SECOND_CANARY);
  });

  it('says what to do for an unknown workspace or secret, before asking anyone', async () => {
    const asked = world.requests.length;
    const noWorkspace = await runAkr(akr, ['run', '-w', 'Prod', '--', 'true'], { env: world.env });
    expect(noWorkspace.code).toBe(125);
    expect(noWorkspace.stderr).toContain('No workspace is called “Prod”');
    const noSecret = await runAkr(akr, ['run', '-w', 'Staging', '--env', 'X=akr://Staging/NOPE', '--', 'true'], { env: world.env });
    expect(noSecret.stderr).toContain('no value for “NOPE”');
    const notFound = await runAkr(akr, ['run', '-w', 'Staging', '--', 'no-such-command-akr'], { env: world.env });
    expect(notFound.code).toBe(127);
    expect(world.requests.length).toBe(asked);
  });
});

describe('approvals and grants', () => {
  it('asks once per terminal session and names; a revoked grant is asked again, and refused', async () => {
    const before = world.requests.length;
    // Names no earlier test asked for together, so no grant covers them yet.
    const both = ['run', '-w', 'Staging', '--env', 'S=akr://Staging/STRIPE_KEY', '--env', 'T=akr://Staging/TWILIO_TOKEN', '--', 'true'];
    expect((await runAkr(akr, both, { env: world.env })).code).toBe(0);
    expect((await runAkr(akr, both, { env: world.env })).code).toBe(0);
    const asked = world.requests.slice(before);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({
      kind: 'access',
      workspace: 'Staging',
      names: ['Staging: workspace key', 'Staging/STRIPE_KEY', 'Staging/TWILIO_TOKEN'],
      command: 'true',
    });
    // Linux names the process on the other end of the socket (akr itself, run by node).
    expect(asked[0]).toMatchObject({ process: { verified: true, executable: fs.realpathSync(process.execPath) } });

    const grant = (await call(domain, 'broker:state', {})).grants.find((g) => g.names.length === 3)!;
    await call(domain, 'broker:revokeGrant', { grantId: grant.id });
    world.answer = () => false;
    try {
      const refused = await runAkr(akr, both, { env: world.env });
      expect(refused.code).toBe(125);
      expect(refused.stderr).toContain('refused in Agent Keyring');
    } finally {
      world.answer = () => true;
    }
    expect(world.requests.length).toBe(before + 2);
    const activity = await call(domain, 'activity:list', {
      workspaceId: null,
      action: null,
      result: null,
      query: '',
      offset: 0,
      limit: 200,
    });
    const actions = activity.entries.map((e) => `${e.action}:${e.result}`);
    expect(actions).toEqual(expect.arrayContaining(['cli_pair:ok', 'cli_grant:ok', 'cli_use:ok', 'cli_revoke:ok', 'cli_grant:failed']));
    await expectAnswering();
  });
});

describe('refusals (the app answers the next client each time)', () => {
  it('an unpaired terminal and a wrong pairing are refused', async () => {
    const unpaired = await runAkr(akr, ['workspaces'], { env: { ...world.env, AKR_CONFIG_DIR: tempDir('akr-none-') } });
    expect(unpaired.code).toBe(1);
    expect(unpaired.stderr).toContain('not paired');

    // A pairing file with a key the app never approved, under a client id of its own.
    const forged = tempDir('akr-forged-');
    const keys = newKeyPair();
    const real = JSON.parse(fs.readFileSync(path.join(world.configDir, 'pairing.json'), 'utf8')) as { serverPublicKey: string };
    fs.writeFileSync(
      path.join(forged, 'pairing.json'),
      JSON.stringify({
        clientId: clientIdOf(keys.publicKey),
        label: 'x',
        privateKeyPem: keys.privateKeyPem,
        serverPublicKey: real.serverPublicKey,
      }),
      { mode: 0o600 },
    );
    const wrong = await runAkr(akr, ['workspaces'], { env: { ...world.env, AKR_CONFIG_DIR: forged } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('did not accept this terminal');

    // The paired terminal's id with another key: the signature does not verify; the app says nothing.
    const own = JSON.parse(fs.readFileSync(path.join(world.configDir, 'pairing.json'), 'utf8')) as { clientId: string };
    const impostor = await rawConnection(socketPathIn(world.socketDir));
    const nonce = newNonce();
    const time = Date.now();
    impostor.socket.write(
      encodeFrame({
        type: 'hello',
        clientId: own.clientId,
        nonce,
        time,
        signature: signWith(privateKeyFromPem(keys.privateKeyPem), helloTranscript(own.clientId, nonce, time)),
      }),
    );
    await impostor.closed;
    expect(impostor.received().length).toBe(0);
    await expectAnswering();
  });

  it('a socket folder open to other users is refused by akr and by the app', async () => {
    const loose = path.join(tempDir('akr-loose-'), 's');
    fs.mkdirSync(loose, { mode: 0o700 });
    fs.chmodSync(loose, 0o755);
    const result = await runAkr(akr, ['workspaces'], { env: { ...world.env, AKR_SOCKET_DIR: loose } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('open to other users');

    const other = buildDomain();
    try {
      const server = await startBrokerServer(other.broker, { socketDir: loose, log: other.log, redactor: other.redactor });
      expect(server.path).toBeNull();
      expect(other.broker.state().socket.problem).toContain('open to other users');
      expect(fs.existsSync(socketPathIn(loose))).toBe(false);
    } finally {
      await other.close();
    }
    await expectAnswering();
  });

  it.skipIf(process.getuid?.() !== 0)('a socket folder of another user is refused by both sides (making one needs root)', async () => {
    const foreign = path.join(tempDir('akr-foreign-'), 's');
    fs.mkdirSync(foreign, { mode: 0o700 });
    fs.chownSync(foreign, 65534, 65534);
    const result = await runAkr(akr, ['workspaces'], { env: { ...world.env, AKR_SOCKET_DIR: foreign } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('belongs to another user');
    const other = buildDomain();
    try {
      const server = await startBrokerServer(other.broker, { socketDir: foreign, log: other.log, redactor: other.redactor });
      expect(server.path).toBeNull();
      expect(other.broker.state().socket.problem).toContain('belongs to another user');
    } finally {
      await other.close();
    }
    await expectAnswering();
  });

  it('oversized and malformed frames close that connection only, unanswered', async () => {
    const oversized = await rawConnection(socketPathIn(world.socketDir));
    const header = Buffer.alloc(4);
    header.writeUInt32BE(BROKER_MAX_FRAME + 1);
    oversized.socket.write(header);
    await oversized.closed;
    expect(oversized.received().length).toBe(0);

    for (const body of [Buffer.from('{not json'), Buffer.from(JSON.stringify({ type: 'request', id: 1, request: { op: 'workspaces' } }))]) {
      const malformed = await rawConnection(socketPathIn(world.socketDir));
      const length = Buffer.alloc(4);
      length.writeUInt32BE(body.length);
      malformed.socket.write(Buffer.concat([length, body]));
      await malformed.closed;
      expect(malformed.received().length).toBe(0);
    }
    await expectAnswering();
  });

  it('a replayed authentication is refused', async () => {
    const pairing = JSON.parse(fs.readFileSync(path.join(world.configDir, 'pairing.json'), 'utf8')) as {
      clientId: string;
      privateKeyPem: string;
    };
    const key = privateKeyFromPem(pairing.privateKeyPem);
    const nonce = newNonce();
    const time = Date.now();
    const hello = encodeFrame({
      type: 'hello',
      clientId: pairing.clientId,
      nonce,
      time,
      signature: signWith(key, helloTranscript(pairing.clientId, nonce, time)),
    });

    // The genuine session, as recorded by someone listening.
    const first = await rawConnection(socketPathIn(world.socketDir));
    first.socket.write(hello);
    await once(first.socket, 'data');
    const welcome = ServerFrameSchema.parse(JSON.parse(first.received().subarray(4).toString('utf8')));
    if (welcome.type !== 'welcome') throw new Error('no welcome');
    const prove = encodeFrame({ type: 'prove', signature: signWith(key, proveTranscript(pairing.clientId, nonce, welcome.nonce)) });
    first.socket.end();

    // Replayed as it was: the hello's nonce has been used; the app says nothing.
    const replay = await rawConnection(socketPathIn(world.socketDir));
    replay.socket.write(Buffer.concat([hello, prove, encodeFrame({ type: 'request', id: 1, request: { op: 'workspaces' } })]));
    await replay.closed;
    expect(replay.received().length).toBe(0);

    // A fresh hello with the old proof: the app's new nonce is not in it, so no request is read.
    const nonce2 = newNonce();
    const stale = await rawConnection(socketPathIn(world.socketDir));
    stale.socket.write(
      encodeFrame({
        type: 'hello',
        clientId: pairing.clientId,
        nonce: nonce2,
        time,
        signature: signWith(key, helloTranscript(pairing.clientId, nonce2, time)),
      }),
    );
    await once(stale.socket, 'data');
    const received = stale.received().length;
    stale.socket.write(Buffer.concat([prove, encodeFrame({ type: 'request', id: 1, request: { op: 'workspaces' } })]));
    await stale.closed;
    expect(stale.received().length).toBe(received);
    await expectAnswering();
  });

  it('a process squatting the socket learns nothing: akr sends no request to what cannot prove the app key', async () => {
    const squatDir = path.join(tempDir('akr-squat-'), 's');
    fs.mkdirSync(squatDir, { mode: 0o700 });
    const impostor = buildDomain();
    const server = await startBrokerServer(impostor.broker, { socketDir: squatDir, log: impostor.log, redactor: impostor.redactor });
    try {
      // It even knows the terminal's public key (it is no secret), so the hello is answered.
      const own = JSON.parse(fs.readFileSync(path.join(world.configDir, 'pairing.json'), 'utf8')) as { clientId: string };
      const row = domain.db.prepare('SELECT * FROM cli_clients WHERE id = ?').get(own.clientId) as Record<string, unknown>;
      impostor.db
        .prepare('INSERT INTO cli_clients (id, label, public_key, phrase, paired_at) VALUES (?, ?, ?, ?, ?)')
        .run(row['id'], row['label'], row['public_key'], row['phrase'], row['paired_at']);
      const seen: string[] = [];
      impostor.events.subscribe((event) => seen.push(event));
      const result = await runAkr(akr, ['run', '-w', 'Staging', '--', 'true'], { env: { ...world.env, AKR_SOCKET_DIR: squatDir } });
      expect(result.code).toBe(125);
      expect(result.stderr).toContain('not the Agent Keyring this terminal paired with');
      expect(seen).not.toContain('broker:request');
    } finally {
      await server.close();
      await impostor.close();
    }
  });
});

describe('akr read, inject, secrets, workspaces', () => {
  it('read prints a value into a pipe, and refuses a terminal without --reveal', async () => {
    const piped = await runAkr(akr, ['read', 'akr://Staging/TWILIO_TOKEN'], { env: world.env });
    expect(piped.stdout).toBe(`${CANARY}\n`);

    // A real pseudo-terminal, from util-linux's script.
    const command = `${process.execPath} ${akr} read akr://Staging/TWILIO_TOKEN`;
    const tty = await startProgram('/usr/bin/script', ['-qec', command, '/dev/null'], { env: world.env }).done;
    expect(tty.stdout, JSON.stringify(tty)).toContain('output is a terminal');
    expect(tty.stdout).not.toContain(CANARY);
    const revealed = await startProgram('/usr/bin/script', ['-qec', `${command} --reveal`, '/dev/null'], { env: world.env }).done;
    expect(revealed.stdout).toContain(CANARY);
  });

  it('inject fills a template into a file of mode 0600', async () => {
    const dir = tempDir('akr-inject-');
    fs.writeFileSync(
      path.join(dir, 'config.tpl'),
      'twilio = "{{ akr://Staging/TWILIO_TOKEN }}"\nstripe = "{{akr://Staging/STRIPE_KEY}}"\n',
    );
    const result = await runAkr(akr, ['inject', '-i', path.join(dir, 'config.tpl'), '-o', path.join(dir, 'config.toml')], {
      env: world.env,
    });
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'config.toml'), 'utf8')).toBe(`twilio = "${CANARY}"\nstripe = "${SECOND_CANARY}"\n`);
    expect(fs.statSync(path.join(dir, 'config.toml')).mode & 0o777).toBe(0o600);
  });

  it('secrets and workspaces give names and metadata only, as JSON for scripts', async () => {
    const secrets = await runAkr(akr, ['secrets', '-w', 'staging', '--json'], { env: world.env });
    const parsed = JSON.parse(secrets.stdout) as { workspace: string; secrets: { name: string; valueHere: boolean }[] };
    expect(parsed.workspace).toBe('Staging');
    expect(parsed.secrets.filter((s) => s.valueHere).map((s) => s.name)).toEqual(['STRIPE_KEY', 'TWILIO_TOKEN']);
    const workspaces = await runAkr(akr, ['workspaces', '--json'], { env: world.env });
    expect((JSON.parse(workspaces.stdout) as { workspaces: { label: string }[] }).workspaces.map((w) => w.label)).toContain('Staging');
    for (const text of [secrets.stdout, workspaces.stdout]) {
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain(STAGING_KEY);
    }
  });
});

describe('akr doctor', () => {
  it('finds a planted plaintext key, leaves it when told no, imports it and deletes the file after yes', async () => {
    const dir = path.join(world.home, '.elevenlabs');
    fs.mkdirSync(dir, { recursive: true });
    const planted = path.join(dir, 'api_key');
    fs.writeFileSync(planted, `${PLANTED_KEY}\n`);
    const cwd = tempDir('akr-doctor-');
    const args = ['doctor', '--label', 'Planted', '--base-url', emulator.url];

    const declined = await runAkr(akr, args, { env: world.env, cwd, input: 'n\n' });
    expect(declined.stdout).toContain(`plaintext ElevenLabs key in ${planted}`);
    expect(declined.code).toBe(1);
    expect(fs.existsSync(planted)).toBe(true);

    const accepted = await runAkr(akr, args, { env: world.env, cwd, input: 'y\n' });
    expect(accepted.stdout).toContain('Imported as “Planted”');
    expect(accepted.code).toBe(0);
    expect(fs.existsSync(planted)).toBe(false);
    const { workspaces } = await call(domain, 'workspaces:list', {});
    expect(workspaces.map((w) => w.label)).toContain('Planted');
    expect(accepted.stdout + declined.stdout).not.toContain(PLANTED_KEY);

    const clean = await runAkr(akr, ['doctor', '--json'], { env: world.env, cwd });
    expect(JSON.parse(clean.stdout)).toMatchObject({ plaintextKeys: [] });
    expect(clean.code).toBe(0);
  });

  it('finds a key in a .env file under the folder and, after confirmation, removes only that line', async () => {
    const cwd = tempDir('akr-dotenv-');
    fs.mkdirSync(path.join(cwd, 'agent'));
    const dotenv = path.join(cwd, 'agent', '.env');
    fs.writeFileSync(dotenv, `PORT=3000\nELEVENLABS_API_KEY=${DOTENV_KEY}\nELEVENLABS_BASE_URL=${emulator.url}\n`, { mode: 0o640 });
    const result = await runAkr(akr, ['doctor', '--label', 'From dotenv'], { env: world.env, cwd, input: 'yes\n' });
    expect(result.stdout).toContain(`${dotenv}, line 2 (ELEVENLABS_API_KEY)`);
    expect(result.stdout).toContain('Imported as “From dotenv”');
    expect(result.code).toBe(0);
    expect(fs.readFileSync(dotenv, 'utf8')).toBe(`PORT=3000\nELEVENLABS_BASE_URL=${emulator.url}\n`);
    expect(fs.statSync(dotenv).mode & 0o777).toBe(0o640);
    const { workspaces } = await call(domain, 'workspaces:list', {});
    expect(workspaces.find((w) => w.label === 'From dotenv')).toBeDefined();
  });
});

describe('canaries', () => {
  it('no value or key is in any file written, the log, or a reply the window gets', async () => {
    const secrets = [CANARY, SECOND_CANARY, STAGING_KEY, PLANTED_KEY, DOTENV_KEY];
    const files = [...filesUnder(domain.paths.dataDir), ...filesUnder(world.home), ...filesUnder(world.socketDir)];
    expect(files).toContain(domain.paths.log);
    for (const file of files) {
      if (file.endsWith('.sock')) continue;
      const content = fs.readFileSync(file, 'latin1');
      for (const secret of secrets) expect(content.includes(secret), `${secret} in ${file}`).toBe(false);
    }
    const replies = JSON.stringify([
      await call(domain, 'broker:state', {}),
      await call(domain, 'activity:list', { workspaceId: null, action: null, result: null, query: '', offset: 0, limit: 500 }),
    ]);
    for (const secret of secrets) expect(replies).not.toContain(secret);
  });
});

async function expectAnswering(): Promise<void> {
  const result = await runAkr(akr, ['workspaces', '--json'], { env: world.env });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
}
