// Browser test of evidence and reports: import Security Hub findings in the
// Accelerator dashboard, see a built model's requirements grouped by
// compliance with counts and Source Name, a requirement's evidence, and the
// Reports menu (HTML in a new tab, CSV download).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

const SAMPLE_INSTANCE = 'i-0123456789abcdef0';

/** buildShopProd builds the shop-prod VPC (us-east-1, like the sample findings) through the API and returns the model. */
async function buildShopProd(api) {
  const { json: vpcs } = await api('GET', '/accelerator/accounts/111111111111/vpcs');
  const vpc = vpcs.vpcs.find((v) => v.name === 'shop-prod');
  let { json: run } = await api('POST', '/accelerator/builds', { accountId: vpc.accountId, region: vpc.region, vpcId: vpc.vpcId, name: 'Shop prod evidence' });
  for (let i = 0; i < 100 && (run.status === 'pending' || run.status === 'running'); i++) {
    await new Promise((r) => setTimeout(r, 200));
    run = (await api('GET', `/accelerator/runs/${run.id}`)).json;
  }
  assert.equal(run.status, 'succeeded');
  return (await api('GET', `/models/${run.modelId}`)).json;
}

export function register(test) {
  test('evidence: import findings, requirements by compliance with Source Name, evidence pane, reports', async ({ page, base, api }) => {
    const model = await buildShopProd(api);
    // EC2.8 (IMDSv2) fails on the bastion, the one instance without IMDSv2; it passes on another instance, whose requirement is met by design.
    const ec2 = model.diagram.components.filter((c) => c.resource?.resourceType === 'AWS::EC2::Instance');
    const instances = [ec2.find((c) => c.properties?.imdsv2Required === false).id, ec2.find((c) => c.properties?.imdsv2Required === true).id];
    // The sample findings name an instance of the samples' own; point them at two of the model's (two findings).
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-evidence-'));
    try {
      const failed = join(dir, 'ec2-8-failed.json');
      const passed = join(dir, 'ec2-8-passed.json');
      writeFileSync(failed, readFileSync(join(ROOT, 'events/aws/securityhub/consolidated-ec2-8-failed.json'), 'utf8').replaceAll(SAMPLE_INSTANCE, instances[0]));
      writeFileSync(passed, readFileSync(join(ROOT, 'events/aws/securityhub/consolidated-ec2-8-passed-later.json'), 'utf8').replaceAll(SAMPLE_INSTANCE, instances[1]).replaceAll('-000000000001', '-000000000002'));

      await page.goto(`${base}/accelerator`);
      await page.getByTestId('evidence-file').setInputFiles([failed, passed]);
      const result = page.getByTestId('evidence-import-result');
      await result.waitFor();
      assert.match(await result.innerText(), /2 observations from 2 file\(s\): 2 new/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const { json: ev } = await api('GET', `/models/${model.id}/evidence?groupBy=status`);
    assert.equal(ev.counts.NON_COMPLIANT, 1);

    // Security Requirements: counts, grouped by compliance, Source Name.
    await page.goto(`${base}/models/${model.id}/overview`);
    await page.getByTestId('pane-requirements').click();
    const counts = page.getByTestId('compliance-counts');
    await page.waitForFunction(() => /NON-COMPLIANT/.test(document.querySelector('[data-testid="compliance-counts"]')?.textContent ?? ''));
    const line = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_AVAILABLE'].filter((k) => ev.counts[k]).map((k) => `${k.replace('_', '-').replace('NOT-AVAILABLE', 'NOT AVAILABLE')} ${ev.counts[k]}`).join(' / ');
    assert.equal(await counts.innerText(), line);
    assert.match(line, /NON-COMPLIANT 1 \/ NOT AVAILABLE \d+/);
    await page.getByTestId('group-compliance').check();
    await page.waitForFunction(() => document.querySelector('[data-testid="item-group"]')?.getAttribute('data-group') === 'NON-COMPLIANT');
    const groups = await page.locator('[data-testid="item-group"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-group'), e.querySelector('[data-testid="group-count"]')?.textContent]));
    const want = [['NON-COMPLIANT', String(ev.counts.NON_COMPLIANT)], ['COMPLIANT', String(ev.counts.COMPLIANT)], ['NOT AVAILABLE', String(ev.counts.NOT_AVAILABLE)]].filter(([, n]) => n !== '0');
    assert.deepEqual(groups, want);
    const bad = page.locator('[data-testid="item-group"][data-group="NON-COMPLIANT"] [data-testid="item-row"]');
    const item = ev.items.find((i) => i.status === 'NON_COMPLIANT');
    assert.equal(await bad.getAttribute('data-id'), item.requirement);
    assert.equal(await bad.locator('td[data-col="sourceName"]').innerText(), item.sourceName);
    assert.equal(await bad.locator('td[data-col="compliance"]').innerText(), 'NON-COMPLIANT');

    // The requirement's pane shows its evidence.
    await bad.click();
    const pane = page.getByTestId('requirement-evidence');
    await pane.waitFor();
    assert.equal(await pane.getAttribute('data-status'), 'NON_COMPLIANT');
    assert.equal(await page.getByTestId('requirement-source-name').innerText(), item.sourceName);
    assert.match(await page.getByTestId('evidence-row').first().innerText(), /Security Hub[\s\S]*EC2\.8[\s\S]*FAILED/);

    // Reports: HTML in a new tab, CSV as a download.
    await page.getByTestId('btn-reports').click();
    const [popup] = await Promise.all([page.context().waitForEvent('page'), page.getByTestId('report-policy').click()]);
    await popup.waitForLoadState();
    assert.match(popup.url(), new RegExp(`/api/v1/models/${model.id}/reports/policy\\?format=html`));
    assert.match(await popup.content(), /<html[\s\S]*Shop prod evidence/i);
    await popup.close();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-executive-csv').click()]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.ok(csv.split('\n').length > 1, 'the CSV has rows');
  });
}
