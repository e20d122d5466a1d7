import type { Task } from 'graphile-worker';
import type { Db } from '../core/db/kysely.js';
import { importContacts } from '../domains/contacts/importer.js';

export { CONTACTS_IMPORT } from '../domains/contacts/transfer.js';

/** Reads an upload's chunks back in order, one at a time. */
async function* chunksOf(db: Db, importId: number): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const chunk = await db
      .selectFrom('data_import_chunks')
      .select('data')
      .where('data_import_id', '=', importId)
      .where('seq', '=', seq)
      .executeTakeFirst();
    if (!chunk) return;
    yield chunk.data;
  }
}

/** The `contacts_import` task: runs the streaming importer over an upload and records the outcome. */
export function contactsImportTask(db: Db): Task {
  return async (payload) => {
    const importId = Number((payload as { import_id?: unknown }).import_id);
    const row = await db.selectFrom('data_imports').selectAll().where('id', '=', importId).executeTakeFirst();
    if (!row || row.status === 2) return;
    await db
      .updateTable('data_imports')
      .set({ status: 1, updated_at: new Date() })
      .where('id', '=', importId)
      .execute();
    const result = await importContacts(db, row.account_id, chunksOf(db, importId), async (progress) => {
      await db
        .updateTable('data_imports')
        .set({ processed_records: progress.rows - progress.failed, updated_at: new Date() })
        .where('id', '=', importId)
        .execute();
    });
    await db.transaction().execute(async (tx) => {
      await tx
        .updateTable('data_imports')
        .set({
          status: 2,
          total_records: result.total,
          processed_records: result.processed,
          failed_records: JSON.stringify(result.failures),
          updated_at: new Date(),
        })
        .where('id', '=', importId)
        .execute();
      await tx.deleteFrom('data_import_chunks').where('data_import_id', '=', importId).execute();
    });
  };
}
