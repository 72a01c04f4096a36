import { describe, expect, it } from 'vitest';
import { nextFocus } from './Dialog';

describe('nextFocus keeps Tab inside the dialog', () => {
  const items = ['name', 'type', 'cancel', 'save'];
  const cases: { name: string; current: string | null; back: boolean; want: string | undefined }[] = [
    { name: 'Tab moves on', current: 'name', back: false, want: 'type' },
    { name: 'Tab on the last wraps to the first', current: 'save', back: false, want: 'name' },
    { name: 'Shift+Tab on the first wraps to the last', current: 'name', back: true, want: 'save' },
    { name: 'Shift+Tab moves back', current: 'cancel', back: true, want: 'type' },
    { name: 'focus outside: Tab goes to the first', current: 'page', back: false, want: 'name' },
    { name: 'focus outside: Shift+Tab goes to the last', current: null, back: true, want: 'save' },
  ];
  for (const c of cases) it(c.name, () => expect(nextFocus(items, c.current, c.back)).toBe(c.want));
  it('nothing focusable: nothing', () => expect(nextFocus([], null, false)).toBeUndefined());
});
