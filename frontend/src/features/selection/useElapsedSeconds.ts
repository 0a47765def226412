import { useEffect, useState } from 'react';

/** Whole seconds since `running` became true (0 when not running): an honest indicator while the server fetches. */
export function useElapsedSeconds(running: boolean): number {
  const [start, setStart] = useState<number | null>(null);
  const [now, setNow] = useState(0);
  if (running && start === null) setStart(Date.now());
  if (!running && start !== null) setStart(null);
  useEffect(() => {
    if (!running) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [running]);
  return start === null ? 0 : Math.max(0, Math.floor(((now || start) - start) / 1000));
}
