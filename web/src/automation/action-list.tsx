import { useState } from 'preact/hooks';
import type { LabelSummary } from '../api/account-data.js';
import type { Lookups } from '../conversations/lookups.js';
import { Choice, type ChoiceOption } from '../lib/choice.js';
import { ACTION_TYPES, PRIORITIES, STATUSES } from './catalog.js';
import { type ActionRow, newAction } from './model.js';

/** Options the params of actions pick from. */
export interface ActionChoices {
  lookups: Lookups;
  slaPolicies: Array<{ id: number; name: string }>;
  /** Stores a send_attachment file (POST /upload); answers the blob's id. */
  upload(file: File): Promise<number>;
}

/**
 * An ordered list of actions, each with the inputs its params need (Chatwoot's AutomationActions):
 * add, remove and move up/down. Shared by automation rules and macros.
 */
export function ActionList({
  rows,
  names,
  choices,
  onChange,
}: {
  rows: ActionRow[];
  names: readonly string[];
  choices: ActionChoices;
  onChange(rows: ActionRow[]): void;
}) {
  const set = (i: number, row: ActionRow) => onChange(rows.map((r, j) => (j === i ? row : r)));
  const move = (i: number, by: number) => {
    const next = [...rows];
    const [row] = next.splice(i, 1);
    next.splice(i + by, 0, row!);
    onChange(next);
  };
  return (
    <fieldset class="editor-list actions-list">
      <legend>Actions</legend>
      <ol>
        {rows.map((row, i) => (
          <li key={i} class="editor-row" data-action-row={i}>
            <select
              aria-label={`Action ${i + 1}`}
              name={`action-${i}`}
              value={row.name}
              onChange={(e) => set(i, newAction(e.currentTarget.value))}
            >
              {names.map((name) => (
                <option key={name} value={name}>
                  {ACTION_TYPES[name]?.label ?? name}
                </option>
              ))}
            </select>
            <ActionParams index={i} row={row} choices={choices} onChange={(r) => set(i, r)} />
            <span class="row-tools">
              <button
                type="button"
                aria-label={`Move action ${i + 1} up`}
                disabled={i === 0}
                onClick={() => move(i, -1)}
              >
                ↑
              </button>
              <button
                type="button"
                aria-label={`Move action ${i + 1} down`}
                disabled={i === rows.length - 1}
                onClick={() => move(i, 1)}
              >
                ↓
              </button>
              <button
                type="button"
                aria-label={`Remove action ${i + 1}`}
                disabled={rows.length === 1}
                onClick={() => onChange(rows.filter((_, j) => j !== i))}
              >
                ✕
              </button>
            </span>
          </li>
        ))}
      </ol>
      <button type="button" class="add-row" onClick={() => onChange([...rows, newAction(names[0]!)])}>
        Add action
      </button>
    </fieldset>
  );
}

function Checks({
  legend,
  name,
  options,
  chosen,
  onChange,
}: {
  legend: string;
  name: string;
  options: Array<[string, string]>;
  chosen: string[];
  onChange(list: string[]): void;
}) {
  return (
    <fieldset class="checks inline-checks">
      <legend>{legend}</legend>
      {options.length === 0 && <span class="muted">None in this account</span>}
      {options.map(([value, text]) => (
        <label key={value} class="check">
          <input
            type="checkbox"
            name={name}
            value={value}
            checked={chosen.includes(value)}
            onChange={(e) => onChange(e.currentTarget.checked ? [...chosen, value] : chosen.filter((c) => c !== value))}
          />
          {text}
        </label>
      ))}
    </fieldset>
  );
}

function ActionParams({
  index,
  row,
  choices,
  onChange,
}: {
  index: number;
  row: ActionRow;
  choices: ActionChoices;
  onChange(row: ActionRow): void;
}) {
  const input = ACTION_TYPES[row.name]?.input ?? 'none';
  const n = index + 1;
  const name = `action-${index}-value`;
  const setValue = (value: string) => onChange({ ...row, value });
  const select = (label: string, options: ChoiceOption[]) => (
    <Choice label={label} name={name} value={row.value} placeholder="Choose…" options={options} onChange={setValue} />
  );
  const message = (
    <textarea
      aria-label={`Message for action ${n}`}
      name={name}
      rows={2}
      value={row.value}
      onInput={(e) => setValue(e.currentTarget.value)}
    />
  );
  const { agents, teams, labels } = choices.lookups;
  const teamOptions = teams.map((t): [string, string] => [String(t.id), t.name]);
  switch (input) {
    case 'none':
      return null;
    case 'agent':
      return select(`Agent for action ${n}`, [
        ...agents.map((a): ChoiceOption => [a.id, a.available_name || a.name]),
        ['last_responding_agent', 'Last responding agent'],
      ]);
    case 'team':
      return select(`Team for action ${n}`, teamOptions);
    case 'sla':
      return select(
        `SLA policy for action ${n}`,
        choices.slaPolicies.map((p) => [p.id, p.name]),
      );
    case 'priority':
      return select(
        `Priority for action ${n}`,
        PRIORITIES.map((p) => [p, p]),
      );
    case 'status':
      return select(
        `Status for action ${n}`,
        STATUSES.map((s) => [s, s]),
      );
    case 'labels':
      return (
        <Checks
          legend={`Labels for action ${n}`}
          name={`action-${index}-labels`}
          options={labels.map((l: LabelSummary): [string, string] => [l.title, l.title])}
          chosen={row.list}
          onChange={(list) => onChange({ ...row, list })}
        />
      );
    case 'team_message':
      return (
        <div class="param-group">
          <Checks
            legend={`Teams for action ${n}`}
            name={`action-${index}-teams`}
            options={teamOptions}
            chosen={row.list}
            onChange={(list) => onChange({ ...row, list })}
          />
          {message}
        </div>
      );
    case 'message':
      return message;
    case 'attachment':
      return <AttachmentInput n={n} row={row} upload={choices.upload} onChange={onChange} />;
    default:
      return (
        <input
          aria-label={
            input === 'url' ? `Webhook URL for action ${n}` : `Email addresses for action ${n} (comma-separated)`
          }
          name={name}
          // URLs keep a text input: the server's check names the problem (a private address, say)
          value={row.value}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
      );
  }
}

/**
 * send_attachment's file (Chatwoot's AutomationFileInput): uploaded as soon as it is chosen, the
 * row then holding the blob's id; the file's name, or what went wrong, is said next to it.
 */
function AttachmentInput({
  n,
  row,
  upload,
  onChange,
}: {
  n: number;
  row: ActionRow;
  upload: ActionChoices['upload'];
  onChange(row: ActionRow): void;
}) {
  const [state, setState] = useState<'idle' | 'uploading' | 'failed'>('idle');
  const choose = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    setState('uploading');
    try {
      const id = await upload(file);
      onChange({ ...row, value: String(id), file: file.name });
      setState('idle');
    } catch {
      setState('failed');
    }
  };
  const status =
    state === 'uploading'
      ? 'Uploading…'
      : state === 'failed'
        ? 'Upload failed, choose the file again'
        : row.value
          ? `Attached: ${row.file ?? `file ${row.value}`}`
          : 'No file yet';
  return (
    <span class="param-group attachment-input">
      <input
        type="file"
        aria-label={`File for action ${n}`}
        disabled={state === 'uploading'}
        onChange={(e) => choose(e.currentTarget)}
      />
      <span role="status" class={state === 'failed' ? 'error' : 'muted'} data-attachment-state={state}>
        {status}
      </span>
    </span>
  );
}
