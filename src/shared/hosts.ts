/**
 * Where a host is, as far as its name or address says: on this computer (loopback), on the local
 * network (private ranges), or anywhere else. Messages about a host that does not answer depend
 * on it: "check your internet connection" means nothing for 127.0.0.1. Free of any runtime, so
 * every process can import it.
 */
export type HostPlace = 'this_computer' | 'local_network' | 'internet';

/** The host name of a URL or of a `host[:port]`, without IPv6 brackets; null when unparsable. */
export function hostnameOf(urlOrHost: string): string | null {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(urlOrHost) ? urlOrHost : `http://${urlOrHost}`);
    return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  } catch {
    return null;
  }
}

/** 127.0.0.0/8, ::1 (also as ::ffff:127.x), localhost and *.localhost (RFC 6761). */
/**
 * The Fetch standard's "bad ports": fetch (Node's, Electron's, every browser's) refuses them
 * without trying, so an address on one of them can never answer.
 */
const FETCH_BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117,
  119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636,
  989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** What is wrong with a URL whose port fetch refuses to use, or null. */
export function blockedPortProblem(url: URL): string | null {
  if (url.port === '' || !FETCH_BAD_PORTS.has(Number(url.port))) return null;
  return `uses port ${url.port}, which web requests may not use (the Fetch standard keeps it for other services): use another port`;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const v4 = host.replace(/^::ffff:/, '');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** RFC 1918, link-local, IPv6 unique-local and link-local, and *.local (mDNS). */
function isPrivateHost(host: string): boolean {
  if (host.endsWith('.local')) return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host.replace(/^::ffff:/, ''));
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  return /^f[cd][0-9a-f]{0,2}:/.test(host) || /^fe[89ab][0-9a-f]?:/.test(host);
}

/** Where the host of a URL or `host[:port]` is. */
export function placeOfHost(urlOrHost: string): HostPlace {
  const host = hostnameOf(urlOrHost);
  if (host === null) return 'internet';
  if (isLoopbackHost(host)) return 'this_computer';
  return isPrivateHost(host) ? 'local_network' : 'internet';
}

/**
 * What to say when nothing answered at `host` (`host[:port]`, as the user configured it): where
 * that is decides the advice. A loopback address is this computer, never the internet.
 */
export function noAnswerText(host: string, refused = false): string {
  // A refused connection is known at once: the machine is there and nothing listens on that port.
  const how = refused ? ' (the connection was refused)' : '';
  switch (placeOfHost(host)) {
    case 'this_computer':
      return `Nothing answers at ${host} on this computer${how}: is the emulator (or the server meant to be there) running?`;
    case 'local_network':
      return `Nothing answers at ${host} on the local network${how}: is that server running, and is this computer on its network?`;
    default:
      return refused
        ? `Nothing answers at ${host}: the connection was refused. Check the workspace's address.`
        : `Could not reach ${host}. Check your internet connection or the workspace's address.`;
  }
}
