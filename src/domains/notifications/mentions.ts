/**
 * Messages::MentionService#mentioned_ids: the dashboard writes a mention as a markdown link
 * `[@Jane](mention://user/7/Jane)`, a team mention as `(mention://team/3/Sales)`. Ids in order of
 * first appearance, each once.
 */
const USER_MENTION = /\(mention:\/\/user\/(\d{1,15})\/(.+?)\)/g;
const TEAM_MENTION = /\(mention:\/\/team\/(\d{1,15})\/(.+?)\)/g;

function idsOf(content: string, pattern: RegExp): number[] {
  const ids = [...content.matchAll(pattern)].map((match) => Number(match[1])).filter((id) => id > 0);
  return [...new Set(ids)];
}

export function mentionedIds(content: string | null): { userIds: number[]; teamIds: number[] } {
  if (!content) return { userIds: [], teamIds: [] };
  return { userIds: idsOf(content, USER_MENTION), teamIds: idsOf(content, TEAM_MENTION) };
}
