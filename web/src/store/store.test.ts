import { beforeEach, describe, expect, it } from 'vitest';
import { fakeApi, noRest } from '../api/fake';
import { fixtureCatalog } from '../schema/fixture';
import { SCHEMA_VERSION, emptyDiagram } from '../schema/types';
import { memoryDrafts } from './drafts';
import { createAppStore, type AppStore } from './index';

let api: ReturnType<typeof fakeApi>;
let drafts: ReturnType<typeof memoryDrafts>;
let id: string;

async function openStore(): Promise<AppStore> {
  const s = createAppStore({ api, rest: noRest, drafts, autosaveMs: 0, draftMs: 0 });
  await s.getState().loadCatalog();
  await s.getState().openModel(id);
  return s;
}

beforeEach(async () => {
  api = fakeApi(fixtureCatalog);
  drafts = memoryDrafts();
  const m = await api.createModel({
    schemaVersion: SCHEMA_VERSION, name: 'Shop', projectType: 'Web Application', priority: 'High', facing: 'public', diagram: emptyDiagram(),
  });
  id = m.id;
});

const names = (s: AppStore) => s.getState().nodes.map((n) => n.data.name).sort();

describe('editor store', () => {
  it('opens a model and saves edits with the revision', async () => {
    const s = await openStore();
    expect(s.getState()).toMatchObject({ modelId: id, revision: 1, saveStatus: 'saved', dirty: false });
    s.getState().addComponent('aws.ec2', { x: 10, y: 20 });
    expect(s.getState()).toMatchObject({ dirty: true, saveStatus: 'dirty' });
    expect(drafts.all.get(id)?.diagram.components).toHaveLength(1);
    await s.getState().save();
    expect(s.getState()).toMatchObject({ revision: 2, dirty: false, saveStatus: 'saved' });
    expect(api.models.get(id)!.diagram.components[0]).toMatchObject({ type: 'aws.ec2', position: { x: 10, y: 20 } });
    expect(drafts.all.has(id)).toBe(false);
  });

  it('the protocol picker sets the protocol of new flows only, not of the selected flow (#17.6)', async () => {
    const s = await openStore();
    const st = () => s.getState();
    st().addComponent('aws.ec2', { x: 0, y: 0 });
    st().addComponent('aws.alb', { x: 200, y: 0 });
    const [ec2, alb] = st().nodes.map((n) => n.id);
    st().setActiveProtocol('PostgreSQL');
    st().connect(alb, ec2);
    const first = st().edges[0].id;
    s.setState({ edges: st().edges.map((e) => ({ ...e, selected: true })) }); // the just-drawn flow stays selected
    st().setActiveProtocol('HTTPS');
    expect(st().edges[0].data).toMatchObject({ protocol: 'PostgreSQL', port: 5432 });
    st().connect(ec2, alb);
    const second = st().edges.find((e) => e.id !== first)!;
    expect(second.data).toMatchObject({ protocol: 'HTTPS', port: 443 });
    st().updateEdge(first, { protocol: 'HTTP', port: 80 }); // the properties panel changes an existing flow
    expect(st().edges.find((e) => e.id === first)!.data).toMatchObject({ protocol: 'HTTP', port: 80 });
  });

  it('updateDetails saves pending diagram edits first, patches, and keeps saving without a conflict (#17.4)', async () => {
    const s = await openStore();
    const st = () => s.getState();
    st().addComponent('aws.ec2', { x: 0, y: 0 });
    const m = await st().updateDetails(id, { name: 'Shop 2', labels: ['pci'] });
    expect(m).toMatchObject({ name: 'Shop 2', labels: ['pci'], revision: 3 });
    expect(api.models.get(id)!.diagram.components).toHaveLength(1);
    expect(st()).toMatchObject({ revision: 3, dirty: false });
    expect(st().model).toMatchObject({ name: 'Shop 2' });
    st().addComponent('aws.alb', { x: 200, y: 0 });
    await st().save();
    expect(st()).toMatchObject({ revision: 4, saveStatus: 'saved', conflict: null });
    expect(api.models.get(id)).toMatchObject({ name: 'Shop 2' });
  });

  it('undoes and redoes commands', async () => {
    const s = await openStore();
    const st = () => s.getState();
    st().addComponent('aws.ec2', { x: 0, y: 0 });
    st().addComponent('aws.alb', { x: 200, y: 0 });
    const [ec2, alb] = st().nodes.map((n) => n.id);
    st().connect(alb, ec2);
    expect(st().edges[0].data).toEqual({ protocol: 'HTTPS', port: 443 });
    st().undo();
    expect(st().edges).toHaveLength(0);
    st().undo();
    expect(names(s)).toEqual(['Amazon EC2']);
    st().redo();
    st().redo();
    expect(st().edges).toHaveLength(1);
    st().undo();
    st().addComponent('aws.rds', { x: 0, y: 300 });
    st().redo(); // a new command clears the redo stack
    expect(st().edges).toHaveLength(0);
  });

  it('coalesces typing into one undo step', async () => {
    const s = await openStore();
    s.getState().addComponent('aws.ec2', { x: 0, y: 0 });
    const nid = s.getState().nodes[0].id;
    for (const name of ['W', 'We', 'Web']) s.getState().updateNode(nid, { name }, 'name');
    expect(s.getState().nodes[0].data.name).toBe('Web');
    s.getState().undo();
    expect(s.getState().nodes[0].data.name).toBe('Amazon EC2');
  });

  it('groups, makes a container, copies and pastes through the store', async () => {
    const s = await openStore();
    const st = () => s.getState();
    st().groupSelection({ x: 0, y: 0 });
    const gid = st().nodes[0].id;
    st().makeContainer(gid, 'aws.ec2');
    expect(st().nodes[0].data).toMatchObject({ kind: 'container', type: 'aws.ec2' });
    st().copy();
    st().paste();
    st().paste();
    const boxes = st().nodes.filter((n) => n.type === 'groupBox');
    expect(boxes.map((b) => b.position)).toEqual([{ x: 0, y: 0 }, { x: 32, y: 32 }, { x: 64, y: 64 }]);
    st().undo();
    expect(st().nodes).toHaveLength(2);
  });

  it('keeps unsaved edits across a reload (draft) and saves them', async () => {
    const s1 = await openStore();
    s1.getState().addComponent('aws.ec2', { x: 1, y: 2 });
    // the page goes away before the autosave
    const s2 = await openStore();
    expect(s2.getState()).toMatchObject({ dirty: true, saveStatus: 'dirty' });
    expect(names(s2)).toEqual(['Amazon EC2']);
    await s2.getState().save();
    expect(api.models.get(id)!.diagram.components).toHaveLength(1);
  });

  it('on conflict shows both sides, and keep-mine merges so nothing is lost', async () => {
    const a = await openStore();
    const b = await openStore();
    a.getState().addComponent('aws.ec2', { x: 0, y: 0 });
    await a.getState().save();
    b.getState().addComponent('aws.alb', { x: 300, y: 0 });
    await b.getState().save();
    const c = b.getState().conflict!;
    expect(b.getState().saveStatus).toBe('conflict');
    expect(c.revision).toBe(2);
    expect(c.mineChanges).toEqual([expect.objectContaining({ change: 'added', name: 'Application Load Balancer' })]);
    expect(c.theirChanges).toEqual([expect.objectContaining({ change: 'added', name: 'Amazon EC2' })]);
    // while in conflict, the edit is kept as a draft and not autosaved away
    expect(drafts.all.get(id)!.diagram.components).toHaveLength(1);
    await b.getState().resolveConflict('keepMine');
    expect(b.getState()).toMatchObject({ conflict: null, saveStatus: 'saved', revision: 3 });
    expect(api.models.get(id)!.diagram.components.map((x) => x.type).sort()).toEqual(['aws.alb', 'aws.ec2']);
  });

  it('on conflict, reload takes the server version', async () => {
    const a = await openStore();
    const b = await openStore();
    a.getState().addComponent('aws.ec2', { x: 0, y: 0 });
    await a.getState().save();
    b.getState().addComponent('aws.alb', { x: 300, y: 0 });
    await b.getState().save();
    await b.getState().resolveConflict('reload');
    expect(names(b)).toEqual(['Amazon EC2']);
    expect(b.getState()).toMatchObject({ revision: 2, dirty: false, conflict: null });
    expect(drafts.all.has(id)).toBe(false);
  });

  it('a draft older than the server revision opens as a conflict', async () => {
    const b = await openStore();
    b.getState().addComponent('aws.alb', { x: 300, y: 0 });
    const a = createAppStore({ api, rest: noRest, drafts: memoryDrafts(), autosaveMs: 0, draftMs: 0 });
    await a.getState().loadCatalog();
    await a.getState().openModel(id);
    a.getState().addComponent('aws.ec2', { x: 0, y: 0 });
    await a.getState().save();
    const b2 = await openStore();
    expect(b2.getState().saveStatus).toBe('conflict');
    await b2.getState().resolveConflict('keepMine');
    expect(api.models.get(id)!.diagram.components).toHaveLength(2);
  });

  it('an invalid diagram keeps the edit and reports the field', async () => {
    const s = await openStore();
    s.getState().addComponent('aws.ec2', { x: 0, y: 0 });
    s.getState().addComponent('aws.alb', { x: 200, y: 0 });
    const [a, b] = s.getState().nodes.map((n) => n.id);
    s.getState().connect(a, b);
    s.getState().updateEdge(s.getState().edges[0].id, { protocol: '' });
    await s.getState().save();
    expect(s.getState()).toMatchObject({ saveStatus: 'invalid', dirty: true, problems: [{ field: '/diagram/flows/0/protocol', message: 'is required' }] });
    expect(drafts.all.get(id)!.diagram.flows).toHaveLength(1);
  });
});

describe('revisions without diagram changes', () => {
  it('a newer revision that did not touch the diagram is not a conflict', async () => {
    const s = await openStore();
    await api.patchModel(id, 1, { name: 'Renamed elsewhere' });
    s.getState().addComponent('aws.ec2', { x: 0, y: 0 });
    await s.getState().save();
    expect(s.getState()).toMatchObject({ conflict: null, saveStatus: 'saved', revision: 3 });
    expect(api.models.get(id)!.diagram.components).toHaveLength(1);
  });
  it('a draft on an older revision resumes when the diagram did not change', async () => {
    const s = await openStore();
    s.getState().addComponent('aws.ec2', { x: 0, y: 0 });
    await api.patchModel(id, 1, { name: 'Renamed elsewhere' });
    const s2 = await openStore();
    expect(s2.getState()).toMatchObject({ conflict: null, saveStatus: 'dirty', revision: 2 });
    await s2.getState().save();
    expect(api.models.get(id)!.diagram.components).toHaveLength(1);
  });
});

describe('library store', () => {
  it('filters are chips that can be removed; delete removes the row', async () => {
    const s = createAppStore({ api, rest: noRest, drafts, autosaveMs: 0, draftMs: 0 });
    const st = () => s.getState();
    await st().loadModels();
    expect(st().models.map((m) => m.name)).toEqual(['Shop']);
    st().addFilter({ facet: 'label', value: 'pci' });
    st().addFilter({ facet: 'label', value: 'pci' });
    st().addFilter({ facet: 'priority', value: 'High' });
    expect(st().filters).toEqual([{ facet: 'label', value: 'pci' }, { facet: 'priority', value: 'High' }]);
    st().removeFilter({ facet: 'label', value: 'pci' });
    expect(st().filters).toEqual([{ facet: 'priority', value: 'High' }]);
    await st().deleteModel(id);
    expect(st().models).toEqual([]);
    expect(api.models.size).toBe(0);
  });
});
