/** Changed attributes as [previous, current] where the service that changed them knows both (webhooks' changed_attributes). */
export type AttributeChanges = Record<string, [unknown, unknown]>;

/**
 * Rails' previous_changes for one saved row: the columns whose value differs, as [previous,
 * current], with updated_at among them — or undefined when nothing but updated_at changed (Rails
 * announces no update then).
 */
export function rowChanges<Row extends { updated_at: unknown }>(before: Row, after: Row): AttributeChanges | undefined {
  const changes: AttributeChanges = {};
  for (const key of Object.keys(after) as (keyof Row & string)[]) {
    if (key === 'updated_at') continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = [before[key], after[key]];
  }
  if (Object.keys(changes).length === 0) return undefined;
  return { ...changes, updated_at: [before.updated_at, after.updated_at] };
}
