import type { Task } from 'graphile-worker';
import type { Logger } from 'pino';
import type { Db } from '../core/db/kysely.js';
import type { AttachmentUrls } from '../serializers/attachment.js';
import { renderUnrendered } from '../domains/webhooks/deferred-payloads.js';

export const WEBHOOK_RENDER = 'webhook_render';
/** Every minute, once across all nodes: deliveries a node left without a body wait at most that long past their grace. */
export const WEBHOOK_RENDER_CRONTAB = `* * * * * ${WEBHOOK_RENDER} ?max=1&jobKey=${WEBHOOK_RENDER}`;
const BATCH = 100;

/** Renders the deliveries a node queued with a message and died before it set their body (domains/webhooks/deferred-payloads.ts). */
export function webhookRenderTask(deps: { db: Db; urls: AttachmentUrls; log: Logger }): Task {
  return async () => {
    let rendered = 0;
    for (;;) {
      const count = await renderUnrendered(deps.db, deps.urls, BATCH);
      rendered += count;
      if (count < BATCH) break;
    }
    if (rendered) deps.log.warn({ rendered }, 'rendered webhook deliveries their node left without a body');
  };
}
