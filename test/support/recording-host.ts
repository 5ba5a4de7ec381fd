import type { FromHost, HostChannel, HostLauncher, ToHost } from '../../src/main/elevenlabs/api-host/protocol';
import { nodeHostLauncher } from '../../src/main/elevenlabs/api-host/remote-gateway';

/**
 * The real API host launcher (a Node child running the real SDK), recording each host it starts,
 * each message main sends it and each it answers, and, in `timeline`, when hosts started beside
 * whatever else the test notes there (a keychain read).
 */
export function recordingLauncher(launcher: HostLauncher = nodeHostLauncher()) {
  const hosts: HostChannel[] = [];
  const sent: ToHost[] = [];
  const received: FromHost[] = [];
  const exits: Promise<string>[] = [];
  const timeline: string[] = [];
  const launch: HostLauncher = (settings) => {
    const channel = launcher(settings);
    timeline.push('host started');
    exits.push(new Promise((resolve) => channel.onExit(resolve)));
    channel.onMessage((message) => received.push(message));
    hosts.push(channel);
    return {
      ...channel,
      send: (message) => {
        sent.push(message);
        channel.send(message);
      },
    };
  };
  /** The calls sent to hosts, by operation name. */
  const calls = () => sent.flatMap((message) => (message.type === 'call' ? [message.operation] : []));
  return { launch, hosts, sent, received, exits, timeline, calls };
}
