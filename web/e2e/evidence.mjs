// Browser test of evidence and reports on the demo data: build the shop-prod
// VPC, import the demo findings (events/demo/findings: Security Hub and AWS Config
// about the demo organization) in the Accelerator dashboard, see the model's
// requirements grouped by compliance with counts and Source Name, a
// requirement's evidence, and the Reports menu (the CIS report as HTML in a
// new tab, the executive summary with charts in the app, PDF, custom and CSV
// downloads).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

const FINDINGS = join(ROOT, 'events/demo/findings');

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
    // The demo findings: the bastion has no IMDSv2 (EC2.8, ec2-imdsv2-check fail), the other instances have it.
    const files = readdirSync(FINDINGS).filter((f) => f.endsWith('.json')).sort().map((f) => join(FINDINGS, f));
    assert.ok(files.length >= 3, 'events/demo/findings has the generated files');
    const observations = files.reduce((n, f) => {
      const j = JSON.parse(readFileSync(f, 'utf8'));
      return n + (j.Findings ?? j.AggregateEvaluationResults ?? []).length;
    }, 0);
    await page.goto(`${base}/accelerator`);
    await page.getByTestId('evidence-file').setInputFiles(files);
    const result = page.getByTestId('evidence-import-result');
    await result.waitFor();
    assert.match(await result.innerText(), new RegExp(`^${observations} observations from ${files.length} file\\(s\\): ${observations} new`));

    const { json: ev } = await api('GET', `/models/${model.id}/evidence?groupBy=status`);
    assert.ok(ev.counts.NON_COMPLIANT >= 1 && ev.counts.COMPLIANT >= 1, `a mix of results: ${JSON.stringify(ev.counts)}`);

    // Security Requirements: counts, grouped by compliance, Source Name.
    await page.goto(`${base}/models/${model.id}/overview`);
    await page.getByTestId('pane-requirements').click();
    const counts = page.getByTestId('compliance-counts');
    await page.waitForFunction(() => /NON-COMPLIANT/.test(document.querySelector('[data-testid="compliance-counts"]')?.textContent ?? ''));
    const line = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_AVAILABLE'].filter((k) => ev.counts[k]).map((k) => `${k.replace('_', '-').replace('NOT-AVAILABLE', 'NOT AVAILABLE')} ${ev.counts[k]}`).join(' / ');
    assert.equal(await counts.innerText(), line);
    assert.match(line, /^COMPLIANT \d+ \/ NON-COMPLIANT \d+ \/ NOT AVAILABLE \d+$/);
    await page.getByTestId('group-compliance').check();
    await page.waitForFunction(() => document.querySelector('[data-testid="item-group"]')?.getAttribute('data-group') === 'NON-COMPLIANT');
    const groups = await page.locator('[data-testid="item-group"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-group'), e.querySelector('[data-testid="group-count"]')?.textContent]));
    const want = [['NON-COMPLIANT', String(ev.counts.NON_COMPLIANT)], ['COMPLIANT', String(ev.counts.COMPLIANT)], ['NOT AVAILABLE', String(ev.counts.NOT_AVAILABLE)]].filter(([, n]) => n !== '0');
    assert.deepEqual(groups, want);
    const bad = page.locator('[data-testid="item-group"][data-group="NON-COMPLIANT"] [data-testid="item-row"]');
    assert.equal(await bad.count(), ev.counts.NON_COMPLIANT);
    // The row of the bastion's IMDSv2 requirement: failing on both Security Hub EC2.8 and Config ec2-imdsv2-check.
    const item = ev.items.find((i) => i.status === 'NON_COMPLIANT' && (i.checks.securityHub ?? []).includes('EC2.8'));
    assert.ok(item, 'the IMDSv2 requirement of the bastion is non-compliant');
    assert.equal(item.sourceName, 'i-0bec9757e9e2c267a', 'the Source Name is the bastion instance of events/demo/aws');
    const row = page.locator(`[data-testid="item-group"][data-group="NON-COMPLIANT"] [data-testid="item-row"][data-id="${item.requirement}"]`);
    assert.equal(await row.locator('td[data-col="sourceName"]').innerText(), item.sourceName);
    assert.equal(await row.locator('td[data-col="compliance"]').innerText(), 'NON-COMPLIANT');

    // The requirement's pane shows its evidence from both sources.
    await row.click();
    const pane = page.getByTestId('requirement-evidence');
    await pane.waitFor();
    assert.equal(await pane.getAttribute('data-status'), 'NON_COMPLIANT');
    assert.equal(await page.getByTestId('requirement-source-name').innerText(), item.sourceName);
    const rows = await page.getByTestId('evidence-row').allInnerTexts();
    assert.ok(rows.some((r) => /Security Hub[\s\S]*EC2\.8[\s\S]*FAILED/.test(r)), rows.join('\n'));
    assert.ok(rows.some((r) => /AWS Config[\s\S]*ec2-imdsv2-check[\s\S]*NON_COMPLIANT/.test(r)), rows.join('\n'));

    // Reports: the CIS report as HTML in a new tab.
    await page.getByTestId('btn-reports').click();
    const [popup] = await Promise.all([page.context().waitForEvent('page'), page.getByTestId('report-cis').click()]);
    await popup.waitForLoadState();
    assert.match(popup.url(), new RegExp(`/api/v1/models/${model.id}/reports/cis\\?format=html`));
    const cisHTML = await popup.content();
    assert.match(cisHTML, /<html[\s\S]*CIS AWS Foundations Benchmark[\s\S]*Shop prod evidence/i);
    // The model's account 111111111111 fails CIS 1.4.0 item 1.12 (unused credentials) and passes 3.1 (CloudTrail) in the demo findings.
    const { json: cis } = await api('GET', `/models/${model.id}/reports/cis?format=json`);
    const cisItem = (id) => cis.items.find((i) => i.item === id);
    assert.equal(cis.version, '1.4.0');
    assert.equal(cisItem('1.12').statusLabel, 'Fail');
    assert.equal(cisItem('3.1').statusLabel, 'Pass');
    // CIS 3.0.0 has no mapping in the catalog; the consolidated findings'
    // RelatedRequirements decide its items (IMDSv2 fails on the bastions).
    const { json: cis3 } = await api('GET', `/models/${model.id}/reports/cis?format=json&cis=3.0.0`);
    assert.equal(cis3.version, '3.0.0');
    const imds = cis3.items.find((i) => i.item === '5.6');
    assert.equal(imds.statusLabel, 'Fail');
    assert.ok(imds.controls.includes('EC2.8'), `item 5.6 names EC2.8: ${JSON.stringify(imds.controls)}`);
    assert.match(cisHTML, /Ensure credentials unused for 45 days or greater are disabled/);
    await popup.close();

    // The executive summary in the app: SVG bar charts by severity, status and epic, from the JSON report.
    const { json: exec } = await api('GET', `/models/${model.id}/reports/executive?format=json`);
    await page.getByTestId('btn-reports').click();
    await page.getByTestId('report-view').click();
    const view = page.getByTestId('reports-view');
    await view.getByTestId('chart-epic').waitFor();
    const chart = async (id) => view.getByTestId(id).locator('[data-testid="chart-bar"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-label'), Number(e.getAttribute('data-count'))]));
    assert.deepEqual(await chart('chart-severity'), exec.openBySeverity.map((c) => [c.label, c.count]));
    assert.deepEqual(await chart('chart-requirement-status'), exec.requirementStatus.map((c) => [c.label, c.count]));
    assert.deepEqual(await chart('chart-epic'), exec.epics.map((e) => [e.epic, e.requirements]));
    const widths = await view.getByTestId('chart-severity').locator('rect').evaluateAll((els) => els.map((e) => Number(e.getAttribute('width'))));
    assert.equal(Math.max(...widths), 200, 'the longest bar spans the chart');
    assert.equal(await view.getByTestId('top-risks').locator('tbody tr').count(), exec.topThreats.length);
    await view.getByTestId('reports-view-close').click();

    // PDF: the menu's link answers application/pdf, and the download is a PDF.
    await page.getByTestId('btn-reports').click();
    const pdfLink = page.getByTestId('report-cis-pdf');
    const pdfHref = await pdfLink.getAttribute('href');
    assert.match(pdfHref, /\/reports\/cis\?format=pdf&download=true$/);
    const res = await page.request.get(new URL(pdfHref, base).href);
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-type'], /^application\/pdf/);
    assert.equal((await res.body()).subarray(0, 4).toString('latin1'), '%PDF');
    const [pdf] = await Promise.all([page.waitForEvent('download'), pdfLink.click()]);
    assert.equal(pdf.suggestedFilename().endsWith('.pdf'), true, pdf.suggestedFilename());
    assert.equal(readFileSync(await pdf.path()).subarray(0, 5).toString('latin1'), '%PDF-');

    // Custom: two sections, as JSON.
    await page.getByTestId('btn-reports').click();
    for (const s of ['threats', 'requirements', 'compliance']) await page.getByTestId(`report-section-${s}`).uncheck();
    const customHref = await page.getByTestId('report-custom-json').getAttribute('href');
    assert.match(customHref, /\/reports\/custom\?format=json&download=true&sections=summary%2Ccis$/);
    const [custom] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-custom-json').click()]);
    const cj = JSON.parse(readFileSync(await custom.path(), 'utf8'));
    assert.equal(cj.kind, 'custom');

    // CSV as a download (a followed link closes the menu).
    await page.getByTestId('btn-reports').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-executive-csv').click()]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.ok(csv.split('\n').length > 1, 'the CSV has rows');
  });

  // #17.9: evidence on a security group reaches the instances that use it.
  test('evidence: a failing SSH check on the bastion security group makes the bastion non-compliant', async ({ page, base, api }) => {
    const model = await buildShopProd(api);
    const files = readdirSync(FINDINGS).filter((f) => f.endsWith('.json')).sort().map((f) => join(FINDINGS, f));
    await page.goto(`${base}/accelerator`);
    await page.getByTestId('evidence-file').setInputFiles(files);
    await page.getByTestId('evidence-import-result').waitFor();
    // The bastion as the builder drew it, with its security groups; the demo
    // restricted-ssh evaluation of its group fails (0.0.0.0/0 on port 22).
    const bastion = model.diagram.components.find((c) => c.type === 'aws.ec2' && /bastion/i.test(c.name) && c.properties?.securityGroups);
    assert.ok(bastion, 'the shop-prod build has a bastion with security groups');
    const sg = String(bastion.properties.securityGroups[0]).split(' ')[0];
    const ssh = JSON.parse(readFileSync(join(FINDINGS, 'config-restricted-ssh.json'), 'utf8')).AggregateEvaluationResults
      .find((r) => r.EvaluationResultIdentifier.EvaluationResultQualifier.ResourceId === sg);
    assert.equal(ssh?.ComplianceType, 'NON_COMPLIANT', `restricted-ssh fails on ${sg}`);
    const requirement = `aws.ec2.restrict-admin-access@${bastion.id}`;

    await page.goto(`${base}/models/${model.id}/overview`);
    await page.getByTestId('pane-requirements').click();
    // The list is long and windowed: narrow it to the bastion's rows first.
    await page.getByPlaceholder(/^Search/).fill(bastion.name);
    const row = page.locator(`[data-testid="item-row"][data-id="${requirement}"]`);
    await page.waitForFunction((id) => document.querySelector(`[data-testid="item-row"][data-id="${id}"] td[data-col="compliance"]`)?.textContent === 'NON-COMPLIANT', requirement);
    assert.equal(await row.locator('td[data-col="compliance"]').innerText(), 'NON-COMPLIANT');
    assert.match(await row.innerText(), /Restrict SSH and RDP/);
    // Its evidence names the security group it is about.
    await row.click();
    const pane = page.getByTestId('requirement-evidence');
    await pane.waitFor();
    assert.equal(await pane.getAttribute('data-status'), 'NON_COMPLIANT');
    assert.equal(await page.getByTestId('requirement-compliance').innerText(), 'NON-COMPLIANT');
    const rows = await page.getByTestId('evidence-row').allInnerTexts();
    assert.ok(rows.some((r) => r.includes('restricted-ssh') && r.includes(`security group ${sg}`) && /NON_COMPLIANT/.test(r)), rows.join('\n'));
  });

  // #17.10: the CIS report's benchmark version is chosen in the Reports menu.
  test('evidence: CIS report version picker changes the shown version and items', async ({ page, base, api }) => {
    const model = await buildShopProd(api);
    await page.goto(`${base}/models/${model.id}/overview`);
    const shown = async (version) => {
      await page.getByTestId('btn-reports').click();
      await page.getByLabel('CIS benchmark version').selectOption(version);
      const link = page.getByRole('menuitem', { name: `CIS AWS Foundations v${version}` });
      const [popup] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
      await popup.waitForLoadState();
      const text = await popup.locator('body').innerText();
      const items = await popup.locator('table:has(th:text-is("Item")) tbody tr td:first-child').allInnerTexts();
      const url = popup.url();
      await popup.close();
      return { text, items, url };
    };
    const v12 = await shown('1.2.0');
    assert.match(v12.url, /[?&]cis=1\.2\.0(&|$)/);
    assert.match(v12.text, /CIS AWS Foundations Benchmark v1\.2\.0/);
    const v3 = await shown('3.0.0');
    assert.match(v3.text, /CIS AWS Foundations Benchmark v3\.0\.0/);
    assert.doesNotMatch(v3.text, /Benchmark v1\.2\.0/);
    const v14 = await shown('1.4.0');
    assert.match(v14.text, /CIS AWS Foundations Benchmark v1\.4\.0/);
    // Each version has its own item set, as the server evaluates it.
    for (const [version, got] of [['1.2.0', v12], ['3.0.0', v3], ['1.4.0', v14]]) {
      const { json } = await api('GET', `/models/${model.id}/reports/cis?format=json&cis=${version}`);
      assert.equal(json.version, version);
      assert.deepEqual(got.items.map((s) => s.trim()), json.items.map((i) => i.item), `items of ${version}`);
    }
    assert.notDeepEqual(v12.items, v3.items);
    assert.ok(v3.items.includes('5.6') && !v12.items.includes('5.6'), 'CIS 3.0.0 has item 5.6 (IMDSv2), 1.2.0 does not');
  });

  // #16.12: a finding that contradicts the model is shown on the component's evidence and can update the model.
  test('evidence: a finding that contradicts the model is shown and can update the property', async ({ page, base, api }) => {
    const model = await buildShopProd(api);
    const db = model.diagram.components.find((c) => c.type === 'aws.rds' && c.resource?.arn);
    assert.ok(db, 'shop-prod has an RDS instance');
    // The demo says every database is private (RDS.2 passes); a newer check finds this one public.
    const demo = JSON.parse(readFileSync(join(FINDINGS, 'securityhub-controls.json'), 'utf8')).Findings;
    const passed = demo.find((f) => f.Compliance.SecurityControlId === 'RDS.2' && f.Resources[0].Id === db.resource.arn);
    assert.ok(passed, `the demo has RDS.2 for ${db.resource.arn}`);
    const failed = { ...passed, UpdatedAt: '2026-10-03T09:00:00.000Z', Compliance: { ...passed.Compliance, Status: 'FAILED' }, Workflow: { Status: 'NEW' }, WorkflowState: 'NEW' };
    const file = join(mkdtempSync(join(tmpdir(), 'bulwark-e2e-')), 'rds2-public.json');
    writeFileSync(file, JSON.stringify({ Findings: [failed] }));
    await page.goto(`${base}/accelerator`);
    await page.getByTestId('evidence-file').setInputFiles([file]);
    await page.getByTestId('evidence-import-result').waitFor();
    assert.equal(String(db.properties?.publiclyAccessible ?? false), 'false', 'the model says private');

    const requirement = `aws.rds.encrypt-at-rest@${db.id}`;
    await page.goto(`${base}/models/${model.id}/overview`);
    await page.getByTestId('pane-requirements').click();
    // The list is long and windowed: narrow it to the database's rows first.
    await page.getByPlaceholder(/^Search/).fill(db.name);
    const row = page.locator(`[data-testid="item-row"][data-id="${requirement}"]`);
    await row.waitFor();
    await row.click();
    const notice = page.getByRole('status', { name: 'Evidence contradicts the model' });
    await notice.waitFor();
    assert.match(await notice.innerText(), /Security Hub says public, the model says private \(publiclyAccessible\)/);
    await notice.getByRole('button', { name: 'Set publiclyAccessible to true' }).click();
    await notice.waitFor({ state: 'detached' });
    const { json: after } = await api('GET', `/models/${model.id}`);
    assert.equal(after.diagram.components.find((c) => c.id === db.id).properties.publiclyAccessible, true);
    const { json: ev } = await api('GET', `/models/${model.id}/evidence?requirement=${encodeURIComponent(`aws.rds.no-public-access@${db.id}`)}`);
    assert.equal(ev.items[0].status, 'NON_COMPLIANT');
    assert.equal(ev.contradictions.length, 0);
  });

  // #16.12: the same contradiction is listed in the Drift Log of the built VPC, with the same action.
  test('evidence: the Drift Log lists what the evidence says against the model and can update the property', async ({ page, base, api }) => {
    const model = await buildShopProd(api);
    const db = model.diagram.components.find((c) => c.type === 'aws.rds' && c.resource?.arn);
    const demo = JSON.parse(readFileSync(join(FINDINGS, 'securityhub-controls.json'), 'utf8')).Findings;
    const passed = demo.find((f) => f.Compliance.SecurityControlId === 'RDS.2' && f.Resources[0].Id === db.resource.arn);
    const failed = { ...passed, UpdatedAt: '2026-10-03T09:00:00.000Z', Compliance: { ...passed.Compliance, Status: 'FAILED' }, Workflow: { Status: 'NEW' }, WorkflowState: 'NEW' };
    const file = join(mkdtempSync(join(tmpdir(), 'bulwark-e2e-')), 'rds2-public.json');
    writeFileSync(file, JSON.stringify({ Findings: [failed] }));
    await page.goto(`${base}/accelerator`);
    await page.getByTestId('evidence-file').setInputFiles([file]);
    await page.getByTestId('evidence-import-result').waitFor();

    await page.goto(`${base}/models/${model.id}`);
    await page.getByRole('button', { name: /^Drift Log/ }).click();
    const panel = page.getByRole('complementary', { name: 'Drift Log' });
    const section = panel.getByRole('region', { name: 'Evidence disagrees with the model' });
    await section.waitFor();
    const item = section.locator(`li[data-element="${db.id}"][data-property="publiclyAccessible"]`);
    assert.equal(await section.locator('li').count(), 1);
    assert.match(await item.innerText(), new RegExp(`${db.name}: Security Hub says public, the model says private \\(publiclyAccessible\\)`));
    // The text fits the panel.
    const [pb, ib] = [await panel.boundingBox(), await item.boundingBox()];
    assert.ok(ib.x >= pb.x && ib.x + ib.width <= pb.x + pb.width + 1, `the item (${ib.x}+${ib.width}) is inside the panel (${pb.x}+${pb.width})`);
    await item.getByRole('button', { name: 'Set publiclyAccessible to true' }).click();
    await section.waitFor({ state: 'detached' });
    const { json: after } = await api('GET', `/models/${model.id}`);
    assert.equal(after.diagram.components.find((c) => c.id === db.id).properties.publiclyAccessible, true);
    // The editor reopened the model at its new revision: nothing to save, and a save does not conflict.
    await page.waitForFunction(() => document.querySelector('[data-testid="save-status"]')?.getAttribute('data-status') === 'saved');
  });
}
