import { useEffect } from 'preact/hooks';
import { listSlaPolicies } from '../api/admin/features.js';
import { uploadActionFile } from '../api/automation-rules.js';
import { listAttributeDefinitions } from '../api/custom-attributes.js';
import { refreshLookups, useLookups } from '../conversations/lookups.js';
import { useLoaded } from '../lib/use-loaded.js';
import type { ActionChoices } from './action-list.js';
import { type ConditionSpec, customCondition } from './catalog.js';
import type { IdNames } from './model.js';

/**
 * The account's agents, teams, inboxes and labels for the editors' pickers, read afresh when an
 * editor screen opens (settings may just have changed them), and its SLA policies when it has the
 * feature (the read fails otherwise, and add_sla is not offered); and how a send_attachment file is uploaded.
 */
export function useActionChoices(accountId: number, sla: boolean): ActionChoices {
  useEffect(() => refreshLookups(accountId), [accountId]);
  const lookups = useLookups(accountId);
  const [slaPolicies] = useLoaded<Array<{ id: number; name: string }>>(
    [],
    () => (sla ? listSlaPolicies(accountId) : Promise.resolve([])),
    [accountId, sla],
  );
  const upload = (file: File) => uploadActionFile(accountId, file).then((blob) => blob.blob_id);
  return { lookups, slaPolicies, upload };
}

/** The agents' and teams' names by id, for the lists' descriptions of actions. */
export const idNames = ({ lookups }: ActionChoices): IdNames => ({
  agent: new Map(lookups.agents.map((a) => [String(a.id), a.available_name || a.name])),
  team: new Map(lookups.teams.map((t) => [String(t.id), t.name])),
});

/**
 * The account's conversation and contact custom attributes as rule conditions, read when the
 * screen opens (GET /custom_attribute_definitions, as the dashboard's automation page does).
 */
export function useCustomConditions(accountId: number): ConditionSpec[] {
  const [customs] = useLoaded<ConditionSpec[]>([], async () => {
    const [conversation, contact] = await Promise.all([
      listAttributeDefinitions(accountId, 'conversation_attribute'),
      listAttributeDefinitions(accountId, 'contact_attribute'),
    ]);
    return [
      ...conversation.map((d) => customCondition(d, 'conversation_attribute')),
      ...contact.map((d) => customCondition(d, 'contact_attribute')),
    ];
  }, [accountId]);
  return customs;
}
