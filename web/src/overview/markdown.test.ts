import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, safeHref } from './markdown';

describe('parseMarkdown', () => {
  it('parses paragraphs, ordered lists, code and links', () => {
    const md = 'Only session-oriented requests.\n\n1. Set `HttpTokens=required` on\n   instances.\n2. Make it **the default**.\n\nSee [the docs](https://docs.aws.amazon.com/x).\n';
    expect(parseMarkdown(md)).toEqual([
      { t: 'p', c: [{ t: 'text', v: 'Only session-oriented requests.' }] },
      { t: 'ol', items: [
        [{ t: 'text', v: 'Set ' }, { t: 'code', v: 'HttpTokens=required' }, { t: 'text', v: ' on instances.' }],
        [{ t: 'text', v: 'Make it ' }, { t: 'strong', c: [{ t: 'text', v: 'the default' }] }, { t: 'text', v: '.' }],
      ] },
      { t: 'p', c: [{ t: 'text', v: 'See ' }, { t: 'link', href: 'https://docs.aws.amazon.com/x', c: [{ t: 'text', v: 'the docs' }] }, { t: 'text', v: '.' }] },
    ]);
  });

  it('parses headings, bullet lists and fenced code', () => {
    expect(parseMarkdown('## Why\n- a\n- *b*\n```\n<b>x</b>\n```')).toEqual([
      { t: 'h', level: 2, c: [{ t: 'text', v: 'Why' }] },
      { t: 'ul', items: [[{ t: 'text', v: 'a' }], [{ t: 'em', c: [{ t: 'text', v: 'b' }] }]] },
      { t: 'pre', v: '<b>x</b>' },
    ]);
  });

  it('keeps HTML as text and drops unsafe link targets', () => {
    expect(parseInline('<img src=x onerror=alert(1)>')).toEqual([{ t: 'text', v: '<img src=x onerror=alert(1)>' }]);
    expect(parseInline('[x](javascript:alert(1))')[0]).toMatchObject({ t: 'link', href: null });
    expect(safeHref('mailto:a@b.c')).toBe('mailto:a@b.c');
    expect(safeHref('data:text/html,hi')).toBeNull();
  });
});
