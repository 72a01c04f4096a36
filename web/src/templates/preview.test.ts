import { describe, expect, it } from 'vitest';
import { previewLayout } from './preview';

describe('previewLayout', () => {
  it('makes child positions absolute and joins flows centre to centre', () => {
    const l = previewLayout({
      groups: [
        { id: 'g', kind: 'group', name: 'G', position: { x: 100, y: 100 }, size: { width: 400, height: 300 } },
        { id: 'h', kind: 'boundary', name: 'H', parent: 'g', position: { x: 10, y: 10 }, size: { width: 200, height: 200 } },
      ],
      components: [
        { id: 'a', type: 'aws.ec2', name: 'A', parent: 'h', position: { x: 5, y: 5 } },
        { id: 'b', type: 'aws.s3', name: 'B', position: { x: 0, y: 0 }, size: { width: 50, height: 50 } },
      ],
      flows: [{ id: 'f', source: 'a', target: 'b', protocol: 'HTTPS' }, { id: 'dangling', source: 'a', target: 'zz', protocol: 'HTTPS' }],
    }, 10);
    expect(l.boxes.map((b) => b.id)).toEqual(['g', 'h', 'a', 'b']);
    expect(l.boxes[2]).toMatchObject({ x: 115, y: 115, width: 96, height: 84 });
    expect(l.lines).toEqual([{ id: 'f', x1: 163, y1: 157, x2: 25, y2: 25 }]);
    expect(l.viewBox).toEqual({ x: -10, y: -10, width: 520, height: 420 });
  });

  it('has a view box when empty', () => {
    expect(previewLayout({ groups: [], components: [], flows: [] }).viewBox.width).toBeGreaterThan(0);
  });
});
