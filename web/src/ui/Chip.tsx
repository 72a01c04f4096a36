export function Chip({ label, onRemove, testId }: { label: string; onRemove: () => void; testId?: string }) {
  return (
    <span className="chip" data-testid={testId}>
      {label}
      <button type="button" className="chip-x" aria-label={`Remove ${label}`} data-testid={testId && `${testId}-remove`} onClick={onRemove}>
        ×
      </button>
    </span>
  );
}
