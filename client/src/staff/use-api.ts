import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../api';

/** Loads a GET endpoint; reload() fetches again; an expired login calls onExpired. */
export function useApi<T>(path: string, token: string, onExpired: () => void) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    api<T>(path, { token })
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) onExpired();
        else setError(err instanceof Error ? err.message : String(err));
      });
  }, [path, token, onExpired]);
  useEffect(reload, [reload]);
  return { data, error, reload };
}
