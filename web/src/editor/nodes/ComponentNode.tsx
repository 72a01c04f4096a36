import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { TypeIcon } from '../../icons/TypeIcon';
import { useApp } from '../../store';
import { COMPONENT_SIZE, type ComponentNode as ComponentNodeType } from '../types';
import { builtPrefix, shortName } from './names';
import './nodes.css';

/**
 * ComponentNode draws one component: its icon, shrinking to leave room for
 * the name, and the name wrapped on up to three lines inside the node's box.
 * A built element drops the prefix its diagram's names share; the full name
 * and the type show on hover.
 */
function ComponentNodeView({ data, selected, width, height }: NodeProps<ComponentNodeType>) {
  const type = useApp((s) => s.catalog?.typeById[data.type]);
  const prefix = useApp((s) => (data.resource ? builtPrefix(s.nodes) : ''));
  const shown = shortName(data.name, prefix);
  const typeName = type?.name ?? data.type;
  return (
    <div
      className={`component-node${selected ? ' selected' : ''}`}
      data-testid="component-node"
      data-type={data.type}
      title={data.name ? `${data.name} (${typeName})` : typeName}
      // React Flow passes the measured size first: sizing the box from it
      // would keep whatever the first render measured. A component has the
      // document's size when it has one, the standard size otherwise.
      style={data.hasSize ? { width, height } : COMPONENT_SIZE}
    >
      <Handle type="target" position={Position.Left} />
      <div className="component-icon"><TypeIcon type={type} size={44} /></div>
      <div className="component-name" data-testid="component-name">{shown}</div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

export const ComponentNode = memo(ComponentNodeView);
