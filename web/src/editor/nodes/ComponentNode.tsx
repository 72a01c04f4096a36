import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { TypeIcon } from '../../icons/TypeIcon';
import { useApp } from '../../store';
import type { ComponentNode as ComponentNodeType } from '../types';

/** ComponentNode draws one component. It reads only its own data and its own catalog type. */
function ComponentNodeView({ data, selected }: NodeProps<ComponentNodeType>) {
  const type = useApp((s) => s.catalog?.typeById[data.type]);
  return (
    <div className={`component-node${selected ? ' selected' : ''}`} data-testid="component-node" data-type={data.type} title={type?.name ?? data.type}>
      <Handle type="target" position={Position.Left} />
      <TypeIcon type={type} size={44} />
      <div className="component-name">{data.name}</div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

export const ComponentNode = memo(ComponentNodeView);
