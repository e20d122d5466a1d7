import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

// The preview's renderer (markdown-it and DOMPurify, most of the help center's weight) is loaded
// the first time someone asks for a preview, not with the article screens.

type Preview = ComponentType<{ content: string }>;
let loading: Promise<Preview> | undefined;

export function LazyPreview({ content }: { content: string }) {
  const [Preview, setPreview] = useState<Preview | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    loading ??= import('./preview.js').then((m) => m.ArticlePreview);
    loading.then(
      (component) => setPreview(() => component),
      (e: Error) => {
        loading = undefined;
        setError(e.message);
      },
    );
  }, []);
  if (!Preview) return <p role={error ? 'alert' : 'status'}>{error || 'Loading the preview…'}</p>;
  return <Preview content={content} />;
}
