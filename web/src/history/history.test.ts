import { describe, expect, it } from 'vitest';
import type { Rest, RestOptions } from '../api/rest';
import { historyApi, type Diff, type ReviewAction, type Version } from './api';
import { fileSide, isModelDocument } from './fileSide';
import type { ThreatModel } from '../schema/types';
import { baselineRevision, editAllowed, elementNames, overlayDiagram, overlayMarks, restoreAllowed, diffHeadline, diffMarks, highlightCss, markOf, reviewAllowed, reviewText, statusChange, versionTitle } from './logic';

const v = (revision: number, review?: Version['review'], name?: string): Version => ({
  revision, author: 'admin', savedAt: '2026-12-05T10:00:00Z', summary: `save ${revision}`, name, review,
});
const approved = (by = 'rita') => ({ state: 'approved' as const, by, at: '2026-12-05T11:00:00Z' });
const submitted = { state: 'submitted' as const, by: 'ed', at: '2026-12-05T10:30:00Z' };

// A diff of the shape GET /models/{id}/diff answers (pkg/diff).
const diff: Diff = {
  from: { revision: 3 },
  to: { revision: 5 },
  components: {
    added: [{ id: 'db1', name: 'orders db', type: 'rds' }],
    removed: [{ id: 'old', name: 'legacy', type: 'ec2' }],
    changed: [{ id: 'web', name: 'web', type: 'alb', changes: [{ field: 'name', from: 'www', to: 'web' }] }],
  },
  flows: { added: [{ id: 'f1', name: 'web → orders db', type: 'HTTPS' }], removed: null, changed: [] },
  groups: { added: [], removed: [{ id: 'g1', name: 'dmz', type: 'trust-boundary' }], changed: [] },
  threats: {
    added: [{ id: 't1', title: 'Database reachable from the internet', severity: 'High', elementId: 'db1', elementName: 'orders db', status: 'Open' }],
    removed: [],
    changed: [{ id: 't2', title: 'TLS not enforced', severity: 'Medium', elementId: 'web', elementName: 'web', from: { status: 'Open' }, to: { status: 'Mitigated' } }],
  },
  requirements: { added: [], removed: [], changed: [] },
  compliance: { changed: [] },
  summary: { componentsAdded: 1, componentsRemoved: 1, componentsChanged: 1, threatsAdded: 1, threatsRemoved: 0, highThreatsAdded: 1 },
};

describe('baselineRevision', () => {
  it.each([
    { name: 'none approved', list: [v(3, submitted), v(2), v(1)], want: undefined },
    { name: 'the newest approved', list: [v(5), v(4, approved()), v(3), v(2, approved())], want: 4 },
    { name: 'a later rejection does not count', list: [v(3, { state: 'rejected', by: 'r', at: '' }), v(2, approved())], want: 2 },
    { name: 'order of the list does not matter', list: [v(2, approved()), v(7, approved())], want: 7 },
  ])('$name', ({ list, want }) => expect(baselineRevision(list)).toBe(want));
});

describe('reviewAllowed', () => {
  it.each([
    { name: 'editor submits a new version', ver: v(1), action: 'submit', role: 'editor', ok: true },
    { name: 'viewer may not submit', ver: v(1), action: 'submit', role: 'viewer', ok: false, reason: /editor role; you are viewer/ },
    { name: 'a submitted version is not submitted twice', ver: v(1, submitted), action: 'submit', role: 'admin', ok: false, reason: /already waiting for review/ },
    { name: 'a rejected version may be submitted again', ver: v(1, { state: 'rejected', by: 'r', at: '' }), action: 'submit', role: 'editor', ok: true },
    { name: 'admin approves a submitted version', ver: v(1, submitted), action: 'approve', role: 'admin', ok: true },
    { name: 'reviewer rejects a submitted version', ver: v(1, submitted), action: 'reject', role: 'reviewer', ok: true },
    { name: 'editor may not approve', ver: v(1, submitted), action: 'approve', role: 'editor', ok: false, reason: /Only a reviewer or an admin may approve a version; you are editor/ },
    { name: 'nothing to approve before submission', ver: v(1), action: 'approve', role: 'admin', ok: false, reason: /has not been submitted/ },
    { name: 'an approved version is not approved twice', ver: v(1, approved()), action: 'approve', role: 'reviewer', ok: false, reason: /is approved, not waiting/ },
  ] as { name: string; ver: Version; action: ReviewAction; role: string; ok: boolean; reason?: RegExp }[])('$name', ({ ver, action, role, ok, reason }) => {
    const got = reviewAllowed(ver, action, role);
    expect(got.ok).toBe(ok);
    if (reason) expect(got.reason).toMatch(reason);
    else expect(got.reason).toBeUndefined();
  });
});

describe('restoreAllowed and editAllowed', () => {
  it.each([
    { name: 'editor with everything saved', role: 'editor', dirty: false, ok: true },
    { name: 'admin with everything saved', role: 'admin', dirty: false, ok: true },
    { name: 'unsaved edits would be lost', role: 'editor', dirty: true, ok: false, reason: /Save or undo your unsaved changes/ },
    { name: 'a reviewer only reviews', role: 'reviewer', dirty: false, ok: false, reason: /editor role; you are reviewer/ },
    { name: 'a viewer only looks', role: 'viewer', dirty: false, ok: false, reason: /editor role; you are viewer/ },
  ] as { name: string; role: string; dirty: boolean; ok: boolean; reason?: RegExp }[])('$name', ({ role, dirty, ok, reason }) => {
    const got = restoreAllowed(role, dirty);
    expect(got.ok).toBe(ok);
    if (reason) expect(got.reason).toMatch(reason);
    else expect(got.reason).toBeUndefined();
    if (!dirty) expect(editAllowed(role).ok).toBe(ok);
  });
});

describe('restoring the current version', () => {
  it('is refused with a reason', () => {
    expect(restoreAllowed('admin', false, true)).toEqual({ ok: false, reason: 'This is the current version: there is nothing to restore.' });
  });
});

describe('elementNames', () => {
  it('names elements of both sides, the newer name winning', () => {
    const a = { diagram: { components: [{ id: 'c1', name: 'www' }, { id: 'c2', name: 'db' }], groups: [{ id: 'g', name: 'dmz' }] } };
    const b = { diagram: { components: [{ id: 'c1', name: 'web' }], flows: [{ id: 'f', name: '' }] } };
    const n = elementNames(a, null, b);
    expect(Object.fromEntries(n)).toEqual({ c1: 'web', c2: 'db', g: 'dmz' });
  });
});

describe('labels', () => {
  it('names versions and review states', () => {
    expect(versionTitle(v(12))).toBe('Version 12');
    expect(versionTitle(v(12, undefined, 'v1.2 approved'))).toBe('Version 12 · v1.2 approved');
    expect(reviewText(v(1, { ...approved(), comment: 'ok for prod' }))).toBe('Approved by rita: “ok for prod”');
    expect(reviewText(v(1))).toBe('');
    expect(statusChange(diff.threats.changed![0])).toBe('Open → Mitigated');
    expect(diffHeadline(diff)).toBe('1 added, 1 removed, 1 changed components · 1 new threats (1 high or critical), 0 gone');
  });
});

describe('diffMarks and highlightCss', () => {
  it('marks removed and changed on the old side, added and changed on the new side', () => {
    expect(diffMarks(diff, 'from')).toEqual({ added: [], removed: ['old', 'g1'], changed: ['web'] });
    const to = diffMarks(diff, 'to');
    expect(to).toEqual({ added: ['db1', 'f1'], removed: [], changed: ['web'] });
    expect(markOf(to, 'db1')).toBe('added');
    expect(markOf(to, 'web')).toBe('changed');
    expect(markOf(to, 'other')).toBeUndefined();
  });
  it('outlines nodes and edges by data-id inside one diagram only', () => {
    const css = highlightCss('[data-testid="diff-to"]', diffMarks(diff, 'to'));
    expect(css).toContain('[data-testid="diff-to"] .react-flow__node[data-id="db1"]');
    expect(css).toContain('[data-testid="diff-to"] .react-flow__edge[data-id="f1"] .react-flow__edge-path');
    expect(css).toMatch(/data-id="db1"\][^{]*\{ outline: 3px solid #1d8102/);
    expect(css).toMatch(/data-id="web"\][^{]*\{ outline: 3px solid #b7740f/);
    expect(css).not.toContain('"old"');
    expect(highlightCss('x', { added: [], removed: [], changed: [] })).toBe('');
  });
  it('quotes ids so that an id cannot break out of the selector', () => {
    const css = highlightCss('s', { added: ['a"] { } body { display:none'], removed: [], changed: [] });
    expect(css).toContain('[data-id="a\\"] { } body { display:none"]');
  });
});

describe('historyApi', () => {
  const calls: { method: string; path: string; o?: RestOptions }[] = [];
  const rest: Rest = async <T,>(method: string, path: string, o?: RestOptions) => {
    calls.push({ method, path, o });
    const body = path.endsWith('/versions') ? { items: [v(2), v(1)], nextToken: '' } : path.endsWith('/restore') ? { id: 'm 1', revision: 9 } : {};
    return { body: body as T, revision: path.endsWith('/restore') ? 9 : undefined };
  };
  const api = historyApi(rest);
  it('calls the routes of the contract', async () => {
    calls.length = 0;
    expect((await api.list('m 1')).items.map((x) => x.revision)).toEqual([2, 1]);
    expect((await api.list('m 1')).nextToken).toBeUndefined();
    await api.get('m 1', 3);
    await api.name('m 1', 3, '  v1.2 approved ');
    await api.name('m 1', 3, '   ');
    expect((await api.restore('m 1', 3, 8)).revision).toBe(9);
    await api.review('m 1', 3, 'approve');
    await api.review('m 1', 3, 'reject', 'no encryption');
    await api.diff('m 1', 'baseline');
    await api.diff('m 1', 2, 4);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /models/m%201/versions', 'GET /models/m%201/versions', 'GET /models/m%201/versions/3',
      'PATCH /models/m%201/versions/3', 'PATCH /models/m%201/versions/3', 'POST /models/m%201/versions/3/restore',
      'POST /models/m%201/versions/3/review', 'POST /models/m%201/versions/3/review', 'GET /models/m%201/diff', 'GET /models/m%201/diff',
    ]);
    expect(calls[3].o?.body).toEqual({ name: 'v1.2 approved' });
    expect(calls[4].o?.body).toEqual({ name: null });
    expect(calls[5].o?.revision).toBe(8); // If-Match: the editor's revision
    expect(calls[6].o?.body).toEqual({ action: 'approve' });
    expect(calls[7].o?.body).toEqual({ action: 'reject', comment: 'no encryption' });
    expect(calls[8].o?.query).toEqual({ from: 'baseline', to: 'current' });
    expect(calls[9].o?.query).toEqual({ from: '2', to: '4' });
  });
  it('reads a side of a diff from the model or from its version', async () => {
    calls.length = 0;
    await api.at('m1', 'current', 7);
    await api.at('m1', 'baseline', 4);
    expect(calls.map((c) => c.path)).toEqual(['/models/m1', '/models/m1/versions/4']);
  });
});

describe('fileSide', () => {
  const model = { schemaVersion: 1, id: 'm1', name: 'shop', diagram: { components: [{ id: 'c1', type: 'aws.ec2', name: 'web', position: { x: 0, y: 0 } }], flows: [], groups: [] } };
  const converted = { ...model, name: 'from CloudFormation' } as unknown as ThreatModel;
  const previews: string[] = [];
  const preview = async (from: string, _text: string, name?: string) => {
    previews.push(`${from}:${name}`);
    return { model: converted, warnings: ['AWS::Foo::Bar is not a known type'] };
  };
  it.each([
    { name: 'a Bulwark model is compared as it is', file: 'next.json', text: JSON.stringify(model), format: 'bulwark', preview: '' },
    { name: 'a CloudFormation template goes through the import preview', file: 'stack.yaml', text: 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  B:\n    Type: AWS::S3::Bucket\n', format: 'cloudformation', preview: 'cloudformation:stack.yaml' },
    { name: 'a Terraform plan too', file: 'plan.json', text: '{"format_version":"1.2","resource_changes":[]}', format: 'terraform', preview: 'terraform:plan.json' },
  ])('$name', async ({ file, text, format, preview: want }) => {
    previews.length = 0;
    const got = await fileSide(file, text, preview);
    expect(got.format).toBe(format);
    expect(got.file).toBe(file);
    expect(previews).toEqual(want ? [want] : []);
    if (format === 'bulwark') expect(got.doc).toEqual(model);
    else expect(got.warnings).toEqual(['AWS::Foo::Bar is not a known type']);
  });
  it.each([
    { name: 'empty', file: 'a.json', text: '  ', err: /a.json is empty/ },
    { name: 'unknown JSON', file: 'b.json', text: '{"hello":1}', err: /neither a Bulwark model .* nor a format the importer recognises/ },
    { name: 'not JSON nor a known format', file: 'c.txt', text: 'hello', err: /c.txt is neither/ },
  ])('refuses $name with a clear error', async ({ file, text, err }) => {
    await expect(fileSide(file, text, preview)).rejects.toThrow(err);
  });
  it('recognises model documents', () => {
    expect(isModelDocument(model)).toBe(true);
    expect(isModelDocument({ schemaVersion: 1, diagram: {} })).toBe(false);
    expect(isModelDocument([model])).toBe(false);
    expect(isModelDocument(null)).toBe(false);
  });
});

describe('historyApi.diffDocument', () => {
  it('posts the document to compare with side from', async () => {
    const seen: { method: string; path: string; o?: RestOptions }[] = [];
    const rest: Rest = async <T,>(method: string, path: string, o?: RestOptions) => {
      seen.push({ method, path, o });
      return { body: {} as T };
    };
    await historyApi(rest).diffDocument('m1', 'baseline', { name: 'x' });
    expect(seen).toEqual([{ method: 'POST', path: '/models/m1/diff', o: { query: { from: 'baseline' }, body: { document: { name: 'x' } } } }]);
  });
});

describe('overlayDiagram', () => {
  const at = { x: 0, y: 0 };
  const from = {
    components: [{ id: 'web', type: 'alb', name: 'www', position: at }, { id: 'old', type: 'ec2', name: 'legacy', position: { x: 5, y: 6 }, parent: 'g1' }, { id: 'keep', type: 'ec2', name: 'k', position: at }],
    groups: [{ id: 'g1', kind: 'boundary' as const, name: 'dmz', position: at, size: { width: 10, height: 10 }, parent: 'gone-too' }],
    flows: [{ id: 'f-old', source: 'web', target: 'old', protocol: 'HTTPS' }, { id: 'f-dangling', source: 'old', target: 'nowhere', protocol: 'HTTPS' }],
  };
  const to = {
    components: [{ id: 'web', type: 'alb', name: 'web', position: at }, { id: 'db1', type: 'rds', name: 'orders db', position: at }],
    groups: [],
    flows: [{ id: 'f1', source: 'web', target: 'db1', protocol: 'HTTPS' }],
  };
  const d: Diff = {
    ...diff,
    components: { added: [{ id: 'db1', name: 'orders db', type: 'rds' }], removed: [{ id: 'old', name: 'legacy', type: 'ec2' }, { id: 'keep', name: 'k', type: 'ec2' }], changed: [{ id: 'web', name: 'web', type: 'alb' }] },
    flows: { added: [{ id: 'f1', name: '', type: 'HTTPS' }], removed: [{ id: 'f-old', name: '', type: 'HTTPS' }, { id: 'f-dangling', name: '', type: 'HTTPS' }], changed: [] },
    groups: { added: [], removed: [{ id: 'g1', name: 'dmz', type: 'boundary' }], changed: [] },
  };
  it('puts back what was removed, keeping parents that are drawn and flows whose ends are', () => {
    const o = overlayDiagram(from as never, to as never, d);
    expect(o.components.map((c) => c.id)).toEqual(['web', 'db1', 'old', 'keep']);
    expect(o.components.find((c) => c.id === 'old')).toMatchObject({ parent: 'g1', position: { x: 5, y: 6 } });
    expect(o.components.find((c) => c.id === 'web')?.name).toBe('web');
    expect(o.groups.map((g) => g.id)).toEqual(['g1']);
    expect('parent' in o.groups[0]).toBe(false); // its own group is in neither diagram
    expect(o.flows.map((f) => f.id)).toEqual(['f1', 'f-old']);
  });
  it('marks added, changed and removed together', () => {
    expect(overlayMarks(d)).toEqual({ added: ['db1', 'f1'], changed: ['web'], removed: ['old', 'keep', 'f-old', 'f-dangling', 'g1'] });
  });
  it('is the newer diagram when nothing was removed', () => {
    const none = { ...d, components: { added: [], removed: [], changed: [] }, flows: { added: [], removed: [], changed: [] }, groups: { added: [], removed: [], changed: [] } };
    expect(overlayDiagram(from as never, to as never, none)).toEqual(to);
  });
});
