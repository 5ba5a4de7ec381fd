import type { Page } from '@playwright/test';

/**
 * Plays the person at oidc-provider's development login and consent pages, in a real browser:
 * the "system browser" the app opened. `cancel` leaves through the "[ Cancel ]" link instead.
 */
export async function signInAt(page: Page, authorizeUrl: string, options: { login: string; cancel?: boolean }): Promise<void> {
  await page.goto(authorizeUrl);
  await page.getByPlaceholder('Enter any login').fill(options.login);
  await page.getByPlaceholder('and password').fill('any-password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  if (options.cancel) {
    await page.getByRole('link', { name: '[ Cancel ]' }).click();
  } else {
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  // The app's loopback page: a clean address, no code in it.
  await page.waitForURL(/^http:\/\/(127\.0\.0\.1|localhost):\d+\/done$/);
}
