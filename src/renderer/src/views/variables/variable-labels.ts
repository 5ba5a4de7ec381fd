import type { VariableKind } from '../../../../shared/schemas/environment-variables';

const kinds: Record<VariableKind, string> = { string: 'String', secret: 'Secret', auth_connection: 'Auth connection' };

/** "Secret", "Auth connection", or a type a newer API added, as sent. */
export function kindLabel(type: string): string {
  return kinds[type as VariableKind] ?? type;
}
