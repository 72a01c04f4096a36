import { Handle, NodeResizer, Position, type NodeProps } from '@xyflow/react';
import { createContext, memo, useContext } from 'react';
import { TypeIcon } from '../../icons/TypeIcon';
import { useApp } from '../../store';
import type { GroupNode as GroupNodeType } from '../types';
import { builtPrefix, shortName } from './names';
import { showsType } from '../labels';
import './nodes.css';

/** GroupMenuContext lets a group's title open the editor's context menu. */
export const GroupMenuContext = createContext<(id: string, x: number, y: number) => void>(() => {});

function GroupNodeView({ id, data, selected }: NodeProps<GroupNodeType>) {
  const type = useApp((s) => (data.type ? s.catalog?.typeById[data.type] : undefined));
  const checkpoint = useApp((s) => s.checkpoint);
  const openMenu = useContext(GroupMenuContext);
  const container = data.kind === 'container';
  const prefix = useApp((s) => (data.resource ? builtPrefix(s.nodes) : ''));
  const name = data.name ? shortName(data.name, prefix) : (container ? type?.name : 'Group');
  return (
    <div className={`group-node kind-${data.kind}${selected ? ' selected' : ''}`} data-testid="group-node" data-kind={data.kind} data-type={data.type ?? ''}>
      <NodeResizer isVisible={!!selected} minWidth={120} minHeight={80} onResizeStart={checkpoint} lineClassName="group-resize-line" />
      <div
        className="group-title"
        data-testid="group-title"
        onContextMenu={(e) => {
          e.preventDefault();
          e.stopPropagation();
          openMenu(id, e.clientX, e.clientY);
        }}
      >
        {container && <TypeIcon type={type} size={20} />}
        <span className="group-name" title={data.name || undefined}>{name}</span>
        {container && showsType(name ?? '', type?.name ?? data.type) && <span className="group-type">{type?.name ?? data.type}</span>}
        {data.kind === 'boundary' && <span className="group-type">trust boundary</span>}
      </div>
      {container && (
        <>
          <Handle type="target" position={Position.Left} />
          <Handle type="source" position={Position.Right} />
        </>
      )}
    </div>
  );
}

export const GroupNode = memo(GroupNodeView);
