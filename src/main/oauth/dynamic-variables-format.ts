/** A person's dynamic variables as JSON and as a snippet that starts a conversation (the app's copy and `akr vars`). */
export function formatVariables(personLabel: string, variables: Record<string, string>): { json: string; snippet: string } {
  const json = JSON.stringify(variables, null, 2);
  const snippet = [
    "import { Conversation } from '@elevenlabs/client';",
    '',
    `// Starts a conversation for ${personLabel}; the agent reads these as {{secret__…}} dynamic variables.`,
    'const conversation = await Conversation.startSession({',
    "  agentId: 'YOUR_AGENT_ID',",
    `  dynamicVariables: ${json.replace(/\n/g, '\n  ')},`,
    '});',
  ].join('\n');
  return { json, snippet };
}
