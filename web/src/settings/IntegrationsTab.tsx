import { JiraInstances } from '../jira/JiraInstances';

/** IntegrationsTab is Settings → Integrations: the tenant's Jira instances. */
export default function IntegrationsTab() {
  return <JiraInstances />;
}
