import { useEffect, useState } from 'preact/hooks';

type Editors = typeof import('../automation/index.js');
let loaded: Promise<Editors> | undefined;

/**
 * The automation rules and macros editors, fetched the first time one is opened: they are most of
 * a chunk of their own, which the first load of /app does not need.
 */
export function LazyAutomation({
  screen,
  accountId,
  sla,
}: {
  screen: 'rules' | 'macros';
  accountId: number;
  sla: boolean;
}) {
  const [editors, setEditors] = useState<Editors | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    loaded ??= import('../automation/index.js');
    loaded.then(setEditors).catch((e: Error) => {
      loaded = undefined;
      setError(e.message);
    });
  }, []);
  if (error) return <p role="alert">{error}</p>;
  if (!editors) return <p class="muted">Loading…</p>;
  return screen === 'rules' ? (
    <editors.AutomationRulesScreen accountId={accountId} sla={sla} />
  ) : (
    <editors.MacrosScreen accountId={accountId} />
  );
}
