import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type net from 'node:net';

/**
 * Which process is on the other end of an accepted connection, as the operating system reports it.
 * Node has no SO_PEERCRED; on Linux the kernel's socket diagnostics (`ss -xp`) name the peer of
 * our end's inode. Anywhere that is not possible the answer is null and the caller is shown as
 * "unverified", with what the terminal claims.
 */
export async function peerProcess(socket: net.Socket): Promise<{ pid: number; executable: string | null } | null> {
  if (process.platform !== 'linux') return null;
  try {
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (typeof fd !== 'number' || fd < 0) return null;
    const link = fs.readlinkSync(`/proc/self/fd/${fd}`);
    const ours = /^socket:\[(\d+)\]$/.exec(link)?.[1];
    if (!ours) return null;
    const table = await run('ss', ['-xpnH']);
    const rows = table
      .split('\n')
      .map(parseRow)
      .filter((row) => row !== null);
    const peerInode = rows.find((row) => row.inode === ours)?.peerInode;
    const peer = peerInode ? rows.find((row) => row.inode === peerInode) : undefined;
    if (!peer?.pid) return null;
    return { pid: peer.pid, executable: executableOf(peer.pid) };
  } catch {
    return null;
  }
}

function parseRow(line: string): { inode: string; peerInode: string; pid: number | null } | null {
  // u_str ESTAB 0 0 /run/user/1000/agent-keyring/akr.sock 123 * 124 users:(("node",pid=42,fd=21))
  const match = /^\S+\s+\S+\s+\d+\s+\d+\s+\S+\s+(\d+)\s+\S+\s+(\d+)(.*)$/.exec(line.trim());
  if (!match) return null;
  const pid = /pid=(\d+)/.exec(match[3] ?? '')?.[1];
  return { inode: match[1]!, peerInode: match[2]!, pid: pid ? Number(pid) : null };
}

function executableOf(pid: number): string | null {
  try {
    return fs.readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return null;
  }
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 2000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

/**
 * A process's terminal session: on Linux its session id and the start time of the session's
 * leader (so a reused id is another session); elsewhere the parent process, as the best stand-in.
 */
export function sessionOf(pid: number, ppid: number | null = null): string {
  if (process.platform === 'linux') {
    try {
      const sid = statField(pid, 6);
      return `linux:${sid}:${statField(Number(sid), 22)}`;
    } catch {
      // fall through
    }
  }
  return `parent:${ppid ?? 'unknown'}`;
}

/** Field n (1-based, as in proc(5)) of /proc/<pid>/stat; the command name may hold spaces and ')'. */
function statField(pid: number, n: number): string {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const value = rest[n - 3];
  if (value === undefined) throw new Error('short stat');
  return value;
}
