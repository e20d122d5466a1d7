import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useHelpCenterEnabled } from './feature.js';
import type { HelpCenterRoute } from './route.js';

// What the shell imports of the help center: the sidebar link, and the screens loaded on demand
// (a chunk of their own, with the Markdown preview), so the first load of /app stays small.

export interface HelpCenterProps {
  accountId: number;
  userId: number;
  administrator: boolean;
  route: HelpCenterRoute;
}

let loaded: Promise<ComponentType<HelpCenterProps>> | undefined;
const loadScreens = () => {
  loaded ??= import('./page.js').then((m) => m.HelpCenterPage);
  return loaded;
};

/** The help-center screens, once the account is known to have the feature and the chunk is loaded. */
export function HelpCenterScreen(props: HelpCenterProps) {
  const enabled = useHelpCenterEnabled(props.accountId);
  const [Page, setPage] = useState<ComponentType<HelpCenterProps> | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    if (!enabled) return;
    loadScreens().then(
      (component) => setPage(() => component),
      (e: Error) => setError(e.message),
    );
  }, [enabled]);
  if (enabled === false) {
    return (
      <main class="hc-page">
        <h1>Help center</h1>
        <p>This account does not have the help center.</p>
      </main>
    );
  }
  if (!Page) {
    return (
      <main class="hc-page">
        <p role={error ? 'alert' : 'status'}>{error || 'Loading…'}</p>
      </main>
    );
  }
  return <Page {...props} />;
}

/** The sidebar's entry, shown only when the account has `features.help_center`. */
export function HelpCenterLink({ accountId }: { accountId: number }) {
  const enabled = useHelpCenterEnabled(accountId);
  if (!enabled) return null;
  return (
    <li>
      <a href={`/app/accounts/${accountId}/portals`}>Help center</a>
    </li>
  );
}
