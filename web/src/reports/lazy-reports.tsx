import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

type Page = FunctionComponent<{ accountId: number; administrator: boolean; section: string }>;

let loaded: Page | undefined;

/** The reports screens, loaded on first visit (their own chunk), so the inbox's first load stays small. */
export function LazyReports(props: { accountId: number; administrator: boolean; section: string }) {
  const [Reports, setReports] = useState<Page | undefined>(() => loaded);
  const [error, setError] = useState('');
  useEffect(() => {
    if (Reports) return;
    import('./reports-page.js')
      .then((module) => {
        loaded = module.ReportsPage;
        setReports(() => module.ReportsPage);
      })
      .catch((e: Error) => setError(e.message));
  }, []);
  if (Reports) return <Reports {...props} />;
  return (
    <main class="settings-page reports-page">
      <h1>Reports</h1>
      <p role={error ? 'alert' : undefined}>{error || 'Loading…'}</p>
    </main>
  );
}
