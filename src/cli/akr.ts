import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { Command, CommanderError, Option } from 'commander';
import { AkrReferenceSchema, EnvNameSchema, type BrokerReply, type BrokerRequest } from '../shared/schemas/broker';
import { formatVariables } from '../main/oauth/dynamic-variables-format';
import { defaultSocketDir, privateDirProblem, socketPathIn } from '../main/broker/socket-path';
import { BrokerClient, callerOf, defaultLabel, pair, pairingFile, readPairing } from './client';
import { findProjectFile, UserError } from './config';
import { findEnvKeys, findHomeKeys, removeFinding } from './doctor';
import { runChild } from './run';

// akr: the command line on the same vault (issue 15). It never reads the keychain or the
// database: every value comes from the running app over its local socket, after pairing and
// the user's approval in the app.

/** akr's own failure in `akr run` (the child's codes pass through, so akr's must not look like one). */
const RUN_FAILED = 125;

const program = new Command()
  .name('akr')
  .description(
    'Runs commands with your ElevenLabs keys and secrets from Agent Keyring, without a key in your shell history, a file or a command line.\nThe Agent Keyring app must be running; pair this terminal once with "akr pair".',
  )
  .version(process.env['AKR_VERSION'] ?? '0.1.0')
  .enablePositionalOptions()
  .showSuggestionAfterError()
  .exitOverride();

program
  .command('pair')
  .description('pair this terminal with the running app (compare the words it prints with the app, then approve there)')
  .option('--label <name>', 'how the app names this terminal', defaultLabel())
  .option('--json', 'print the result as JSON')
  .action(async (options: { label: string; json?: boolean }) => {
    const paired = await pair(options.label, (phrase) => {
      process.stderr.write(
        `Pairing "${options.label}" with Agent Keyring.\nCheck that the app shows these words, then approve there:\n\n    ${phrase}\n\n`,
      );
    });
    if (options.json) print({ paired: true, clientId: paired.clientId, label: paired.label, file: pairingFile() });
    else process.stdout.write(`Paired. This terminal's key is in ${pairingFile()} (readable by you only).\n`);
  });

program
  .command('run')
  .description('run a command with ELEVENLABS_API_KEY (and any --env references) in its environment')
  .option(
    '-w, --workspace <name>',
    "workspace whose key to use (default: $AKR_WORKSPACE, then .agentkeyring.json, then the app's active one)",
  )
  .option('--env <NAME=akr://WORKSPACE/SECRET>', 'also set NAME to that secret (repeatable)', collect, [])
  .option('--no-mask', 'show secret values the command prints (they are masked by default)')
  .option('--shell', 'run the command through a shell (it is run directly by default)')
  .argument('<command...>', 'the command and its arguments, after --')
  .passThroughOptions()
  .addHelpText('after', '\nExample:\n  akr run -w Staging --env TWILIO_TOKEN=akr://Staging/twilio_token -- node agent.js')
  .action(async (command: string[], options: { workspace?: string; env: string[]; mask: boolean; shell?: boolean }) => {
    process.exitCode = RUN_FAILED;
    const project = findProjectFile(process.cwd());
    const workspace = options.workspace ?? process.env['AKR_WORKSPACE'] ?? project?.project.workspace ?? null;
    const refs = new Map<string, string>(Object.entries(project?.project.env ?? {}));
    for (const mapping of options.env) {
      const [name, ref] = parseMapping(mapping);
      refs.set(name, ref);
    }
    const reply = await resolve({
      workspace,
      apiKey: true,
      refs: [...refs].map(([env, ref]) => ({ env, ref })),
      command,
    });
    const env: NodeJS.ProcessEnv = { ...process.env };
    // Set by the packaged launcher so the app's Electron runs akr as Node: not for the command it runs.
    if (process.versions['electron']) delete env['ELECTRON_RUN_AS_NODE'];
    for (const entry of reply.env) env[entry.name] = entry.value;
    process.exitCode = await runChild({
      command,
      env,
      secrets: reply.env.filter((e) => e.secret).map((e) => e.value),
      mask: options.mask,
      shell: options.shell ?? false,
    });
  });

program
  .command('read')
  .description('print one secret value (refuses to print to a terminal without --reveal)')
  .argument('<reference>', 'akr://WORKSPACE/SECRET')
  .option('--reveal', 'print it even though the output is a terminal')
  .option('-n, --no-newline', 'no newline after the value')
  .action(async (reference: string, options: { reveal?: boolean; newline: boolean }) => {
    const ref = parseReference(reference);
    if (process.stdout.isTTY && !options.reveal) {
      throw new UserError(
        'akr read prints a secret value, and the output is a terminal (its scrollback is kept). Pipe it into the program that needs it, or pass --reveal.',
        'refused_tty',
      );
    }
    const reply = await resolve({ workspace: null, apiKey: false, refs: [{ env: 'AKR_VALUE', ref }], command: ['akr', 'read', ref] });
    process.stdout.write(reply.env[0]!.value + (options.newline ? '\n' : ''));
  });

program
  .command('inject')
  .description("fill a template's {{ akr://WORKSPACE/SECRET }} references into a new file of mode 0600")
  .requiredOption('-o, --out <file>', 'the file to write (readable by you only)')
  .option('-i, --in <file>', 'the template (default: standard input)')
  .option('--force', 'replace the output file if it exists')
  .action(async (options: { out: string; in?: string; force?: boolean }) => {
    const template = options.in ? fs.readFileSync(options.in, 'utf8') : await readAll(process.stdin);
    const pattern = /\{\{\s*(akr:\/\/[^\s}]+)\s*\}\}/g;
    const refs = [...new Set([...template.matchAll(pattern)].map((m) => parseReference(m[1]!)))];
    if (refs.length === 0) throw new UserError('The template has no {{ akr://WORKSPACE/SECRET }} reference; nothing to fill in.');
    const out = path.resolve(options.out);
    if (fs.existsSync(out) && !options.force) throw new UserError(`${out} exists: pass --force to replace it.`);
    const reply = await resolve({
      workspace: null,
      apiKey: false,
      refs: refs.map((ref, index) => ({ env: `AKR_${index}`, ref })),
      command: ['akr', 'inject', '-o', out],
    });
    const values = new Map(refs.map((ref, index) => [ref, reply.env[index]!.value]));
    const filled = template.replace(pattern, (_, ref: string) => values.get(ref)!);
    // Beside, then renamed: never half-written, never readable by others even for a moment.
    const temporary = `${out}.akr-${process.pid}.tmp`;
    fs.writeFileSync(temporary, filled, { mode: 0o600 });
    fs.chmodSync(temporary, 0o600);
    fs.renameSync(temporary, out);
    process.stderr.write(`Wrote ${refs.length} value${refs.length === 1 ? '' : 's'} into ${out} (mode 600).\n`);
  });

program
  .command('vars')
  .description("the secret__… dynamic variables of a person's linked accounts, with fresh tokens, for a script")
  .requiredOption('--person <name>', 'the person, as the app names them under Accounts')
  .addOption(new Option('--json', 'a JSON object (the default)').conflicts('sdk'))
  .option('--sdk', 'a snippet that starts a conversation with them')
  .option('--reveal', 'print even though the output is a terminal')
  .action(async (options: { person: string; sdk?: boolean; reveal?: boolean }) => {
    if (process.stdout.isTTY && !options.reveal) {
      throw new UserError(
        'akr vars prints tokens, and the output is a terminal: pipe it into your script, or pass --reveal.',
        'refused_tty',
      );
    }
    const client = await BrokerClient.connect();
    try {
      const reply = await withWaitNotice(() =>
        client.request({ op: 'vars', person: options.person, caller: callerOf(['akr', 'vars', '--person', options.person]) }),
      );
      for (const skipped of reply.skipped) process.stderr.write(`akr: left out: ${skipped}\n`);
      const formatted = formatVariables(reply.person, reply.variables);
      process.stdout.write(`${options.sdk ? formatted.snippet : formatted.json}\n`);
    } finally {
      client.close();
    }
  });

program
  .command('workspaces')
  .description('the workspaces in Agent Keyring')
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean }) => {
    const reply = await simple({ op: 'workspaces' });
    if (options.json) return print(reply);
    if (reply.workspaces.length === 0) return void process.stdout.write('No workspaces yet: add one in the app.\n');
    for (const w of reply.workspaces) {
      process.stdout.write(
        `${w.active ? '*' : ' '} ${w.label}  (${w.residency}, ${w.secretCount} secret${w.secretCount === 1 ? '' : 's'}${w.keyVerified ? '' : ', key not verified'})\n`,
      );
    }
  });

program
  .command('secrets')
  .description('the secrets of a workspace: names and what is known about them, never values')
  .option('-w, --workspace <name>', 'the workspace (default: $AKR_WORKSPACE, .agentkeyring.json, then the active one)')
  .option('--json', 'print JSON')
  .action(async (options: { workspace?: string; json?: boolean }) => {
    const workspace = options.workspace ?? process.env['AKR_WORKSPACE'] ?? findProjectFile(process.cwd())?.project.workspace ?? null;
    const reply = await simple({ op: 'secrets', workspace });
    if (options.json) return print(reply);
    process.stdout.write(`${reply.workspace}: ${reply.secrets.length} secret${reply.secrets.length === 1 ? '' : 's'}\n`);
    for (const s of reply.secrets) {
      const where = [
        s.valueHere ? 'value kept here (akr://' + reply.workspace + '/' + s.name + ')' : null,
        s.inElevenLabs ? 'in ElevenLabs' : null,
      ];
      process.stdout.write(`  ${s.name}  ${where.filter(Boolean).join(', ')}${s.usedBy ? `, used by ${s.usedBy}` : ''}\n`);
    }
  });

program
  .command('doctor')
  .description('check the app, the socket and the pairing; find plaintext ElevenLabs keys and offer to import them')
  .option('--yes', 'import every key found without asking (and delete it from the file)')
  .option('--label <name>', 'the workspace name for an imported key')
  .option('--base-url <url>', 'the API address for an imported key (a custom workspace)')
  .option('--json', 'print the checks and findings as JSON (nothing is imported without --yes)')
  .action(async (options: { yes?: boolean; label?: string; baseUrl?: string; json?: boolean }) => {
    await doctor(options);
  });

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseMapping(mapping: string): [string, string] {
  const at = mapping.indexOf('=');
  const name = mapping.slice(0, at);
  if (at < 1 || !EnvNameSchema.safeParse(name).success) {
    throw new UserError(`--env ${mapping}: expected NAME=akr://WORKSPACE/SECRET, NAME being an environment variable name.`, 'usage');
  }
  return [name, parseReference(mapping.slice(at + 1))];
}

function parseReference(ref: string): string {
  if (!AkrReferenceSchema.safeParse(ref).success) {
    throw new UserError(`${ref}: a reference looks like akr://WORKSPACE/SECRET (akr secrets -w WORKSPACE lists the names).`, 'usage');
  }
  return ref;
}

async function resolve(input: {
  workspace: string | null;
  apiKey: boolean;
  refs: { env: string; ref: string }[];
  command: string[];
}): Promise<BrokerReply<'resolve'>> {
  const client = await BrokerClient.connect();
  try {
    return await withWaitNotice(() =>
      client.request({
        op: 'resolve',
        workspace: input.workspace,
        apiKey: input.apiKey,
        refs: input.refs,
        caller: callerOf(input.command),
      }),
    );
  } finally {
    client.close();
  }
}

async function simple<R extends Extract<BrokerRequest, { op: 'workspaces' | 'secrets' }>>(request: R): Promise<BrokerReply<R['op']>> {
  const client = await BrokerClient.connect();
  try {
    return await client.request(request);
  } finally {
    client.close();
  }
}

/** A request that needs the user's approval says so in the terminal, rather than hanging silently. */
async function withWaitNotice<T>(run: () => Promise<T>): Promise<T> {
  const notice = setTimeout(() => process.stderr.write('akr: waiting for your approval in Agent Keyring…\n'), 400);
  try {
    return await run();
  } finally {
    clearTimeout(notice);
  }
}

async function doctor(options: { yes?: boolean; label?: string; baseUrl?: string; json?: boolean }): Promise<void> {
  const checks: { check: string; ok: boolean; detail: string }[] = [];
  const dir = defaultSocketDir();
  const dirProblem = privateDirProblem(dir);
  checks.push({ check: 'socket folder', ok: dirProblem === null, detail: dirProblem ?? `${dir} is private (700)` });
  let client: BrokerClient | null = null;
  if (dirProblem === null) {
    try {
      readPairing();
      checks.push({ check: 'pairing', ok: true, detail: `${pairingFile()} (600)` });
      client = await BrokerClient.connect();
      const status = await client.request({ op: 'status' });
      checks.push({
        check: 'app',
        ok: true,
        detail: `Agent Keyring ${status.version} answers at ${socketPathIn(dir)}; this terminal is “${status.clientLabel}”`,
      });
    } catch (error) {
      checks.push({ check: 'app and pairing', ok: false, detail: (error as Error).message });
    }
  }
  const findings = [...findHomeKeys(), ...findEnvKeys(process.cwd())];
  const imported: string[] = [];
  // --json: one JSON object at the end and nothing else; keys are imported only with --yes.
  const say = (line: string) => void (options.json ? undefined : process.stdout.write(`${line}\n`));
  for (const c of checks) say(`${c.ok ? 'ok ' : 'NO '} ${c.check}: ${c.detail}`);
  if (findings.length === 0) say('ok  no plaintext ElevenLabs key in ~/.elevenlabs/ or .env files here');
  for (const finding of findings) {
    const where = finding.line === null ? finding.file : `${finding.file}, line ${finding.line} (${finding.variable})`;
    say(`NO  plaintext ElevenLabs key in ${where}`);
    if (!client) {
      say('    Start the app and pair this terminal (akr pair) to import it.');
      continue;
    }
    const label = options.label ?? `Imported from ${path.basename(path.dirname(finding.file))}/${path.basename(finding.file)}`.slice(0, 80);
    const removal = finding.line === null ? 'delete the file' : `remove that line from ${path.basename(finding.file)}`;
    const yes =
      options.yes || (!options.json && (await ask(`    Import it into Agent Keyring as workspace “${label}” and ${removal}? [y/N] `)));
    if (!yes) continue;
    const reply = await client.request({
      op: 'import',
      apiKey: finding.apiKey,
      label,
      baseUrl: options.baseUrl ?? finding.baseUrl,
      source: finding.file,
    });
    if (reply.outcome !== 'saved') {
      say(`    Not imported: ${reply.message} The file is left as it is.`);
      continue;
    }
    imported.push(finding.file);
    say(`    Imported as “${reply.workspace}”; ${removeFinding(finding)}.`);
  }
  if (options.json)
    print({
      checks,
      plaintextKeys: findings.map(({ file, line, variable }) => ({ file, line, variable, imported: imported.includes(file) })),
    });
  client?.close();
  lines?.close();
  const unresolved = findings.length - imported.length;
  process.exitCode = checks.every((c) => c.ok) && unresolved === 0 ? 0 : 1;
}

let lines: readline.Interface | null = null;
const waiting: ((line: string | null) => void)[] = [];
const buffered: (string | null)[] = [];

/** A yes/no question on the terminal (or a line from a pipe); anything but y/yes is no. */
async function ask(question: string): Promise<boolean> {
  process.stdout.write(question);
  if (!lines) {
    // One reader for the whole run: lines a pipe delivers at once are kept for the next question.
    lines = readline.createInterface({ input: process.stdin, terminal: false });
    const deliver = (line: string | null) => (waiting.length > 0 ? waiting.shift()!(line) : buffered.push(line));
    lines.on('line', deliver);
    lines.on('close', () => deliver(null));
  }
  const line = buffered.length > 0 ? buffered.shift()! : await new Promise<string | null>((resolve) => waiting.push(resolve));
  // Once the input has ended, every later question is answered no at once.
  if (line === null) buffered.push(null);
  return line !== null && /^\s*y(es)?\s*$/i.test(line);
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', fail);
  });
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not failures; a usage error is 2, as for most tools.
      process.exitCode = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
      return;
    }
    const json = process.argv.includes('--json');
    const message = error instanceof UserError ? error.message : `unexpected failure: ${(error as Error).message}`;
    const code = error instanceof UserError ? error.code : 'internal';
    if (json) process.stderr.write(`${JSON.stringify({ error: { code, message } })}\n`);
    else process.stderr.write(`akr: ${message}\n`);
    if (process.exitCode === undefined || process.exitCode === 0) process.exitCode = 1;
  }
}

void main();
