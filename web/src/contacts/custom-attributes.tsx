import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { Contact } from '../api/contacts.js';
import { type AttributeDefinition, listAttributeDefinitions } from '../api/custom-attributes.js';
import { useAccountList } from '../lib/account-list.js';
import { useFocusFirst } from './focus.js';
import { saveContact } from './store.js';

/** The account's contact attribute definitions. */
export const useContactAttributeDefinitions = (accountId: number) =>
  useAccountList('contact-attributes', accountId, (id) => listAttributeDefinitions(id, 'contact_attribute'));

const shown = (value: unknown) =>
  value === undefined || value === null || value === ''
    ? '—'
    : typeof value === 'boolean'
      ? value
        ? 'Yes'
        : 'No'
      : String(value);

/** What the input holds, as the definition's type stores it. */
function parse(definition: AttributeDefinition, raw: string | boolean): unknown {
  if (typeof raw === 'boolean') return raw;
  if (raw === '') return null;
  if (['number', 'currency', 'percent'].includes(definition.attribute_display_type)) {
    const number = Number(raw);
    return Number.isFinite(number) ? number : raw;
  }
  return raw;
}

/** The contact's custom attributes by the account's definitions, each edited in place. */
export function CustomAttributes({ accountId, contact }: { accountId: number; contact: Contact }) {
  const definitions = useContactAttributeDefinitions(accountId);
  const [editing, setEditing] = useState<string>();
  const [error, setError] = useState('');
  if (definitions.length === 0) return null;

  const save = async (definition: AttributeDefinition, raw: string | boolean) => {
    setError('');
    try {
      await saveContact(accountId, contact.id, {
        custom_attributes: { ...contact.custom_attributes, [definition.attribute_key]: parse(definition, raw) },
      });
      setEditing(undefined);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section class="custom-attributes" aria-label="Custom attributes">
      <h3>Attributes</h3>
      <dl>
        {definitions.map((definition) => {
          const key = definition.attribute_key;
          const value = contact.custom_attributes?.[key];
          return (
            <div key={key} data-attribute={key}>
              <dt>{definition.attribute_display_name}</dt>
              {editing === key ? (
                <dd>
                  <AttributeInput
                    definition={definition}
                    value={value}
                    onSave={(raw) => void save(definition, raw)}
                    onCancel={() => setEditing(undefined)}
                  />
                </dd>
              ) : (
                <dd>
                  <span class="attribute-value">{shown(value)}</span>{' '}
                  <button
                    type="button"
                    class="link"
                    aria-label={`Edit ${definition.attribute_display_name}`}
                    onClick={() => setEditing(key)}
                  >
                    Edit
                  </button>
                </dd>
              )}
            </div>
          );
        })}
      </dl>
      {error && <p role="alert">{error}</p>}
    </section>
  );
}

function AttributeInput({
  definition,
  value,
  onSave,
  onCancel,
}: {
  definition: AttributeDefinition;
  value: unknown;
  onSave(raw: string | boolean): void;
  onCancel(): void;
}) {
  const label = definition.attribute_display_name;
  const form = useRef<HTMLFormElement>(null);
  useFocusFirst(form);
  const type = definition.attribute_display_type;
  const submit = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const input = form.elements.namedItem('value') as HTMLInputElement | HTMLSelectElement;
    onSave(input instanceof HTMLInputElement && input.type === 'checkbox' ? input.checked : input.value.trim());
  };
  const current = value === undefined || value === null ? '' : String(value);
  let field: ComponentChildren;
  if (type === 'list') {
    field = (
      <select name="value" aria-label={label} defaultValue={current}>
        <option value="">—</option>
        {definition.attribute_values.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  } else if (type === 'checkbox') {
    field = <input name="value" type="checkbox" aria-label={label} defaultChecked={value === true} />;
  } else {
    const inputType =
      type === 'number' || type === 'currency' || type === 'percent'
        ? 'number'
        : type === 'date'
          ? 'date'
          : type === 'link'
            ? 'url'
            : 'text';
    field = (
      <input
        name="value"
        type={inputType as 'text'}
        step={inputType === 'number' ? 'any' : undefined}
        aria-label={label}
        defaultValue={type === 'date' ? current.slice(0, 10) : current}
      />
    );
  }
  return (
    <form class="attribute-form" ref={form} onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      {field}
      <button type="submit">Save</button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
