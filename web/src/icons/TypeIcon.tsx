import { memo } from 'react';
import type { ComponentType } from '../schema/catalog';
import { awsIconUrl } from './awsIcons';
import { GenericIcon } from './GenericIcon';

/** TypeIcon shows a component type's icon: the unmodified AWS icon, or a drawn generic one. */
export const TypeIcon = memo(function TypeIcon({ type, size = 48 }: { type: ComponentType | undefined; size?: number }) {
  const url = type && !type.icon.startsWith('generic/') ? awsIconUrl(type.icon) : undefined;
  if (url) return <img src={url} width={size} height={size} alt={type!.name} draggable={false} className="aws-icon" />;
  return <GenericIcon icon={type?.icon ?? 'generic/component'} size={size} />;
});
