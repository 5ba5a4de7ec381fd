// What the matrix asks, answered from SQLite alone (offline): one workspace's variables with
// their environments, labels across every workspace, and the variables naming a secret or connection.
import type { ListVariablesReply, VariableHit, VariableKind, VariableReferral } from '../../shared/schemas/environment-variables';
import type { VariableRepository } from './variable-repository';

export class VariableQueries {
  constructor(private readonly repository: VariableRepository) {}

  list(request: { workspaceId: string; kind: VariableKind | null; environment: string | null }): ListVariablesReply {
    const { workspaceId, kind, environment } = request;
    return {
      variables: this.repository.all([workspaceId], { kind, environment }),
      environments: this.repository.environments(workspaceId),
      total: this.repository.countPresent(workspaceId),
      access: this.repository.access(workspaceId),
    };
  }

  search(query: string): { hits: VariableHit[] } {
    return { hits: this.repository.search(query) };
  }

  referring(request: { workspaceId: string; kind: 'secret' | 'auth_connection'; id: string }): { variables: VariableReferral[] } {
    return { variables: this.repository.referring(request.workspaceId, request.kind, request.id) };
  }
}
