import { createAgentBot, deleteAgentBot, listAgentBots, updateAgentBot } from '../api/admin/agent-bots.js';
import {
  createCannedResponse,
  deleteCannedResponse,
  listAllCannedResponses,
  updateCannedResponse,
} from '../api/admin/canned-responses.js';
import {
  ATTRIBUTE_MODELS,
  createCustomAttribute,
  DISPLAY_TYPES,
  deleteCustomAttribute,
  listCustomAttributes,
  updateCustomAttribute,
} from '../api/admin/custom-attributes.js';
import { createLabel, deleteLabel, listAllLabels, updateLabel } from '../api/admin/labels.js';
import { CrudSection } from './crud-section.js';
import { type FieldValue, type FormValues, text, textOrNull } from './form.js';
import { Secret } from './secret.js';

// The settings screens that are one list and one create form each.

const labelInput = (v: FormValues) => ({
  title: text(v.title),
  description: textOrNull(v.description),
  color: text(v.color),
  show_on_sidebar: v.show_on_sidebar === true,
});

export function LabelsScreen({ accountId }: { accountId: number }) {
  return (
    <CrudSection
      title="Labels"
      description="Labels group conversations and contacts."
      load={() => listAllLabels(accountId)}
      deps={[accountId]}
      nameOf={(l) => l.title}
      columns={[
        {
          label: 'Title',
          render: (l) => (
            <span class="label-title">
              <span class="swatch" style={{ background: l.color }} />
              {l.title}
            </span>
          ),
        },
        { label: 'Description', render: (l) => l.description },
        { label: 'In sidebar', render: (l) => (l.show_on_sidebar ? 'Yes' : 'No') },
      ]}
      createLabel="Add label"
      fields={[
        { name: 'title', label: 'Title', required: true, hint: 'Letters, digits, - and _' },
        { name: 'description', label: 'Description', type: 'textarea' },
        { name: 'color', label: 'Colour', type: 'color', initial: '#1f93ff' },
        { name: 'show_on_sidebar', label: 'Show in the sidebar', type: 'checkbox', initial: true },
      ]}
      create={(v) => createLabel(accountId, labelInput(v))}
      edit={{
        values: (l) => ({
          title: l.title,
          description: l.description ?? '',
          color: l.color,
          show_on_sidebar: l.show_on_sidebar,
        }),
        save: (l, v) => updateLabel(accountId, l.id, labelInput(v)),
      }}
      remove={(l) => deleteLabel(accountId, l.id)}
    />
  );
}

const cannedInput = (v: FormValues) => ({ short_code: text(v.short_code), content: text(v.content) });

export function CannedResponsesScreen({ accountId }: { accountId: number }) {
  return (
    <CrudSection
      title="Canned responses"
      description="Type / and the short code in the reply box to insert one."
      load={() => listAllCannedResponses(accountId)}
      deps={[accountId]}
      nameOf={(c) => c.short_code}
      columns={[
        { label: 'Short code', render: (c) => <code>{c.short_code}</code> },
        { label: 'Content', render: (c) => c.content },
      ]}
      createLabel="Add canned response"
      fields={[
        { name: 'short_code', label: 'Short code', required: true },
        { name: 'content', label: 'Content', type: 'textarea', required: true },
      ]}
      create={(v) => createCannedResponse(accountId, cannedInput(v))}
      edit={{
        values: (c) => ({ short_code: c.short_code, content: c.content }),
        save: (c, v) => updateCannedResponse(accountId, c.id, cannedInput(v)),
      }}
      remove={(c) => deleteCannedResponse(accountId, c.id)}
    />
  );
}

const listOf = (value: FieldValue | undefined) =>
  text(value)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const MODEL_LABELS = { conversation_attribute: 'Conversation', contact_attribute: 'Contact' } as const;

export function CustomAttributesScreen({ accountId }: { accountId: number }) {
  return (
    <CrudSection
      title="Custom attributes"
      description="Extra fields on conversations and contacts."
      load={() => listCustomAttributes(accountId)}
      deps={[accountId]}
      nameOf={(a) => a.attribute_display_name}
      columns={[
        { label: 'Name', render: (a) => a.attribute_display_name },
        { label: 'Key', render: (a) => <code>{a.attribute_key}</code> },
        { label: 'Applies to', render: (a) => MODEL_LABELS[a.attribute_model] },
        { label: 'Type', render: (a) => a.attribute_display_type },
      ]}
      createLabel="Add custom attribute"
      fields={[
        {
          name: 'attribute_model',
          label: 'Applies to',
          type: 'select',
          options: ATTRIBUTE_MODELS.map((m) => ({ value: m, label: MODEL_LABELS[m] })),
        },
        { name: 'attribute_display_name', label: 'Display name', required: true },
        { name: 'attribute_key', label: 'Key', required: true },
        { name: 'attribute_display_type', label: 'Type', type: 'select', options: DISPLAY_TYPES },
        { name: 'attribute_description', label: 'Description', type: 'textarea' },
        { name: 'attribute_values', label: 'List values (comma separated, for the list type)' },
      ]}
      create={(v) =>
        createCustomAttribute(accountId, {
          attribute_model: text(v.attribute_model) as (typeof ATTRIBUTE_MODELS)[number],
          attribute_display_name: text(v.attribute_display_name),
          attribute_key: text(v.attribute_key),
          attribute_display_type: text(v.attribute_display_type) as (typeof DISPLAY_TYPES)[number],
          attribute_description: textOrNull(v.attribute_description),
          attribute_values: listOf(v.attribute_values),
        })
      }
      edit={{
        fields: [
          { name: 'attribute_display_name', label: 'Display name', required: true },
          { name: 'attribute_description', label: 'Description', type: 'textarea' },
          { name: 'attribute_values', label: 'List values (comma separated, for the list type)' },
        ],
        values: (a) => ({
          attribute_display_name: a.attribute_display_name,
          attribute_description: a.attribute_description ?? '',
          attribute_values: a.attribute_values.join(', '),
        }),
        save: (a, v) =>
          updateCustomAttribute(accountId, a.id, {
            attribute_display_name: text(v.attribute_display_name),
            attribute_description: textOrNull(v.attribute_description),
            attribute_values: listOf(v.attribute_values),
          }),
      }}
      remove={(a) => deleteCustomAttribute(accountId, a.id)}
    />
  );
}

const botInput = (v: FormValues) => ({
  name: text(v.name),
  description: textOrNull(v.description),
  outgoing_url: textOrNull(v.outgoing_url),
});

export function AgentBotsScreen({ accountId }: { accountId: number }) {
  return (
    <CrudSection
      title="Agent bots"
      description="Bots answer conversations through their webhook URL and act with their access token."
      load={() => listAgentBots(accountId)}
      deps={[accountId]}
      nameOf={(b) => b.name ?? `bot ${b.id}`}
      columns={[
        { label: 'Name', render: (b) => b.name },
        { label: 'Webhook URL', render: (b) => b.outgoing_url },
        {
          label: 'Access token',
          render: (b) => b.access_token && <Secret label="Access token" value={b.access_token} />,
        },
      ]}
      createLabel="Add agent bot"
      fields={[
        { name: 'name', label: 'Name', required: true },
        { name: 'description', label: 'Description', type: 'textarea' },
        { name: 'outgoing_url', label: 'Webhook URL', type: 'url' },
      ]}
      create={(v) => createAgentBot(accountId, botInput(v))}
      edit={{
        values: (b) => ({ name: b.name ?? '', description: b.description ?? '', outgoing_url: b.outgoing_url ?? '' }),
        save: (b, v) => updateAgentBot(accountId, b.id, botInput(v)),
      }}
      remove={(b) => deleteAgentBot(accountId, b.id)}
    />
  );
}
