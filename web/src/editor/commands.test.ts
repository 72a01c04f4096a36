import { describe, expect, it } from 'vitest';
import { indexCatalog } from '../schema/catalog';
import { fixtureCatalog } from '../schema/fixture';
import * as cmd from './commands';
import { toDiagram } from './mapping';
import type { DiagramNode, Graph } from './types';

const cat = indexCatalog(fixtureCatalog);
const ec2 = cat.typeById['aws.ec2'];
const alb = cat.typeById['aws.alb'];

function twoComponents(): Graph {
  let g: Graph = { nodes: [], edges: [] };
  g = cmd.addComponent(g, ec2, { x: 100, y: 100 }, 'ec2');
  g = cmd.addComponent(g, alb, { x: 300, y: 140 }, 'alb');
  return g;
}
const select = (g: Graph, ...ids: string[]): Graph => ({
  nodes: g.nodes.map((n) => ({ ...n, selected: ids.includes(n.id) }) as DiagramNode),
  edges: g.edges.map((e) => ({ ...e, selected: ids.includes(e.id) })),
});
const byId = (g: Graph, id: string) => g.nodes.find((n) => n.id === id)!;

describe('addComponent', () => {
  it('adds the type with catalog defaults, selected', () => {
    const g = cmd.addComponent({ nodes: [], edges: [] }, ec2, { x: 5, y: 6 }, 'x');
    expect(g.nodes[0]).toMatchObject({ id: 'x', type: 'component', position: { x: 5, y: 6 }, selected: true, data: { type: 'aws.ec2', name: 'Amazon EC2', properties: { instanceType: 't3.micro', imdsv2: true } } });
  });
  it('drops into the group under the point, relative to it', () => {
    let g = cmd.groupSelection({ nodes: [], edges: [] }, { x: 0, y: 0 }, 'g');
    g = cmd.addComponent(g, ec2, { x: 50, y: 70 }, 'c');
    expect(byId(g, 'c')).toMatchObject({ parentId: 'g', position: { x: 50, y: 70 } });
    g = cmd.addComponent(g, ec2, { x: 1000, y: 1000 }, 'd');
    expect(byId(g, 'd').parentId).toBeUndefined();
  });
});

describe('groupSelection', () => {
  it('encloses the selected components and keeps them where they are', () => {
    const g = cmd.groupSelection(select(twoComponents(), 'ec2', 'alb'), { x: 0, y: 0 }, 'g');
    const grp = byId(g, 'g');
    expect(grp).toMatchObject({ type: 'groupBox', data: { kind: 'group', name: 'Group' }, selected: true });
    expect(g.nodes[0].id).toBe('g'); // parents first
    for (const [id, abs] of [['ec2', { x: 100, y: 100 }], ['alb', { x: 300, y: 140 }]] as const) {
      const n = byId(g, id);
      expect(n.parentId).toBe('g');
      expect({ x: n.position.x + grp.position.x, y: n.position.y + grp.position.y }).toEqual(abs);
      expect(n.position.x).toBeGreaterThan(0);
      expect(n.position.y).toBeGreaterThan(0);
    }
    expect(grp.width!).toBeGreaterThanOrEqual(300 - 100 + 96);
  });
  it('creates an empty collection box when nothing is selected', () => {
    const g = cmd.groupSelection(select(twoComponents()), { x: 7, y: 8 }, "box");
    expect(byId(g, 'box')).toMatchObject({ position: { x: 7, y: 8 }, width: 320, height: 220, data: { kind: 'group' } });
    expect(g.nodes.filter((n) => n.parentId)).toHaveLength(0);
  });
  it('nests a group inside the common parent', () => {
    let g = cmd.groupSelection(select(twoComponents(), 'ec2', 'alb'), { x: 0, y: 0 }, 'outer');
    g = cmd.groupSelection(select(g, 'ec2'), { x: 0, y: 0 }, 'inner');
    expect(byId(g, 'inner').parentId).toBe('outer');
    expect(byId(g, 'ec2').parentId).toBe('inner');
    const ids = g.nodes.map((n) => n.id);
    expect(ids.indexOf('outer')).toBeLessThan(ids.indexOf('inner'));
    expect(ids.indexOf('inner')).toBeLessThan(ids.indexOf('ec2'));
  });
  it('ungroup puts the children back', () => {
    let g = cmd.groupSelection(select(twoComponents(), 'ec2', 'alb'), { x: 0, y: 0 }, 'g');
    g = cmd.ungroup(g, 'g');
    expect(g.nodes.map((n) => [n.id, n.parentId, n.position])).toEqual([
      ['ec2', undefined, { x: 100, y: 100 }],
      ['alb', undefined, { x: 300, y: 140 }],
    ]);
  });
});

describe('containers', () => {
  it('turns an empty group into an EC2 container with EC2 properties', () => {
    let g = cmd.groupSelection({ nodes: [], edges: [] }, { x: 0, y: 0 }, 'g');
    g = cmd.makeContainer(g, 'g', ec2);
    expect(byId(g, 'g').data).toEqual({ kind: 'container', type: 'aws.ec2', name: 'Amazon EC2', properties: { instanceType: 't3.micro', imdsv2: true } });
    expect(toDiagram(g).groups[0]).toMatchObject({ kind: 'container', type: 'aws.ec2' });
  });
  it('keeps a custom name and existing property values', () => {
    let g = cmd.groupSelection({ nodes: [], edges: [] }, { x: 0, y: 0 }, 'g');
    g = cmd.updateNodeData(g, 'g', { name: 'App host', properties: { instanceType: 'm7g.large' } });
    g = cmd.makeContainer(g, 'g', ec2);
    expect(byId(g, 'g').data).toMatchObject({ name: 'App host', properties: { instanceType: 'm7g.large', imdsv2: true } });
  });
  it('only components and containers can be connected', () => {
    let g = cmd.groupSelection(select(twoComponents()), { x: 900, y: 900 }, "g");
    expect(cmd.canConnect(g, 'alb', 'g')).toBe(false);
    expect(cmd.canConnect(g, 'alb', 'alb')).toBe(false);
    g = cmd.makeContainer(g, 'g', ec2);
    g = cmd.connect(g, 'alb', 'g', { protocol: 'https', port: 443 }, 'f');
    expect(g.edges).toHaveLength(1);
    g = cmd.setGroupKind(g, 'g', 'group');
    expect(g.edges).toHaveLength(0);
    expect(byId(g, 'g').data.type).toBeUndefined();
  });
});

describe('delete, copy and paste', () => {
  it('deletes a group with its contents and the flows touching them', () => {
    let g = twoComponents();
    g = cmd.connect(g, 'alb', 'ec2', { protocol: 'https' }, 'f');
    g = cmd.groupSelection(select(g, 'ec2'), { x: 0, y: 0 }, 'g');
    g = cmd.deleteSelection(g);
    expect(g.nodes.map((n) => n.id)).toEqual(['alb']);
    expect(g.edges).toHaveLength(0);
  });
  it('deletes a selected flow only', () => {
    let g = cmd.connect(twoComponents(), 'alb', 'ec2', { protocol: 'https' }, 'f');
    g = cmd.deleteSelection(select(g, 'f'));
    expect(g.nodes).toHaveLength(2);
    expect(g.edges).toHaveLength(0);
  });
  it('pastes copies with fresh ids, internal flows and offset', () => {
    let g = cmd.connect(twoComponents(), 'alb', 'ec2', { protocol: 'https', port: 443 }, 'f');
    g = select(g, 'alb', 'ec2');
    const clip = cmd.copySelection(g);
    let n = 0;
    g = cmd.paste(g, clip, 32, (p) => `${p}-new${++n}`);
    expect(g.nodes).toHaveLength(4);
    expect(g.edges).toHaveLength(2);
    const pasted = g.nodes.filter((x) => x.selected);
    expect(pasted.map((x) => x.id).sort()).toEqual(['c-new1', 'c-new2']);
    expect(byId(g, 'c-new1').position).toEqual({ x: 132, y: 132 });
    expect(g.edges[1]).toMatchObject({ id: 'f-new3', source: 'c-new2', target: 'c-new1', data: { protocol: 'https', port: 443 } });
    // the copy's data is independent of the original
    expect(byId(g, 'c-new1').data).not.toBe(byId(g, 'ec2').data);
  });
  it('copies a group with its children, keeping children relative', () => {
    let g = cmd.groupSelection(select(twoComponents(), 'ec2', 'alb'), { x: 0, y: 0 }, 'g');
    const clip = cmd.copySelection(g);
    expect(clip.nodes).toHaveLength(3);
    let n = 0;
    g = cmd.paste(g, clip, 32, (p) => `${p}${++n}`);
    const newGroup = byId(g, 'g1');
    const children = g.nodes.filter((x) => x.parentId === 'g1');
    expect(children).toHaveLength(2);
    expect(children[0].position).toEqual(byId(g, 'ec2').position);
    expect(newGroup.position).toEqual({ x: byId(g, 'g').position.x + 32, y: byId(g, 'g').position.y + 32 });
  });
});

describe('reparent after a drag', () => {
  it('moves a component into the group it was dropped on, and out again', () => {
    let g = cmd.groupSelection(select(twoComponents()), { x: 500, y: 500 }, "g");
    g = { ...g, nodes: g.nodes.map((n) => (n.id === 'ec2' ? { ...n, position: { x: 520, y: 560 } } : n)) };
    g = cmd.reparent(g, 'ec2');
    expect(byId(g, 'ec2')).toMatchObject({ parentId: 'g', position: { x: 20, y: 60 } });
    g = { ...g, nodes: g.nodes.map((n) => (n.id === 'ec2' ? { ...n, position: { x: -400, y: 0 } } : n)) };
    g = cmd.reparent(g, 'ec2');
    expect(byId(g, 'ec2').parentId).toBeUndefined();
    expect(byId(g, 'ec2').position).toEqual({ x: 100, y: 500 });
  });
});

describe('export bounds', async () => {
  const { diagramBounds } = await import('./exportImage');
  it('encloses nested nodes at their absolute positions', () => {
    let g = cmd.groupSelection(select(twoComponents(), 'ec2', 'alb'), { x: 0, y: 0 }, 'g');
    const b = diagramBounds(g.nodes);
    const grp = byId(g, 'g');
    expect(b).toEqual({ x: grp.position.x, y: grp.position.y, width: grp.width, height: grp.height });
    g = cmd.addComponent(g, ec2, { x: 1000, y: 1000 }, 'far');
    expect(diagramBounds(g.nodes)).toMatchObject({ x: grp.position.x, width: 1000 + 96 - grp.position.x });
  });
});
