// Browser test of "Show inferred flows" (#16.4): flows the Accelerator
// inferred from security-group rules (properties inferred: true) can be
// hidden on the canvas without changing the saved model. Registered with
// run.mjs: node e2e/run.mjs "inferred flows".
import assert from 'node:assert/strict';

export function register(test) {
  test('inferred flows: the checkbox hides and shows the flows inferred from security groups; the model is unchanged', async ({ page, base, api }) => {
    const { json: created } = await api('POST', '/models', {
      schemaVersion: 1, name: 'Inferred flows', projectType: 'AWS Cloud Application', priority: 'Medium', facing: 'internal',
      diagram: {
        components: [
          { id: 'app', type: 'aws.ec2', name: 'app', position: { x: 80, y: 80 } },
          { id: 'db', type: 'aws.rds', name: 'orders-db', position: { x: 420, y: 80 } },
          { id: 'lb', type: 'aws.alb', name: 'web', position: { x: 80, y: 320 } },
        ],
        flows: [
          { id: 'flow-sg', source: 'app', target: 'db', protocol: 'MySQL', port: 3306,
            properties: { inferred: true, inferredBy: 'sg-rule: the target listens on the port (security group sg-0f10a0b0c0d0e0d99 allows MySQL 3306 from sg-0f10a0b0c0d0e0a99)' } },
          { id: 'flow-listener', source: 'lb', target: 'app', protocol: 'HTTPS', port: 443 },
        ],
        groups: [],
      },
    });
    const id = created.id;
    await page.goto(`${base}/models/${id}`);
    const edge = (fid) => page.locator(`.react-flow__edge[data-id="${fid}"]`);
    await edge('flow-sg').waitFor({ state: 'attached' });
    await edge('flow-listener').waitFor({ state: 'attached' });

    const toggle = page.getByRole('checkbox', { name: /Show inferred flows \(1\)/ });
    assert.equal(await toggle.isChecked(), true, 'inferred flows are shown at first');
    await toggle.uncheck();
    await edge('flow-sg').waitFor({ state: 'detached' });
    assert.equal(await edge('flow-listener').count(), 1, 'a flow not inferred stays');
    assert.equal(await page.getByTestId('flow-label').filter({ hasText: 'MySQL' }).count(), 0, 'the hidden flow has no label either');

    await toggle.check();
    await edge('flow-sg').waitFor({ state: 'attached' });

    // Hiding is a view setting: the saved flows are the same, nothing waits to be saved.
    await toggle.uncheck();
    await edge('flow-sg').waitFor({ state: 'detached' });
    assert.notEqual(await page.getByTestId('save-status').getAttribute('data-status'), 'dirty');
    const { json: saved } = await api('GET', `/models/${id}/diagram`);
    assert.deepEqual(saved.flows.map((f) => [f.id, f.properties?.inferred ?? false]).sort(), [['flow-listener', false], ['flow-sg', true]]);

    // A model without inferred flows shows no checkbox.
    const { json: plain } = await api('POST', '/models', {
      schemaVersion: 1, name: 'Drawn by hand', projectType: 'AWS Cloud Application', priority: 'Medium', facing: 'internal',
      diagram: { components: [{ id: 'a', type: 'aws.ec2', name: 'a', position: { x: 80, y: 80 } }], flows: [], groups: [] },
    });
    await page.goto(`${base}/models/${plain.id}`);
    await page.getByTestId('canvas').waitFor();
    await page.locator('.react-flow__node[data-id="a"]').waitFor();
    assert.equal(await page.getByRole('checkbox', { name: /Show inferred flows/ }).count(), 0);
  });
}
