import { useMemo, useState } from 'preact/hooks';
import type { GroupBy, Range } from '../api/reports.js';
import { Choice } from '../lib/choice.js';
import { groupings, isoDay, PRESETS, type Preset, presetRange } from './range.js';

/** The report's period as chosen: a preset or custom days, the grouping, business hours. */
export function useRangeChoice(initial: Preset = '7d') {
  const [preset, setPreset] = useState<Preset>(initial);
  const today = isoDay(new Date());
  const [custom, setCustom] = useState({ from: today, to: today });
  const [groupBy, setGroupBy] = useState<GroupBy>('day');
  const [business, setBusiness] = useState(false);
  const range = useMemo(() => presetRange(preset, custom), [preset, custom.from, custom.to]);
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
          <label>
            From
            <input
              type="date"
              name="from"
              value={choice.custom.from}
              max={choice.custom.to}
              onChange={(e) =>
                e.currentTarget.value && choice.setCustom({ ...choice.custom, from: e.currentTarget.value })
              }
            />
          </label>
          <label>
            To
            <input
              type="date"
              name="to"
              value={choice.custom.to}
              min={choice.custom.from}
              onChange={(e) =>
                e.currentTarget.value && choice.setCustom({ ...choice.custom, to: e.currentTarget.value })
              }
            />
          </label>
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

/** Whether a chosen range can be asked for (a custom range whose first day is after its last cannot). */
export const rangeIsValid = (range: Range) => range.since < range.until;
