// Browser test of Accelerator → Add account against a server in aws mode,
// whose AWS calls go to a fake AWS on loopback (AWS_ENDPOINT_URL): STS
// (query protocol, XML) trusts the member role only with the ExternalId of
// a "deployed" member stack; Organizations and AWS Config (JSON 1.1) answer
// a small organization. Registered with run.mjs.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startServer } from './lib.mjs';

const ACCOUNT = '444444444444'; // the account the user adds
const OTHER = '777777777777'; // in the organization, never registered by this tenant
const VPC = 'vpc-0e2e0000000000001';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/bulwark/BulwarkReadOnly`;

/** fakeAWS starts the fake services; deploy(externalId) "deploys" the member stack. */
async function fakeAWS() {
  let trusted = null; // the ExternalId of the deployed member stack
  let securityHub = false; // Security Hub enabled in the member account (GetFindings answers)
  const calls = [];
  const xml = (res, status, body) => {
    res.writeHead(status, { 'Content-Type': 'text/xml' });
    res.end(body);
  };
  const json = (res, body, status = 200) => {
    res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(body));
  };
  const vpcItem = JSON.stringify({
    resourceId: VPC, resourceType: 'AWS::EC2::VPC', accountId: ACCOUNT, awsRegion: 'eu-west-1', arn: `arn:aws:ec2:eu-west-1:${ACCOUNT}:vpc/${VPC}`,
    configurationItemCaptureTime: '2026-10-01T10:00:00.000Z', configurationItemStatus: 'OK', configurationStateId: '1',
    tags: [{ key: 'Name', value: 'shop-prod' }], relationships: [], configuration: { vpcId: VPC, cidrBlock: '10.40.0.0/16', state: 'available' },
  });
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const target = req.headers['x-amz-target'];
      if (req.url.startsWith('/findings')) {
        // Security Hub GetFindings (REST JSON), read with the member role's session only.
        calls.push('GetFindings');
        if (!securityHub) {
          res.writeHead(400, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'InvalidAccessException' });
          return res.end(JSON.stringify({ Message: `Account ${ACCOUNT} is not subscribed to AWS Security Hub`, Code: 'InvalidAccessException' }));
        }
        if (!/Credential=ASIAE2EMEMBER\//.test(req.headers.authorization ?? '')) return json(res, { __type: 'AccessDeniedException', message: 'not the member role' }, 400);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ Findings: [] }));
      }
      if (!target) {
        const form = new URLSearchParams(body);
        const action = form.get('Action');
        calls.push(action);
        if (action === 'AssumeRole') {
          if (form.get('RoleArn') !== ROLE || !trusted || form.get('ExternalId') !== trusted) {
            return xml(res, 403, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::999999999999:assumed-role/api/bulwark is not authorized to perform: sts:AssumeRole on resource: ${form.get('RoleArn')}</Message></Error><RequestId>e2e-1</RequestId></ErrorResponse>`);
          }
          const exp = new Date(Date.now() + 3600_000).toISOString();
          return xml(res, 200, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAE2EMEMBER</AccessKeyId><SecretAccessKey>member-secret</SecretAccessKey><SessionToken>member-token</SessionToken><Expiration>${exp}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::${ACCOUNT}:assumed-role/BulwarkReadOnly/bulwark-accelerator</Arn><AssumedRoleId>AROAE2E:bulwark-accelerator</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>e2e-2</RequestId></ResponseMetadata></AssumeRoleResponse>`);
        }
        if (action === 'GetCallerIdentity') {
          return xml(res, 200, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::${ACCOUNT}:assumed-role/BulwarkReadOnly/bulwark-accelerator</Arn><UserId>AROAE2E:bulwark-accelerator</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>e2e-3</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
        }
        return xml(res, 400, `<ErrorResponse><Error><Code>InvalidAction</Code><Message>${action}</Message></Error></ErrorResponse>`);
      }
      const op = target.split('.').pop();
      calls.push(op);
      const input = body ? JSON.parse(body) : {};
      switch (op) {
        case 'ListRoots':
          return json(res, { Roots: [{ Id: 'r-e2e1', Name: 'Root', Arn: 'arn:aws:organizations::999999999999:root/o-e2e/r-e2e1' }] });
        case 'ListOrganizationalUnitsForParent':
          return json(res, { OrganizationalUnits: input.ParentId === 'r-e2e1' ? [{ Id: 'ou-e2e1-workloads', Name: 'Workloads' }] : [] });
        case 'ListAccountsForParent':
          return json(res, { Accounts: input.ParentId === 'ou-e2e1-workloads'
            ? [{ Id: ACCOUNT, Name: 'Shop production', Email: 'shop@example.com', Status: 'ACTIVE' }, { Id: OTHER, Name: 'Someone else', Email: 'else@example.com', Status: 'ACTIVE' }]
            : [] });
        case 'DescribeConfigRules':
          return json(res, { ConfigRules: [] });
        case 'SelectResourceConfig':
          // Read with the member role's session only.
          if (!/Credential=ASIAE2EMEMBER\//.test(req.headers.authorization ?? '')) return json(res, { __type: 'AccessDeniedException', message: 'not the member role' }, 400);
          return json(res, { Results: [vpcItem] });
        default:
          return json(res, { __type: 'UnknownOperationException', message: op }, 400);
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    calls,
    deploy(externalId) {
      trusted = externalId;
    },
    enableSecurityHub() {
      securityHub = true;
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

const state = (page, id) => page.getByTestId(id).getAttribute('data-state');

export function register(test) {
  test('accounts: add an account in three steps (register, deploy command, verify after AssumeRole works), then build one of its VPCs with evidence evaluated', async ({ page }) => {
    const aws = await fakeAWS();
    const server = await startServer({
      env: {
        BULWARK_ACCELERATOR_SOURCE: 'aws', BULWARK_PLATFORM_ACCOUNT_ID: '999999999999', BULWARK_DRIFT_EVERY: '0',
        AWS_ENDPOINT_URL: aws.url, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDE2EPLATFORM', AWS_SECRET_ACCESS_KEY: 'platform-secret',
        AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true', AWS_PROFILE: '',
      },
    });
    try {
      const base = server.base;
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
      await page.goto(`${base}/`);
      await page.getByTestId('nav-accelerator').click();
      await page.getByTestId('accelerator').waitFor();
      // Nothing of the organization is shown before an account is connected.
      await page.getByTestId('org-tree').waitFor();
      assert.equal(await page.locator('[data-testid^="org-account-"]').count(), 0);

      // 1. Register: the account id only.
      await page.getByTestId('accel-add-account').click();
      await page.getByTestId('add-account-dialog').waitFor();
      assert.equal(await state(page, 'add-step-register'), 'current');
      await page.getByTestId('add-account-id').fill('4444');
      await page.getByTestId('add-account-register').click();
      await page.getByTestId('add-account-error').waitFor();
      await page.getByTestId('add-account-id').fill(ACCOUNT);
      await page.getByTestId('add-account-register').click();

      // 2. The member stack's deploy command, with the generated ExternalId; copy it.
      const command = await page.getByTestId('add-account-command').innerText();
      assert.match(command, /--capabilities CAPABILITY_NAMED_IAM/);
      assert.match(command, /PlatformAccountId=999999999999/);
      assert.match(command, /PlatformRegion=eu-west-1/, 'members in other regions forward to the platform region');
      const externalId = command.match(/ExternalId=(bulwark-[a-z2-7]{26})/)?.[1];
      assert.ok(externalId, `no ExternalId in ${command}`);
      assert.equal(await state(page, 'add-step-register'), 'done');
      assert.equal(await state(page, 'add-step-deploy'), 'current');
      await page.getByTestId('add-account-copy').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="add-account-copy"]')?.getAttribute('data-copied') === 'true');
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), command);

      // 3. Verify before the stack exists: AssumeRole is refused, and the page says so.
      await page.getByTestId('add-account-verify').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="add-account-state"]')?.getAttribute('data-state') === 'failed');
      assert.match(await page.getByTestId('add-account-verify-error').innerText(), /AccessDenied/);
      assert.equal(await state(page, 'add-step-verify'), 'failed');
      const unverified = await fetch(`${base}/api/v1/accelerator/accounts/${ACCOUNT}/vpcs`);
      assert.equal(unverified.status, 403, 'an unverified account lists no VPCs');

      // The stack is deployed with that ExternalId: now Bulwark assumes the role.
      aws.deploy(externalId);
      await page.getByTestId('add-account-verify').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="add-account-state"]')?.getAttribute('data-state') === 'verified');
      for (const s of ['add-step-register', 'add-step-deploy', 'add-step-verify']) assert.equal(await state(page, s), 'done');
      // Verified in aws mode, not pulled yet (the scheduled run is off here): the dialog says when it will be.
      assert.equal(await state(page, 'evidence-pull'), 'never');
      assert.match(await page.getByTestId('evidence-pull').innerText(), /^Evidence: not pulled yet\. The scheduled run pulls it within 15 minutes of verification \(verified just now\)\.$/);
      assert.ok(aws.calls.includes('GetCallerIdentity'));
      await page.getByTestId('add-account-close').click();

      // Connected: the tree shows the path to this account only, and its VPCs are read through the role.
      await page.getByTestId(`org-account-${ACCOUNT}`).waitFor();
      assert.equal(await page.getByTestId(`org-account-${OTHER}`).count(), 0);
      assert.match(await page.getByTestId('org-tree').innerText(), /Root[\s\S]*Workloads[\s\S]*Shop production/);
      await page.getByTestId(`org-account-${ACCOUNT}`).click();
      await page.getByTestId(`vpc-row-${VPC}`).waitFor();
      // The account's details say the same above its VPCs; the time is focusable and shows the absolute time then.
      assert.equal(await state(page, 'evidence-pull'), 'never');
      const when = page.getByTestId('evidence-pull').locator('time');
      await when.focus();
      const abs = await when.getAttribute('title');
      assert.ok(abs && (await when.evaluate((el) => getComputedStyle(el, '::after').content)).includes(abs), 'the absolute time shows beside the focused time');

      // Security Hub reports (in OCSF, "Findings Imported V2") that the VPC has no flow logs; a build's
      // evaluate step counts it instead of being skipped.
      const finding = {
        class_uid: 2003, class_name: 'Compliance Finding', activity_name: 'Create',
        cloud: { account: { uid: ACCOUNT }, region: 'eu-west-1', provider: 'AWS' },
        compliance: { control: 'EC2.6', standards: ['standards/aws-foundational-security-best-practices/v/1.0.0'], status: 'Fail', status_id: 3 },
        finding_info: { uid: `arn:aws:securityhub:eu-west-1:${ACCOUNT}:security-control/EC2.6/finding/e2e`, title: 'VPC flow logging should be enabled in all VPCs', modified_time_dt: '2026-10-02T09:00:00.000Z',
          analytic: { category: 'AWS::Config::ConfigRule', name: 'securityhub-vpc-flow-logs-enabled-e2e' } },
        resources: [{ type: 'AWS::EC2::VPC', uid: VPC, uid_alt: `arn:aws:ec2:eu-west-1:${ACCOUNT}:vpc/${VPC}`, region: 'eu-west-1' }],
        status: 'New', severity: 'Medium',
      };
      const imported = await fetch(`${base}/api/v1/evidence/import`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ version: '0', 'detail-type': 'Findings Imported V2', source: 'aws.securityhub', account: ACCOUNT, region: 'eu-west-1', time: '2026-10-02T09:00:01Z', detail: { findings: [finding] } }),
      });
      assert.equal(imported.status, 200, await imported.text());
      await page.getByTestId(`vpc-new-${VPC}`).click();
      await page.getByTestId('accel-create').click();
      await page.waitForFunction(() => ['succeeded', 'failed'].includes(document.querySelector('[data-testid="build-progress"]')?.getAttribute('data-status')), null, { timeout: 30_000 });
      assert.equal(await page.getByTestId('build-progress').getAttribute('data-status'), 'succeeded');
      assert.equal(await page.getByTestId('build-step-evaluate').getAttribute('data-status'), 'succeeded');
      assert.match(await page.getByTestId('build-compliance').innerText(), /^0 compliant · 1 non-compliant · \d+ without evidence$/);
      await page.getByTestId('accel-close').click();

      // A second account left half-way is listed and resumes at the deploy step.
      await page.getByTestId('accel-add-account').click();
      await page.getByTestId('add-account-id').fill('555555555555');
      await page.getByTestId('add-account-register').click();
      await page.getByTestId('add-account-command').waitFor();
      await page.getByTestId('add-account-close').click();
      await page.getByTestId('pending-account-555555555555').click();
      assert.equal(await state(page, 'add-step-deploy'), 'current');
      assert.match(await page.getByTestId('add-account-command').innerText(), /ExternalId=bulwark-/);
    } finally {
      await server.stop();
      await aws.close();
    }
  });

  test('accounts: the scheduled evidence pull of a verified account: failed (Security Hub off) with its error and next try, then pulled after the account is verified again', async ({ page }) => {
    const aws = await fakeAWS();
    // The scheduled run every second pulls the account's evidence as soon as it is verified.
    const server = await startServer({
      env: {
        BULWARK_ACCELERATOR_SOURCE: 'aws', BULWARK_PLATFORM_ACCOUNT_ID: '999999999999', BULWARK_DRIFT_EVERY: '1s',
        AWS_ENDPOINT_URL: aws.url, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDE2EPLATFORM', AWS_SECRET_ACCESS_KEY: 'platform-secret',
        AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true', AWS_PROFILE: '',
      },
    });
    const call = async (method, path, body) => {
      const r = await fetch(`${server.base}/api/v1${path}`, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body && JSON.stringify(body) });
      assert.ok(r.ok, `${method} ${path}: ${r.status} ${await r.clone().text()}`);
      return r.json();
    };
    /** pulled waits for the account's evidence pull to satisfy ok. */
    const pulled = async (ok) => {
      for (const t0 = Date.now(); Date.now() - t0 < 30_000; await new Promise((r) => setTimeout(r, 250))) {
        const a = await call('GET', `/accelerator/accounts/${ACCOUNT}`);
        if (a.evidencePull && ok(a.evidencePull)) return a.evidencePull;
      }
      assert.fail('the scheduled run did not record the pull');
    };
    try {
      const acct = await call('POST', '/accelerator/accounts', { id: ACCOUNT });
      aws.deploy(acct.externalId);
      assert.equal((await call('POST', `/accelerator/accounts/${ACCOUNT}/verify`)).status, 'verified');
      const failed = await pulled((p) => !!p.error);
      assert.equal(failed.failures, 1);

      await page.setViewportSize({ width: 1100, height: 800 });
      await page.goto(`${server.base}/accelerator`);
      await page.getByTestId(`org-account-${ACCOUNT}`).click();
      await page.getByTestId(`vpc-row-${VPC}`).waitFor();
      const box = page.getByTestId('evidence-pull');
      assert.equal(await box.getAttribute('data-state'), 'failed');
      assert.equal(await page.getByTestId(`org-pull-failed-${ACCOUNT}`).getAttribute('aria-label'), 'Evidence pull failed', 'the tree marks the account');
      assert.match(await page.getByTestId('evidence-pull-failed').innerText(), /^Evidence pull failed$/);
      const head = await box.innerText();
      assert.match(head, /\(last (just now|\d+ min ago)\) · never succeeded · next try in (9|10) min/, head);
      // The error reads in full, wrapped inside the box, and can be reached from the keyboard.
      const error = page.getByTestId('evidence-pull-error');
      assert.match(await error.innerText(), /not subscribed to AWS Security Hub/);
      const fits = await error.evaluate((el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().right <= el.closest('[data-testid="evidence-pull"]').getBoundingClientRect().right);
      assert.ok(fits, 'the error wraps inside its box');
      const next = page.getByTestId('evidence-pull-next');
      const at = new Date(await next.getAttribute('datetime')).getTime();
      assert.ok(Math.abs(at - (new Date(failed.ended).getTime() + 10 * 60_000)) < 1000, 'the next try is 10 minutes after the failed pull');
      await next.focus();
      for (let i = 0; i < 4 && !(await error.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
      assert.ok(await error.evaluate((el) => el === document.activeElement), 'Tab reaches the error');

      // Security Hub is enabled and the account verified again: the next run pulls at once, and succeeds.
      aws.enableSecurityHub();
      await call('POST', `/accelerator/accounts/${ACCOUNT}/verify`);
      const ok = await pulled((p) => !p.error);
      assert.ok(ok.succeeded);
      await page.getByTestId('accel-refresh').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="evidence-pull"]')?.getAttribute('data-state') === 'pulled');
      assert.equal(await page.getByTestId(`org-pull-failed-${ACCOUNT}`).count(), 0);
      assert.match(await box.innerText(), /^Evidence: pulled (just now|\d+ min ago) · no observations$/);
      assert.equal(await page.getByTestId('evidence-pull-when').getAttribute('datetime'), ok.succeeded);
    } finally {
      await server.stop();
      await aws.close();
    }
  });
}
