import { describe, expect, it } from 'vitest';
import { mentionedIds } from './mentions.js';
import {
  pushMessageBody,
  pushMessageTitle,
  transformMentions,
  truncateWords,
} from '../../serializers/notification-text.js';

describe('notification text', () => {
  it('truncates to ten words as ActiveSupport does, keeping the spacing', () => {
    expect(truncateWords('one two', 10)).toBe('one two');
    expect(truncateWords('1 2 3 4 5 6 7 8 9 10', 10)).toBe('1 2 3 4 5 6 7 8 9 10');
    expect(truncateWords('1 2 3 4 5 6 7 8 9 10 11', 10)).toBe('1 2 3 4 5 6 7 8 9 10...');
    expect(truncateWords('1  2\n3 4 5 6 7 8 9 10 ', 10)).toBe('1  2\n3 4 5 6 7 8 9 10...');
  });

  it('shows mentions as @names', () => {
    expect(transformMentions('Hi [@Jane Doe](mention://user/7/Jane%20Doe) and [@Sales](mention://team/2/Sales)!')).toBe(
      'Hi @Jane Doe and @Sales!',
    );
    expect(transformMentions('no markup (mention://user/7/x)')).toBe('no markup (mention://user/7/x)');
  });

  it('writes the body from the quoted message, or says there is none', () => {
    expect(
      pushMessageBody({ senderName: 'Jane', content: 'Hello [@Bo](mention://user/1/Bo)', hasAttachments: false }),
    ).toBe('Jane: Hello @Bo');
    expect(pushMessageBody({ senderName: 'Jane', content: '  ', hasAttachments: true })).toBe('Jane: Attachment');
    expect(pushMessageBody(undefined)).toBe(': No content');
    expect(pushMessageTitle('participating_conversation_new_message', 4, 'Web')).toBe(
      'A new message is created in conversation (#4)',
    );
    expect(pushMessageTitle('conversation_creation', 4, 'Web')).toBe('A conversation (#4) has been created in Web');
  });

  it('finds user and team mentions once each, in order', () => {
    expect(
      mentionedIds(
        '[@A](mention://user/3/A) [@B](mention://user/2/B) [@A](mention://user/3/A) [@T](mention://team/9/T)',
      ),
    ).toEqual({ userIds: [3, 2], teamIds: [9] });
    expect(mentionedIds('mention://user/3/A without the link')).toEqual({ userIds: [], teamIds: [] });
    expect(mentionedIds(null)).toEqual({ userIds: [], teamIds: [] });
  });
});
