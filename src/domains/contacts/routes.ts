import { Type } from 'typebox';
import { accountCtx, isAdministrator } from '../../core/http/account-scope.js';
import { IdParams } from '../../core/http/ids.js';
import { readAvatarForm } from '../../core/http/avatar-upload.js';
import { EmptyBody } from '../../core/http/schemas.js';
import { attachAvatar, removeAvatar, type AvatarFile } from '../../core/storage/avatars.js';
import type { App, AppDeps } from '../../core/http/types.js';
import {
  ContactInboxSchema,
  ContactSchema,
  contactInboxJson,
  contactJson,
  rawInboxJson,
} from '../../serializers/contact.js';
import { InboxSchema, inboxJson } from '../../serializers/inbox.js';
import { NoteSchema, noteJson } from '../../serializers/note.js';
import type { FilterCondition } from '../filters/compile.js';
import { sendChunks } from '../../core/http/stream.js';
import { mergeContacts } from './merge.js';
import { contactExport, queueContactImport, type ExportRequest } from './transfer.js';
import { addContactInbox, contactableInboxes, filterContactInbox } from './contact-inboxes.js';
import { contactLabels, setContactLabels } from './labels.js';
import { createNote, deleteNote, getNote, listNotes, updateNote, type NoteView } from './notes.js';
import {
  ContactBody,
  ContactIdParams,
  ContactInboxBody,
  ContactInboxFilterBody,
  CustomAttributeKeysBody,
  ExportBody,
  FilterBody,
  LabelsBody,
  ListQuery,
  MergeBody,
  NoteBody,
  NoteParams,
} from './schemas.js';
import {
  activeContacts,
  companiesShown,
  createContact,
  deleteContact,
  dropCustomAttributes,
  fetchContact,
  filterContacts,
  includesInboxes,
  listContacts,
  searchContacts,
  updateContact,
  viewOf,
  type ContactPage,
} from './service.js';

const tags = ['contacts'];
const security = [{ userToken: [] }];
const CurrentPage = Type.Union([Type.Integer(), Type.String()], { description: '1, or the page param as sent' });
const PageEnvelope = Type.Object({
  meta: Type.Object({ count: Type.Integer(), current_page: CurrentPage, has_more: Type.Optional(Type.Boolean()) }),
  payload: Type.Array(ContactSchema),
});
const Payload = Type.Object({ payload: ContactSchema });
const LabelList = Type.Object({ payload: Type.Array(Type.String()) });

/** Jbuilder echoes `params[:page]` as given: 1 when absent, else the raw string. */
const pageEnvelope = (page: ContactPage, rawPage: string | undefined) => ({
  meta: {
    count: page.count,
    current_page: rawPage ?? 1,
    ...(page.hasMore !== undefined && { has_more: page.hasMore }),
  },
  payload: page.views.map(contactJson),
});
const rawPageOf = (url: string) => new URL(url, 'http://x').searchParams.get('page') ?? undefined;
const renderNote = ({ note, author }: NoteView) => noteJson(note, author);

export async function contactRoutes(app: App, deps: AppDeps) {
  const attachContactAvatar = (file: AvatarFile, accountId: number, id: number) =>
    attachAvatar(deps.db, deps.storage, { owner: 'contacts', id, accountId }, file);
  app.get(
    '/contacts',
    {
      schema: {
        tags,
        security,
        summary: 'Contacts with an email, phone or identifier, 15 a page',
        querystring: ListQuery,
        response: { 200: PageEnvelope },
      },
    },
    async (request) =>
      pageEnvelope(await listContacts(accountCtx(request, deps), request.query), rawPageOf(request.url)),
  );

  app.get(
    '/contacts/active',
    {
      schema: {
        tags,
        security,
        summary: 'Contacts online now',
        querystring: ListQuery,
        response: { 200: PageEnvelope },
      },
    },
    async (request) =>
      pageEnvelope(await activeContacts(accountCtx(request, deps), request.query), rawPageOf(request.url)),
  );

  app.get(
    '/contacts/search',
    {
      schema: {
        tags,
        security,
        summary: 'Search name, email, phone and identifier (q)',
        querystring: ListQuery,
        response: { 200: PageEnvelope },
      },
    },
    async (request) =>
      pageEnvelope(await searchContacts(accountCtx(request, deps), request.query), rawPageOf(request.url)),
  );

  app.post(
    '/contacts/filter',
    {
      schema: {
        tags,
        security,
        summary: "Filter with Chatwoot's filter payload",
        querystring: ListQuery,
        body: FilterBody,
        response: { 200: PageEnvelope },
      },
    },
    async (request) => {
      const query = { ...request.query, page: request.query.page ?? request.body.page };
      const page = await filterContacts(
        accountCtx(request, deps),
        (request.body.payload ?? []) as FilterCondition[],
        query,
      );
      return pageEnvelope(
        page,
        rawPageOf(request.url) ?? (request.body.page === undefined ? undefined : String(request.body.page)),
      );
    },
  );

  app.post(
    '/contacts',
    {
      preValidation: readAvatarForm,
      schema: {
        tags,
        security,
        summary: 'Create a contact (and its contact inbox with inbox_id); multipart with avatar sets its avatar',
        consumes: ['application/json', 'multipart/form-data'],
        body: ContactBody,
        response: {
          200: Type.Object({
            payload: Type.Object({
              contact: ContactSchema,
              contact_inbox: Type.Object({
                inbox: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
                source_id: Type.Union([Type.String(), Type.Null()]),
              }),
            }),
          }),
        },
      },
    },
    async (request) => {
      const ctx = accountCtx(request, deps);
      const created = await createContact(ctx, request.body);
      const contact = request.avatarFile
        ? { ...created.contact, ...(await attachContactAvatar(request.avatarFile, ctx.account.id, created.contact.id)) }
        : created.contact;
      return {
        payload: {
          contact: contactJson(await viewOf(ctx, contact)),
          contact_inbox: {
            inbox: created.contactInbox ? rawInboxJson(created.contactInbox.inbox) : null,
            source_id: created.contactInbox?.contactInbox.source_id ?? null,
          },
        },
      };
    },
  );

  app.post(
    '/contacts/import',
    {
      schema: {
        tags,
        security,
        summary: 'Import a CSV (multipart import_file) in the background (administrators)',
        consumes: ['multipart/form-data'],
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      const ctx = accountCtx(request, deps);
      await queueContactImport(ctx, request.isMultipart() ? await request.file() : undefined);
      return reply.status(200).send('');
    },
  );

  app.post(
    '/contacts/export',
    {
      schema: {
        tags,
        security,
        summary: 'Contacts as CSV (column_names[], optional filter payload or label) (administrators)',
        body: ExportBody,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const csv = await contactExport(accountCtx(request, deps), request.body as ExportRequest);
      reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="contacts.csv"');
      return sendChunks(reply, csv, 'contacts export');
    },
  );

  app.get(
    '/contacts/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Show a contact',
        params: IdParams,
        querystring: ListQuery,
        response: { 200: Payload },
      },
    },
    async (request) => {
      const ctx = accountCtx(request, deps);
      return {
        payload: contactJson(
          await viewOf(
            ctx,
            await fetchContact(ctx, request.params.id),
            includesInboxes(request.query.include_contact_inboxes),
          ),
        ),
      };
    },
  );

  app.route({
    method: ['PATCH', 'PUT'],
    url: '/contacts/:id',
    schema: {
      tags,
      security,
      summary: 'Update a contact (custom and additional attributes merge); multipart with avatar sets its avatar',
      consumes: ['application/json', 'multipart/form-data'],
      params: IdParams,
      querystring: ListQuery,
      body: ContactBody,
      response: { 200: Payload },
    },
    preValidation: readAvatarForm,
    handler: async (request) => {
      const ctx = accountCtx(request, deps);
      const updated = await updateContact(ctx, request.params.id, request.body);
      const contact = request.avatarFile
        ? { ...updated, ...(await attachContactAvatar(request.avatarFile, ctx.account.id, updated.id)) }
        : updated;
      return {
        payload: contactJson(await viewOf(ctx, contact, includesInboxes(request.query.include_contact_inboxes))),
      };
    },
  });

  app.delete(
    '/contacts/:id/avatar',
    { schema: { tags, security, summary: "Remove a contact's avatar", params: IdParams, response: { 200: Payload } } },
    async (request) => {
      const ctx = accountCtx(request, deps);
      const contact = await fetchContact(ctx, request.params.id);
      await removeAvatar(deps.db, deps.storage, { owner: 'contacts', id: contact.id, accountId: ctx.account.id });
      return { payload: contactJson(await viewOf(ctx, { ...contact, avatar_url: null, avatar_blob_id: null })) };
    },
  );

  app.delete(
    '/contacts/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a contact (administrators)',
        params: IdParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await deleteContact(accountCtx(request, deps), request.params.id);
      return reply.status(200).send('');
    },
  );

  app.post(
    '/contacts/:id/destroy_custom_attributes',
    {
      schema: {
        tags,
        security,
        summary: 'Remove custom attributes by key',
        params: IdParams,
        body: CustomAttributeKeysBody,
        response: { 200: Payload },
      },
    },
    async (request) => {
      const ctx = accountCtx(request, deps);
      return {
        payload: contactJson(
          await viewOf(ctx, await dropCustomAttributes(ctx, request.params.id, request.body.custom_attributes ?? [])),
        ),
      };
    },
  );

  app.get(
    '/contacts/:id/contactable_inboxes',
    {
      schema: {
        tags,
        security,
        summary: 'Inboxes a conversation with this contact can start in',
        params: IdParams,
        response: {
          200: Type.Object({ payload: Type.Array(Type.Object({ inbox: InboxSchema, source_id: Type.String() })) }),
        },
      },
    },
    async (request) => {
      const ctx = accountCtx(request, deps);
      const administrator = isAdministrator(ctx);
      return {
        payload: (await contactableInboxes(ctx, request.params.id)).map(({ inbox, sourceId }) => ({
          inbox: inboxJson(inbox, { administrator }),
          source_id: sourceId,
        })),
      };
    },
  );

  app.post(
    '/contacts/:contact_id/contact_inboxes',
    {
      schema: {
        tags,
        security,
        summary: 'Add the contact to an inbox (source_id optional)',
        params: ContactIdParams,
        body: ContactInboxBody,
        response: { 200: ContactInboxSchema },
      },
    },
    async (request) => {
      const { contactInbox, inbox } = await addContactInbox(
        accountCtx(request, deps),
        request.params.contact_id,
        request.body.inbox_id,
        request.body.source_id,
      );
      return contactInboxJson(contactInbox, inbox);
    },
  );

  app.post(
    '/contact_inboxes/filter',
    {
      schema: {
        tags,
        security,
        summary: 'The contact reached through source_id in an inbox (404 with an empty body when none)',
        body: ContactInboxFilterBody,
        response: { 200: ContactSchema, 404: Type.Union([EmptyBody, Type.Object({ error: Type.String() })]) },
      },
    },
    async (request, reply) => {
      const found = await filterContactInbox(accountCtx(request, deps), request.body.inbox_id, request.body.source_id);
      // Chatwoot answers `head :not_found`: no body
      if (!found) return reply.status(404).send('');
      return contactJson(found);
    },
  );

  app.get(
    '/contacts/:contact_id/labels',
    {
      schema: {
        tags,
        security,
        summary: "The contact's labels",
        params: ContactIdParams,
        response: { 200: LabelList },
      },
    },
    async (request) => ({ payload: await contactLabels(accountCtx(request, deps), request.params.contact_id) }),
  );

  app.post(
    '/contacts/:contact_id/labels',
    {
      schema: {
        tags,
        security,
        summary: "Replace the contact's labels",
        params: ContactIdParams,
        body: LabelsBody,
        response: { 200: LabelList },
      },
    },
    async (request) => ({
      payload: await setContactLabels(accountCtx(request, deps), request.params.contact_id, request.body.labels ?? []),
    }),
  );

  app.get(
    '/contacts/:contact_id/notes',
    {
      schema: {
        tags: ['notes'],
        security,
        summary: 'Notes on a contact, newest first',
        params: ContactIdParams,
        response: { 200: Type.Array(NoteSchema) },
      },
    },
    async (request) => (await listNotes(accountCtx(request, deps), request.params.contact_id)).map(renderNote),
  );

  app.post(
    '/contacts/:contact_id/notes',
    {
      schema: {
        tags: ['notes'],
        security,
        summary: 'Add a note',
        params: ContactIdParams,
        body: NoteBody,
        response: { 200: NoteSchema },
      },
    },
    async (request) =>
      renderNote(
        await createNote(
          accountCtx(request, deps),
          request.params.contact_id,
          request.body.note?.content ?? request.body.content,
        ),
      ),
  );

  app.get(
    '/contacts/:contact_id/notes/:id',
    {
      schema: { tags: ['notes'], security, summary: 'Show a note', params: NoteParams, response: { 200: NoteSchema } },
    },
    async (request) =>
      renderNote(await getNote(accountCtx(request, deps), request.params.contact_id, request.params.id)),
  );

  app.route({
    method: ['PATCH', 'PUT'],
    url: '/contacts/:contact_id/notes/:id',
    schema: {
      tags: ['notes'],
      security,
      summary: 'Edit a note',
      params: NoteParams,
      body: NoteBody,
      response: { 200: NoteSchema },
    },
    handler: async (request) =>
      renderNote(
        await updateNote(
          accountCtx(request, deps),
          request.params.contact_id,
          request.params.id,
          request.body.note?.content ?? request.body.content,
        ),
      ),
  });

  app.delete(
    '/contacts/:contact_id/notes/:id',
    {
      schema: { tags: ['notes'], security, summary: 'Delete a note', params: NoteParams, response: { 200: EmptyBody } },
    },
    async (request, reply) => {
      await deleteNote(accountCtx(request, deps), request.params.contact_id, request.params.id);
      return reply.status(200).send('');
    },
  );

  app.post(
    '/actions/contact_merge',
    {
      schema: {
        tags,
        security,
        summary: 'Merge the mergee contact into the base contact',
        body: MergeBody,
        response: { 200: ContactSchema },
      },
    },
    async (request) => {
      const ctx = accountCtx(request, deps);
      return contactJson({
        contact: await mergeContacts(ctx, request.body.base_contact_id, request.body.mergee_contact_id),
        companies: companiesShown(ctx),
      });
    },
  );
}
