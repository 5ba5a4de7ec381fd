import type { Database } from 'better-sqlite3';
import { up as workspaces } from './0010-workspaces';
import { up as inventory } from './0020-inventory';
import { up as access } from './0030-access';
import { up as localSecrets } from './0040-local-secrets';
import { up as linkedAccounts } from './0050-linked-accounts';
import { up as pushItemOutcomes } from './0060-push-item-outcomes';
import { up as providerPort } from './0070-provider-port';
import { up as connectionsKeptHere } from './0080-connections-kept-here';
import { up as planConnectionItems } from './0090-plan-connection-items';
import { up as environmentVariables } from './0100-environment-variables';
import { up as cliClients } from './0110-cli-clients';
import { up as planVariableItems } from './0120-plan-variable-items';
import { up as dependantsOnce } from './0130-dependants-once';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

/** Every schema version, in order. Numbers go up in tens so a fix can slot in between. */
export const migrations: readonly Migration[] = [
  { version: 10, name: 'workspaces', up: workspaces },
  { version: 20, name: 'inventory', up: inventory },
  { version: 30, name: 'access', up: access },
  { version: 40, name: 'local-secrets', up: localSecrets },
  { version: 50, name: 'linked-accounts', up: linkedAccounts },
  { version: 60, name: 'push-item-outcomes', up: pushItemOutcomes },
  { version: 70, name: 'provider-port', up: providerPort },
  { version: 80, name: 'connections-kept-here', up: connectionsKeptHere },
  { version: 90, name: 'plan-connection-items', up: planConnectionItems },
  { version: 100, name: 'environment-variables', up: environmentVariables },
  { version: 110, name: 'cli-clients', up: cliClients },
  { version: 120, name: 'plan-variable-items', up: planVariableItems },
  { version: 130, name: 'dependants-once', up: dependantsOnce },
];
