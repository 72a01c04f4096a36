import { describe, expect, it } from 'vitest';
import { bulkButton, MAX_BATCH } from '../integrations/overview';

// The Overview's bulk Create Issue button (in integrations/overview), for the checked rows.
describe('bulk Create Issue button', () => {
  it('is disabled with a reason when nothing is checked or all checked have issues', () => {
    expect(bulkButton(0, 0)).toMatchObject({ disabled: true, title: expect.stringMatching(/Select rows/) });
    expect(bulkButton(3, 0)).toMatchObject({ disabled: true, title: expect.stringMatching(/3 selected items have Jira issues already/) });
  });

  it('counts the checked items without an issue', () => {
    expect(bulkButton(3, 2)).toMatchObject({ disabled: false, label: 'Create issues (2)' });
  });

  it('says at most 50 go per batch when more are checked', () => {
    expect(MAX_BATCH).toBe(50);
    expect(bulkButton(80, 73)).toMatchObject({ disabled: false, label: 'Create issues (first 50 of 73, at most 50 per batch)' });
  });
});
