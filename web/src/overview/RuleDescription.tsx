import { useEffect, useState } from 'react';
import { useRest } from '../api/context';
import type { Rest } from '../api/rest';
import { overviewApi, type RuleDetail } from './api';
import { Markdown } from './Markdown';

/** caches holds the rule descriptions read through each Rest client, by rule. */
const caches = new WeakMap<Rest, Map<string, Promise<RuleDetail>>>();

function ruleCache(rest: Rest): Map<string, Promise<RuleDetail>> {
  let c = caches.get(rest);
  if (!c) caches.set(rest, (c = new Map()));
  return c;
}

/** RuleDescription shows a rule's Markdown description from the knowledge base. */
export function RuleDescription({ rule }: { rule: string }) {
  const [detail, setDetail] = useState<RuleDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rest = useRest();
  useEffect(() => {
    let live = true;
    setDetail(null);
    setError(null);
    const cache = ruleCache(rest);
    if (!cache.has(rule)) cache.set(rule, overviewApi(rest).getRule(rule));
    cache.get(rule)!.then((d) => live && setDetail(d), (e: Error) => {
      cache.delete(rule);
      if (live) setError(e.message);
    });
    return () => {
      live = false;
    };
  }, [rest, rule]);
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
