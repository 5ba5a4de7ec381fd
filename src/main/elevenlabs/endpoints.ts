import type { Residency } from '../../shared/schemas/workspaces';

/** The SDK's environments (ElevenLabsEnvironment), by residency. */
export const residencyBaseUrls: Record<Exclude<Residency, 'custom' | 'demo'>, string> = {
  default: 'https://api.elevenlabs.io',
  us: 'https://api.us.elevenlabs.io',
  eu: 'https://api.eu.residency.elevenlabs.io',
  india: 'https://api.in.residency.elevenlabs.io',
  singapore: 'https://api.sg.residency.elevenlabs.io',
};

export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
