import { useState } from 'preact/hooks';
import {
  createWebhook,
  type Delivery,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  redeliver,
  updateWebhook,
  WEBHOOK_EVENTS,
} from '../api/admin/webhooks.js';
import { CrudSection } from './crud-section.js';
import { type FormValues, text, textOrNull } from './form.js';
import { Secret } from './secret.js';
import { useLoad } from './use-load.js';

const webhookInput = (v: FormValues) => ({
  url: text(v.url),
  name: textOrNull(v.name),
  subscriptions: Array.isArray(v.subscriptions) ? v.subscriptions : [],
});

export function WebhooksScreen({ accountId }: { accountId: number }) {
  return (
    <CrudSection
      title="Webhooks"
      description="Events of this account are posted to these URLs, signed with each webhook's secret."
      load={() => listWebhooks(accountId)}
      deps={[accountId]}
      nameOf={(w) => w.name ?? w.url}
      columns={[
        {
          label: 'URL',
          render: (w) => <a href={`/app/accounts/${accountId}/settings/webhooks/${w.id}`}>{w.name || w.url}</a>,
        },
        { label: 'Events', render: (w) => w.subscriptions.join(', ') },
      ]}
      createLabel="Add webhook"
      fields={[
        { name: 'url', label: 'URL', type: 'url', required: true },
        { name: 'name', label: 'Name' },
        {
          name: 'subscriptions',
          label: 'Events',
          type: 'checkboxes',
          options: WEBHOOK_EVENTS,
          initial: [...WEBHOOK_EVENTS],
        },
      ]}
      create={(v) => createWebhook(accountId, webhookInput(v))}
      edit={{
        values: (w) => ({ url: w.url, name: w.name ?? '', subscriptions: w.subscriptions }),
        save: (w, v) => updateWebhook(accountId, w.id, webhookInput(v)),
      }}
      remove={(w) => deleteWebhook(accountId, w.id)}
    />
  );
}

/** One webhook: its secret and its delivery log, newest first, with redeliver. */
export function WebhookScreen({ accountId, webhookId }: { accountId: number; webhookId: number }) {
  const webhook = useLoad(
    () => listWebhooks(accountId).then((all) => all.find((w) => w.id === webhookId)),
    [accountId, webhookId],
  );
  const [page, setPage] = useState(1);
  const log = useLoad(() => listDeliveries(accountId, webhookId, page), [accountId, webhookId, page]);
  const [status, setStatus] = useState('');
  const again = async (delivery: Delivery) => {
    setStatus('');
    try {
      const fresh = await redeliver(accountId, webhookId, delivery.id);
      setStatus(`Queued again as ${fresh.id}`);
      log.reload();
    } catch (e) {
      setStatus((e as Error).message);
    }
  };
  const hook = webhook.data;
  return (
    <section class="settings-section" aria-labelledby="settings-title">
      <p>
        <a href={`/app/accounts/${accountId}/settings/webhooks`}>← Webhooks</a>
      </p>
      <h2 id="settings-title">{hook?.name || hook?.url || 'Webhook'}</h2>
      {webhook.error && <p role="alert">{webhook.error}</p>}
      {hook && (
        <dl class="facts">
          <dt>URL</dt>
          <dd>{hook.url}</dd>
          <dt>Signing secret</dt>
          <dd>
            <Secret label="Signing secret" value={hook.secret} />
          </dd>
          <dt>Events</dt>
          <dd>{hook.subscriptions.join(', ')}</dd>
        </dl>
      )}
      <h3>Deliveries</h3>
      <p>
        <button type="button" onClick={log.reload}>
          Refresh
        </button>{' '}
        <span role="status">{status}</span>
      </p>
      {log.error && <p role="alert">{log.error}</p>}
      {log.data && log.data.length === 0 && <p class="muted">No deliveries{page > 1 ? ' on this page' : ' yet'}.</p>}
      {log.data && log.data.length > 0 && (
        <table class="settings-table deliveries">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Response</th>
              <th scope="col">Tries</th>
              <th scope="col">At</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {log.data.map((d) => (
              <tr key={d.id} data-delivery-id={d.id}>
                <td>{d.event}</td>
                <td class={`delivery-${d.status}`}>{d.status}</td>
                <td>
                  {d.response_code ?? ''} {d.error && <span class="muted">{d.error}</span>}
                </td>
                <td>{d.attempts}</td>
                <td>
                  <time dateTime={d.created_at}>{new Date(d.created_at).toLocaleString()}</time>
                </td>
                <td>
                  <button type="button" onClick={() => void again(d)}>
                    Redeliver<span class="visually-hidden"> {d.event}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="pager">
        <button type="button" disabled={page === 1} onClick={() => setPage(page - 1)}>
          Newer
        </button>
        <button type="button" disabled={(log.data?.length ?? 0) < 50} onClick={() => setPage(page + 1)}>
          Older
        </button>
      </p>
    </section>
  );
}
