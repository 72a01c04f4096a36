import type { ReactNode } from 'react';
import { parseMarkdown, type Block, type Inline } from './markdown';

function inline(xs: Inline[]): ReactNode[] {
  return xs.map((x, i) => {
    switch (x.t) {
      case 'text': return x.v;
      case 'code': return <code key={i}>{x.v}</code>;
      case 'strong': return <strong key={i}>{inline(x.c)}</strong>;
      case 'em': return <em key={i}>{inline(x.c)}</em>;
      case 'link': return x.href ? <a key={i} href={x.href} target="_blank" rel="noopener noreferrer">{inline(x.c)}</a> : <span key={i}>{inline(x.c)}</span>;
    }
  });
}

function block(b: Block, i: number): ReactNode {
  switch (b.t) {
    case 'p': return <p key={i}>{inline(b.c)}</p>;
    case 'h': return <h4 key={i}>{inline(b.c)}</h4>;
    case 'ul': return <ul key={i}>{b.items.map((it, j) => <li key={j}>{inline(it)}</li>)}</ul>;
    case 'ol': return <ol key={i}>{b.items.map((it, j) => <li key={j}>{inline(it)}</li>)}</ol>;
    case 'pre': return <pre key={i}><code>{b.v}</code></pre>;
  }
}

/** Markdown renders a safe Markdown subset as React elements (never as an HTML string). */
export function Markdown({ source }: { source: string }) {
  return <div className="markdown">{parseMarkdown(source).map(block)}</div>;
}
