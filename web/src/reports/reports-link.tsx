import { getAccountFeatures } from '../api/admin/features.js';
import { useLoaded } from '../lib/use-loaded.js';

/** The account's `reports` feature, read once per account while the page lives. */
const reportsOn = new Map<number, Promise<boolean>>();
const hasReports = (accountId: number) => {
  let known = reportsOn.get(accountId);
  if (!known) {
    known = getAccountFeatures(accountId).then((f) => f.reports === true);
    // a failed read is asked again next time
    known.catch(() => reportsOn.delete(accountId));
    reportsOn.set(accountId, known);
  }
  return known;
};

/** The sidebar's Reports entry: administrators of an account with the `reports` feature only. */
export function ReportsLink({ accountId, administrator }: { accountId: number; administrator: boolean }) {
  const [on] = useLoaded(false, () => (administrator ? hasReports(accountId) : Promise.resolve(false)), [
    accountId,
    administrator,
  ]);
  if (!on) return null;
  return (
    <li>
      <a href={`/app/accounts/${accountId}/reports/overview`}>Reports</a>
    </li>
  );
}
