import { useState } from 'preact/hooks';
import {
  type Category,
  createCategory,
  deleteCategory,
  listCategories,
  type Portal,
  reorderCategories,
  updateCategory,
} from '../api/help-center.js';
import { ConfirmButton } from '../settings/confirm-button.js';
import { SimpleForm, text, textOrNull, type FormValues } from '../settings/form.js';
import { useLoad } from '../settings/use-load.js';
import { failReadably } from './errors.js';
import { MoveButtons, moveItem } from './reorder.js';
import { helpCenterPath } from './route.js';

const categoryInput = (values: FormValues, locale: string) => ({
  name: text(values.name),
  slug: text(values.slug),
  description: textOrNull(values.description),
  locale,
});

/** A portal's categories in one locale (ListAllCategories): create, edit, delete, reorder. */
export function CategoriesScreen({
  accountId,
  administrator,
  portal,
  locale,
}: {
  accountId: number;
  administrator: boolean;
  portal: Portal;
  locale: string;
}) {
  const categories = useLoad(() => listCategories(accountId, portal.slug, locale), [accountId, portal.slug, locale]);
  const [editing, setEditing] = useState<number | undefined>(undefined);
  const [error, setError] = useState('');
  const list = categories.data ?? [];

  const move = (index: number, step: -1 | 1) =>
    moveItem(list, index, step, {
      show: categories.setData,
      send: (ids) => reorderCategories(accountId, portal.slug, ids),
      reload: categories.reload,
      fail: setError,
    });

  return (
    <section class="settings-section hc-section" aria-labelledby="hc-title">
      <h2 id="hc-title">
        Categories <span class="muted">({locale})</span>
      </h2>
      {categories.error && <p role="alert">{categories.error}</p>}
      {error && <p role="alert">{error}</p>}
      {!categories.data ? (
        <p role="status">Loading…</p>
      ) : list.length === 0 ? (
        <p>No category in this locale yet.</p>
      ) : (
        <table class="settings-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Slug</th>
              <th scope="col">Articles</th>
              {administrator && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {list.map((category, index) =>
              editing === category.id ? (
                <tr key={category.id} data-category={category.slug}>
                  <td colSpan={administrator ? 4 : 3}>
                    <EditCategory
                      category={category}
                      onSave={async (values) => {
                        await updateCategory(accountId, portal.slug, category.id, categoryInput(values, locale)).catch(
                          failReadably,
                        );
                        setEditing(undefined);
                        categories.reload();
                      }}
                    />
                    <button type="button" onClick={() => setEditing(undefined)}>
                      Cancel
                    </button>
                  </td>
                </tr>
              ) : (
                <tr key={category.id} data-category={category.slug}>
                  <td>
                    <a
                      href={`/app${helpCenterPath.articles(accountId, portal.slug, locale)}?category=${encodeURIComponent(category.slug)}`}
                    >
                      {category.name}
                    </a>
                    {category.description && <div class="muted">{category.description}</div>}
                  </td>
                  <td>{category.slug}</td>
                  <td>{category.meta.articles_count}</td>
                  {administrator && (
                    <td class="hc-actions">
                      <MoveButtons
                        name={category.name}
                        index={index}
                        count={list.length}
                        onMove={(step) => move(index, step)}
                      />
                      <button
                        type="button"
                        aria-label={`Edit ${category.name}`}
                        onClick={() => setEditing(category.id)}
                      >
                        Edit
                      </button>
                      <ConfirmButton
                        label="Delete"
                        confirmLabel="Confirm delete"
                        subject={category.name}
                        onConfirm={() => deleteCategory(accountId, portal.slug, category.id).then(categories.reload)}
                      />
                    </td>
                  )}
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
      {administrator && (
        <>
          <h3>New category</h3>
          <SimpleForm
            name="Create category"
            submitLabel="Create category"
            fields={[
              { name: 'name', label: 'Name', required: true },
              { name: 'slug', label: 'Slug', required: true },
              { name: 'description', label: 'Description', type: 'textarea' },
            ]}
            onSubmit={async (values) => {
              await createCategory(accountId, portal.slug, categoryInput(values, locale)).catch(failReadably);
              categories.reload();
            }}
          />
        </>
      )}
    </section>
  );
}

function EditCategory({ category, onSave }: { category: Category; onSave(values: FormValues): Promise<void> }) {
  return (
    <SimpleForm
      name={`Edit category ${category.name}`}
      submitLabel="Save category"
      keep
      fields={[
        { name: 'name', label: 'Name', required: true, initial: category.name },
        { name: 'slug', label: 'Slug', required: true, initial: category.slug },
        { name: 'description', label: 'Description', type: 'textarea', initial: category.description ?? '' },
      ]}
      onSubmit={onSave}
    />
  );
}
