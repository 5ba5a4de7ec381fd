import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';

/**
 * The command line's contract (issue 15): the frames `akr` and the app exchange over the local
 * socket, and the app's own channels for pairing requests, approvals and grants. One declaration
 * for both sides: the app parses every client frame with these before anything runs, and `akr`
 * parses every server frame the same way.
 */

/** Largest frame either side sends or accepts (a length prefix above it closes the connection). */
export const BROKER_MAX_FRAME = 64 * 1024;

const Base64 = (bytes: number) =>
  z
    .string()
    .length(Math.ceil(bytes / 3) * 4)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64');
/** An Ed25519 public key (raw, 32 bytes) and signature (64 bytes), a 32-byte nonce. */
export const PublicKeySchema = Base64(32);
export const SignatureSchema = Base64(64);
export const NonceSchema = Base64(32);
/** A paired terminal's id: the first 16 bytes of its public key's SHA-256, in hex. */
export const ClientIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'must be a client id');

const ShortText = (max: number) => z.string().max(max);
export const AkrWorkspaceSchema = z.string().trim().min(1, 'must not be empty').max(80);
/** `akr://WORKSPACE/SECRET`: a workspace (label) and a secret's name in it. */
export const AkrReferenceSchema = z
  .string()
  .max(300)
  .regex(/^akr:\/\/[^/]+\/[A-Za-z_][A-Za-z0-9_.-]*$/, 'must look like akr://WORKSPACE/SECRET');
export const EnvNameSchema = z
  .string()
  .max(128)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

/** Who is asking, as the terminal reports it (the app checks what it can; see broker/peer.ts). */
const CallerSchema = z.strictObject({
  command: z.array(ShortText(4096)).max(256),
  cwd: ShortText(4096),
  /** The terminal session (Linux: session id and its leader's start time), so a grant stays with it. */
  session: ShortText(200),
  pid: z.number().int().positive(),
});

export const BrokerRequestSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('status') }),
  z.strictObject({ op: z.literal('workspaces') }),
  z.strictObject({ op: z.literal('secrets'), workspace: AkrWorkspaceSchema.nullable() }),
  z.strictObject({
    op: z.literal('resolve'),
    /** The workspace whose key goes into ELEVENLABS_API_KEY (null: no key, only the references). */
    workspace: AkrWorkspaceSchema.nullable(),
    /** Whether the workspace's key is wanted (akr run: yes; akr read/inject: no). */
    apiKey: z.boolean(),
    refs: z.array(z.strictObject({ env: EnvNameSchema, ref: AkrReferenceSchema })).max(200),
    caller: CallerSchema,
  }),
  z.strictObject({
    op: z.literal('vars'),
    person: z.string().trim().min(1).max(40),
    caller: CallerSchema,
  }),
  z.strictObject({
    op: z.literal('import'),
    /** A plaintext key `akr doctor` found, confirmed by the user in the terminal. */
    apiKey: z.string().min(8).max(512),
    label: AkrWorkspaceSchema,
    baseUrl: z.string().url().max(2048).nullable(),
    source: ShortText(4096),
  }),
]);
export type BrokerRequest = z.infer<typeof BrokerRequestSchema>;
export type BrokerOp = BrokerRequest['op'];

export const ClientFrameSchema = z.discriminatedUnion('type', [
  /** Unauthenticated by nature: answered only once the user approves it in the app. */
  z.strictObject({ type: z.literal('pair'), publicKey: PublicKeySchema, label: ShortText(80).min(1) }),
  /** The first frame of every later connection: signed, fresh (time and nonce), so the app answers it. */
  z.strictObject({
    type: z.literal('hello'),
    clientId: ClientIdSchema,
    nonce: NonceSchema,
    time: TimestampSchema,
    signature: SignatureSchema,
  }),
  /** The terminal's signature over the app's nonce: the session is authenticated. */
  z.strictObject({ type: z.literal('prove'), signature: SignatureSchema }),
  z.strictObject({ type: z.literal('request'), id: z.number().int().nonnegative(), request: BrokerRequestSchema }),
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

const BrokerErrorSchema = z.object({ code: z.string().max(64), message: z.string().max(2000) });

export const ServerFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('paired'), clientId: ClientIdSchema, serverPublicKey: PublicKeySchema }),
  z.object({ type: z.literal('refused'), message: z.string().max(2000) }),
  z.object({ type: z.literal('welcome'), nonce: NonceSchema, signature: SignatureSchema }),
  /** `data` when ok; `error` (code and a message for the user, scrubbed) when not. */
  z.object({
    type: z.literal('reply'),
    id: z.number().int().nonnegative(),
    ok: z.boolean(),
    data: z.unknown().optional(),
    error: BrokerErrorSchema.optional(),
  }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

const WorkspaceRowSchema = z.object({
  label: z.string(),
  residency: z.string(),
  active: z.boolean(),
  secretCount: z.number().int(),
  keyVerified: z.boolean(),
});

/** Each op's reply, parsed by `akr` before it uses it. */
export const BrokerReplySchemas = {
  status: z.object({
    version: z.string(),
    transport: z.string(),
    clientLabel: z.string(),
    activeWorkspace: z.string().nullable(),
  }),
  workspaces: z.object({ workspaces: z.array(WorkspaceRowSchema) }),
  secrets: z.object({
    workspace: z.string(),
    secrets: z.array(
      z.object({
        name: z.string(),
        /** A value kept in Agent Keyring for this name (akr can hand it over), or only ElevenLabs' record of it. */
        valueHere: z.boolean(),
        inElevenLabs: z.boolean(),
        usedBy: z.number().int(),
      }),
    ),
  }),
  resolve: z.object({
    workspace: z.string().nullable(),
    /** What goes into the child's environment; `secret` values are masked in its output. */
    env: z.array(z.object({ name: z.string(), value: z.string(), secret: z.boolean() })),
    grantExpiresAt: TimestampSchema,
  }),
  vars: z.object({ person: z.string(), variables: z.record(z.string(), z.string()), skipped: z.array(z.string()) }),
  import: z.object({ workspace: z.string(), outcome: z.string(), message: z.string() }),
} as const satisfies Record<BrokerOp, z.ZodType>;
export type BrokerReply<O extends BrokerOp> = z.infer<(typeof BrokerReplySchemas)[O]>;

// The app's side: what Settings › Command line shows and the answers it sends.

export const CallerProcessSchema = z.object({
  pid: z.number().int().nullable(),
  executable: z.string().nullable(),
  /** True when the operating system said which process is on the other end; false: as the terminal claims. */
  verified: z.boolean(),
});

export const BrokerPendingSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('pair'),
    id: IdSchema,
    label: z.string(),
    /** The words the terminal prints too: the user compares them before approving. */
    phrase: z.string(),
    requestedAt: TimestampSchema,
  }),
  z.object({
    kind: z.literal('access'),
    id: IdSchema,
    clientLabel: z.string(),
    command: z.string(),
    cwd: z.string(),
    workspace: z.string().nullable(),
    names: z.array(z.string()),
    process: CallerProcessSchema,
    requestedAt: TimestampSchema,
  }),
]);
export type BrokerPending = z.infer<typeof BrokerPendingSchema>;

export const BrokerStateSchema = z.object({
  socket: z.object({ path: z.string().nullable(), listening: z.boolean(), problem: z.string().nullable() }),
  pending: z.array(BrokerPendingSchema),
  clients: z.array(
    z.object({
      id: ClientIdSchema,
      label: z.string(),
      phrase: z.string(),
      pairedAt: TimestampSchema,
      lastUsedAt: TimestampSchema.nullable(),
    }),
  ),
  grants: z.array(
    z.object({
      id: IdSchema,
      clientLabel: z.string(),
      command: z.string(),
      cwd: z.string(),
      workspace: z.string().nullable(),
      names: z.array(z.string()),
      process: CallerProcessSchema,
      grantedAt: TimestampSchema,
      lastUsedAt: TimestampSchema,
      expiresAt: TimestampSchema,
    }),
  ),
});
export type BrokerState = z.infer<typeof BrokerStateSchema>;

export const BrokerAnswerRequestSchema = z.strictObject({ id: IdSchema, approve: z.boolean() });
export const BrokerGrantIdRequestSchema = z.strictObject({ grantId: IdSchema });
export const BrokerClientIdRequestSchema = z.strictObject({ clientId: ClientIdSchema });
