// The app's entry to ELK: loaded on first use (elkjs is ~1.5 MB, kept out of
// the initial route) and run in a Web Worker so a big layout never freezes
// the page.
import type { ELK } from 'elkjs/lib/elk-api';
import type { Diagram } from '../../schema/types';
import { layoutWith } from './elk';

let elk: Promise<ELK> | null = null;

function worker(): Promise<ELK> {
  elk ??= Promise.all([import('elkjs/lib/elk-api.js'), import('elkjs/lib/elk-worker.min.js?url')]).then(
    ([api, url]) => new api.default({ workerUrl: url.default }),
  );
  return elk;
}

/** tidyDiagram lays out the whole diagram (layered, groups nested) in a Web Worker and returns the laid-out copy. */
export async function tidyDiagram(d: Diagram): Promise<Diagram> {
  try {
    return await layoutWith(await worker(), d);
  } catch (e) {
    elk = null;
    throw new Error(`Automatic layout failed: ${(e as Error).message}`, { cause: e });
  }
}
