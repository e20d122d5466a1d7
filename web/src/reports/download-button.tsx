import { useState } from 'preact/hooks';
import { saveFile } from './range.js';

/** A button that reads a CSV from the API (with the session) and saves it as `file`. */
export function DownloadButton({ label, file, read }: { label: string; file: string; read(): Promise<string> }) {
  const [state, setState] = useState<'idle' | 'busy' | string>('idle');
  const download = async () => {
    setState('busy');
    try {
      saveFile(file, await read());
      setState('idle');
    } catch (e) {
      setState((e as Error).message);
    }
  };
  return (
    <span class="report-download">
      <button type="button" onClick={() => void download()} disabled={state === 'busy'}>
        {label}
      </button>
      {state !== 'idle' && state !== 'busy' && <span role="alert">{state}</span>}
    </span>
  );
}

/** A report's heading (the section's label), with its CSV download when it has one. */
export function ReportHeader({
  title,
  download,
}: {
  title: string;
  download?: { label: string; file: string; read(): Promise<string> };
}) {
  return (
    <header class="report-header">
      <h2 id="report-title">{title}</h2>
      {download && <DownloadButton {...download} />}
    </header>
  );
}
