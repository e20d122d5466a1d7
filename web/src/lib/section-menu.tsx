/** One entry of a page's side menu: its path under the page and its text. */
export interface MenuSection {
  path: string;
  label: string;
}

/**
 * The side menu of a page made of sections (settings, reports): a labelled nav of links under
 * `base`, the current one marked for screen readers and styles.
 */
export function SectionMenu({
  label,
  base,
  sections,
  current,
  className,
}: {
  label: string;
  base: string;
  sections: readonly MenuSection[];
  current: string;
  className?: string;
}) {
  return (
    <nav aria-label={label} class={className ? `settings-nav ${className}` : 'settings-nav'}>
      <ul>
        {sections.map((s) => (
          <li key={s.path}>
            <a href={`${base}/${s.path}`} aria-current={s.path === current ? 'page' : undefined}>
              {s.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
