import { useEffect, useRef, useState } from 'preact/hooks';
import { runShortcut, SHORTCUTS, shortcutFor } from './registry.js';
import './shortcuts.css';

/** Listens for the keyboard shortcuts everywhere in the app, and shows the help overlay on `?`. */
export function Shortcuts() {
  const [help, setHelp] = useState(false);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const shortcut = shortcutFor(event);
      if (!shortcut) return;
      if (shortcut.action === 'help') setHelp(true);
      else if (!runShortcut(shortcut.action)) return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return help ? <HelpOverlay onClose={() => setHelp(false)} /> : null;
}

function HelpOverlay({ onClose }: { onClose(): void }) {
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    closeButton.current?.focus();
    return () => before?.focus?.();
  }, []);
  return (
    <div class="overlay-backdrop">
      <div
        class="shortcut-help"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcut-help-title"
        onKeyDown={(e) => {
          // the one control keeps the focus inside the dialog
          if (e.key === 'Escape' || e.key === 'Tab') {
            e.preventDefault();
            e.stopPropagation();
            if (e.key === 'Escape') onClose();
          }
        }}
      >
        <h2 id="shortcut-help-title">Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.action} data-shortcut={shortcut.action}>
                <td>
                  {shortcut.keys.map((key, index) =>
                    key === 'or' ? <span key={index}> or </span> : <kbd key={index}>{key}</kbd>,
                  )}
                </td>
                <td>{shortcut.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" ref={closeButton} onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
