import type { Dependant, DependantCounts, DependantKind } from './schemas/inventory';

// The one way the app summarises who uses a secret, by kind ("1 agent and 2 phone numbers"),
// in main (refusal messages, activity) and in the renderer (plans, lists, dialogs).

const nouns: Record<DependantKind, [one: string, many: string]> = {
  agent: ['agent', 'agents'],
  tool: ['tool', 'tools'],
  phone_number: ['phone number', 'phone numbers'],
  mcp_server: ['MCP server', 'MCP servers'],
  other: ['other resource', 'other resources'],
};

const countKeys: Record<DependantKind, keyof DependantCounts> = {
  agent: 'agents',
  tool: 'tools',
  phone_number: 'phoneNumbers',
  mcp_server: 'mcpServers',
  other: 'others',
};

const numberFormat = new Intl.NumberFormat('en');

/** "agent", "phone numbers". */
export function dependantKindNoun(kind: DependantKind, count = 1): string {
  return nouns[kind][count === 1 ? 0 : 1];
}

export function countDependants(dependants: readonly Dependant[]): DependantCounts {
  const counts: DependantCounts = { agents: 0, tools: 0, phoneNumbers: 0, mcpServers: 0, others: 0 };
  for (const dependant of dependants) counts[countKeys[dependant.kind]] += 1;
  return counts;
}

/** ["1 agent", "2 phone numbers"]: one part per kind that has any, in a fixed order. */
export function dependantCountParts(counts: DependantCounts): string[] {
  return (Object.keys(nouns) as DependantKind[])
    .filter((kind) => counts[countKeys[kind]] > 0)
    .map((kind) => `${numberFormat.format(counts[countKeys[kind]])} ${dependantKindNoun(kind, counts[countKeys[kind]])}`);
}

/** "1 agent and 2 phone numbers" ("nothing" when empty). */
export function dependantsByKind(dependants: readonly Dependant[] | DependantCounts): string {
  const counts = Array.isArray(dependants) ? countDependants(dependants) : (dependants as DependantCounts);
  return joinAnd(dependantCountParts(counts)) || 'nothing';
}

/** What a dependant is called: its name, a phone number's number, or its id (hidden from this key). */
export function dependantName(dependant: Dependant): string {
  return dependant.name ?? dependant.phoneNumber ?? dependant.id;
}

/**
 * "1 agent and 2 phone numbers (agent “Support”, phone number “Front desk”, …)": by kind, then up
 * to `max` of them by name, and how many more.
 */
export function describeDependants(dependants: readonly Dependant[], max = 4): string {
  if (dependants.length === 0) return 'nothing';
  const named = dependants.slice(0, max).map((d) => `${dependantKindNoun(d.kind)} “${dependantName(d)}”`);
  const more = dependants.length - named.length;
  return `${dependantsByKind(dependants)} (${named.join(', ')}${more > 0 ? `, and ${numberFormat.format(more)} more` : ''})`;
}

/** "a", "a and b", "a, b and c". */
export function joinAnd(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
