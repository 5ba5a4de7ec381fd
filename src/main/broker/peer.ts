import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type net from 'node:net';

/**
 * Which process is on the other end of an accepted connection, as the operating system reports it.
 * Node has no SO_PEERCRED; on Linux the kernel's socket diagnostics (`ss -x`) name the peer of our
 * end's inode, and /proc says whether the process the terminal claims to be holds it. Anywhere
 * that is not possible the answer is null and the caller is shown as "unverified", with its claim.
 */
export async function peerProcess(socket: net.Socket, claimedPid: number): Promise<{ pid: number; executable: string | null } | null> {
  if (process.platform !== 'linux') return null;
  try {
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (typeof fd !== 'number' || fd < 0) return null;
    const ours = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/self/fd/${fd}`))?.[1];
    if (!ours) return null;
    // The kernel's socket table (no process scan: -p would read every process's fds) gives our
    // end's peer; the process the terminal names is verified only if it holds that very socket.
    const table = await run('ss', ['-xnH']);
    const peerInode = table
      .split('\n')
      .map(parseRow)
      .find((row) => row?.inode === ours)?.peerInode;
    if (!peerInode || !holdsSocket(claimedPid, peerInode)) return null;
    return { pid: claimedPid, executable: executableOf(claimedPid) };
  } catch {
    return null;
  }
}

function parseRow(line: string): { inode: string; peerInode: string } | null {
  // u_str ESTAB 0 0 /run/user/1000/agent-keyring/akr.sock 123 * 124
  const match = /^\S+\s+\S+\s+\d+\s+\d+\s+\S+\s+(\d+)\s+\S+\s+(\d+)/.exec(line.trim());
  return match ? { inode: match[1]!, peerInode: match[2]! } : null;
}

function holdsSocket(pid: number, inode: string): boolean {
  const wanted = `socket:[${inode}]`;
  const dir = `/proc/${pid}/fd`;
  return fs.readdirSync(dir).some((fd) => {
    try {
      return fs.readlinkSync(`${dir}/${fd}`) === wanted;
    } catch {
      return false;
    }
  });
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
