/** Chatwoot's filter operators in words, for the contacts filter and the automation conditions. */
export const OPERATOR_LABELS: Readonly<Record<string, string>> = {
  equal_to: 'is',
  not_equal_to: 'is not',
  contains: 'contains',
  does_not_contain: 'does not contain',
  is_present: 'is present',
  is_not_present: 'is not present',
  starts_with: 'starts with',
  is_greater_than: 'is greater than',
  is_less_than: 'is less than',
  days_before: 'is more days before today than',
};

/** How one condition joins the next (Chatwoot's query_operator), on a line of its own. */
export function JoinSelect({
  label,
  name,
  value,
  onChange,
}: {
  label: string;
  name?: string;
  value: 'and' | 'or';
  onChange(value: 'and' | 'or'): void;
}) {
  return (
    <div class="join-line">
      <select
        class="join"
        aria-label={label}
        name={name}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value === 'or' ? 'or' : 'and')}
      >
        <option value="and">AND</option>
        <option value="or">OR</option>
      </select>
    </div>
  );
}
