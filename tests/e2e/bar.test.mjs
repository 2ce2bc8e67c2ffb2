// The bar at the top of the console (web/src/main.js): one line on a
// 1280 px laptop for every role, the screens used less often in its "more"
// menu, each screen still reachable from it; on a 390 px phone nothing
// sticks out of the screen and the menu opens inside it.
import {PASSWORDS, scenario, signIn, ready, snap, expect, navTo} from './harness.mjs';

// The tops of the bar's visible parts (its own children and the links and
// menu button in its nav), and its height.
const barRows = page => page.evaluate(() => {
  const bar = document.getElementById('bar');
  const parts = [...bar.children, ...bar.querySelectorAll('nav > a, nav > details > summary')]
    .filter(el => el.tagName !== 'NAV' && el.getBoundingClientRect().width > 0 && !el.classList.contains('spacer'));
  return {tops: parts.map(el => Math.round(el.getBoundingClientRect().top)), height: bar.getBoundingClientRect().height,
    width: bar.scrollWidth};
});

async function signOut(page) {
  await Promise.all([page.waitForResponse(r => r.url().endsWith('/v1/sessions/current')), page.click('#bar > button.secondary')]);
  await ready(page, 'sign-in');
}

export async function run(browser, all) {
  all.push(...await scenario(browser, 'the bar keeps one line at 1280 px for every role and each screen stays reachable, the less used ones from its more menu', async (page, srv) => {
    for (const [name, home] of [['li', '/officer/queue'], ['admin', '/officer/queue'], ['chen', '/site/endorse'], ['zhang', '/haulier/fleet']]) {
      expect(await signIn(page, srv.base, name, PASSWORDS[name]) === 201, `${name} signed in`);
      await ready(page, home);
      const {tops, height} = await barRows(page);
      // One line: every part starts within a few pixels of the same top,
      // and the bar is no taller than one row of buttons and its padding.
      expect(Math.max(...tops) - Math.min(...tops) <= 6, `${name}'s bar on one line (tops ${tops.join(', ')})`);
      expect(height < 60, `${name}'s bar one line high (${height} px)`);
      if (name === 'li' || name === 'admin') await snap(page, `bar-${name}-1280`);
      // Every screen of the bar, in the bar or in its menu, opens.
      const hrefs = await page.$$eval('#bar nav a', as => as.map(a => a.getAttribute('href')));
      expect(hrefs.length >= 5, `${name} has screens in the bar`);
      for (const href of hrefs) {
        await navTo(page, href);
        await ready(page, href);
        expect(await page.$eval(`#bar nav a[href="${href}"]`, a => a.getAttribute('aria-current')) === 'page', `${href} marked as the current page`);
      }
      if (name === 'li') {
        // The menu names the screen in it that is shown, and is opened to show it.
        expect(await page.$eval('#bar details.more summary', s => s.dataset.current === 'true'), 'the more button marked while one of its screens is shown');
        await page.click('#bar details.more summary');
        expect(await page.$eval('#bar details.more', d => d.open), 'the menu opens');
        await snap(page, 'bar-officer-more-open');
        await page.keyboard.press('Escape');
        expect(await page.$eval('#bar details.more', d => !d.open), 'Escape closes the menu');
        await page.click('#bar details.more summary');
        await page.click('main h1');
        expect(await page.$eval('#bar details.more', d => !d.open), 'a click elsewhere closes the menu');
      }
      await signOut(page);
    }
  }));

  all.push(...await scenario(browser, 'on a 390 px phone the officer\'s bar stays inside the screen and its more menu opens within it', async (page, srv) => {
    await page.setViewport({width: 390, height: 844, isMobile: true, hasTouch: true});
    expect(await signIn(page, srv.base, 'li', PASSWORDS.li) === 201, 'signed in');
    await ready(page, '/officer/queue');
    const {width} = await barRows(page);
    expect(width <= 390, `nothing in the bar wider than the screen (${width} px)`);
    await snap(page, 'bar-officer-phone');
    await page.click('#bar details.more summary');
    const inside = await page.$$eval('#bar details.more .menu a', as => as.every(a => {
      const r = a.getBoundingClientRect();
      return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth;
    }));
    expect(inside, 'every link of the open menu inside the screen');
    await snap(page, 'bar-officer-phone-more-open');
    await page.click('#bar details.more .menu a[href="/officer/calendar"]');
    await ready(page, '/officer/calendar');
  }));
}
