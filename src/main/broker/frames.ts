import { BROKER_MAX_FRAME } from '../../shared/schemas/broker';

/**
 * Frames on the `akr` socket: a 4-byte big-endian length, then that many bytes of UTF-8 JSON.
 * A length above BROKER_MAX_FRAME is refused before its body is read.
 */

export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  if (body.length > BROKER_MAX_FRAME) throw new Error(`A frame of ${body.length} bytes is over the ${BROKER_MAX_FRAME}-byte limit.`);
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length, 0);
  return Buffer.concat([header, body]);
}

export class FrameError extends Error {}

/** Collects bytes and hands out whole frames, parsed as JSON (not yet checked against a schema). */
export class FrameReader {
  #buffer: Buffer = Buffer.alloc(0);

  /** The frames completed by this chunk; throws FrameError on an oversized frame or bad JSON. */
  push(chunk: Buffer): unknown[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const frames: unknown[] = [];
    while (this.#buffer.length >= 4) {
      const length = this.#buffer.readUInt32BE(0);
      if (length > BROKER_MAX_FRAME) throw new FrameError(`frame of ${length} bytes over the limit`);
      if (this.#buffer.length < 4 + length) break;
      const body = this.#buffer.subarray(4, 4 + length).toString('utf8');
      this.#buffer = this.#buffer.subarray(4 + length);
      try {
        frames.push(JSON.parse(body));
      } catch {
        throw new FrameError('frame is not JSON');
      }
    }
    return frames;
  }
}
