import { useEffect, useState } from 'preact/hooks';
import { getAccountFeatures } from '../api/admin/features.js';

// Whether the account has the help center (`features.help_center` of GET /api/v1/accounts/:id), read
// once per account and shared by the sidebar link, the screens and the reply box's article picker.

const known = new Map<number, Promise<boolean>>();

/** The account's help_center flag; a failed read counts as off and is asked again next time. */
export function helpCenterEnabled(accountId: number): Promise<boolean> {
  let found = known.get(accountId);
  if (!found) {
    found = getAccountFeatures(accountId).then(
      (features) => features.help_center === true,
      () => {
        known.delete(accountId);
        return false;
      },
    );
    known.set(accountId, found);
  }
  return found;
}

/** undefined while the flag is being read. */
export function useHelpCenterEnabled(accountId: number): boolean | undefined {
  const [enabled, setEnabled] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    let current = true;
    setEnabled(undefined);
    void helpCenterEnabled(accountId).then((on) => current && setEnabled(on));
    return () => {
      current = false;
    };
  }, [accountId]);
  return enabled;
}
