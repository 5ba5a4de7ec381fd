import net from 'node:net';

/**
 * A loopback port where nothing listens, so a connection to it is refused at once: one the OS
 * just handed out and that was closed again. (Port 9 and its like are no stand-in: fetch refuses
 * the Fetch standard's "bad ports" without trying them.)
 */
export async function refusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
