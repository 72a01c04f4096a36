import { refusal } from './useSession';

/** Refusal tells a non-admin why template management is closed to them. */
export function Refusal({ role }: { role: string }) {
  return (
    <div className="refusal" role="alert" data-testid="templates-refused">
      <strong>Only admins can manage templates.</strong> Creating, editing, approving and deleting templates is
      reserved to the admin role, and the server enforces it: &ldquo;{refusal(role)}&rdquo;. You can still create a
      threat model from an approved template in <em>New threat model → Template</em>; ask an admin for a new template.
    </div>
  );
}
