// The life of a pass in the console: the haulier opens "amend" from its
// pass, asks for a plate swap with a reason, and once the officer approves
// sees the revisions: who changed what and why.
import {PASSWORDS, scenario, signIn, ready, text, snap, expect} from './harness.mjs';

const day = n => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

export async function run(browser, all) {
  all.push(...await scenario(browser, 'the haulier amends its pass (a plate swap) and sees the revisions', async (page, srv, data) => {
    const token = async (name, password) => (await (await fetch(`${srv.base}/v1/sessions`, {method: 'POST',
      headers: {'Content-Type': 'application/json'}, body: JSON.stringify({name, password})})).json()).token;
    const zhang = await token('zhang', PASSWORDS.zhang);
    const li = await token('li', PASSWORDS.li);
    for (const plate of ['鲁Q30001', '鲁Q30002'])
      await srv.call('POST', '/v1/vehicles', zhang, {plate, class: 'heavy_truck', gross_weight_kg: 31000});
    const approve = async id => {
      const claimed = await srv.call('POST', '/v1/queue/claim', li);
      expect(claimed.id === id, 'the application claimed');
      await srv.call('POST', `/v1/applications/${id}/decision`, li, {decision: 'approve', reason: 'checked'});
    };
    const app = await srv.call('POST', '/v1/applications', zhang, {type: 'construction', plates: ['鲁Q30001'],
      zone_ids: [data.core.id], valid_from: day(0), valid_to: day(30), documents: []});
    await approve(app.id);
    const pass = (await srv.call('GET', '/v1/passes?plate=鲁Q30001', zhang)).items[0];

    expect(await signIn(page, srv.base, 'zhang', PASSWORDS.zhang) === 201, 'signed in');
    await ready(page, '/haulier/fleet');
    await page.goto(`${srv.base}/passes`);
    await ready(page, '/passes');
    // The link encodes the code: its check symbol may be one of = $ (pass_code.c).
    await page.click(`a[href="/passes/amend?code=${encodeURIComponent(pass.code)}"]`); // within the page: no reload
    await ready(page, '/passes/amend');
    await page.waitForSelector('main table tbody tr');
    expect((await page.$$('main table tbody tr')).length === 1, 'one revision at first');
    await page.type('input[name=plate]', '鲁Q30002');
    await page.type('input[name=reason]', '鲁Q30001 抛锚 broke down');
    await Promise.all([page.waitForResponse(r => r.url().endsWith('/amendments')), page.click('main form button[type=submit]')]);
    await page.waitForSelector('.msg.ok');
    expect((await text(page, '.msg.ok')).includes('审核'), 'the amendment said to be in the queue');
    await snap(page, 'amend-filed');

    const amendment = (await srv.call('GET', '/v1/applications?status=queued', zhang)).items.find(a => a.kind === 'amendment');
    expect(amendment && amendment.pass_code === pass.code, 'the amendment names the pass');
    await approve(amendment.id);
    await page.reload();
    await ready(page, '/passes/amend');
    await page.waitForFunction(() => document.querySelectorAll('main table tbody tr').length === 2);
    const cells = await page.$$eval('main table tbody tr:last-child td', tds => tds.map(td => td.textContent));
    expect(cells[0] === '2' && cells[1] === '鲁Q30002', `revision 2 on the new plate (got ${cells.join(' | ')})`);
    expect(cells[5] === '车牌' && cells[6].includes('broke down'), `what changed and why (got ${cells.slice(5).join(' | ')})`);
    const first = await page.$$eval('main table tbody tr:first-child td', tds => tds.map(td => td.textContent));
    expect(first[3] === '已变更', `revision 1 superseded (got ${first[3]})`);
    await snap(page, 'amend-revisions');
  }));
}
