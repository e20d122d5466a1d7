// Mirrors app/views/api/v1/accounts/categories/_category.json.jbuilder and
// _associated_category.json.jbuilder: a category with its related, parent and root categories.
import { Type, type Static } from 'typebox';
import type { Category } from '../core/db/schema.js';
import { NullableInteger, NullableString } from '../core/http/schemas.js';

const associatedFields = {
  id: Type.Integer(),
  name: Type.String(),
  slug: Type.String(),
  locale: Type.String(),
  description: NullableString(),
  position: NullableInteger(),
  account_id: Type.Integer(),
};
export const AssociatedCategorySchema = Type.Object(associatedFields, { title: 'AssociatedCategory' });

export const CategorySchema = Type.Object(
  {
    ...associatedFields,
    icon: NullableString(),
    related_categories: Type.Array(AssociatedCategorySchema),
    parent_category: Type.Optional(AssociatedCategorySchema),
    root_category: Type.Optional(AssociatedCategorySchema),
    meta: Type.Object({ articles_count: Type.Integer() }),
  },
  { title: 'Category' },
);
export type CategoryJson = Static<typeof CategorySchema>;

export interface CategoryView {
  category: Category;
  related: Category[];
  parent: Category | null;
  root: Category | null;
  articlesCount: number;
}

export function associatedCategoryJson(category: Category): Static<typeof AssociatedCategorySchema> {
  return {
    id: category.id,
    name: category.name,
    slug: category.slug,
    locale: category.locale,
    description: category.description,
    position: category.position,
    account_id: category.account_id,
  };
}

export function categoryJson({ category, related, parent, root, articlesCount }: CategoryView): CategoryJson {
  return {
    ...associatedCategoryJson(category),
    icon: category.icon,
    related_categories: related.map(associatedCategoryJson),
    ...(parent && { parent_category: associatedCategoryJson(parent) }),
    ...(root && { root_category: associatedCategoryJson(root) }),
    meta: { articles_count: articlesCount },
  };
}
