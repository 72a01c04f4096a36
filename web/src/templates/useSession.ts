import { useEffect, useState } from 'react';
import { useRestApi } from '../api/context';
import { templatesApi, type Session } from './api';

/** useSession reads who the caller is (GET /session): templates are managed by admins only. */
export function useSession(): { session: Session | null; error: string | null } {
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<string | null>(null);
  const api = useRestApi(templatesApi);
  useEffect(() => {
    let live = true;
    api.getSession().then((s) => live && setSession(s), (e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [api]);
  return { session, error };
}

/** refusal explains, in the server's words, why a role cannot manage templates. */
export function refusal(role: string): string {
  return `POST /api/v1/templates needs the admin role; you are ${role}`;
}
