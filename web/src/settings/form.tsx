import { useId, useState } from 'preact/hooks';

export type FieldValue = string | boolean | string[];
export type FormValues = Record<string, FieldValue>;

/** One control of a settings form. */
export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'number' | 'email' | 'url' | 'password' | 'textarea' | 'select' | 'checkbox' | 'color' | 'checkboxes';
  options?: ReadonlyArray<string | { value: string; label: string }>;
  required?: boolean;
  initial?: FieldValue;
  hint?: string;
  autocomplete?: string;
}

const optionOf = (option: string | { value: string; label: string }) =>
  typeof option === 'string' ? { value: option, label: option } : option;

const initialValues = (fields: FieldSpec[]): FormValues =>
  Object.fromEntries(
    fields.map((f) => [
      f.name,
      f.initial ??
        (f.type === 'checkbox'
          ? false
          : f.type === 'checkboxes'
            ? []
            : f.type === 'select'
              ? optionOf(f.options?.[0] ?? '').value
              : ''),
    ]),
  );

/**
 * A labelled form: every control has its label, errors are announced, and a successful submit
 * clears it (unless `keep`). Chatwoot's error bodies come back as the thrown message.
 */
export function SimpleForm({
  fields,
  submitLabel,
  onSubmit,
  keep = false,
  name,
  done,
  class: className = '',
}: {
  fields: FieldSpec[];
  submitLabel: string;
  onSubmit(values: FormValues): Promise<unknown>;
  keep?: boolean;
  name: string;
  /** Announced after a successful submit. */
  done?: string;
  class?: string;
}) {
  const [values, setValues] = useState<FormValues>(() => initialValues(fields));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const set = (field: string, value: FieldValue) => setValues((v) => ({ ...v, [field]: value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    setStatus('');
    try {
      await onSubmit(values);
      setStatus(done ?? '');
      if (!keep) setValues(initialValues(fields));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class={`settings-form ${className}`} aria-label={name} onSubmit={submit}>
      {fields.map((field) => (
        <Field key={field.name} field={field} value={values[field.name]!} onChange={(v) => set(field.name, v)} />
      ))}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {submitLabel}
      </button>
      <p role="status" class="muted">
        {status}
      </p>
    </form>
  );
}

function Field({ field, value, onChange }: { field: FieldSpec; value: FieldValue; onChange(v: FieldValue): void }) {
  const id = `${useId()}-${field.name}`;
  const common = {
    id,
    name: field.name,
    required: field.required,
    'aria-describedby': field.hint ? `${id}-hint` : undefined,
  };
  const text = typeof value === 'string' ? value : '';
  if (field.type === 'checkbox') {
    return (
      <label class="check">
        <input
          type="checkbox"
          {...common}
          checked={value === true}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
        {field.label}
      </label>
    );
  }
  if (field.type === 'checkboxes') {
    const chosen = Array.isArray(value) ? value : [];
    return (
      <fieldset class="checks">
        <legend>{field.label}</legend>
        {(field.options ?? []).map(optionOf).map((option) => (
          <label key={option.value} class="check">
            <input
              type="checkbox"
              name={field.name}
              value={option.value}
              checked={chosen.includes(option.value)}
              onChange={(e) =>
                onChange(e.currentTarget.checked ? [...chosen, option.value] : chosen.filter((c) => c !== option.value))
              }
            />
            {option.label}
          </label>
        ))}
      </fieldset>
    );
  }
  const control =
    field.type === 'textarea' ? (
      <textarea {...common} rows={3} value={text} onInput={(e) => onChange(e.currentTarget.value)} />
    ) : field.type === 'select' ? (
      <select {...common} value={text} onChange={(e) => onChange(e.currentTarget.value)}>
        {(field.options ?? []).map(optionOf).map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    ) : (
      <input
        // one control for several text-like types; Preact's types narrow per literal type
        {...({ type: field.type ?? 'text' } as { type: 'text' })}
        {...common}
        autocomplete={field.autocomplete}
        value={text}
        onInput={(e) => onChange(e.currentTarget.value)}
      />
    );
  return (
    <div class="field">
      <label for={id}>{field.label}</label>
      {control}
      {field.hint && (
        <small class="hint" id={`${id}-hint`}>
          {field.hint}
        </small>
      )}
    </div>
  );
}

/** A trimmed text value, or null when empty (Chatwoot's optional fields). */
export const textOrNull = (value: FieldValue | undefined) =>
  typeof value === 'string' && value.trim() ? value.trim() : null;
export const text = (value: FieldValue | undefined) => (typeof value === 'string' ? value.trim() : '');
