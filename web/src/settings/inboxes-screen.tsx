import {
  createApiInbox,
  deleteInbox,
  getInbox,
  listInboxDetails,
  listInboxMembers,
  setInboxMembers,
  updateInbox,
} from '../api/admin/inboxes.js';
import { navigate } from '../lib/router.js';
import { CrudSection } from './crud-section.js';
import { SimpleForm, text, textOrNull } from './form.js';
import { MembersEditor } from './members-editor.js';
import { Secret } from './secret.js';
import { useLoad } from './use-load.js';

/** Inboxes: the list, and a new API inbox (then its page, with what an integration needs). */
export function InboxesScreen({ accountId }: { accountId: number }) {
  return (
    <CrudSection
      title="Inboxes"
      description="An API inbox receives conversations through the Client API and sends agents' replies to its webhook URL."
      load={() => listInboxDetails(accountId)}
      deps={[accountId]}
      nameOf={(i) => i.name}
      columns={[
        { label: 'Name', render: (i) => <a href={`/app/accounts/${accountId}/settings/inboxes/${i.id}`}>{i.name}</a> },
        { label: 'Channel', render: (i) => i.channel_type.replace(/^Channel::/, '') },
        { label: 'Identifier', render: (i) => <code>{i.inbox_identifier}</code> },
      ]}
      createLabel="Create API inbox"
      fields={[
        { name: 'name', label: 'Inbox name', required: true },
        { name: 'webhook_url', label: 'Webhook URL', type: 'url', hint: 'Receives agents’ replies (optional)' },
        { name: 'hmac_mandatory', label: 'Require an HMAC identifier hash from contacts', type: 'checkbox' },
      ]}
      create={async (v) => {
        const inbox = await createApiInbox(accountId, {
          name: text(v.name),
          channel: { webhook_url: textOrNull(v.webhook_url), hmac_mandatory: v.hmac_mandatory === true },
        });
        navigate(`/accounts/${accountId}/settings/inboxes/${inbox.id}`);
      }}
      remove={(i) => deleteInbox(accountId, i.id)}
    />
  );
}

/** One inbox: its identifiers and secrets, its settings, its members. */
export function InboxScreen({ accountId, inboxId }: { accountId: number; inboxId: number }) {
  const { data: inbox, error, setData } = useLoad(() => getInbox(accountId, inboxId), [accountId, inboxId]);
  return (
    <section class="settings-section" aria-labelledby="settings-title">
      <p>
        <a href={`/app/accounts/${accountId}/settings/inboxes`}>← Inboxes</a>
      </p>
      <h2 id="settings-title">{inbox?.name ?? 'Inbox'}</h2>
      {error && <p role="alert">{error}</p>}
      {inbox && (
        <>
          <dl class="facts">
            <dt>Inbox identifier</dt>
            <dd>
              <code data-field="inbox_identifier">{inbox.inbox_identifier}</code>
            </dd>
            <dt>HMAC token</dt>
            <dd>{inbox.hmac_token ? <Secret label="HMAC token" value={inbox.hmac_token} /> : '—'}</dd>
            <dt>Webhook URL</dt>
            <dd data-field="webhook_url">{inbox.webhook_url ?? 'None'}</dd>
            <dt>Webhook secret</dt>
            <dd>{inbox.secret ? <Secret label="Webhook secret" value={inbox.secret} /> : '—'}</dd>
          </dl>
          <h3>Settings</h3>
          <SimpleForm
            key={inbox.id}
            name="Inbox settings"
            keep
            submitLabel="Save inbox"
            fields={[
              { name: 'name', label: 'Inbox name', required: true, initial: inbox.name },
              { name: 'webhook_url', label: 'Webhook URL', type: 'url', initial: inbox.webhook_url ?? '' },
              {
                name: 'hmac_mandatory',
                label: 'Require an HMAC identifier hash from contacts',
                type: 'checkbox',
                initial: inbox.hmac_mandatory,
              },
              {
                name: 'enable_auto_assignment',
                label: 'Assign new conversations to members automatically',
                type: 'checkbox',
                initial: inbox.enable_auto_assignment,
              },
              {
                name: 'greeting_enabled',
                label: 'Greet new contacts',
                type: 'checkbox',
                initial: inbox.greeting_enabled,
              },
              {
                name: 'greeting_message',
                label: 'Greeting message',
                type: 'textarea',
                initial: inbox.greeting_message ?? '',
              },
            ]}
            onSubmit={async (v) =>
              setData(
                await updateInbox(accountId, inbox.id, {
                  name: text(v.name),
                  enable_auto_assignment: v.enable_auto_assignment === true,
                  greeting_enabled: v.greeting_enabled === true,
                  greeting_message: textOrNull(v.greeting_message),
                  channel: { webhook_url: textOrNull(v.webhook_url), hmac_mandatory: v.hmac_mandatory === true },
                }),
              )
            }
          />
          <MembersEditor
            accountId={accountId}
            title="Inbox members"
            load={() => listInboxMembers(accountId, inboxId)}
            save={(ids) => setInboxMembers(accountId, inboxId, ids)}
          />
        </>
      )}
    </section>
  );
}
