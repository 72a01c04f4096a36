// Every feature's API is a function of the one Rest client: these check the
// requests each one makes (method, path, body, If-Match) through a fake.
import { describe, expect, it } from 'vitest';
import { assistApi } from '../assist/api';
import { interopApi } from '../importer/api';
import { overviewApi } from '../overview/api';
import { emptyDiagram, SCHEMA_VERSION } from '../schema/types';
import { templatesApi } from '../templates/api';
import { httpApi } from './client';
import { recordingRest } from './fake';

const d = emptyDiagram();
const meta = { schemaVersion: SCHEMA_VERSION, name: 'n', projectType: 'Other', priority: 'Medium', facing: 'internal' } as const;

describe('the APIs over Rest', () => {
  const { rest, calls } = recordingRest((_, path) => (path.endsWith('/diagram') ? { diagram: d, revision: 4 } : { items: [], formats: [], diagram: d }));
  const cases: { name: string; call: () => Promise<unknown>; want: string; body?: unknown; revision?: number; contentType?: string }[] = [
    { name: 'catalog', call: () => httpApi(rest).catalog(), want: 'GET /catalog' },
    { name: 'listModels', call: () => httpApi(rest).listModels({ q: 'a b', sort: 'name', limit: 50 }), want: 'GET /models?q=a+b&sort=name&limit=50' },
    { name: 'createModel', call: () => httpApi(rest).createModel({ ...meta, diagram: d }), want: 'POST /models', body: { ...meta, diagram: d } },
    { name: 'getModel', call: () => httpApi(rest).getModel('m 1'), want: 'GET /models/m%201' },
    { name: 'patchModel', call: () => httpApi(rest).patchModel('m', 3, { name: 'x' }), want: 'PATCH /models/m', body: { name: 'x' }, revision: 3 },
    { name: 'deleteModel', call: () => httpApi(rest).deleteModel('m'), want: 'DELETE /models/m' },
    { name: 'getDiagram', call: () => httpApi(rest).getDiagram('m'), want: 'GET /models/m/diagram' },
    { name: 'putDiagram', call: () => httpApi(rest).putDiagram('m', 3, d), want: 'PUT /models/m/diagram', body: d, revision: 3 },
    { name: 'listThreats', call: () => overviewApi(rest).listThreats('m'), want: 'GET /models/m/threats' },
    { name: 'listRequirements', call: () => overviewApi(rest).listRequirements('m'), want: 'GET /models/m/requirements' },
    { name: 'patchStates', call: () => overviewApi(rest).patchStates('m', 3, { t: { status: 'Open' } }), want: 'PATCH /models/m/states', body: { items: { t: { status: 'Open' } } }, revision: 3 },
    { name: 'getRule', call: () => overviewApi(rest).getRule('r/1'), want: 'GET /catalog/rules/r%2F1' },
    { name: 'modelRevision', call: () => overviewApi(rest).modelRevision('m'), want: 'GET /models/m' },
    { name: 'listTasks', call: () => assistApi(rest).listTasks('m'), want: 'GET /models/m/tasks' },
    { name: 'applyTask', call: () => assistApi(rest).applyTask('m', 3, 'r@e'), want: 'POST /models/m/tasks/apply', body: { task: 'r@e' }, revision: 3 },
    { name: 'listFormats', call: () => interopApi(rest).listFormats(), want: 'GET /interop/formats' },
    { name: 'importPreview', call: () => interopApi(rest).importPreview('otm', '{}', 'a.json'), want: 'POST /import?from=otm&name=a.json', contentType: 'text/plain' },
    { name: 'exportModel', call: () => interopApi(rest).exportModel('m', 'otm'), want: 'GET /models/m/export?to=otm&envelope=true' },
    { name: 'getSession', call: () => templatesApi(rest).getSession(), want: 'GET /session' },
    { name: 'listTemplates', call: () => templatesApi(rest).listTemplates('a b'), want: 'GET /templates?q=a%20b' },
    { name: 'listTemplates, all', call: () => templatesApi(rest).listTemplates(), want: 'GET /templates' },
    { name: 'getTemplate', call: () => templatesApi(rest).getTemplate('t'), want: 'GET /templates/t' },
    { name: 'createTemplate', call: () => templatesApi(rest).createTemplate({ name: 't', diagram: d }), want: 'POST /templates', body: { name: 't', diagram: d } },
    { name: 'putTemplate', call: () => templatesApi(rest).putTemplate({ id: 't', name: 't', diagram: d, revision: 3 }), want: 'PUT /templates/t', body: { id: 't', name: 't', diagram: d, revision: 3 }, revision: 3 },
    { name: 'deleteTemplate', call: () => templatesApi(rest).deleteTemplate('t', 3), want: 'DELETE /templates/t', revision: 3 },
    { name: 'approveTemplate', call: () => templatesApi(rest).approveTemplate('t', 3), want: 'POST /templates/t/approve', revision: 3 },
    { name: 'duplicateTemplate', call: () => templatesApi(rest).duplicateTemplate('t'), want: 'POST /templates/t/duplicate' },
    { name: 'modelFromTemplate', call: () => templatesApi(rest).modelFromTemplate('t', meta), want: 'POST /templates/t/models', body: meta },
    { name: 'saveModelAsTemplate', call: () => templatesApi(rest).saveModelAsTemplate('m', { name: 'g', group: 'g1' }), want: 'POST /models/m/templates', body: { name: 'g', group: 'g1' } },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      calls.length = 0;
      await c.call();
      expect(calls.map((x) => `${x.method} ${x.path}`)).toEqual([c.want]);
      const o = calls[0].opts;
      expect(o?.body).toEqual(c.body);
      expect(o?.revision).toBe(c.revision);
      expect(o?.contentType).toBe(c.contentType);
    });
  }

  it('reads revisions from the ETag', async () => {
    expect((await httpApi(rest).getModel('m')).revision).toBe(7);
    expect((await templatesApi(rest).getTemplate('t')).revision).toBe(7);
    expect(await overviewApi(rest).modelRevision('m')).toEqual({ revision: 7, name: undefined });
    expect((await httpApi(rest).putDiagram('m', 3, d)).revision).toBe(4);
  });
});
