/**
 * The gateways' web pages in headless Chromium, on the real network: a hospital user signs in with a
 * token (by keyboard), uploads scans through the file input and by drag and drop, follows them to
 * `completed` in the live list, and sees the segmentation drawn over the scan with class areas, receipt,
 * checks and access log; a retried upload whose answer was lost does not make a second request; a
 * wrong token is refused visibly. The regulator signs in, finds the request, verifies it (every check
 * ok), and opens models, labs (reputation chart) and blocks. Every control has an accessible name, the
 * pages log no script or Content-Security-Policy errors, and screenshots are kept in
 * test-artifacts/screenshots/.
 *
 * Needs Debian's Chromium at /usr/bin/chromium (`node scripts/ensure-chromium.mjs` installs it).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import pino from 'pino';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadLabConfig, startLab, type RunningLab } from '@veriscan/inference-lab';
import { runSuffix } from '../chaincode/support/consortium';
import { RUN_LAB, setUpRunModel, type RunModel } from '../lab/support/lab-network';
import { bearer, freePort, obj, startTestGateway, type TestGateway } from './support/gateways';

const CHROMIUM = '/usr/bin/chromium';
const repoRoot = join(__dirname, '..', '..', '..');
const fixtures = join(repoRoot, 'test', 'fixtures', 'scans');
const screenshots = join(repoRoot, 'test-artifacts', 'screenshots');
const PAGE_CSP =
  "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; " +
  "connect-src 'self'; frame-ancestors 'none'";

// The browser-side shapes the evaluated functions use (the test compiles without the DOM library).
interface ControlLike {
  readonly id: string;
  readonly tagName: string;
  readonly labels: ArrayLike<unknown> | null;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  getClientRects(): ArrayLike<unknown>;
}
interface DocumentLike {
  querySelectorAll(selector: string): ArrayLike<ControlLike>;
}
interface CanvasLike {
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { readonly data: ArrayLike<number> };
  } | null;
}
interface DropGlobals {
  readonly DataTransfer: new () => { readonly items: { add(file: unknown): unknown } };
  readonly File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
  atob(text: string): string;
}

/**
 * Wraps the page's fetch: records each upload's Idempotency-Key, lets the first upload reach the
 * gateway, then throws away its answer as a dropped connection would (after the gateway stored it).
 */
const LOSE_FIRST_UPLOAD_ANSWER = `(() => {
  const real = window.fetch.bind(window);
  window.__uploadKeys = [];
  window.fetch = async (input, init) => {
    if (input === '/api/v1/scans' && init && init.method === 'POST') {
      window.__uploadKeys.push(new Headers(init.headers).get('Idempotency-Key'));
      const response = await real(input, init);
      if (window.__uploadKeys.length === 1) {
        window.__firstAnswer = await response.json();
        throw new TypeError('Failed to fetch');
      }
      return response;
    }
    return real(input, init);
  };
})();`;

/** Problems a page reported: script errors and console errors other than failed fetches it handles. */
class PageErrors {
  readonly list: string[] = [];

  watch(page: Page): void {
    page.on('pageerror', (error) => this.list.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      // A refused token (401), the bundle's 501 and the aborted upload are expected and shown on the page.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        this.list.push(`console: ${message.text()}`);
    });
  }
}

/** Controls on screen without an accessible name (a label, aria-label/-labelledby, or button text). */
async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: DocumentLike }).document;
    return Array.from(doc.querySelectorAll('input, select, textarea, button'))
      .filter((c) => c.getClientRects().length > 0)
      .filter((c) => {
        const labelled =
          (c.labels?.length ?? 0) > 0 ||
          (c.getAttribute('aria-label') ?? '') !== '' ||
          (c.getAttribute('aria-labelledby') ?? '') !== '';
        const text = c.tagName === 'BUTTON' && (c.textContent ?? '').trim() !== '';
        return !labelled && !text;
      })
      .map((c) => `${c.tagName.toLowerCase()}#${c.id}`);
  });
}

/** Each label names exactly one visible control. */
async function expectLabelled(page: Page, labels: readonly string[]): Promise<void> {
  for (const label of labels) {
    const control = page.getByLabel(label, { exact: true });
    expect(await control.count(), label).to.equal(1);
    expect(await control.isVisible(), label).to.equal(true);
  }
  expect(await unnamedControls(page)).to.deep.equal([]);
}

/** Focuses the token field with Tab alone, types the token and presses Enter. */
async function signInByKeyboard(page: Page, token: string): Promise<void> {
  for (let i = 0; i < 8 && (await page.locator('#token:focus').count()) === 0; i += 1)
    await page.keyboard.press('Tab');
  expect(await page.locator('#token:focus').count(), 'Tab reaches the token field').to.equal(1);
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
  await page.locator('#app').waitFor({ state: 'visible' });
}

/** Pixels of the overlay canvas: coloured (the class map) and grey but not black (the scan). */
async function overlayPixels(page: Page): Promise<{ coloured: number; grey: number; total: number }> {
  return page.locator('#overlay').evaluate((node: unknown) => {
    const canvas = node as CanvasLike;
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
    let coloured = 0;
    let grey = 0;
    for (let i = 0; i + 3 < data.length; i += 4) {
      const [r, g, b, a] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, data[i + 3] ?? 0];
      if (a === 0) continue;
      if (Math.abs(r - g) > 24 || Math.abs(g - b) > 24 || Math.abs(r - b) > 24) coloured += 1;
      else if (r > 24) grey += 1;
    }
    return { coloured, grey, total: data.length / 4 };
  });
}

describe('web pages in Chromium', function () {
  this.timeout(600_000);
  const run = runSuffix();
  let model: RunModel;
  let lab: RunningLab;
  let hospital: TestGateway;
  let otherHospital: TestGateway;
  let regulator: TestGateway;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors = new PageErrors();
  /** Requests the hospital page made, for the regulator's part. */
  const uploaded: string[] = [];

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    errors.watch(page);
    return page;
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  }

  before(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: run \`node scripts/ensure-chromium.mjs\` (as root) first`);
    mkdirSync(screenshots, { recursive: true });
    model = await setUpRunModel(`pg-${run}`);
    const [hospitalPort, labPort, otherPort, regulatorPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    // Between institutions everything is HTTPS (the lab's API, the hospital's scan exchange on its own
    // port); the pages are on each gateway's users' port.
    const labUrl = `https://127.0.0.1:${labPort}`;
    hospital = await startTestGateway('hospital-a', hospitalPort, {
      VERISCAN_GATEWAY_LABS: `${RUN_LAB}=${labUrl}`,
    });
    const hospitalBlobs = `${hospital.exchangeUrl ?? ''}/blobs`;
    otherHospital = await startTestGateway('hospital-b', otherPort, {
      VERISCAN_GATEWAY_LABS: `${RUN_LAB}=${labUrl}`,
    });
    regulator = await startTestGateway('regulator-1', regulatorPort, {
      VERISCAN_GATEWAY_LABS: `${RUN_LAB}=${labUrl}`,
      VERISCAN_GATEWAY_HOSPITALS: `hospital-a=${hospitalBlobs}`,
      VERISCAN_GATEWAY_MODEL_DIR: model.modelDir,
    });
    lab = await startLab(
      loadLabConfig({
        ...process.env,
        VERISCAN_LAB_IDENTITY: RUN_LAB,
        VERISCAN_LAB_MODEL_DIR: model.modelDir,
        VERISCAN_LAB_HOSPITALS: `hospital-a=${hospitalBlobs}`,
        VERISCAN_LAB_STATE_DIR: mkdtempSync(join(tmpdir(), 'veriscan-pages-lab-')),
        VERISCAN_LAB_HTTP_PORT: String(labPort),
        VERISCAN_LAB_TLS: 'issue',
        VERISCAN_LAB_LOG_LEVEL: 'warn',
        VERISCAN_LAB_DRAIN_TIMEOUT_MS: '10000',
      }),
      pino({ level: 'warn' }),
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await (browser as Browser | undefined)?.close();
    // Each may be missing when `before` failed part-way.
    const started: ({ stop(): Promise<void> } | undefined)[] = [
      lab,
      ...[hospital, otherHospital, regulator].map((g) => (g as TestGateway | undefined)?.running),
    ];
    await Promise.all(started.map(async (s) => s?.stop()));
  });

  afterEach(() => {
    const seen = errors.list.splice(0);
    expect(seen, 'errors the pages reported').to.deep.equal([]);
  });

  it('serves each role its page under a strict Content-Security-Policy', async () => {
    const page = await fetch(`${hospital.url}/`);
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
    expect(page.headers.get('content-security-policy')).to.equal(PAGE_CSP);
    const html = await page.text();
    expect(html).to.include('<html lang="en">').and.include('Veriscan · hospital-a');
    const script = await fetch(`${hospital.url}/web/common/api.js`);
    expect(script.status).to.equal(200);
    expect(script.headers.get('content-type')).to.match(/javascript/);
    // Each gateway serves its own role's files only; unknown paths stay problem+json 404s.
    const otherRole = await fetch(`${hospital.url}/web/regulator/main.js`);
    expect(otherRole.status).to.equal(404);
    expect(otherRole.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect((await fetch(`${hospital.url}/web/../src/app.ts`)).status).to.equal(404);
    const explorer = await fetch(`${regulator.url}/`);
    expect(explorer.headers.get('content-security-policy')).to.equal(PAGE_CSP);
    expect(await explorer.text()).to.include('audit explorer');
  });

  it('refuses a wrong token on the hospital page with a visible error', async () => {
    const page = await newPage();
    await page.goto(`${hospital.url}/`);
    await expectLabelled(page, ['API token']);
    // A real token, but of another hospital's gateway.
    await page.getByLabel('API token').fill(otherHospital.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const error = page.locator('#sign-in-error');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent())
      .to.include('Sign-in failed')
      .and.include('Unauthorized (401)');
    expect(await page.locator('#app').isVisible()).to.equal(false);
    await shot(page, 'hospital-wrong-token');
  });

  it('takes a hospital user from sign-in through uploads to a checked, drawn result', async () => {
    const page = await newPage();
    await page.goto(`${hospital.url}/`);
    await signInByKeyboard(page, hospital.token);
    await expectLabelled(page, ['Scan file', 'Model', 'Priority', 'Patient reference (optional)']);
    expect(await page.getByLabel('Model', { exact: true }).inputValue()).to.equal('brain-tissue@approved');
    await page.getByLabel('Model', { exact: true }).fill(model.ref);
    await page.getByLabel('Priority').selectOption('urgent');
    await page.getByLabel('Patient reference (optional)').fill('MRN-PAGE-1');

    // Through the file input.
    await page.getByLabel('Scan file').setInputFiles(join(fixtures, 'brain-axial-z102-8bit.png'));
    await page.getByRole('button', { name: 'Upload' }).click();
    const status = page.locator('#upload-status');
    await status.filter({ hasText: 'Accepted as rq-' }).waitFor();
    const first = /(rq-[0-9a-f]{32})/.exec((await status.textContent()) ?? '')?.[1] ?? '';
    expect(first).to.match(/^rq-[0-9a-f]{32}$/);

    // By a drop on the drop zone (a synthetic drop event carrying a real fixture).
    const dropped = 'brain-axial-z057-16bit.png';
    const transfer = await page.evaluateHandle(
      ({ name, base64 }) => {
        const g = globalThis as unknown as DropGlobals;
        const binary = g.atob(base64);
        const bytes = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
        const dt = new g.DataTransfer();
        dt.items.add(new g.File([bytes], name, { type: 'image/png' }));
        return dt;
      },
      { name: dropped, base64: readFileSync(join(fixtures, dropped)).toString('base64') },
    );
    await page.locator('#drop-zone').dispatchEvent('drop', { dataTransfer: transfer });
    await page.locator('#selected-file').filter({ hasText: dropped }).waitFor();
    await page.getByRole('button', { name: 'Upload' }).click();
    await status
      .filter({ hasText: /Accepted as rq-[0-9a-f]{32}/ })
      .filter({ hasNotText: first })
      .waitFor();
    const second = /(rq-[0-9a-f]{32})/.exec((await status.textContent()) ?? '')?.[1] ?? '';
    expect(second)
      .to.match(/^rq-[0-9a-f]{32}$/)
      .and.not.equal(first);
    // A DICOM file: the browser cannot show it, so the page says so and draws the class map alone.
    const dicom = 'mr-axial-z057-explicit.dcm';
    await page.getByLabel('Scan file').setInputFiles(join(fixtures, dicom));
    await page.getByRole('button', { name: 'Upload' }).click();
    await status
      .filter({ hasText: /Accepted as rq-[0-9a-f]{32}/ })
      .filter({ hasNotText: second })
      .waitFor();
    const third = /(rq-[0-9a-f]{32})/.exec((await status.textContent()) ?? '')?.[1] ?? '';
    expect(third).to.match(/^rq-[0-9a-f]{32}$/);
    uploaded.push(first, second, third);

    // Both reach `completed` in the polled list.
    for (const id of [first, second, third])
      await page
        .locator(`tr[data-request-id="${id}"] .badge`)
        .filter({ hasText: 'completed' })
        .waitFor({ timeout: 120_000 });
    await shot(page, 'hospital-list');

    await page.getByRole('button', { name: `Open request ${first}` }).click();
    await page.locator('#result-heading').filter({ hasText: first }).waitFor();
    await page.locator('#overlay[data-drawn="true"]').waitFor();
    const pixels = await overlayPixels(page);
    expect(pixels.total).to.equal(512 * 512);
    expect(pixels.coloured, 'class-map pixels drawn').to.be.greaterThan(5000);
    expect(pixels.grey, 'scan pixels drawn').to.be.greaterThan(500);
    await expectLabelled(page, ['Show segmentation', 'Segmentation opacity']);

    const result = page.locator('#result');
    const areas = result.locator('table', { hasText: "Pixels of each class in the model's output frame" });
    for (const name of ['background', 'grey-matter', 'white-matter', 'csf-or-other'])
      expect(await areas.locator('tbody tr', { hasText: name }).count(), name).to.equal(1);
    const patient = result.locator('dd', { hasText: 'MRN-PAGE-1' });
    expect(await patient.count()).to.equal(1);
    const receipt = result.locator('section', { has: page.locator('#receipt-heading') });
    expect(await receipt.textContent())
      .to.match(/Receipt hash[0-9a-f]{64}/)
      .and.match(/Trace hash[0-9a-f]{64}/)
      .and.include('transaction: the receipt is in its own ledger transaction');

    const checks = page.locator('#checks-table tbody tr');
    const checkCount = await checks.count();
    expect(checkCount).to.be.greaterThan(3);
    expect(await checks.filter({ hasText: '✓ ok' }).count()).to.equal(checkCount);
    const access = page.locator('#access-log tbody tr', { hasText: RUN_LAB });
    expect(
      await access.filter({ hasText: 'lab-fetch' }).filter({ hasText: 'served' }).count(),
    ).to.be.greaterThan(0);

    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page
      .locator('#verify-status')
      .filter({ hasText: `All ${checkCount} checks ok.` })
      .waitFor();
    await shot(page, 'hospital-result');

    // The second (dropped, 16-bit) scan is drawn too.
    await page.getByRole('button', { name: `Open request ${second}` }).click();
    await page.locator('#result-heading').filter({ hasText: second }).waitFor();
    await page.locator('#overlay[data-drawn="true"]').waitFor();
    expect((await overlayPixels(page)).coloured).to.be.greaterThan(5000);

    await page.getByRole('button', { name: `Open request ${third}` }).click();
    await page.locator('#result-heading').filter({ hasText: third }).waitFor();
    await page.locator('#overlay[data-drawn="true"]').waitFor();
    expect(await page.locator('#result .notice').textContent()).to.include('the preview needs PNG or JPEG');
    const onBlack = await overlayPixels(page);
    expect(onBlack.coloured).to.be.greaterThan(5000);
    expect(onBlack.grey).to.equal(0);
    await shot(page, 'hospital-result-dicom');
  });

  it('answers a retried upload whose answer was lost with the first request, not a second one', async () => {
    const page = await newPage();
    // The gateway accepts the first upload, but its answer never reaches the page.
    await page.addInitScript(LOSE_FIRST_UPLOAD_ANSWER);
    await page.goto(`${hospital.url}/`);
    await signInByKeyboard(page, hospital.token);
    await page.getByLabel('Model', { exact: true }).fill(model.ref);
    await page.getByLabel('Scan file').setInputFiles(join(fixtures, 'brain-axial-z102.jpg'));
    await page.getByRole('button', { name: 'Upload' }).click();
    const error = page.locator('#upload-error');
    await error.filter({ hasText: 'The gateway could not be reached' }).waitFor();
    await shot(page, 'hospital-upload-lost-answer');
    await page.getByRole('button', { name: 'Upload' }).click();
    const status = page.locator('#upload-status');
    await status.filter({ hasText: 'Already accepted as' }).waitFor();
    const { keys, first } = obj(
      await page.evaluate('({ keys: window.__uploadKeys, first: window.__firstAnswer })'),
    );
    expect(keys).to.be.an('array').with.length(2);
    const [key, again] = keys as unknown[];
    expect(key).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(again).to.equal(key);
    const firstId = String(obj(first).requestId);
    expect(firstId).to.match(/^rq-[0-9a-f]{32}$/);
    expect(await status.textContent()).to.include(firstId);
    expect(await error.isVisible()).to.equal(false);
    // Two clicks, one request: this test's JPEG is the hospital's only one.
    const listed = obj(
      await (
        await fetch(`${hospital.url}/api/v1/scans?limit=100`, { headers: bearer(hospital.token) })
      ).json(),
    );
    const jpegs = (listed.scans as Record<string, unknown>[]).filter((s) => s.mediaType === 'image/jpeg');
    expect(jpegs.map((s) => s.requestId)).to.deep.equal([firstId]);
  });

  it('lets the regulator find, verify and explore requests, models, labs and blocks', async () => {
    const id = uploaded[0] ?? '';
    expect(id).to.match(/^rq-/);
    const page = await newPage();
    await page.goto(`${regulator.url}/`);
    await expectLabelled(page, ['API token']);
    await signInByKeyboard(page, regulator.token);
    await expectLabelled(page, ['Status', 'Hospital', 'Lab', 'Per page', 'Request id']);
    await page.getByLabel('Status', { exact: true }).selectOption('completed');
    await page.getByLabel('Hospital', { exact: true }).fill('hospital-a');
    await page.getByLabel('Per page').selectOption('10');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const label = page.locator('#page-label');
    await label.filter({ hasText: 'Page 1 (completed, hospital hospital-a):' }).waitFor();
    // One page holds at most 10; the next page comes by bookmark (when there is one).
    expect(await page.locator('#requests-table tbody tr').count()).to.be.within(1, 10);
    const next = page.getByRole('button', { name: 'Next page' });
    if (await next.isEnabled()) {
      await next.click();
      await label.filter({ hasText: 'Page 2 (completed, hospital hospital-a):' }).waitFor();
      expect(await page.locator('#requests-table tbody tr').count()).to.be.at.most(10);
    }
    const rows = page.locator('#requests-table tbody tr');
    expect(await rows.filter({ hasNotText: 'hospital-a' }).count()).to.equal(0);
    await shot(page, 'regulator-requests');

    // The request is found by its id (a regulator usually starts from one: a receipt, a dispute).
    await page.getByLabel('Request id').fill(id);
    await page.getByRole('button', { name: 'Open request', exact: true }).click();
    const detail = page.locator('#request-detail');
    await detail.locator('#record-heading').waitFor();
    expect(await detail.textContent())
      .to.include('hospital-a')
      .and.include(model.ref)
      .and.match(/Receipt hash[0-9a-f]{64}/)
      .and.include('Spot check');

    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    const verdict = page.locator('#verdict');
    await verdict.waitFor({ timeout: 120_000 });
    expect(await verdict.getAttribute('data-verified')).to.equal('true');
    expect(await verdict.textContent()).to.match(/^Verified: all \d+ checks ok\.$/);
    const checks = page.locator('#verify-result tbody tr');
    const count = await checks.count();
    expect(count).to.be.greaterThan(5);
    expect(await checks.filter({ hasText: '✓ ok' }).count()).to.equal(count);
    for (const name of ['scan.commitment', 'receipt.hash', 'rerun.output.outputCommitment', 'block.dataHash'])
      expect(await checks.filter({ hasText: name }).count(), name).to.be.greaterThan(0);

    await page.getByRole('button', { name: 'Download bundle' }).click();
    const bundle = page.locator('#bundle-error');
    await bundle.waitFor({ state: 'visible' });
    expect(await bundle.textContent())
      .to.include('Download bundle')
      .and.include('(501)')
      .and.include('offline audit bundles')
      .and.include('NOT_IMPLEMENTED');
    await shot(page, 'regulator-verified');

    await page.getByRole('button', { name: 'Models' }).click();
    const model_ = page.locator('#models-body tbody tr', { hasText: model.ref });
    await model_.waitFor();
    expect(await model_.textContent()).to.include('approved');
    expect(await page.getByRole('button', { name: 'Models' }).getAttribute('aria-current')).to.equal('page');
    await shot(page, 'regulator-models');

    await page.getByRole('button', { name: 'Labs' }).click();
    await page.locator('#labs-body table').waitFor();
    const labRows = await page.locator('#labs-body tbody tr').count();
    expect(labRows).to.be.greaterThan(0);
    const bars = page.locator('#labs-body svg.bar-chart rect.bar');
    expect(await bars.count()).to.equal(labRows);
    const box = await page.locator('#labs-body svg.bar-chart').boundingBox();
    expect(box?.width ?? 0).to.be.greaterThan(100);
    expect(await page.locator('#labs-body tbody tr', { hasText: RUN_LAB }).count()).to.equal(1);
    await shot(page, 'regulator-labs');

    await page.getByRole('button', { name: 'Blocks' }).click();
    const blocks = page.locator('#blocks-body tbody tr');
    await blocks.first().waitFor();
    expect(await blocks.count()).to.equal(10);
    const newest = (await blocks.first().locator('td').first().textContent()) ?? '';
    await blocks.first().locator('summary').click();
    expect(await blocks.first().textContent()).to.match(/VALID/);
    await page.getByRole('button', { name: 'Older blocks' }).click();
    await page
      .locator('#blocks-body tbody tr')
      .first()
      .locator('td')
      .first()
      .filter({ hasNotText: new RegExp(`^${newest}$`) })
      .waitFor();
    await shot(page, 'regulator-blocks');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#sign-in').waitFor({ state: 'visible' });
    expect(
      await page.evaluate(
        () => (globalThis as unknown as { sessionStorage: { length: number } }).sessionStorage.length,
      ),
    ).to.equal(0);
  });
});
