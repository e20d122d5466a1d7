import { useMemo, useRef, useState } from 'preact/hooks';
import type { GroupBy } from '../api/reports.js';
import { Choice } from '../lib/choice.js';
import { groupings, isoDay, PRESETS, type Preset, presetRange } from './range.js';

/** The report's period as chosen: a preset or custom days, the grouping, business hours. */
export function useRangeChoice(initial: Preset = '7d') {
  const [preset, setPreset] = useState<Preset>(initial);
  const today = isoDay(new Date());
  const [custom, setCustom] = useState({ from: today, to: today });
  const [groupBy, setGroupBy] = useState<GroupBy>('day');
  const [business, setBusiness] = useState(false);
  const chosen = useMemo(() => presetRange(preset, custom), [preset, custom.from, custom.to]);
  // a custom range whose first day comes after its last is not asked for: the last good one stays
  const lastGood = useRef(chosen);
  if (chosen.since < chosen.until) lastGood.current = chosen;
  const range = lastGood.current;
  const offered = groupings(range);
  // a grouping the new range does not offer falls back to days
  const group = offered.includes(groupBy) ? groupBy : 'day';
  return { preset, setPreset, custom, setCustom, groupBy: group, setGroupBy, offered, business, setBusiness, range };
}

export type RangeChoice = ReturnType<typeof useRangeChoice>;

/** The period's controls: range preset, custom days, and (when asked) grouping and business hours. */
export function RangeControls({
  choice,
  grouping = false,
  businessHours = false,
}: {
  choice: RangeChoice;
  grouping?: boolean;
  businessHours?: boolean;
}) {
  const valid = choice.preset !== 'custom' || choice.custom.from <= choice.custom.to;
  return (
    <div class="report-controls">
      <Choice
        label="Date range"
        name="range"
        value={choice.preset}
        options={PRESETS.map(([value, text]) => [value, text])}
        onChange={(v) => choice.setPreset(v as Preset)}
      />
      {choice.preset === 'custom' && (
        <>
          <DayInput
            label="From"
            name="from"
            value={choice.custom.from}
            onChange={(from) => choice.setCustom({ ...choice.custom, from })}
          />
          <DayInput
            label="To"
            name="to"
            value={choice.custom.to}
            onChange={(to) => choice.setCustom({ ...choice.custom, to })}
          />
          {!valid && <span role="alert">The first day comes after the last.</span>}
        </>
      )}
      {grouping && (
        <Choice
          label="Group by"
          name="group_by"
          value={choice.groupBy}
          options={choice.offered.map((g) => [g, `By ${g}`])}
          onChange={(v) => choice.setGroupBy(v as GroupBy)}
        />
      )}
      {businessHours && (
        <label class="report-check">
          <input
            type="checkbox"
            name="business_hours"
            checked={choice.business}
            onChange={(e) => choice.setBusiness(e.currentTarget.checked)}
          />
          Business hours
        </label>
      )}
    </div>
  );
}

/** A labelled date input that reports only complete days. */
function DayInput({
  label,
  name,
  value,
  onChange,
}: {
  label: string;
  name: string;
  value: string;
  onChange(day: string): void;
}) {
  return (
    <label>
      {label}
      <input
        type="date"
        name={name}
        value={value}
        onChange={(e) => e.currentTarget.value && onChange(e.currentTarget.value)}
      />
    </label>
  );
}
