import { useEffect, useState } from 'react';
import { getRule, type RuleDetail } from './api';
import { Markdown } from './Markdown';

const cache = new Map<string, Promise<RuleDetail>>();

/** RuleDescription shows a rule's Markdown description from the knowledge base. */
export function RuleDescription({ rule }: { rule: string }) {
  const [detail, setDetail] = useState<RuleDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setDetail(null);
    setError(null);
    if (!cache.has(rule)) cache.set(rule, getRule(rule));
    cache.get(rule)!.then((d) => live && setDetail(d), (e: Error) => {
      cache.delete(rule);
      if (live) setError(e.message);
    });
    return () => {
      live = false;
    };
  }, [rule]);
  if (error) return <div className="banner error small" role="alert">{error}</div>;
  if (!detail) return <p className="hint">Loading description…</p>;
  const r = detail.threat ?? detail.requirement;
  return (
    <div data-testid="rule-description">
      <p className="hint"><code>{r?.id}</code></p>
      <Markdown source={r?.description ?? ''} />
    </div>
  );
}
