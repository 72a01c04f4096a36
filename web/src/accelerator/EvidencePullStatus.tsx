import { useEffect, useState } from 'react';
import { absoluteTime, failedText, foreignText, nextTry, pullErrors, pullState, relativeTime, SCHEDULE_MINUTES, storedText } from './evidencePull';
import type { Account } from './types';

/** useNow is the current time, renewed every minute so that relative times stay true. */
function useNow(every = 60_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), every);
    return () => clearInterval(t);
  }, [every]);
  return now;
}

/**
 * When is a time in words ("2 h ago"; past: a time that is over, never
 * "in …"), its local date and time on hover and, for keyboard users, on
 * focus (it is focusable and says it beside itself).
 */
export function When({ at, now, past = true, testId }: { at: string | Date; now: Date; past?: boolean; testId?: string }) {
  const abs = absoluteTime(at);
  return (
    <time className="when" dateTime={typeof at === 'string' ? at : at.toISOString()} title={abs} data-abs={abs} tabIndex={0} data-testid={testId}>
      {relativeTime(at, now, past)}
    </time>
  );
}

/**
 * EvidencePullStatus says where the scheduled pull of account's Security Hub
 * findings and AWS Config rule evaluations stands (aws mode): when it last
 * pulled and what it stored, why it failed and when it tries again, or that
 * it has not pulled yet. An account read from files has no pull: nothing is
 * shown. now is for tests; the component keeps its own clock otherwise.
 */
export function EvidencePullStatus({ account, now: fixed }: { account: Account; now?: Date }) {
  const clock = useNow();
  const now = fixed ?? clock;
  const state = pullState(account);
  if (state === 'off') return null;
  const p = account.evidencePull;
  const common = { className: `evidence-pull ${state}`, 'data-testid': 'evidence-pull', 'data-state': state } as const;
  if (state === 'unverified' || !p) {
    return (
      <div {...common}>
        Evidence: {state === 'unverified' ? 'pulled once the account is verified.' : <>not pulled yet. The scheduled run pulls it within {SCHEDULE_MINUTES} minutes of verification{account.verifiedAt && <> (verified <When at={account.verifiedAt} now={now} />)</>}.</>}
      </div>
    );
  }
  const foreign = foreignText(p.foreign);
  const regions = p.regions?.length ? <> in {p.regions.join(', ')}</> : null;
  if (state === 'pulled') {
    // Verified again since: the next run pulls again (workflow pullDue).
    const stale = !!account.verifiedAt && !!p.succeeded && Date.parse(account.verifiedAt) > Date.parse(p.succeeded);
    return (
      <div {...common}>
        Evidence: pulled <When at={p.succeeded ?? p.ended} now={now} testId="evidence-pull-when" />{regions} · <span data-testid="evidence-pull-stored">{storedText(p.stored)}</span>
        {foreign && <> · <span data-testid="evidence-pull-foreign">{foreign}</span></>}
        {stale && <> · <span className="hint">verified since: the next scheduled run pulls again</span></>}
      </div>
    );
  }
  const next = nextTry(p, account.verifiedAt);
  const errors = pullErrors(p.error ?? '');
  return (
    <div {...common} role="group" aria-label="Evidence pull">
      <div>
        <b data-testid="evidence-pull-failed">{failedText(p.failures)}</b>
        {' '}(last <When at={p.ended} now={now} testId="evidence-pull-when" />{regions})
        {' · '}{p.succeeded ? <>last success <When at={p.succeeded} now={now} /></> : 'never succeeded'}
        {next && <> · next try {next.getTime() > now.getTime() ? <When at={next} now={now} past={false} testId="evidence-pull-next" /> : <span data-testid="evidence-pull-next">with the next scheduled run</span>}</>}
      </div>
      <ul className="evidence-pull-error" data-testid="evidence-pull-error" tabIndex={0} aria-label="Why the evidence pull failed">
        {errors.map((e, i) => <li key={i}>{e}</li>)}
      </ul>
      {(p.stored.created + p.stored.updated + p.stored.unchanged > 0 || foreign) && (
        <div className="hint">Before failing it stored {storedText(p.stored)}{foreign && <>; {foreign}</>}.</div>
      )}
    </div>
  );
}
