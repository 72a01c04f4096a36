// Calls of the Users API (admins): pkg/api/openapi/users.json.
import type { Rest } from '../api/rest';
import { ROLES, type User, type UserList } from './logic';

const enc = encodeURIComponent;

export function usersApi(rest: Rest) {
  return {
    list: async (): Promise<UserList> => {
      const b = (await rest<Partial<UserList>>('GET', '/users')).body ?? {};
      return { items: b.items ?? [], roles: b.roles?.length ? b.roles : ROLES };
    },
    invite: async (email: string, role: string) => (await rest<User>('POST', '/users', { body: { email: email.trim(), role } })).body,
    setRole: async (username: string, role: string) => (await rest<User>('PUT', `/users/${enc(username)}/role`, { body: { role } })).body,
    remove: async (username: string) => void (await rest('DELETE', `/users/${enc(username)}`)),
  };
}

export type UsersApi = ReturnType<typeof usersApi>;
