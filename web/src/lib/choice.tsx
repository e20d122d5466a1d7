/** One option of a Choice: its value and its text. */
export type ChoiceOption = [value: string | number, text: string];

/**
 * A labelled native select (keyboard and screen readers for free); `placeholder` is a first option
 * with the empty value, e.g. "All teams" for a filter or "Assign team…" for an action.
 */
export function Choice({
  label,
  name,
  value,
  placeholder,
  options,
  onChange,
}: {
  label: string;
  name?: string;
  value: string | number | undefined;
  placeholder?: string;
  options: ChoiceOption[];
  onChange(value: string): void;
}) {
  return (
    <select aria-label={label} name={name} value={value ?? ''} onChange={(e) => onChange(e.currentTarget.value)}>
      {placeholder !== undefined && <option value="">{placeholder}</option>}
      {options.map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
    </select>
  );
}
