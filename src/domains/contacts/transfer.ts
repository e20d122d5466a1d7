import type { MultipartFile } from '@fastify/multipart';
import { AppError } from '../../core/errors.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { compileFilter, type FilterCondition } from '../filters/compile.js';
import { CONTACT_FILTERS } from '../filters/keys.js';
import { filterableAttributes } from '../custom-attributes/service.js';
import { addJob } from '../../core/jobs/runner.js';
import { exportColumns, exportContactsCsv } from './exporter.js';
import { sql, type RawBuilder, type SqlBool } from 'kysely';

/** The graphile-worker task that runs an upload's import (tasks/contacts-import.ts). */
export const CONTACTS_IMPORT = 'contacts_import';

const CHUNK_BYTES = 1024 * 1024;
const fileIsBlank = () => new AppError('unprocessable', 422, { error: 'File is blank' });

/**
 * POST /contacts/import (administrators): the upload streams into data_import_chunks and a
 * contacts_import job is queued in the same transaction; the job does the work in the background.
 */
export async function queueContactImport(ctx: AccountCtx, file: MultipartFile | undefined): Promise<number> {
  requireAdministrator(ctx);
  if (file?.fieldname !== 'import_file') throw fileIsBlank();
  return ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('data_imports')
      .values({ account_id: ctx.account.id, data_type: 'contacts' })
      .returning('id')
      .executeTakeFirstOrThrow();
    let seq = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      await tx
        .insertInto('data_import_chunks')
        .values({ data_import_id: row.id, seq: seq++, data: Buffer.concat(pending) })
        .execute();
      pending = [];
      pendingBytes = 0;
    };
    for await (const chunk of file.file as AsyncIterable<Buffer>) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= CHUNK_BYTES) await flush();
    }
    if ((file.file as { truncated?: boolean }).truncated)
      throw new AppError('payload_too_large', 413, { error: 'Request body is too large' });
    await flush();
    if (seq === 0) throw fileIsBlank();
    await addJob(tx, CONTACTS_IMPORT, { import_id: row.id });
    return row.id;
  });
}

export interface ExportRequest {
  column_names?: string[];
  payload?: FilterCondition[];
  label?: string | null;
}

/** POST /contacts/export (administrators): the CSV itself, streamed (Chatwoot emails a link instead). */
export async function contactExport(ctx: AccountCtx, request: ExportRequest) {
  requireAdministrator(ctx);
  let where: RawBuilder<SqlBool> | undefined;
  if (request.payload?.length) {
    where = compileFilter(
      CONTACT_FILTERS,
      request.payload,
      await filterableAttributes(ctx.db, ctx.account.id, CONTACT_FILTERS.attributeModel),
    );
  } else if (request.label) {
    where = sql<SqlBool>`exists (select 1 from taggings where taggings.taggable_type = 'Contact' and taggings.taggable_id = contacts.id and taggings.name = ${request.label.toLowerCase()})`;
  }
  return exportContactsCsv(ctx.db, ctx.account.id, exportColumns(request.column_names), where);
}
